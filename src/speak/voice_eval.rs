//! Scores for the robot's voice: the listener's check on judged replies, and the figures of
//! spoken replies that `eval-voice` prints.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::listener::{Defect, Listener};
use super::{DialogueLine, ReplyKind, ReplyRequest};
use crate::decide::{ReplyFacts, Violation, check_reply};
use crate::emotion::Emotion;
use crate::scenario::Scenario;

/// Errors reading voice evaluation data; each names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum VoiceEvalError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not the expected JSON.
    #[error("{path} line {line}: {message} (see tests/data/voice/ for the format)")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One judged reply: the debtor's words, the reply, the tone asked for, and a person's verdict.
#[derive(Debug, Clone, Deserialize)]
pub struct JudgedReply {
    /// The debtor's last words ("" at the opening).
    pub debtor: String,
    /// The agent's reply.
    pub reply: String,
    /// The tone the agent was asked for.
    pub tone: Emotion,
    /// True for the agent's first words of the call.
    #[serde(default)]
    pub opening: bool,
    /// The debtor's name.
    pub debtor_name: String,
    /// The creditor company.
    pub creditor: String,
    /// The defect a person heard ("waiver", "self", "invented", "tone", "form", "repeat"), or
    /// none.
    pub defect: Option<String>,
}

/// Reads JSON lines of `T`, naming the file and line of the first bad one.
pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, VoiceEvalError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| VoiceEvalError::Read {
        path: name.clone(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| VoiceEvalError::Line {
                path: name.clone(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// How the listener's check did on judged replies, per defect kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListenerReport {
    /// Per defect kind a person named: (kind, replies, caught).
    pub recall: Vec<(String, usize, usize)>,
    /// Acceptable replies, and how many the check refused.
    pub acceptable: usize,
    /// Acceptable replies the listener's check refused.
    pub false_alarms: usize,
    /// Acceptable replies only the guardrails refused: a number, date or word the product
    /// never lets the agent say, by design ("monthly", "by Friday", "$50").
    pub guardrail_refusals: usize,
    /// The misses and false alarms: (verdict, reply, what the check heard).
    pub mistakes: Vec<(String, String, Vec<Defect>)>,
}

impl ListenerReport {
    /// Share of defective replies caught.
    pub fn caught(&self) -> f64 {
        let (n, c) = self
            .recall
            .iter()
            .fold((0, 0), |(n, c), r| (n + r.1, c + r.2));
        c as f64 / n.max(1) as f64
    }

    /// Share of acceptable replies refused.
    pub fn false_alarm_rate(&self) -> f64 {
        self.false_alarms as f64 / self.acceptable.max(1) as f64
    }
}

/// Hears each judged reply as the agent would before speaking it, with a fresh [`Listener`]
/// (the debtor's words as the only dialogue, the judged line's parties as the scenario) and the
/// guardrails (the reply's own "N days" as the offer; a missing offer is not counted), and
/// compares with the verdict.
pub fn evaluate_listener(lines: &[JudgedReply], grounded: bool) -> ListenerReport {
    let mut report = ListenerReport::default();
    for line in lines {
        let scenario = Scenario {
            debtor: line.debtor_name.clone(),
            creditor: line.creditor.clone(),
            credit_type: String::new(),
            cash_flow: String::new(),
            recovery_stage: String::new(),
            ..Scenario::builtin()
        };
        let dialogue = if line.opening {
            Vec::new()
        } else {
            vec![DialogueLine::debtor(line.debtor.clone())]
        };
        let request = ReplyRequest {
            kind: if line.opening {
                ReplyKind::Opening
            } else {
                ReplyKind::Counter
            },
            emotion: line.tone,
            offer_days: 30,
            scenario: &scenario,
            turn: u32::from(!line.opening),
            temperature: 0.0,
            dialogue: &dialogue,
        };
        let listened = Listener::new(&request).grounded(grounded).hear(&line.reply);
        let mut heard = listened.clone();
        let facts = ReplyFacts {
            offer_days: stated_days(&line.reply).unwrap_or(30),
            balance: scenario.balance,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a valid date"),
        };
        // Guardrail violations are reported as the defect a listener would name.
        heard.extend(
            check_reply(&line.reply, &facts)
                .into_iter()
                .filter(|v| *v != Violation::MissingOffer)
                .map(|v| Defect::Form(format!("guardrail: {v:?}"))),
        );
        match &line.defect {
            None => {
                report.acceptable += 1;
                if listened.is_empty() && !heard.is_empty() {
                    report.guardrail_refusals += 1;
                } else if !heard.is_empty() {
                    report.false_alarms += 1;
                    report
                        .mistakes
                        .push(("acceptable".into(), line.reply.clone(), heard));
                }
            }
            Some(kind) => {
                let row = match report.recall.iter_mut().position(|r| &r.0 == kind) {
                    Some(i) => &mut report.recall[i],
                    None => {
                        report.recall.push((kind.clone(), 0, 0));
                        report.recall.last_mut().expect("just pushed")
                    }
                };
                row.1 += 1;
                if heard.is_empty() {
                    report
                        .mistakes
                        .push((kind.clone(), line.reply.clone(), heard));
                } else {
                    row.2 += 1;
                }
            }
        }
    }
    report.recall.sort();
    report
}

impl fmt::Display for ListenerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| defect a person heard | replies | caught | recall |")?;
        writeln!(f, "|---|---:|---:|---:|")?;
        for (kind, n, caught) in &self.recall {
            writeln!(
                f,
                "| {kind} | {n} | {caught} | {:.2} |",
                *caught as f64 / (*n).max(1) as f64
            )?;
        }
        writeln!(
            f,
            "| all defects | {} | {} | {:.2} |",
            self.recall.iter().map(|r| r.1).sum::<usize>(),
            self.recall.iter().map(|r| r.2).sum::<usize>(),
            self.caught()
        )?;
        writeln!(
            f,
            "\nacceptable replies the listener's check refused: {} of {} ({:.2})",
            self.false_alarms,
            self.acceptable,
            self.false_alarm_rate()
        )?;
        writeln!(
            f,
            "acceptable replies only the guardrails refused (numbers and dates, by design): {}",
            self.guardrail_refusals
        )
    }
}

/// The first "N days" of a text.
fn stated_days(text: &str) -> Option<u32> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        w[1].trim_matches(|c: char| !c.is_alphanumeric())
            .eq_ignore_ascii_case("days")
            .then(|| w[0].parse().ok())
            .flatten()
    })
}

/// The valence class of an emotion, for tone fidelity: warm, sombre or level.
pub fn valence_class(emotion: Emotion) -> i8 {
    match emotion {
        Emotion::Joy => 1,
        Emotion::Sadness | Emotion::Anger | Emotion::Fear | Emotion::Disgust => -1,
        Emotion::Surprise | Emotion::Neutral => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_file(path: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    }

    /// The tuning half of a blind writer's judged replies: the check is tuned on these, and
    /// `tests/data/voice/listener_heldout.jsonl` is judged once, apart.
    #[test]
    fn the_check_catches_most_judged_defects_and_spares_most_good_replies() {
        let lines: Vec<JudgedReply> =
            read_jsonl(&project_file("tests/data/voice/listener_tune.jsonl")).unwrap();
        assert!(lines.len() > 100);
        let report = evaluate_listener(&lines, true);
        assert!(report.caught() >= 0.85, "{report}");
        assert!(report.false_alarm_rate() <= 0.10, "{report}");
    }

    #[test]
    fn a_bad_line_is_named() {
        let dir = std::env::temp_dir().join(format!("voice-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.jsonl");
        std::fs::write(&path, "{\"debtor\": \"x\"}\n").unwrap();
        let err = read_jsonl::<JudgedReply>(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
