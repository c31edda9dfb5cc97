//! Evaluation of the tactic detector on labelled debtor lines (`eval-tactics`).
//!
//! The file is JSON lines, one item per line:
//! `{"text": "...", "context": ["...", ...], "tactics": ["threat", ...], "emotion": "anger"}`.
//! `context` holds earlier lines of the same debtor in the call; `tactics` is the subset of
//! threat, playing_victim, cheating and stonewalling that the line shows (empty: none);
//! `emotion` is one of the seven labels. Each item is read by a fresh [`TacticDetector`] that
//! first observes every context line and then the text; only the tactics found in the text
//! count. The emotion detector reads the text alone, and its most likely label is compared with
//! `emotion`.
//!
//! Unlike `eval-emotion`, which skips malformed lines of a large public data set, a malformed
//! line here is an error naming the file and the line: these files are small and written by hand,
//! so a silent skip would hide a mistake in the labels.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::EmotionDetector;
use super::offer::read_offer;
use super::tactic_model::TacticModel;
use super::tactics::{TacticDetector, TacticKind};
use crate::emotion::Emotion;

/// The four tactics in table order.
pub const TACTIC_KINDS: [TacticKind; 4] = [
    TacticKind::Threat,
    TacticKind::PlayingVictim,
    TacticKind::Cheating,
    TacticKind::Stonewalling,
];

/// Which reader of tactics is evaluated.
#[derive(Debug, Clone, Copy)]
pub enum Detection<'a> {
    /// The rules alone ([`TacticDetector::observe_with`] without a model).
    Rules,
    /// The model alone, on the text without its context ([`TacticModel::read`]).
    Model(&'a TacticModel),
    /// The rules with the model beside them, as the agent runs them.
    Combined(&'a TacticModel),
}

impl Detection<'_> {
    /// A short name for reports: "rules", "model (N lines)", "rules + model (N lines)".
    pub fn name(&self) -> String {
        match self {
            Detection::Rules => "rules".to_string(),
            Detection::Model(m) => format!("model ({} training lines)", m.lines()),
            Detection::Combined(m) => format!("rules + model ({} training lines)", m.lines()),
        }
    }
}

/// Longest line of a lines file, in bytes; a longer one is reported as malformed.
pub const MAX_ITEM_BYTES: usize = 1024 * 1024;

/// The date the evaluated lines are taken to be spoken on (for phrases like "by the 15th"), so
/// that a run is reproducible.
pub fn default_eval_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 10).expect("valid date")
}

/// Why a tactic evaluation could not be run.
#[derive(Debug, thiserror::Error)]
pub enum TacticEvalError {
    /// The lines file does not exist.
    #[error("file not found: {}; expected a JSON lines file such as tests/data/tactics/set_a.jsonl", path.display())]
    NotFound {
        /// The path that was given.
        path: PathBuf,
    },
    /// The file exists but reading it failed.
    #[error("cannot read {} (line {line}): {source}; check that it is a readable text file", path.display())]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The 1-based line at which reading failed (0: opening the file).
        line: usize,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A line that is not one item.
    #[error(
        "malformed item at line {line} of {}: {message}; expected one JSON object per line like \
         {{\"text\": \"...\", \"context\": [\"...\"], \"tactics\": [\"threat\"], \"emotion\": \"anger\"}} \
         with tactics among threat, playing_victim, cheating, stonewalling",
        path.display()
    )]
    Malformed {
        /// The file read.
        path: PathBuf,
        /// The 1-based line of the bad item.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The file holds no item.
    #[error("no items in {}: every line is blank", path.display())]
    Empty {
        /// The file read.
        path: PathBuf,
    },
}

/// One labelled debtor line.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TacticItem {
    /// What the debtor says.
    pub text: String,
    /// Earlier lines of the same debtor in the call, oldest first.
    #[serde(default)]
    pub context: Vec<String>,
    /// The tactics the line shows (empty: none).
    pub tactics: Vec<TacticKind>,
    /// The emotion of the line.
    pub emotion: Emotion,
}

/// Counts and scores of one tactic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TacticScores {
    /// The tactic.
    pub kind: TacticKind,
    /// Items labelled with it.
    pub n: usize,
    /// Labelled and detected.
    pub true_positives: usize,
    /// Detected but not labelled.
    pub false_positives: usize,
    /// Labelled but not detected.
    pub false_negatives: usize,
    /// Of the detections, the share that are labelled (0 when it was never detected).
    pub precision: f64,
    /// Of the labelled items, the share detected (0 when none is labelled).
    pub recall: f64,
}

/// One disagreement between the detector and the labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TacticMistake {
    /// The 1-based line of the item in the file.
    pub line: usize,
    /// The tactic missed or wrongly found.
    pub kind: TacticKind,
    /// The item's text.
    pub text: String,
    /// The detector's evidence for a false alarm; `None` for a miss.
    pub evidence: Option<String>,
}

/// Scores of the tactic detector (and the emotion detector's accuracy) on one lines file.
///
/// Serialises to JSON for `--json`; [`Display`](fmt::Display) prints the table without the
/// mistakes (see [`TacticEvalReport::mistakes_table`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TacticEvalReport {
    /// The evaluated file.
    pub path: PathBuf,
    /// The reader evaluated ([`Detection::name`]).
    pub detection: String,
    /// Items scored.
    pub items: usize,
    /// Scores per tactic in [`TACTIC_KINDS`] order.
    pub per_tactic: Vec<TacticScores>,
    /// Name of the emotion detector.
    pub emotion_detector: String,
    /// Items whose most likely emotion equals the label.
    pub emotion_correct: usize,
    /// Share of items whose most likely emotion equals the label.
    pub emotion_accuracy: f64,
    /// Labelled tactics that were not detected, in file order.
    pub misses: Vec<TacticMistake>,
    /// Detected tactics that were not labelled, in file order.
    pub false_alarms: Vec<TacticMistake>,
}

impl TacticEvalReport {
    /// The scores of one tactic.
    pub fn tactic(&self, kind: TacticKind) -> &TacticScores {
        self.per_tactic
            .iter()
            .find(|s| s.kind == kind)
            .expect("every tactic is scored")
    }

    /// The misses and false alarms as plain text, one per line.
    pub fn mistakes_table(&self) -> String {
        let mut out = String::new();
        for (title, list) in [
            ("misses", &self.misses),
            ("false alarms", &self.false_alarms),
        ] {
            out.push_str(&format!("{title} ({}):\n", list.len()));
            for m in list {
                out.push_str(&format!(
                    "  line {:>4} {:<15} {:?}",
                    m.line,
                    m.kind.name(),
                    m.text
                ));
                if let Some(ev) = &m.evidence {
                    out.push_str(&format!("  [{ev}]"));
                }
                out.push('\n');
            }
        }
        out
    }
}

impl fmt::Display for TacticEvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "tactics on {}: {} items, {}",
            self.path.display(),
            self.items,
            self.detection
        )?;
        writeln!(
            f,
            "{:<15} {:>5} {:>5} {:>5} {:>5} {:>9} {:>9}",
            "tactic", "n", "tp", "fp", "fn", "precision", "recall"
        )?;
        for s in &self.per_tactic {
            writeln!(
                f,
                "{:<15} {:>5} {:>5} {:>5} {:>5} {:>9.3} {:>9.3}",
                s.kind.name(),
                s.n,
                s.true_positives,
                s.false_positives,
                s.false_negatives,
                s.precision,
                s.recall
            )?;
        }
        writeln!(
            f,
            "emotion accuracy ({}): {:.3} ({} of {})",
            self.emotion_detector, self.emotion_accuracy, self.emotion_correct, self.items
        )
    }
}

/// Parses one line of a lines file; the error message says what is wrong.
pub fn parse_item(line: &str) -> Result<TacticItem, String> {
    serde_json::from_str(line).map_err(|e| e.to_string())
}

/// Runs a fresh [`TacticDetector`] on every item of the JSON lines file at `path` (context lines
/// first, then the text, each with [`read_offer`] on `today`) and `emotion` on each text, and
/// scores both against the labels. The detector runs as the agent runs it: the rules with the
/// built-in model ([`TacticModel::builtin`]); see [`evaluate_tactics_with`] for the others.
///
/// Blank lines are ignored; every other line must be one item (see the [module](self) docs).
///
/// # Errors
///
/// [`TacticEvalError::NotFound`] when the file does not exist, [`TacticEvalError::Io`] when
/// reading fails, [`TacticEvalError::Malformed`] (with the line number) for a line that is not
/// valid UTF-8, not JSON, lacks a field, names an unknown tactic or emotion, or is longer than
/// [`MAX_ITEM_BYTES`], and [`TacticEvalError::Empty`] when there is no item.
pub fn evaluate_tactics(
    path: &Path,
    emotion: &dyn EmotionDetector,
    today: NaiveDate,
) -> Result<TacticEvalReport, TacticEvalError> {
    evaluate_tactics_with(
        path,
        emotion,
        today,
        Detection::Combined(TacticModel::builtin()),
    )
}

/// [`evaluate_tactics`] with the reader of tactics chosen: the rules alone, a model alone (on the
/// text, without its context), or both; a model trained without the evaluated file measures how
/// the model carries to lines it never saw.
///
/// # Errors
///
/// As [`evaluate_tactics`].
pub fn evaluate_tactics_with(
    path: &Path,
    emotion: &dyn EmotionDetector,
    today: NaiveDate,
    detection: Detection<'_>,
) -> Result<TacticEvalReport, TacticEvalError> {
    let file = File::open(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            TacticEvalError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            TacticEvalError::Io {
                path: path.to_path_buf(),
                line: 0,
                source,
            }
        }
    })?;
    let mut reader = BufReader::new(file);
    let mut counts = [(0usize, 0usize, 0usize, 0usize); TACTIC_KINDS.len()];
    let (mut items, mut emotion_correct) = (0usize, 0usize);
    let (mut misses, mut false_alarms) = (Vec::new(), Vec::new());
    let mut raw = Vec::new();
    let mut line_no = 0;
    loop {
        raw.clear();
        line_no += 1;
        let malformed = |message: String| TacticEvalError::Malformed {
            path: path.to_path_buf(),
            line: line_no,
            message,
        };
        let n = (&mut reader)
            .take(MAX_ITEM_BYTES as u64 + 1)
            .read_until(b'\n', &mut raw)
            .map_err(|source| TacticEvalError::Io {
                path: path.to_path_buf(),
                line: line_no,
                source,
            })?;
        if n == 0 {
            break;
        }
        if raw.len() > MAX_ITEM_BYTES {
            return Err(malformed(format!("longer than {MAX_ITEM_BYTES} bytes")));
        }
        let line = std::str::from_utf8(&raw)
            .map_err(|e| malformed(format!("not valid UTF-8 ({e})")))?
            .trim();
        if line.is_empty() {
            continue;
        }
        let item = parse_item(line).map_err(malformed)?;
        items += 1;

        let found: Vec<(TacticKind, String)> = match detection {
            Detection::Model(model) => model
                .read(&item.text)
                .into_iter()
                .map(|f| {
                    (
                        f.kind,
                        format!("{:.3}: {}", f.probability, f.features.join(", ")),
                    )
                })
                .collect(),
            Detection::Rules | Detection::Combined(_) => {
                let model = match detection {
                    Detection::Combined(m) => Some(m),
                    _ => None,
                };
                let mut detector = TacticDetector::new();
                for earlier in &item.context {
                    detector.observe_with(earlier, &read_offer(earlier, today), model);
                }
                detector
                    .observe_with(&item.text, &read_offer(&item.text, today), model)
                    .into_iter()
                    .map(|t| (t.kind, t.evidence))
                    .collect()
            }
        };
        for (i, kind) in TACTIC_KINDS.into_iter().enumerate() {
            let gold = item.tactics.contains(&kind);
            let hit = found.iter().find(|(k, _)| *k == kind);
            let c = &mut counts[i];
            c.0 += usize::from(gold);
            match (gold, hit) {
                (true, Some(_)) => c.1 += 1,
                (false, Some((_, evidence))) => {
                    c.2 += 1;
                    false_alarms.push(TacticMistake {
                        line: line_no,
                        kind,
                        text: item.text.clone(),
                        evidence: Some(evidence.clone()),
                    });
                }
                (true, None) => {
                    c.3 += 1;
                    misses.push(TacticMistake {
                        line: line_no,
                        kind,
                        text: item.text.clone(),
                        evidence: None,
                    });
                }
                (false, None) => {}
            }
        }
        emotion_correct += usize::from(emotion.detect(&item.text).most_likely() == item.emotion);
    }
    if items == 0 {
        return Err(TacticEvalError::Empty {
            path: path.to_path_buf(),
        });
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_tactic = TACTIC_KINDS
        .into_iter()
        .zip(counts)
        .map(|(kind, (n, tp, fp, fn_))| TacticScores {
            kind,
            n,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, n),
        })
        .collect();
    Ok(TacticEvalReport {
        path: path.to_path_buf(),
        detection: detection.name(),
        items,
        per_tactic,
        emotion_detector: emotion.name().to_string(),
        emotion_correct,
        emotion_accuracy: ratio(emotion_correct, items),
        misses,
        false_alarms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceive::LexiconDetector;

    fn temp_file(name: &str, contents: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, contents).expect("write");
        (dir, path)
    }

    fn run(path: &Path) -> Result<TacticEvalReport, TacticEvalError> {
        evaluate_tactics(path, &LexiconDetector::new(), default_eval_date())
    }

    fn run_rules(path: &Path) -> Result<TacticEvalReport, TacticEvalError> {
        evaluate_tactics_with(
            path,
            &LexiconDetector::new(),
            default_eval_date(),
            Detection::Rules,
        )
    }

    #[test]
    fn known_items_give_exact_counts() {
        let data = concat!(
            r#"{"text": "I'll sue you!", "context": [], "tactics": ["threat"], "emotion": "anger"}"#,
            "\n\n",
            r#"{"text": "Thanks, 30 days is fine.", "context": [], "tactics": ["stonewalling"], "emotion": "joy"}"#,
            "\n",
            r#"{"text": "Leave me alone.", "tactics": [], "emotion": "neutral"}"#,
            "\n",
            r#"{"text": "I never said 30.", "context": ["I can do 30 days."], "tactics": ["cheating"], "emotion": "neutral"}"#,
            "\n",
        );
        let (_dir, path) = temp_file("small.jsonl", data);
        let report = run_rules(&path).unwrap();
        assert_eq!(report.detection, "rules");
        assert_eq!(report.items, 4);
        let t = report.tactic(TacticKind::Threat);
        assert_eq!((t.n, t.true_positives, t.false_positives), (1, 1, 0));
        assert_eq!((t.precision, t.recall), (1.0, 1.0));
        let s = report.tactic(TacticKind::Stonewalling);
        assert_eq!(
            (s.n, s.true_positives, s.false_positives, s.false_negatives),
            (1, 0, 1, 1)
        );
        assert_eq!((s.precision, s.recall), (0.0, 0.0));
        // The context line makes "I never said 30" a renege.
        let c = report.tactic(TacticKind::Cheating);
        assert_eq!((c.n, c.true_positives), (1, 1));
        assert_eq!(report.misses.len(), 1);
        assert_eq!(report.misses[0].line, 3);
        assert_eq!(report.false_alarms.len(), 1);
        assert_eq!(report.false_alarms[0].line, 4);
        assert!(report.false_alarms[0].evidence.is_some());
        let table = report.to_string();
        assert!(table.contains("stonewalling") && table.contains("emotion accuracy"));
        assert!(report.mistakes_table().contains("line    3"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["per_tactic"][0]["kind"], "threat");
    }

    #[test]
    fn every_reader_is_evaluated_and_named() {
        let data = concat!(
            r#"{"text": "See you in court.", "tactics": ["threat"], "emotion": "anger"}"#,
            "\n",
            r#"{"text": "30 days is fine, thanks.", "tactics": [], "emotion": "joy"}"#,
            "\n",
        );
        let (_dir, path) = temp_file("two.jsonl", data);
        let model = TacticModel::builtin();
        for (detection, name) in [
            (Detection::Rules, "rules"),
            (Detection::Model(model), "model ("),
            (Detection::Combined(model), "rules + model ("),
        ] {
            let report = evaluate_tactics_with(
                &path,
                &LexiconDetector::new(),
                default_eval_date(),
                detection,
            )
            .unwrap();
            assert!(report.detection.starts_with(name), "{}", report.detection);
            assert!(report.to_string().contains(name));
            let t = report.tactic(TacticKind::Threat);
            assert_eq!((t.true_positives, t.false_positives), (1, 0), "{report}");
        }
        assert_eq!(
            run(&path).unwrap().detection,
            Detection::Combined(model).name()
        );
    }

    #[test]
    fn malformed_lines_are_errors_naming_file_and_line() {
        let good = r#"{"text": "ok", "context": [], "tactics": [], "emotion": "joy"}"#;
        for (bad, needle) in [
            ("not json", "expected"),
            (
                r#"{"text": "x", "tactics": ["bribery"], "emotion": "joy"}"#,
                "bribery",
            ),
            (r#"{"text": "x", "tactics": [], "emotion": "rage"}"#, "rage"),
            (r#"{"text": "x", "emotion": "joy"}"#, "tactics"),
            (
                r#"{"text": "x", "context": "no list", "tactics": [], "emotion": "joy"}"#,
                "context",
            ),
        ] {
            let (_dir, path) = temp_file("bad.jsonl", &format!("{good}\n\n{bad}\n{good}\n"));
            let err = run(&path).unwrap_err();
            assert!(
                matches!(err, TacticEvalError::Malformed { line: 3, .. }),
                "{bad}: {err}"
            );
            let msg = err.to_string();
            assert!(msg.contains("bad.jsonl") && msg.contains("line 3"), "{msg}");
            assert!(msg.contains(needle), "{bad}: {msg}");
        }
        let (_dir, path) = temp_file("latin1.jsonl", "");
        std::fs::write(&path, b"{\"text\": \"caf\xe9\"}\n").unwrap();
        let err = run(&path).unwrap_err();
        assert!(
            matches!(err, TacticEvalError::Malformed { line: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }

    #[test]
    fn missing_and_empty_files_are_errors() {
        let err = run(Path::new("/definitely/not/here/set.jsonl")).unwrap_err();
        assert!(matches!(err, TacticEvalError::NotFound { .. }));
        assert!(err.to_string().contains("/definitely/not/here/set.jsonl"));
        let (_dir, path) = temp_file("blank.jsonl", "\n  \n");
        let err = run(&path).unwrap_err();
        assert!(matches!(err, TacticEvalError::Empty { .. }), "{err}");
        assert!(err.to_string().contains("blank.jsonl"));
    }
}
