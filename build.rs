//! Build script: with the `ros` feature, makes the binary find the ROS 2 libraries on its own.
//!
//! Two kinds of ROS 2 install are told apart by their layout, both found through
//! `AMENT_PREFIX_PATH` (set by sourcing a ROS setup file or `scripts/ros-env`):
//! - a system install (`/opt/ros/jazzy` from apt, or a colcon workspace over it): the binary
//!   carries an RPATH to every prefix's `lib/`, so it runs without `LD_LIBRARY_PATH`;
//! - the PyPI wheels (`scripts/setup-ros`): they also keep their bundled libraries (tinyxml2,
//!   spdlog, ...) in `site-packages/*.libs` folders that their own rpaths miss, so those folders
//!   join the RPATH, and libpython is linked, which the wheels' message libraries expect to be
//!   loaded. The `.libs` folders are how the wheels are recognised.
//!
//! The RPATH is an old-style RPATH, not RUNPATH: it must also apply to the libraries'
//! dependencies. Nothing to do without the feature.

use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=AMENT_PREFIX_PATH");
    println!("cargo:rerun-if-changed=build.rs");
    if env::var_os("CARGO_FEATURE_ROS").is_none() {
        return;
    }
    let Some(prefixes) = env::var_os("AMENT_PREFIX_PATH") else {
        panic!(
            "the `ros` feature needs the ROS 2 environment: run scripts/setup-ros, then `source scripts/ros-env`"
        );
    };
    println!("cargo:rustc-link-arg=-Wl,--disable-new-dtags");
    let mut wheels = false;
    for prefix in env::split_paths(&prefixes).filter(|p| !p.as_os_str().is_empty()) {
        let lib = prefix.join("lib");
        rpath(&lib);
        for python in read_dir(&lib).filter(|p| name_starts(p, "python3")) {
            for bundled in read_dir(&python.join("site-packages")).filter(|p| name_ends(p, ".libs"))
            {
                rpath(&bundled);
                wheels = true;
            }
        }
    }
    if wheels {
        link_libpython();
    }
}

/// Links the Python of the ROS environment (the venv's `python3`, first on PATH).
fn link_libpython() {
    let asked = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_config_var('LIBDIR')); print(sysconfig.get_config_var('LDVERSION'))",
        ])
        .output()
        .expect("python3 must be on PATH for the `ros` feature (source scripts/ros-env)");
    let text = String::from_utf8_lossy(&asked.stdout).into_owned();
    let mut lines = text.lines();
    let (Some(libdir), Some(version)) = (lines.next(), lines.next()) else {
        panic!("python3 did not say where libpython is: {text}");
    };
    println!("cargo:rustc-link-search=native={libdir}");
    rpath(Path::new(libdir));
    println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
    println!("cargo:rustc-link-arg=-lpython{version}");
    println!("cargo:rustc-link-arg=-Wl,--as-needed");
}

fn rpath(dir: &Path) {
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
}

fn read_dir(dir: &Path) -> impl Iterator<Item = std::path::PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
}

fn name_starts(path: &Path, prefix: &str) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(prefix))
}

fn name_ends(path: &Path, suffix: &str) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(suffix))
}
