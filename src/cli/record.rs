//! `record show|verify PATH`, `record export --csv DIR`, and the recording that `chat` and
//! `demo` do.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::CliError;
use crate::negotiation::{Negotiation, TurnReport};
use crate::params::Params;
use crate::record::{LoadedRecord, RecordLine, RecordWriter, load, new_session_id};

/// What to do with a record.
#[derive(Debug, clap::Subcommand)]
pub enum RecordCommand {
    /// Print a negotiation readably: each turn's utterance, emotion, offers and reply, and the
    /// outcome.
    Show {
        /// The record file (`<record.directory>/<session>.jsonl`).
        path: PathBuf,
    },
    /// Check every line; report the first bad one (or a torn last line) with its line number
    /// and exit non-zero.
    Verify {
        /// The record file.
        path: PathBuf,
    },
    /// Export every record of a directory as CSV for analysts: a header, then one row per turn
    /// (files in name order, which is start-time order). A file that does not load is skipped
    /// with a warning on stderr; of a record with a torn last line, the complete lines are
    /// exported, with a warning.
    Export {
        /// The directory of the records (`record.directory`); its `*.jsonl` files are read.
        #[arg(long, value_name = "DIR")]
        csv: PathBuf,
        /// Write the CSV to this file (replaced) instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Runs `record show` or `record verify`.
pub fn record(command: RecordCommand) -> Result<(), CliError> {
    match command {
        RecordCommand::Show { path } => {
            let record = load(&path)?;
            super::chat::write_out(&show(&record))?;
            if let Some(torn) = record.torn_error() {
                eprintln!("warning: {torn}");
            }
            Ok(())
        }
        RecordCommand::Export { csv, out } => {
            let text = export_csv(&csv)?;
            match out {
                Some(file) => std::fs::write(&file, text).map_err(|e| {
                    CliError::Usage(format!(
                        "cannot write the CSV to {}: {e} (give --out a file in a writable directory)",
                        file.display()
                    ))
                }),
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(text.as_bytes())
                        .and_then(|_| stdout.flush())
                        .map_err(|source| CliError::Io {
                            what: "writing stdout",
                            source,
                        })
                }
            }
        }
        RecordCommand::Verify { path } => {
            let record = load(&path)?;
            super::chat::write_out(&summary(&record))?;
            match record.torn_error() {
                Some(torn) => Err(torn.into()),
                None => Ok(()),
            }
        }
    }
}

/// One line about the whole record: lines, session, outcome.
fn summary(record: &LoadedRecord) -> String {
    let n = record.lines.len();
    format!(
        "{}: {n} good line{} ({}), session {}, {}",
        record.path.display(),
        if n == 1 { "" } else { "s" },
        match n {
            0 => "no turn".to_string(),
            _ => format!("turns 0 to {}", n - 1),
        },
        record.session().unwrap_or("(none)"),
        outcome(record)
    )
}

/// How the negotiation ended, or that it did not.
fn outcome(record: &LoadedRecord) -> String {
    match record.lines.last() {
        None => "empty".into(),
        Some(last) if last.finished => match last.agreement.days {
            Some(days) if last.agreement.reached => {
                format!("agreement on {days} days at turn {}", last.turn)
            }
            _ => format!("no agreement (ended at turn {})", last.turn),
        },
        Some(last) => format!(
            "unfinished after turn {} (chat --resume continues it)",
            last.turn
        ),
    }
}

fn show(record: &LoadedRecord) -> String {
    let mut text = summary(record);
    if let Some(first) = record.lines.first() {
        let s = &first.snapshot.scenario;
        text.push_str(&format!(
            "\nscenario {}: {} owes {} {}, creditor target {} days\n",
            printable(&s.id),
            printable(&s.debtor),
            printable(&s.creditor),
            crate::speak::template::format_money(s.balance),
            s.target_days
        ));
    }
    for line in &record.lines {
        text.push_str(&turn(line));
    }
    text.push_str(&format!("outcome: {}", outcome(record)));
    text
}

fn turn(line: &RecordLine) -> String {
    let mut text = format!("\nturn {} at {}\n", line.turn, line.time);
    if let Some(utterance) = &line.utterance {
        text.push_str(&format!("  debtor: {}\n", printable(utterance)));
    }
    if let Some(d) = &line.detection {
        text.push_str(&format!(
            "    emotion {} {:.2}",
            d.emotion,
            d.distribution.get(d.emotion)
        ));
        if let Some(days) = line.debtor_offer_days {
            text.push_str(&format!(", asks {days} days"));
        }
        for tactic in &d.tactics {
            text.push_str(&format!(
                ", {:?}: {:?}",
                tactic.kind,
                printable(&tactic.evidence)
            ));
        }
        text.push_str(&format!(
            " | belief {} {:.2}\n",
            line.belief.most_likely(),
            line.belief.get(line.belief.most_likely())
        ));
    }
    text.push_str(&format!(
        "    {} -> creditor {}, offers {} days{}\n  creditor: {}\n",
        line.decision.strategy,
        line.decision.creditor_emotion,
        line.creditor_offer_days,
        if line.fallback {
            " (template fallback)"
        } else if line.completed {
            " (offer added by the template)"
        } else {
            ""
        },
        printable(&line.reply)
    ));
    text
}

/// The columns of `record export --csv`, in order.
pub(crate) const CSV_COLUMNS: [&str; 23] = [
    "session",
    "turn",
    "time",
    "utterance",
    "debtor_emotion",
    "tactics",
    "cooperative",
    "confrontational",
    "distressed",
    "strategic",
    "strategy",
    "creditor_emotion",
    "creditor_offer_days",
    "debtor_offer_days",
    "agreement_reached",
    "agreement_days",
    "finished",
    "speaker",
    "fallback",
    "decide_ms",
    "first_sentence_ms",
    "turn_ms",
    "reply",
];

/// The CSV of every record in `directory`: the header and one row per turn. Files that do not
/// load are skipped with a warning on stderr; a torn last line is reported and left out.
fn export_csv(directory: &Path) -> Result<String, CliError> {
    let dir_error = |source| crate::record::RecordError::Directory {
        action: "read",
        path: directory.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).map_err(dir_error)? {
        let path = entry.map_err(dir_error)?.path();
        if path.extension().and_then(|e| e.to_str()) == Some(crate::record::EXTENSION)
            && path.is_file()
        {
            files.push(path);
        }
    }
    files.sort();
    let mut text = String::new();
    csv_row(&mut text, CSV_COLUMNS.iter().map(|c| c.to_string()));
    for path in files {
        let record = match load(&path) {
            Ok(record) => record,
            Err(e) => {
                eprintln!("warning: skipped {}: {e}", path.display());
                continue;
            }
        };
        if let Some(torn) = record.torn_error() {
            eprintln!("warning: {torn}; its complete lines are exported");
        }
        for line in &record.lines {
            csv_row(&mut text, csv_fields(line));
        }
    }
    Ok(text)
}

/// One turn's fields, in the order of [`CSV_COLUMNS`].
fn csv_fields(line: &RecordLine) -> impl Iterator<Item = String> {
    let optional = |days: Option<u32>| days.map(|d| d.to_string()).unwrap_or_default();
    let detection = line.detection.as_ref();
    let tactics = detection
        .map(|d| {
            d.tactics
                .iter()
                .map(|t| {
                    serde_json::to_value(t.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_else(|| format!("{:?}", t.kind))
                })
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default();
    let belief = line.belief.as_array().map(|p| p.to_string());
    // Records written before latencies were kept leave these columns empty.
    let latency = line.latency.map_or([None; 3], |l| {
        [
            Some(l.decide_ms),
            Some(l.first_sentence_ms),
            Some(l.turn_ms),
        ]
    });
    [
        line.session.clone(),
        line.turn.to_string(),
        line.time.clone(),
        line.utterance.clone().unwrap_or_default(),
        detection.map(|d| d.emotion.to_string()).unwrap_or_default(),
        tactics,
    ]
    .into_iter()
    .chain(belief)
    .chain([
        line.decision.strategy.to_string(),
        line.decision.creditor_emotion.to_string(),
        line.creditor_offer_days.to_string(),
        optional(line.debtor_offer_days),
        line.agreement.reached.to_string(),
        optional(line.agreement.days),
        line.finished.to_string(),
        line.speaker.clone(),
        line.fallback.to_string(),
    ])
    .chain(latency.map(|ms| ms.map(|ms| ms.to_string()).unwrap_or_default()))
    .chain([line.reply.clone()])
}

/// Appends one CSV row (RFC 4180): a field with a comma, a quote or a line break is quoted,
/// its quotes doubled; a row ends with a line feed.
fn csv_row(text: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            text.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            text.push('"');
            text.push_str(&field.replace('"', "\"\""));
            text.push('"');
        } else {
            text.push_str(&field);
        }
    }
    text.push('\n');
}

/// Text safe to print to a terminal: control characters (escape sequences) become U+FFFD.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// The record of one negotiation being written by the command line; nothing when
/// `record.directory` is empty.
pub(crate) struct Recording {
    writer: Option<RecordWriter>,
}

impl Recording {
    /// A new session's record in `record.directory`. When the latest record there is an
    /// unfinished negotiation, says (on stderr) that `chat --resume` continues it.
    pub(crate) fn start(params: &Params) -> Result<Self, CliError> {
        let directory = &params.record.directory;
        if directory.as_os_str().is_empty() {
            return Ok(Recording { writer: None });
        }
        if let Some(path) = unfinished_latest(directory)? {
            tracing::warn!(
                record = %path.display(),
                "the latest record is an unfinished negotiation; `chat --resume` continues it"
            );
        }
        Ok(Recording {
            writer: Some(
                RecordWriter::create(directory, &new_session_id())?
                    .snapshot_every(params.record.snapshot_every),
            ),
        })
    }

    /// The latest record of `record.directory`, resumed: the negotiation after its last
    /// complete line, the recording that continues the same file, and the learned state the
    /// negotiation started from.
    pub(crate) fn resume(
        params: &Params,
        detector: Box<dyn crate::perceive::EmotionDetector>,
    ) -> Result<(Negotiation, Self, crate::learned::LearnedParameters), CliError> {
        let directory = &params.record.directory;
        if directory.as_os_str().is_empty() {
            return Err(CliError::Usage(
                "--resume needs a record: record.directory is empty, so nothing was recorded"
                    .into(),
            ));
        }
        let path = crate::record::latest(directory)?.ok_or_else(|| {
            CliError::Usage(format!(
                "--resume: no record in {} to resume (run chat without --resume)",
                directory.display()
            ))
        })?;
        let record = load(&path)?;
        if let Some(torn) = record.torn_error() {
            tracing::warn!("{torn}");
        }
        if record.is_finished() {
            return Err(CliError::Usage(format!(
                "--resume: the latest record {} is a finished negotiation; run chat without --resume",
                path.display()
            )));
        }
        let negotiation = record.resume(params, detector)?;
        let writer = RecordWriter::reopen(&record)?.snapshot_every(params.record.snapshot_every);
        tracing::info!(record = %path.display(), turn = negotiation.turn(), "resumed");
        // The opening's line holds the learned state the negotiation started from.
        let start = record.lines[0].snapshot.learned();
        Ok((
            negotiation,
            Recording {
                writer: Some(writer),
            },
            start,
        ))
    }

    /// The session recorded (empty when nothing is recorded).
    pub(crate) fn session(&self) -> &str {
        self.writer.as_ref().map_or("", |w| w.session())
    }

    /// Appends a turn, synced, before it is printed.
    pub(crate) fn turn(
        &mut self,
        utterance: Option<&str>,
        report: &TurnReport,
        negotiation: &Negotiation,
    ) -> Result<(), CliError> {
        if let Some(writer) = &mut self.writer {
            writer.record_turn(utterance, report, negotiation)?;
        }
        Ok(())
    }
}

/// The latest record of `directory` when it is an unfinished negotiation; a record that does not
/// load is not offered (it is reported when resumed or verified).
fn unfinished_latest(directory: &Path) -> Result<Option<PathBuf>, CliError> {
    let Some(path) = crate::record::latest(directory)? else {
        return Ok(None);
    };
    Ok(match load(&path) {
        Ok(record) if !record.lines.is_empty() && !record.is_finished() => Some(path),
        _ => None,
    })
}
