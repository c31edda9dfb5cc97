//! Evaluation of an emotion detector on a labelled TSV file (`eval-emotion`).
//!
//! The file format is that of the GoEmotions (Ekman) splits in `../shared/data/goemotions-ekman`:
//! one example per line, `text<TAB>comma-separated label ids<TAB>comment id`. The ids index the
//! label names in `labels.txt` beside the file (anger, disgust, fear, joy, neutral, sadness,
//! surprise for that data set, an order unlike [`Emotion::ALL`]); labels are mapped by name.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::EmotionDetector;
use crate::emotion::Emotion;

/// Label names by id when no `labels.txt` lies beside the evaluated file: the GoEmotions
/// (Ekman) order.
pub const DEFAULT_LABEL_ORDER: [Emotion; Emotion::COUNT] = [
    Emotion::Anger,
    Emotion::Disgust,
    Emotion::Fear,
    Emotion::Joy,
    Emotion::Neutral,
    Emotion::Sadness,
    Emotion::Surprise,
];

/// Where the evaluation data lives, relative to the crate root; named in error messages.
const DATA_HINT: &str =
    "the data lives in ../shared/data/goemotions-ekman (train.tsv, dev.tsv, test.tsv, labels.txt)";

/// Why an evaluation could not be run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The labelled file does not exist.
    #[error("file not found: {}; {DATA_HINT}", path.display())]
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
    /// `labels.txt` beside the data names a label that is not one of the seven.
    #[error(
        "bad label {name:?} at line {line} of {}: expected one of joy, sadness, anger, fear, \
         surprise, disgust, neutral, one per line",
        path.display()
    )]
    Labels {
        /// The label file.
        path: PathBuf,
        /// The 1-based line of the bad name.
        line: usize,
        /// The name found there.
        name: String,
    },
    /// No line of the file could be used.
    #[error(
        "no usable lines in {} ({skipped} malformed lines skipped): expected \
         `text<TAB>label ids<TAB>id` with ids indexing labels.txt; {DATA_HINT}",
        path.display()
    )]
    Empty {
        /// The file read.
        path: PathBuf,
        /// Lines that were skipped as malformed.
        skipped: usize,
    },
}

/// Precision, recall and F1 of one label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelScores {
    /// The label.
    pub label: Emotion,
    /// Of the examples predicted as this label, the share whose reference label it is (0 when
    /// it was never predicted).
    pub precision: f64,
    /// Of the examples whose reference label this is, the share predicted as it (0 when there
    /// are none).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Number of examples whose reference label this is.
    pub support: usize,
}

/// Accuracy, macro-F1, per-label scores and confusion matrix of a detector on one file.
///
/// Serialises to JSON for a `--json` mode; [`Display`](fmt::Display) prints a plain-text table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Name of the evaluated detector.
    pub detector: String,
    /// The evaluated file.
    pub path: PathBuf,
    /// Examples scored.
    pub examples: usize,
    /// Malformed lines skipped (no tab, no label, an id that names no label, not UTF-8).
    pub skipped: usize,
    /// Share of examples whose prediction equals the reference label.
    pub accuracy: f64,
    /// Unweighted mean of the seven labels' F1 (labels without examples count with their F1).
    pub macro_f1: f64,
    /// Scores per label in table order ([`Emotion::ALL`]).
    pub per_label: Vec<LabelScores>,
    /// Counts by reference label (rows) and predicted label (columns), both in table order.
    pub confusion: [[usize; Emotion::COUNT]; Emotion::COUNT],
}

impl EvalReport {
    /// Builds a report from a confusion matrix (rows reference, columns predicted, table order).
    pub fn from_confusion(
        detector: &str,
        path: &Path,
        confusion: [[usize; Emotion::COUNT]; Emotion::COUNT],
        skipped: usize,
    ) -> Self {
        let examples: usize = confusion.iter().flatten().sum();
        let correct: usize = (0..Emotion::COUNT).map(|i| confusion[i][i]).sum();
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let per_label: Vec<LabelScores> = Emotion::ALL
            .into_iter()
            .map(|label| {
                let i = label.index();
                let tp = confusion[i][i];
                let support: usize = confusion[i].iter().sum();
                let predicted: usize = confusion.iter().map(|row| row[i]).sum();
                let precision = ratio(tp, predicted);
                let recall = ratio(tp, support);
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                LabelScores {
                    label,
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect();
        let macro_f1 = per_label.iter().map(|s| s.f1).sum::<f64>() / Emotion::COUNT as f64;
        EvalReport {
            detector: detector.to_string(),
            path: path.to_path_buf(),
            examples,
            skipped,
            accuracy: ratio(correct, examples),
            macro_f1,
            per_label,
            confusion,
        }
    }

    /// The scores of one label.
    pub fn label(&self, emotion: Emotion) -> &LabelScores {
        &self.per_label[emotion.index()]
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "detector {} on {}: {} examples, {} malformed lines skipped",
            self.detector,
            self.path.display(),
            self.examples,
            self.skipped
        )?;
        writeln!(
            f,
            "accuracy {:.4}   macro-F1 {:.4}",
            self.accuracy, self.macro_f1
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<10} {:>9} {:>9} {:>9} {:>9}",
            "label", "precision", "recall", "F1", "support"
        )?;
        for s in &self.per_label {
            writeln!(
                f,
                "{:<10} {:>9.4} {:>9.4} {:>9.4} {:>9}",
                s.label.name(),
                s.precision,
                s.recall,
                s.f1,
                s.support
            )?;
        }
        writeln!(f)?;
        writeln!(f, "confusion matrix (rows gold, columns predicted):")?;
        write!(f, "{:<10}", "gold\\pred")?;
        for e in Emotion::ALL {
            write!(f, " {:>8}", e.name())?;
        }
        writeln!(f)?;
        for e in Emotion::ALL {
            write!(f, "{:<10}", e.name())?;
            for count in self.confusion[e.index()] {
                write!(f, " {count:>8}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Reads `labels.txt` beside `path` if there is one, else returns [`DEFAULT_LABEL_ORDER`].
fn label_order(path: &Path) -> Result<Vec<Emotion>, EvalError> {
    let labels_path = path
        .parent()
        .map(|dir| dir.join("labels.txt"))
        .unwrap_or_else(|| PathBuf::from("labels.txt"));
    let text = match std::fs::read_to_string(&labels_path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(DEFAULT_LABEL_ORDER.to_vec()),
        Err(source) => {
            return Err(EvalError::Io {
                path: labels_path,
                line: 0,
                source,
            });
        }
    };
    let mut order = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let name = line.trim();
        if name.is_empty() {
            continue;
        }
        let emotion = name.parse::<Emotion>().map_err(|_| EvalError::Labels {
            path: labels_path.clone(),
            line: n + 1,
            name: name.to_string(),
        })?;
        order.push(emotion);
    }
    Ok(order)
}

/// Parses one data line into its text and gold labels; `None` when malformed.
fn parse_line<'a>(line: &'a str, order: &[Emotion]) -> Option<(&'a str, Vec<Emotion>)> {
    let mut fields = line.split('\t');
    let text = fields.next()?;
    let ids = fields.next()?.trim();
    if ids.is_empty() {
        return None;
    }
    let mut gold = Vec::with_capacity(2);
    for id in ids.split(',') {
        let id: usize = id.trim().parse().ok()?;
        gold.push(*order.get(id)?);
    }
    Some((text, gold))
}

/// Runs `detector` on every line of the labelled TSV file at `path` and scores it.
///
/// Each line is `text<TAB>comma-separated label ids<TAB>comment id`; the ids index the names in
/// `labels.txt` beside the file (the GoEmotions order, [`DEFAULT_LABEL_ORDER`], when there is
/// none). The prediction is the detector's most likely label.
///
/// **Multi-label lines:** when the prediction is among the gold labels it counts as correct and
/// the reference label is the prediction; otherwise the reference label is the first gold label
/// in the order the line lists them. Accuracy, the per-label scores and the confusion matrix all
/// use that reference label.
///
/// Blank lines are ignored. Malformed lines (no tab, no label, an id that is not a number or
/// names no label, invalid UTF-8) are skipped and counted in [`EvalReport::skipped`]; a file
/// with no usable line is an error.
///
/// # Errors
///
/// [`EvalError::NotFound`] when the file does not exist, [`EvalError::Io`] when reading fails,
/// [`EvalError::Labels`] for a bad `labels.txt`, [`EvalError::Empty`] when no line is usable.
pub fn evaluate(detector: &dyn EmotionDetector, path: &Path) -> Result<EvalReport, EvalError> {
    let file = File::open(path).map_err(|source| {
        if source.kind() == io::ErrorKind::NotFound {
            EvalError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            EvalError::Io {
                path: path.to_path_buf(),
                line: 0,
                source,
            }
        }
    })?;
    let order = label_order(path)?;
    let mut reader = BufReader::new(file);
    let mut confusion = [[0usize; Emotion::COUNT]; Emotion::COUNT];
    let mut skipped = 0;
    let mut raw = Vec::new();
    let mut line_no = 0;
    loop {
        raw.clear();
        line_no += 1;
        let n = reader
            .read_until(b'\n', &mut raw)
            .map_err(|source| EvalError::Io {
                path: path.to_path_buf(),
                line: line_no,
                source,
            })?;
        if n == 0 {
            break;
        }
        let Ok(line) = std::str::from_utf8(&raw) else {
            skipped += 1;
            continue;
        };
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let Some((text, gold)) = parse_line(line, &order) else {
            skipped += 1;
            continue;
        };
        let predicted = detector.detect(text).most_likely();
        let reference = if gold.contains(&predicted) {
            predicted
        } else {
            gold[0]
        };
        confusion[reference.index()][predicted.index()] += 1;
    }
    let report = EvalReport::from_confusion(detector.name(), path, confusion, skipped);
    if report.examples == 0 {
        return Err(EvalError::Empty {
            path: path.to_path_buf(),
            skipped,
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emotion::EmotionDistribution;
    use crate::perceive::LexiconDetector;

    /// Predicts the label named by the text, Neutral for anything else.
    struct NameDetector;

    impl EmotionDetector for NameDetector {
        fn name(&self) -> &'static str {
            "name"
        }
        fn detect(&self, text: &str) -> EmotionDistribution {
            EmotionDistribution::certain(text.parse().unwrap_or(Emotion::Neutral))
        }
    }

    /// A fresh directory under the system temp folder, unique to this test.
    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("eq_negotiator_eval_{}_{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        dir
    }

    fn data_file(name: &str) -> PathBuf {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/goemotions-ekman")
            .join(name);
        assert!(
            path.exists(),
            "missing evaluation data {}: this test needs the GoEmotions (Ekman) splits in \
             ../shared/data/goemotions-ekman relative to the crate root",
            path.display()
        );
        path
    }

    #[test]
    fn known_predictions_give_exact_numbers() {
        let dir = temp_dir("known");
        let path = dir.join("small.tsv");
        // Ids use the GoEmotions order: 0 anger, 3 joy, 4 neutral, 5 sadness.
        let data = "joy\t3\ta\n\
                    joy\t0,3\tb\n\
                    anger\t5\tc\n\
                    neutral\t4\td\n\
                    fear\t4\te\n\
                    \n\
                    no tab here\n\
                    surprise\t9\tf\n\
                    sadness\tx\tg\n";
        std::fs::write(&path, data).unwrap();
        let report = evaluate(&NameDetector, &path).unwrap();

        assert_eq!(report.examples, 5);
        assert_eq!(report.skipped, 3);
        assert!((report.accuracy - 0.6).abs() < 1e-12);
        let mut expected = [[0usize; Emotion::COUNT]; Emotion::COUNT];
        let (joy, sad, anger, fear, neutral) = (0, 1, 2, 3, 6);
        expected[joy][joy] = 2; // one single-label, one multi-label hit
        expected[sad][anger] = 1;
        expected[neutral][neutral] = 1;
        expected[neutral][fear] = 1;
        assert_eq!(report.confusion, expected);

        let j = report.label(Emotion::Joy);
        assert_eq!((j.precision, j.recall, j.f1, j.support), (1.0, 1.0, 1.0, 2));
        let n = report.label(Emotion::Neutral);
        assert_eq!((n.precision, n.recall, n.support), (1.0, 0.5, 2));
        assert!((n.f1 - 2.0 / 3.0).abs() < 1e-12);
        let s = report.label(Emotion::Sadness);
        assert_eq!((s.precision, s.recall, s.f1, s.support), (0.0, 0.0, 0.0, 1));
        let a = report.label(Emotion::Anger);
        assert_eq!((a.precision, a.recall, a.f1, a.support), (0.0, 0.0, 0.0, 0));
        assert!((report.macro_f1 - (1.0 + 2.0 / 3.0) / 7.0).abs() < 1e-12);

        let table = report.to_string();
        assert!(table.contains("accuracy 0.6000"));
        assert!(table.contains("macro-F1 0.2381"));
        assert!(table.contains("gold\\pred"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["examples"], 5);
        assert_eq!(json["per_label"][0]["label"], "joy");
        assert_eq!(json["confusion"][6][3], 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn labels_file_beside_the_data_sets_the_id_order() {
        let dir = temp_dir("labels");
        std::fs::write(dir.join("labels.txt"), "joy\nfear\n").unwrap();
        let path = dir.join("d.tsv");
        std::fs::write(&path, "joy\t0\ta\nfear\t1\tb\nx\t2\tc\n").unwrap();
        let report = evaluate(&NameDetector, &path).unwrap();
        assert_eq!((report.examples, report.skipped), (2, 1));
        assert_eq!(report.accuracy, 1.0);

        std::fs::write(dir.join("labels.txt"), "joy\nrage\n").unwrap();
        let err = evaluate(&NameDetector, &path).unwrap_err();
        assert!(matches!(err, EvalError::Labels { line: 2, .. }), "{err}");
        assert!(err.to_string().contains("rage"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_file_error_names_the_path() {
        let path = Path::new("/definitely/not/here/dev.tsv");
        let err = evaluate(&NameDetector, path).unwrap_err();
        assert!(matches!(err, EvalError::NotFound { .. }));
        let msg = err.to_string();
        assert!(msg.contains("/definitely/not/here/dev.tsv"), "{msg}");
        assert!(msg.contains("../shared/data/goemotions-ekman"), "{msg}");
    }

    #[test]
    fn file_without_usable_lines_is_an_error() {
        let dir = temp_dir("empty");
        let path = dir.join("bad.tsv");
        std::fs::write(&path, "no tab\nstill none\n\n").unwrap();
        let err = evaluate(&NameDetector, &path).unwrap_err();
        assert!(matches!(err, EvalError::Empty { skipped: 2, .. }), "{err}");
        assert!(err.to_string().contains("bad.tsv"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn lexicon_reaches_the_target_on_the_dev_split() {
        let report = evaluate(&LexiconDetector::new(), &data_file("dev.tsv")).unwrap();
        assert!(report.examples > 5_000, "{report}");
        assert_eq!(report.skipped, 0, "{report}");
        assert!(report.macro_f1 >= 0.40, "{report}");
    }
}
