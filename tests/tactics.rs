//! The tactic detector measured on labelled debtor lines (see tests/data/tactics/README.md).
//!
//! Only the tuning set and the rule author's own paraphrases are read here; the held-out set
//! (`set_b.jsonl`) is measured once by hand with `eval-tactics`, never by a test.

use std::path::{Path, PathBuf};

use eq_negotiator::perceive::LexiconDetector;
use eq_negotiator::perceive::TacticKind;
use eq_negotiator::perceive::tactic_eval::{
    TACTIC_KINDS, TacticEvalError, TacticEvalReport, default_eval_date, evaluate_tactics,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tactics")
        .join(name)
}

fn run(path: &Path) -> Result<TacticEvalReport, TacticEvalError> {
    evaluate_tactics(path, &LexiconDetector::new(), default_eval_date())
}

/// Every tactic reaches `recall` and `precision`; the report (with its mistakes) on failure.
#[track_caller]
fn assert_targets(report: &TacticEvalReport, recall: f64, precision: f64) {
    for kind in TACTIC_KINDS {
        let s = report.tactic(kind);
        assert!(
            s.n > 0 && s.recall >= recall && s.precision >= precision,
            "{}: recall {:.3} (target {recall}), precision {:.3} (target {precision})\n{report}\n{}",
            kind.name(),
            s.recall,
            s.precision,
            report.mistakes_table()
        );
    }
}

#[test]
fn the_tuning_set_meets_its_targets() {
    let report = run(&data("set_a.jsonl")).expect("set_a evaluates");
    assert_eq!(report.items, 265);
    let labelled: usize = TACTIC_KINDS.iter().map(|k| report.tactic(*k).n).sum();
    assert_eq!(labelled, 181, "{report}");
    assert_targets(&report, 0.90, 0.92);
    assert_eq!(report.tactic(TacticKind::Threat).n, 47);
}

#[test]
fn the_authors_paraphrases_stay_detected() {
    let report = run(&data("own_paraphrases.jsonl")).expect("paraphrases evaluate");
    assert!(report.items > 700, "{report}");
    assert_targets(&report, 0.90, 0.90);
}

#[test]
fn a_malformed_line_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.jsonl");
    std::fs::write(
        &path,
        "{\"text\": \"I'll sue you\", \"context\": [], \"tactics\": [\"threat\"], \"emotion\": \"anger\"}\n\
         {\"text\": \"cut off\", \"tactics\": [\"thret\"\n",
    )
    .unwrap();
    let err = run(&path).unwrap_err();
    assert!(
        matches!(err, TacticEvalError::Malformed { line: 2, .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("broken.jsonl") && msg.contains("line 2"),
        "{msg}"
    );
}
