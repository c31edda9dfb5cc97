//! The ROS 2 node over real DDS, with rclpy (from the same wheels) as the independent peer.
//!
//! Each test runs one case of ros/node_checks.py inside the loopback-only network namespace
//! (scripts/netns); the case starts its own node on its own ROS domain. Needs the `ros` feature
//! and the environment of scripts/ros-env; `barge_in` also needs the default model.
#![cfg(feature = "ros")]

use std::path::PathBuf;
use std::process::Command;

fn project(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn run_case(case: &str) {
    let output = Command::new(project("scripts/netns"))
        .arg("python3")
        .arg(project("ros/node_checks.py"))
        .arg(case)
        .env("EQ_NEGOTIATOR_BIN", env!("CARGO_BIN_EXE_eq_negotiator"))
        .current_dir(project(""))
        .output()
        .expect("scripts/netns runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success() && stdout.contains(&format!("{case}: ok")),
        "{case} failed:\n{stdout}\n{stderr}"
    );
}

#[test]
fn an_rclpy_debtor_negotiates_to_an_agreement_and_resets() {
    run_case("negotiation");
}

#[test]
fn bad_input_and_a_burst_leave_the_node_answering() {
    run_case("bad_input");
}

#[test]
fn bad_parameters_fail_at_start_and_the_yaml_file_is_a_params_file() {
    run_case("parameters");
}

#[test]
fn a_new_utterance_interrupts_the_language_models_reply() {
    run_case("barge_in");
}

#[test]
fn a_node_killed_mid_negotiation_resumes_from_its_record_after_a_torn_line() {
    run_case("restart");
}

#[test]
fn two_hundred_negotiations_back_to_back_keep_memory_flat_and_every_turn_recorded() {
    run_case("soak");
}

#[test]
fn two_robots_share_what_they_learn_and_a_killed_one_keeps_it() {
    run_case("fleet");
}

#[test]
fn parameters_are_listed_described_and_set_live_from_the_next_turn() {
    run_case("live_parameters");
}

#[test]
fn a_managed_node_goes_through_every_lifecycle_transition_and_recovers_from_a_configure_error() {
    run_case("lifecycle");
}

#[test]
fn two_ros4hri_voices_negotiate_at_once_without_mixing_and_a_voice_that_leaves_resumes() {
    run_case("voices");
}
