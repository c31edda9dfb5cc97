//! The `eq_negotiator` binary end to end: real files, real stdin and stdout, exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The binary, recording into a scratch directory of the build (never into the checkout).
fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eq_negotiator"));
    let records = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-records");
    command
        .arg("--set")
        .arg(format!("record.directory={}", records.display()));
    command
}

/// The binary recording into `records`.
fn recording_into(records: &Path) -> Command {
    let mut command = binary();
    command
        .arg("--set")
        .arg(format!("record.directory={}", records.display()));
    command
}

fn project(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn shared_data(relative: &str) -> PathBuf {
    let path = project("../shared/data").join(relative);
    assert!(
        path.exists(),
        "{} is missing: the tests read ../shared/data beside the checkout",
        path.display()
    );
    path
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    run_command(binary(), args, stdin)
}

fn run_command(mut command: Command, args: &[&str], stdin: &str) -> Output {
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    // A child that fails early may exit before reading its input: that is not the test's failure.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Runs the binary with `stdin`, requires success, and returns its standard output.
fn run_ok(args: &[&str], stdin: &str) -> Vec<u8> {
    let out = run_with_stdin(args, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs the binary, requires success, and parses its JSON lines.
fn run_json(args: &[&str], stdin: &str) -> Vec<serde_json::Value> {
    String::from_utf8(run_ok(args, stdin))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn classify_prints_one_json_line_per_input() {
    let lines = run_json(
        &["classify"],
        "I am furious, I'll see you in court\n\nI lost my job and can't afford 30 days\n",
    );
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["emotion"], "anger");
    assert_eq!(lines[0]["tactics"][0]["kind"], "threat");
    assert!(
        !lines[0]["tactics"][0]["evidence"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let total: f64 = lines[1]["distribution"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert_eq!(lines[2]["emotion"], "sadness");
    for key in ["text", "emotion", "distribution", "tactics"] {
        assert!(lines[2].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn chat_json_opens_negotiates_and_stops_at_agreement() {
    let scenario = project("scenarios/default.yaml");
    let turns = run_json(
        &[
            "chat",
            "--scenario",
            scenario.to_str().unwrap(),
            "--index",
            "1",
            "--json",
            "--today",
            "2026-11-25",
            "--speaker",
            "template",
        ],
        "I lost my job, I need 70 days.\nThat's not enough, I want 60 days.\nOk, deal.\nthis line is never read\n",
    );
    assert_eq!(
        turns.len(),
        4,
        "opening + three turns, then the agreement ends it"
    );
    assert_eq!(turns[0]["turn"], 0);
    assert_eq!(turns[0]["offer_days"], 10, "car-loan target");
    for key in [
        "turn",
        "debtor_emotion",
        "distribution",
        "tactics",
        "belief",
        "strategy",
        "creditor_emotion",
        "offer_days",
        "debtor_offer_days",
        "reply",
        "agreement",
    ] {
        assert!(turns[1].get(key).is_some(), "missing {key}");
    }
    assert_eq!(turns[1]["debtor_offer_days"], 70);
    assert_eq!(turns[1]["debtor_emotion"], "sadness");
    let last = &turns[3];
    assert_eq!(last["agreement"]["reached"], true);
    assert_eq!(last["agreement"]["days"], turns[2]["offer_days"]);
    let offers: Vec<u64> = turns
        .iter()
        .map(|t| t["offer_days"].as_u64().unwrap())
        .collect();
    assert!(
        offers.iter().all(|d| *d <= 40),
        "reservation limit 40: {offers:?}"
    );
}

#[test]
fn chat_reads_a_crad_scenario_and_exits_cleanly_at_end_of_input() {
    let crad = shared_data("crad/scenarios.json");
    let turns = run_json(
        &[
            "chat",
            "--scenario",
            crad.to_str().unwrap(),
            "--index",
            "5",
            "--json",
        ],
        "I need 150 days\n",
    );
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[1]["agreement"]["reached"], false);
}

#[test]
fn chat_text_mode_prints_the_conversation() {
    let out = run_with_stdin(&["chat", "--speaker", "template"], "Fine, deal.\n");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("creditor: "), "{text}");
    assert!(text.contains("debtor: Fine, deal."), "{text}");
    assert!(text.contains("*** agreement: 14 days ***"), "{text}");
}

#[test]
fn demo_reaches_an_agreement_within_the_reservation_limit() {
    let turns = run_json(&["demo", "--json", "--speaker", "template"], "");
    let last = turns.last().unwrap();
    assert_eq!(last["agreement"]["reached"], true);
    assert!(last["agreement"]["days"].as_u64().unwrap() <= 45);
    assert!(turns.iter().all(|t| t["fallback"] == false));
}

#[test]
fn bad_parameters_and_scenarios_fail_with_a_clear_message() {
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "--set",
                "llm.model_path=/no/model.gguf",
                "chat",
                "--speaker",
                "slm",
            ],
            // Without the `llm` feature the same request explains what the build lacks.
            if cfg!(feature = "llm") {
                "scripts/fetch-model"
            } else {
                "`llm` feature"
            },
        ),
        (
            &["--set", "offer.agreement_gap_days=-1", "params"],
            "agreement_gap_days",
        ),
        (
            &["--set", "policy.gate_negative_count=9", "params"],
            "gate_negative_count",
        ),
        (&["--params", "/no/such.yaml", "params"], "/no/such.yaml"),
        (
            &["chat", "--scenario", "/no/such/scenarios.yaml"],
            "/no/such/scenarios.yaml",
        ),
    ];
    for (args, expected) in cases {
        let out = binary().args(args).stdin(Stdio::null()).output().unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("error:") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn the_config_file_holds_exactly_the_defaults() {
    let config = project("config/eq_negotiator.yaml");
    let from_file = run_ok(&["--params", config.to_str().unwrap(), "params"], "");
    assert_eq!(from_file, run_ok(&["params"], ""));
}

#[test]
fn every_parameter_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(project("README.md")).unwrap();
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_slice(&run_ok(&["params"], "")).unwrap();
    for (group, keys) in yaml.as_mapping().unwrap() {
        for key in keys.as_mapping().unwrap().keys() {
            let dotted = format!("`{}.{}`", group.as_str().unwrap(), key.as_str().unwrap());
            assert!(readme.contains(&dotted), "README lacks {dotted}");
        }
    }
}

#[test]
fn eval_emotion_prints_the_report_for_the_test_split() {
    let test = shared_data("goemotions-ekman/test.tsv");
    let out = run_ok(
        &["eval-emotion", "--data", test.to_str().unwrap(), "--json"],
        "",
    );
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let macro_f1 = report["macro_f1"].as_f64().unwrap();
    assert!(macro_f1 >= 0.40, "lexicon macro-F1 {macro_f1}");

    let text = String::from_utf8(run_ok(
        &["eval-emotion", "--data", test.to_str().unwrap()],
        "",
    ))
    .unwrap();
    for label in [
        "joy", "sadness", "anger", "fear", "surprise", "disgust", "neutral",
    ] {
        assert!(text.contains(label), "{text}");
    }
}

#[test]
fn bench_core_prints_its_table() {
    let text = String::from_utf8(run_ok(&["bench", "core", "--negotiations", "20"], "")).unwrap();
    assert!(text.contains("median µs"), "{text}");
    assert!(text.contains("20 negotiations"), "{text}");
}

#[test]
fn bench_llm_refuses_turns_beyond_the_scripted_dialogue() {
    for turns in ["0", "31"] {
        let out = run_with_stdin(&["bench", "llm", "--turns", turns], "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "--turns {turns} was accepted");
        assert!(
            stderr.contains("--turns must be from 1 to negotiation.max_turns (30)"),
            "{stderr}"
        );
    }
}

#[cfg(feature = "llm")]
#[test]
fn chat_speaks_with_the_language_model_when_it_is_present() {
    let model = project("models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        model.is_file(),
        "run scripts/fetch-model first (scripts/test does)"
    );
    let turns = run_json(
        &[
            "--set",
            &format!("llm.model_path={}", model.display()),
            "chat",
            "--json",
            "--today",
            "2026-11-25",
        ],
        "I lost my job, I need 70 days.\nI can do 40 days.\n",
    );
    assert_eq!(turns.len(), 3);
    for turn in &turns {
        let days = turn["offer_days"].as_u64().unwrap();
        let reply = turn["reply"].as_str().unwrap();
        assert!(reply.contains(&days.to_string()), "{reply}");
    }
    assert!(
        turns.iter().any(|t| t["speaker"] == "slm"),
        "no reply came from the language model: {turns:?}"
    );
}

/// The voice over six blind-written dialogues of the tuning half with the default model: every
/// spoken reply heard again passes the listener's check and the guardrails (the template
/// stands in where the model's lead fails), most keep the model's words, none waives the debt.
#[cfg(feature = "llm")]
#[test]
fn eval_voice_meets_its_targets_on_a_small_subset() {
    let model = project("models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        model.is_file(),
        "run scripts/fetch-model first (scripts/test does)"
    );
    let dialogues = project("tests/data/voice/dialogues_tune.jsonl");
    let scenarios = project("scenarios/default.yaml");
    let out = run_ok(
        &[
            "--set",
            &format!("llm.model_path={}", model.display()),
            "eval-voice",
            "--dialogues",
            dialogues.to_str().unwrap(),
            "--scenarios",
            scenarios.to_str().unwrap(),
            "--speaker",
            "slm",
            "--limit",
            "6",
            "--json",
            "--min-pass",
            "0.9",
            "--min-own-words",
            "0.6",
        ],
        "",
    );
    let report: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out).trim()).unwrap();
    assert_eq!(report["denials"], 0, "{report}");
    assert!(report["replies"].as_u64().unwrap() >= 24, "{report}");
    let exchanges = report["exchanges"].as_array().unwrap();
    assert!(
        exchanges.iter().all(|e| e["reply"]
            .as_str()
            .unwrap()
            .contains(&format!("{} days", e["offer_days"]))),
        "every reply states its offer: {report}"
    );
}

#[test]
fn eval_listener_reports_recall_and_false_alarms() {
    let lines = project("tests/data/voice/listener_tune.jsonl");
    let text = String::from_utf8(run_ok(
        &["eval-listener", "--lines", lines.to_str().unwrap()],
        "",
    ))
    .unwrap();
    assert!(text.contains("| all defects |"), "{text}");
    assert!(
        text.contains("acceptable replies the listener's check refused"),
        "{text}"
    );
    let missing = run_with_stdin(&["eval-listener", "--lines", "/no/such.jsonl"], "");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such.jsonl"));
}

/// Parses JSON lines.
fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The only record file in `dir`.
fn only_record(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

const CHAT: [&str; 6] = [
    "chat",
    "--json",
    "--speaker",
    "template",
    "--today",
    "2026-11-25",
];

#[test]
fn chat_records_every_turn_and_resume_continues_exactly() {
    let lines = "I lost my job, I need 90 days.\nI'm furious, I'll see you in court!\nCould we do six weeks?\nOk, deal.\n";
    let whole_dir = tempfile::tempdir().unwrap();
    let whole = run_command(recording_into(whole_dir.path()), &CHAT, lines);
    assert!(whole.status.success());
    let whole = json_lines(&whole.stdout);
    assert_eq!(whole.len(), 5);

    // The same conversation, stopped after two debtor lines and resumed for the rest.
    let dir = tempfile::tempdir().unwrap();
    let (first, rest) = lines.split_at(lines.match_indices('\n').nth(1).unwrap().0 + 1);
    let out = run_command(recording_into(dir.path()), &CHAT, first);
    assert!(out.status.success());
    let mut turns = json_lines(&out.stdout);
    let path = only_record(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 3, "opening and two turns");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let mut args = vec!["chat", "--json", "--speaker", "template", "--resume"];
    let out = run_command(recording_into(dir.path()), &args, rest);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    turns.extend(json_lines(&out.stdout));
    assert_eq!(turns, whole, "resumed = uninterrupted, turn by turn");

    let record: Vec<serde_json::Value> =
        json_lines(&std::fs::read(only_record(dir.path())).unwrap());
    assert_eq!(record.len(), 5, "no turn lost, none duplicated");
    for (line, turn) in record.iter().zip(&whole) {
        assert_eq!(line["turn"], turn["turn"]);
        assert_eq!(line["reply"], turn["reply"]);
        assert_eq!(line["creditor_offer_days"], turn["offer_days"]);
    }
    assert_eq!(record[1]["utterance"], "I lost my job, I need 90 days.");

    let verify = run_command(binary(), &["record", "verify", path.to_str().unwrap()], "");
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("5 good lines"));
    let show = String::from_utf8(run_ok(&["record", "show", path.to_str().unwrap()], "")).unwrap();
    for expected in [
        "turn 4",
        "debtor: Could we do six weeks?",
        "Threat",
        "outcome: agreement on",
    ] {
        assert!(show.contains(expected), "{expected}: {show}");
    }

    // A finished negotiation is not resumed.
    args.push("--log=error");
    let again = run_command(recording_into(dir.path()), &args, "hello\n");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("finished negotiation"));
}

#[test]
fn verify_names_the_first_bad_line_and_a_torn_last_line_and_resume_survives_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_command(recording_into(dir.path()), &CHAT, "I need 90 days.\nNo.\n");
    assert!(out.status.success());
    let path = only_record(dir.path());
    let good = std::fs::read_to_string(&path).unwrap();
    let verify =
        |path: &Path| run_command(binary(), &["record", "verify", path.to_str().unwrap()], "");

    // Power cut in the middle of the fourth line.
    let torn_text = format!("{good}{{\"version\":1,\"session\":\"x");
    std::fs::write(&path, &torn_text).unwrap();
    let out = verify(&path);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 4 is torn") && !err.contains("panicked"),
        "{err}"
    );

    // The start is not stopped: resume drops the fragment and appends on a line of its own.
    let out = run_command(
        recording_into(dir.path()),
        &["chat", "--json", "--speaker", "template", "--resume"],
        "Ok, deal.\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 4 is torn"));
    assert_eq!(json_lines(&out.stdout)[0]["turn"], 3);
    assert!(verify(&path).status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 4);

    // A bad line in the middle is named by its number.
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    lines[1] = lines[1].replace("\"turn\":1", "\"turn\":7");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out = verify(&path);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2 is bad"), "{err}");
}

#[test]
fn broken_inputs_give_one_clear_error_naming_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let bad_yaml = file("bad.yaml", b"policy: [unclosed\n");
    let unknown = file("unknown.yaml", b"policy:\n  gate_windw: 6\n");
    let wrong_type = file("type.yaml", b"negotiation:\n  max_turns: many\n");
    let invalid = file("invalid.yaml", b"policy:\n  gate_window: 0\n");
    let model = std::fs::read(project("models/SmolLM2-135M-Instruct.Q4_1.gguf"))
        .map(|bytes| bytes[..1024].to_vec())
        .unwrap_or_else(|_| b"GGUF".repeat(256));
    let truncated = file("truncated.gguf", &model);
    let plain = file("plain-file", b"not a directory");
    let garbage = file("garbage.jsonl", b"not a record\n");
    let under_file = format!("record.directory={plain}/records");
    let missing_model = format!("llm.model_path={}/no-model.gguf", dir.path().display());
    let truncated_model = format!("llm.model_path={truncated}");
    let llm = |fix: &'static str| {
        if cfg!(feature = "llm") {
            fix
        } else {
            "`llm` feature"
        }
    };
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["--params", &bad_yaml, "params"],
            vec!["bad.yaml", "config/eq_negotiator.yaml"],
        ),
        (
            vec!["--params", &unknown, "params"],
            vec!["unknown.yaml", "gate_windw"],
        ),
        (
            vec!["--params", &wrong_type, "params"],
            vec!["type.yaml", "max_turns"],
        ),
        (
            vec!["--params", &invalid, "params"],
            vec!["invalid.yaml", "policy.gate_window", "at least 1"],
        ),
        (
            vec!["--set", &missing_model, "chat", "--speaker", "slm"],
            vec![llm("no-model.gguf"), llm("scripts/fetch-model")],
        ),
        (
            vec!["--set", &truncated_model, "chat", "--speaker", "slm"],
            vec![llm("truncated.gguf"), llm("scripts/fetch-model")],
        ),
        (
            vec!["--set", &under_file, "chat", "--speaker", "template"],
            vec!["plain-file/records", "record.directory"],
        ),
        (
            vec!["--set", &under_file, "chat", "--resume"],
            vec!["plain-file/records", "record.directory"],
        ),
        (
            vec!["record", "verify", &garbage],
            vec!["garbage.jsonl", "line 1 is bad"],
        ),
    ];
    for (args, expected) in cases {
        let out = binary().args(&args).stdin(Stdio::null()).output().unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing half-started on stdout"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches("error:").count(),
            1,
            "{args:?}: one error: {err}"
        );
        for e in expected {
            assert!(err.contains(e), "{args:?} lacks {e:?}: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Runs `simulate` into `out` on a small subset and returns its stdout and stderr.
fn simulate_into(out: &Path, seed: &str) -> (String, String) {
    let scenarios = project("scenarios/default.yaml");
    let output = run_with_stdin(
        &[
            "simulate",
            "--scenarios",
            scenarios.to_str().unwrap(),
            "--limit",
            "4",
            "--personas",
            "angry,cheating,stonewalling",
            "--policy",
            "eq,eq-frozen,vanilla,fixed:joy,random",
            "--seed",
            seed,
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn simulate_writes_report_results_and_charts_and_repeats_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    let (stdout, stderr) = simulate_into(&a, "3");
    assert!(stdout.contains("report.md"), "{stdout}");
    // Not a terminal and no --progress: no progress bar.
    assert!(stderr.is_empty(), "{stderr}");
    simulate_into(&b, "3");
    simulate_into(&c, "4");
    let read = |dir: &Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    for name in [
        "results.json",
        "report.md",
        "success.svg",
        "debt_multiple.svg",
        "learning_multiple.svg",
        "learning_success.svg",
    ] {
        assert_eq!(
            read(&a, name),
            read(&b, name),
            "{name} differs between runs"
        );
    }
    assert_ne!(
        read(&a, "results.json"),
        read(&c, "results.json"),
        "the seed matters"
    );

    let results: serde_json::Value = serde_json::from_slice(&read(&a, "results.json")).unwrap();
    let negotiations = results["negotiations"].as_array().unwrap();
    // 4 scenarios x 3 personas x 5 policies.
    assert_eq!(negotiations.len(), 4 * 3 * 5);
    for n in negotiations {
        assert_eq!(n["violations"], 0, "{n}");
        if n["agreed"] == true {
            assert!(n["days"].as_u64().unwrap() <= n["limit_days"].as_u64().unwrap());
        }
    }
    let report = String::from_utf8(read(&a, "report.md")).unwrap();
    for text in [
        "## Overall",
        "| eq-frozen |",
        "| fixed:joy |",
        "### stonewalling",
        "## Learning curve",
    ] {
        assert!(report.contains(text), "report lacks {text}");
    }
}

#[test]
fn simulate_refuses_unknown_personas_policies_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let scenarios = project("scenarios/default.yaml");
    let scenarios = scenarios.to_str().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &["--scenarios", scenarios, "--personas", "grumpy"],
            "grumpy",
        ),
        (
            &["--scenarios", scenarios, "--personas", "family-grumpy"],
            "family-grumpy",
        ),
        (
            &["--scenarios", scenarios, "--policy", "linear:0"],
            "linear:0",
        ),
        (&["--scenarios", scenarios, "--policy", "eq,smart"], "smart"),
        (
            &["--scenarios", scenarios, "--policy", "fixed:calm"],
            "calm",
        ),
        (&["--scenarios", "/no/such/crad.json"], "/no/such/crad.json"),
    ];
    for (args, expected) in cases {
        let output = binary()
            .arg("simulate")
            .args(args)
            .args(["--out", out])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("error:") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn simulate_draws_the_family_from_either_half_beside_the_linear_baselines() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = project("scenarios/default.yaml");
    let run = |half: &str| {
        let out = dir.path().join(half);
        let output = run_with_stdin(
            &[
                "simulate",
                "--scenarios",
                scenarios.to_str().unwrap(),
                "--limit",
                "3",
                "--personas",
                "family",
                "--family-half",
                half,
                "--policy",
                "eq,linear:6,linear:10",
                "--transcripts",
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let results: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
        let report = std::fs::read_to_string(out.join("report.md")).unwrap();
        assert!(
            report.contains(&format!("drawn from the {half} half")),
            "{report}"
        );
        assert!(report.contains("| linear:6 |") && report.contains("### family-complacent"));
        results
    };
    let (tune, held_out) = (run("tune"), run("held-out"));
    let lines = |r: &serde_json::Value| -> Vec<String> {
        r["negotiations"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|n| n["transcript"].as_array().unwrap().clone())
            .map(|t| t["debtor"].as_str().unwrap().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    // 3 scenarios x 6 kinds x 3 policies, every floor within the limit.
    let negotiations = held_out["negotiations"].as_array().unwrap();
    assert_eq!(negotiations.len(), 3 * 6 * 3);
    for n in negotiations {
        assert!(n["floor_days"].as_u64().unwrap() <= n["limit_days"].as_u64().unwrap());
        assert_eq!(n["violations"], 0);
    }
    // The halves speak different lines.
    let (a, b) = (lines(&tune), lines(&held_out));
    assert!(!a.is_empty() && !b.is_empty());
    let templates = |v: &[String]| -> std::collections::HashSet<String> {
        v.iter()
            .map(|l| l.chars().filter(|c| !c.is_ascii_digit()).collect())
            .collect()
    };
    assert!(templates(&a).is_disjoint(&templates(&b)));
}

#[test]
fn eval_tactics_prints_the_table_and_names_a_bad_line() {
    let lines = project("tests/data/tactics/set_a.jsonl");
    let report: serde_json::Value = serde_json::from_slice(&run_ok(
        &["eval-tactics", "--lines", lines.to_str().unwrap(), "--json"],
        "",
    ))
    .unwrap();
    assert_eq!(report["items"], 265);
    assert_eq!(report["per_tactic"].as_array().unwrap().len(), 4);
    assert!(report["emotion_accuracy"].as_f64().unwrap() > 0.0);

    let text = String::from_utf8(run_ok(
        &[
            "eval-tactics",
            "--lines",
            lines.to_str().unwrap(),
            "--verbose",
        ],
        "",
    ))
    .unwrap();
    for word in [
        "threat",
        "playing_victim",
        "cheating",
        "stonewalling",
        "precision",
        "recall",
        "emotion accuracy",
        "misses",
        "false alarms",
    ] {
        assert!(text.contains(word), "{word}: {text}");
    }

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"text\": \"ok\", \"tactics\": [], \"emotion\": \"joy\"}\n{\"text\": \"x\", \"tactics\": [\"bribery\"], \"emotion\": \"joy\"}\n",
    )
    .unwrap();
    let out = run_with_stdin(&["eval-tactics", "--lines", bad.to_str().unwrap()], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.jsonl") && err.contains("line 2") && err.contains("bribery"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn chat_keeps_what_it_learned_and_learned_merge_adds_robots_up_once() {
    let dir = tempfile::tempdir().unwrap();
    let talk = "I need 90 days.\nI lost my job, 60 days?\nOkay, deal.\n";
    for robot in ["lobby", "desk"] {
        let records = dir.path().join(robot);
        for _ in 0..2 {
            let out = run_command(
                recording_into(&records),
                &[
                    "--set",
                    &format!("negotiation.robot_id={robot}"),
                    "chat",
                    "--speaker",
                    "template",
                ],
                talk,
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(
            records.join("learned.json").exists(),
            "kept beside the records"
        );
    }
    let file = |robot: &str| dir.path().join(robot).join("learned.json");
    let merged = dir.path().join("fleet.json");
    let text = String::from_utf8(run_ok(
        &[
            "learned",
            "merge",
            file("lobby").to_str().unwrap(),
            file("desk").to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ],
        "",
    ))
    .unwrap();
    assert!(text.contains("4 negotiations from 2 robots"), "{text}");
    let first = std::fs::read(&merged).unwrap();
    // Merging a file again counts it once.
    let again = dir.path().join("again.json");
    run_ok(
        &[
            "learned",
            "merge",
            merged.to_str().unwrap(),
            file("desk").to_str().unwrap(),
            "--out",
            again.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(std::fs::read(&again).unwrap(), first);

    let shown =
        String::from_utf8(run_ok(&["learned", "show", merged.to_str().unwrap()], "")).unwrap();
    for words in [
        "a merged file, 4 negotiations learned",
        "lobby: 2 negotiations",
        "desk: 2 negotiations",
        "How the belief moves",
        "cooperative stays",
        "not used yet, so as the priors say:",
    ] {
        assert!(shown.contains(words), "{words:?} missing:\n{shown}");
    }
    // The tones shown are those turns were learned from, each debtor turn of the four
    // records exactly once.
    let recorded: usize = ["lobby", "desk"]
        .iter()
        .flat_map(|robot| std::fs::read_dir(dir.path().join(robot)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count() - 1)
        .sum();
    let shown_turns: usize = shown
        .lines()
        .filter_map(|l| l.trim().strip_prefix("after "))
        .map(|l| {
            let n = l
                .split_once(" (")
                .unwrap()
                .1
                .split_once(" turns)")
                .unwrap()
                .0;
            n.parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(shown_turns, recorded, "{shown}");

    // A file that is not a learned file is moved aside, named, and never overwritten.
    std::fs::write(file("desk"), "not json").unwrap();
    let out = run_command(
        recording_into(&dir.path().join("desk")),
        &["chat", "--speaker", "template"],
        talk,
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("moved it aside"), "{stderr}");
    let aside: Vec<_> = std::fs::read_dir(dir.path().join("desk"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("learned.json.bad-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("desk").join(&aside[0])).unwrap(),
        "not json"
    );
    let err = run_with_stdin(
        &["learned", "merge", file("lobby").to_str().unwrap(), "--out"],
        "",
    );
    assert!(!err.status.success());
}

/// Parses CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "CSV ends with a row end"
    );
    rows
}

#[test]
fn record_export_writes_one_quoted_csv_row_per_turn_and_skips_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let said = "I said \"no\", I can't pay in 14 days.";
    let lines = format!("{said}\nI'm furious, I'll see you in court!\nI need more time.\n");
    let out = run_command(recording_into(dir.path()), &CHAT, &lines);
    assert!(out.status.success());
    let path = only_record(dir.path());
    let record = std::fs::read_to_string(&path).unwrap();
    let turns = record.lines().count();
    assert_eq!(turns, 4);
    // A copy whose last line is torn, with an utterance of two lines; and a file that is no
    // record at all.
    let mut copy: Vec<String> = record.lines().take(3).map(str::to_string).collect();
    let mut second: serde_json::Value = serde_json::from_str(&copy[1]).unwrap();
    let multi = "two\nlines, \"both\" quoted";
    second["utterance"] = multi.into();
    copy[1] = second.to_string();
    let torn = dir.path().join("zz-torn.jsonl");
    std::fs::write(&torn, copy.join("\n") + "\n{\"version\":2,\"sess").unwrap();
    std::fs::write(dir.path().join("garbage.jsonl"), "not a record\n").unwrap();

    let csv_file = dir.path().join("turns.csv");
    let out = run_command(
        binary(),
        &[
            "record",
            "export",
            "--csv",
            dir.path().to_str().unwrap(),
            "--out",
            csv_file.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "the CSV went to --out");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("skipped") && err.contains("garbage.jsonl"),
        "{err}"
    );
    assert!(
        err.contains("zz-torn.jsonl") && err.contains("line 4 is torn"),
        "{err}"
    );
    let text = std::fs::read_to_string(&csv_file).unwrap();
    let stdout = run_ok(
        &["record", "export", "--csv", dir.path().to_str().unwrap()],
        "",
    );
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        text,
        "stdout without --out"
    );

    let rows = parse_csv(&text);
    let header = &rows[0];
    assert_eq!(header[..4], ["session", "turn", "time", "utterance"]);
    assert_eq!(
        rows.len(),
        1 + turns + 3,
        "every turn, and the torn copy's complete lines"
    );
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        let belief: f64 = ["cooperative", "confrontational", "distressed", "strategic"]
            .iter()
            .map(|c| row[column(c)].parse::<f64>().unwrap())
            .sum();
        assert!((belief - 1.0).abs() < 1e-9, "{row:?}");
        // Every turn spoke: the times follow the turn's order, and the whole turn took some.
        let ms: Vec<f64> = ["decide_ms", "first_sentence_ms", "turn_ms"]
            .iter()
            .map(|c| row[column(c)].parse::<f64>().unwrap())
            .collect();
        assert!(
            0.0 <= ms[0] && ms[0] <= ms[1] && ms[1] <= ms[2] && ms[2] > 0.0,
            "{row:?}"
        );
    }
    let session = path.file_stem().unwrap().to_str().unwrap();
    assert_eq!(rows[1][column("session")], session);
    assert_eq!(rows[1][column("turn")], "0");
    assert_eq!(
        rows[1][column("utterance")],
        "",
        "no utterance at the opening"
    );
    assert_eq!(
        rows[2][column("utterance")],
        said,
        "commas and quotes survive"
    );
    assert!(text.contains("\"I said \"\"no\"\", I can't pay in 14 days.\""));
    assert!(
        rows[3][column("tactics")].contains("threat"),
        "{:?}",
        rows[3]
    );
    assert_eq!(
        rows[1 + turns + 1][column("utterance")],
        multi,
        "line breaks survive"
    );
    assert_eq!(rows[1 + turns][column("finished")], "false");
}
