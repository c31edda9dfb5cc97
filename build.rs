//! Build script: with the `ros` feature, makes the binary find the ROS 2 libraries of the wheels
//! on its own, and links libpython, which the wheels' message libraries expect to be loaded. The wheels keep their bundled libraries (tinyxml2, spdlog, ...) in
//! `site-packages/*.libs` folders that their own rpaths miss, so the binary carries an RPATH
//! (not RUNPATH: it must also apply to the libraries' dependencies) to every prefix's `lib/` and
//! to those folders. Nothing to do without the feature.

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
    link_libpython();
    for prefix in env::split_paths(&prefixes) {
        let lib = prefix.join("lib");
        rpath(&lib);
        for python in read_dir(&lib).filter(|p| name_starts(p, "python3")) {
            for bundled in read_dir(&python.join("site-packages")).filter(|p| name_ends(p, ".libs"))
            {
                rpath(&bundled);
            }
        }
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
