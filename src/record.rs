//! The negotiation record: an append-only JSON-lines file, one line per turn, synced to disk
//! before the reply is spoken.
//!
//! Layout: one file per negotiation, `<directory>/<session id>.jsonl` (the directory is the
//! parameter `record.directory`). Files are created owner-only (mode 0600); a directory created
//! here is 0700 (an existing one keeps its mode). Each line is one [`RecordLine`]: what was
//! heard, perceived and decided, the reply, and the [`NegotiationSnapshot`] of the state after
//! that turn, so the negotiation can be resumed from its last line ([`LoadedRecord::resume`]).
//!
//! Snapshots on disk (line format 3): the first line (turn 0), every `record.snapshot_every`-th
//! turn and the line that finishes the negotiation hold the whole snapshot (`"snapshot"`); the
//! others hold only what changed since the line before (`"snapshot_patch"`), so a record grows
//! with its turns rather than their square. A snapshot on disk leaves out the dialogue: it is
//! the lines' utterances and replies so far, and [`load`] rebuilds it from them (a line whose
//! dialogue is not that, which this crate never writes, carries it whole in `"dialogue"`).
//! A patch is computed on the snapshots as JSON values
//! ([`snapshot_patch`], [`apply_snapshot_patch`]), so it needs no code per snapshot field. A
//! node of a patch that is not an object is the new value itself; an object node is
//! `{"v": value}` (replaced by that value), `{"o": {key: node}, "d": [removed keys]}` (an
//! object's changed fields), `{"a": [index, node, index, node, ...]}` (an array of the same
//! length, by index) or `{"p": [items]}` (an array that only grew); at each node the patch or
//! the plain value is kept, whichever serialises shorter. [`load`] rebuilds
//! every line's whole snapshot, exactly (floats round-trip bit for bit), so
//! [`LoadedRecord::lines`] always hold whole snapshots. Records of format 1 (every line whole)
//! and 2 (patches, the dialogue inside the snapshot) still load, and an older record resumed
//! goes on in format 3.
//!
//! Durability: [`RecordWriter::append`] writes the line and its newline in one write, then
//! flushes and syncs the data (`fdatasync`) before it returns, so a caller that publishes the
//! reply only afterwards never speaks a turn that is not on disk.
//!
//! A line counts only with its newline. A last line without one is *torn* (a power cut or a kill
//! mid-write): [`load`] reports it in [`LoadedRecord::torn`] and returns the complete lines
//! before it; [`RecordWriter::reopen`] cuts the torn bytes off before appending, so the next
//! line never glues onto the fragment. Any other bad line (not JSON, another version, another
//! session, a turn out of order, a line after the end, a patch that does not apply to the line
//! before) is an error naming its line number.
//!
//! Retention: [`prune`] removes finished records past `record.max_age_days` or
//! `record.max_total_mb`, oldest first; nothing else.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::decide::{Agreement, Strategy, Violation};
use crate::emotion::{Emotion, EmotionDistribution};
use crate::negotiation::{
    Negotiation, NegotiationError, NegotiationSnapshot, TurnLatency, TurnReport,
};
use crate::params::Params;
use crate::perceive::{EmotionDetector, Tactic};
use crate::speak::{Defect, DialogueLine};
use crate::track::Belief;

/// Version of the record line format this build writes: 3, whole snapshots every
/// `record.snapshot_every` turns and patches between, the dialogue left to the lines. [`load`]
/// also reads format 1 (every line a whole snapshot) and 2 (the dialogue in the snapshots).
pub const FORMAT_VERSION: u32 = 3;

/// The oldest line format [`load`] reads.
pub const OLDEST_FORMAT_VERSION: u32 = 1;

/// Whole snapshots every this many turns when the writer is not told
/// ([`RecordWriter::snapshot_every`]); the default of `record.snapshot_every`.
pub const DEFAULT_SNAPSHOT_EVERY: u32 = 10;

/// File name extension of record files.
pub const EXTENSION: &str = "jsonl";

/// Longest session id accepted: it becomes a file name.
pub const MAX_SESSION_ID_LEN: usize = 100;

/// Errors of the record; each names the file or directory and what to do.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The record directory could not be created or read.
    #[error(
        "cannot {action} record directory {path}: {source} (set record.directory to a writable directory, or to \"\" to record nothing)"
    )]
    Directory {
        /// What was being done: "create", "read", "sync".
        action: &'static str,
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The path of the record directory exists and is not a directory.
    #[error(
        "record directory {path} is not a directory (set record.directory to a directory path, or to \"\" to record nothing)"
    )]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// A record file could not be created, read, written or synced.
    #[error(
        "cannot {action} record file {path}: {source} (check that record.directory is a writable directory on a disk with space)"
    )]
    File {
        /// What was being done: "create", "read", "write", "sync", "truncate".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A session id that cannot be a file name.
    #[error(
        "invalid session id {id:?}: use 1 to {MAX_SESSION_ID_LEN} letters, digits, '-', '_' or '.', not starting with '.'"
    )]
    SessionId {
        /// The id as given.
        id: String,
    },
    /// A complete line that is not a valid record line.
    #[error(
        "record {path} line {line} is bad: {message} (the {good} lines before it are intact; repair or move the file aside)",
        good = line - 1
    )]
    BadLine {
        /// The file.
        path: PathBuf,
        /// Line number, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The last line has no line end: a write was cut off.
    #[error(
        "record {path} line {line} is torn: {bytes} bytes without a line end, a write cut off by a power cut or a kill (the {good} lines before it are intact; resuming drops the torn line)",
        good = line - 1
    )]
    Torn {
        /// The file.
        path: PathBuf,
        /// Line number of the torn line, from 1.
        line: usize,
        /// Bytes in the torn fragment.
        bytes: usize,
    },
    /// A record with no complete line: nothing to show or resume.
    #[error("record {path} holds no complete line (nothing to resume; delete the file)")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A line appended out of order (another session, or not the next turn).
    #[error(
        "refused to append turn {turn} of session {session:?} to record {path}, which expects turn {expected} of session {expected_session:?}"
    )]
    OutOfOrder {
        /// The file.
        path: PathBuf,
        /// The line's session.
        session: String,
        /// The line's turn.
        turn: u32,
        /// The writer's session.
        expected_session: String,
        /// The turn the writer expects next.
        expected: u32,
    },
    /// The last line's snapshot cannot be resumed.
    #[error("cannot resume from record {path} line {line}: {source}")]
    Resume {
        /// The file.
        path: PathBuf,
        /// The line whose snapshot was used.
        line: usize,
        /// Why the negotiation refused it.
        source: NegotiationError,
    },
}

/// What was perceived in the debtor's utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detection {
    /// The most likely emotion.
    pub emotion: Emotion,
    /// The emotion distribution.
    pub distribution: EmotionDistribution,
    /// Tactics detected, with evidence.
    pub tactics: Vec<Tactic>,
}

/// What was decided this turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Which policy chose the creditor's emotion.
    pub strategy: Strategy,
    /// The creditor's emotion for the reply.
    pub creditor_emotion: Emotion,
    /// The creditor's offer in days.
    pub offer_days: u32,
}

/// One line of the record: one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordLine {
    /// Line format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// The negotiation's session id (also the file name).
    pub session: String,
    /// Turn number: 0 for the opening, then one per debtor utterance.
    pub turn: u32,
    /// When the line was written, RFC 3339 UTC with milliseconds.
    pub time: String,
    /// The debtor's utterance (none at the opening).
    pub utterance: Option<String>,
    /// What was perceived in it (none at the opening).
    pub detection: Option<Detection>,
    /// Belief over the debtor's disposition after the turn.
    pub belief: Belief,
    /// What was decided.
    pub decision: Decision,
    /// The reply, as spoken.
    pub reply: String,
    /// The creditor's offer in days (the one stated in the reply).
    pub creditor_offer_days: u32,
    /// The debtor's offer read from the utterance, if any.
    pub debtor_offer_days: Option<u32>,
    /// The agreement after the turn.
    pub agreement: Agreement,
    /// True when this turn ended the negotiation.
    pub finished: bool,
    /// Who phrased the reply.
    pub speaker: String,
    /// True when the template replaced the speaker's whole reply.
    pub fallback: bool,
    /// True when the speaker's sentences stood and the template added its offer sentence
    /// (absent in records written before it, and left out when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub completed: bool,
    /// The guardrail violations of the speaker's last refused sentence (left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
    /// What the listener's check heard in the speaker's last refused sentence (absent in
    /// records written before it, and left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defects: Vec<Defect>,
    /// How long the turn took inside the negotiation (absent in records written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<TurnLatency>,
    /// The whole negotiation state after the turn. On disk a line of format 3 may hold a patch
    /// against the line before instead (`snapshot_patch`), and leaves out the dialogue;
    /// [`load`] rebuilds the whole snapshot.
    pub snapshot: NegotiationSnapshot,
}

impl RecordLine {
    /// The line for a turn: its report, the utterance that caused it, and the negotiation
    /// after it (its state and how long the turn took); the time is now.
    pub fn new(
        session: &str,
        utterance: Option<&str>,
        report: &TurnReport,
        negotiation: &Negotiation,
    ) -> Self {
        RecordLine {
            version: FORMAT_VERSION,
            session: session.to_string(),
            turn: report.turn,
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            utterance: utterance.map(str::to_string),
            detection: report.debtor_emotion.zip(report.distribution).map(
                |(emotion, distribution)| Detection {
                    emotion,
                    distribution,
                    tactics: report.tactics.clone(),
                },
            ),
            belief: report.belief,
            decision: Decision {
                strategy: report.strategy,
                creditor_emotion: report.creditor_emotion,
                offer_days: report.offer_days,
            },
            reply: report.reply.clone(),
            creditor_offer_days: report.offer_days,
            debtor_offer_days: report.debtor_offer_days,
            agreement: report.agreement,
            finished: report.finished,
            speaker: report.speaker.to_string(),
            fallback: report.fallback,
            completed: report.completed,
            violations: report.violations.clone(),
            defects: report.defects.clone(),
            latency: Some(negotiation.latency()),
            snapshot: negotiation.snapshot(),
        }
    }
}

/// A new session id: UTC time to the millisecond, the process id and a counter, e.g.
/// `20261126T003431123Z-1f2a-0`. Ids sort by creation time and are unique on one machine.
pub fn new_session_id() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{:x}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ"),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Checks that a session id can be a file name.
pub fn check_session_id(id: &str) -> Result<(), RecordError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_SESSION_ID_LEN
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(RecordError::SessionId { id: id.to_string() })
    }
}

/// The file of a session in `directory`.
pub fn session_path(directory: &Path, session: &str) -> PathBuf {
    directory.join(format!("{session}.{EXTENSION}"))
}

/// Creates `directory` (mode 0700, with its parents) unless it exists; refuses a path that is
/// not a directory.
pub fn ensure_directory(directory: &Path) -> Result<(), RecordError> {
    match std::fs::metadata(directory) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(RecordError::NotADirectory {
            path: directory.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(directory)
            .map_err(|source| RecordError::Directory {
                action: "create",
                path: directory.to_path_buf(),
                source,
            }),
        Err(source) => Err(RecordError::Directory {
            action: "read",
            path: directory.to_path_buf(),
            source,
        }),
    }
}

/// The record in `directory` written most recently (by modification time, then name), if any.
/// A directory that does not exist holds none.
pub fn latest(directory: &Path) -> Result<Option<PathBuf>, RecordError> {
    let dir_error = |source| RecordError::Directory {
        action: "read",
        path: directory.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(RecordError::NotADirectory {
                path: directory.to_path_buf(),
            });
        }
        Err(e) => return Err(dir_error(e)),
    };
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    for entry in entries {
        let entry = entry.map_err(dir_error)?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
        if best
            .as_ref()
            .is_none_or(|(time, name)| (modified, &path) > (*time, name))
        {
            best = Some((modified, path));
        }
    }
    Ok(best.map(|(_, path)| path))
}

/// A torn last line: where it starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TornLine {
    /// Line number, from 1.
    pub line: usize,
    /// Byte offset where the fragment starts (the length of the intact part).
    pub offset: u64,
    /// Bytes in the fragment.
    pub bytes: usize,
}

/// A record read back: its complete lines and, if the last write was cut off, the torn line.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedRecord {
    /// The file.
    pub path: PathBuf,
    /// The complete lines, in order (turn 0 first).
    pub lines: Vec<RecordLine>,
    /// The torn last line, if any (not in `lines`).
    pub torn: Option<TornLine>,
}

impl LoadedRecord {
    /// The torn line as an error to report (the record is still usable).
    pub fn torn_error(&self) -> Option<RecordError> {
        self.torn.map(|t| RecordError::Torn {
            path: self.path.clone(),
            line: t.line,
            bytes: t.bytes,
        })
    }

    /// True when the last complete line ended the negotiation.
    pub fn is_finished(&self) -> bool {
        self.lines.last().is_some_and(|l| l.finished)
    }

    /// The session id (of the first line).
    pub fn session(&self) -> Option<&str> {
        self.lines.first().map(|l| l.session.as_str())
    }

    /// The negotiation as it stood after the last complete line, with the given parameters and
    /// detector: its next turn is the one after that line.
    pub fn resume(
        &self,
        params: &Params,
        detector: Box<dyn EmotionDetector>,
    ) -> Result<Negotiation, RecordError> {
        let last = self.lines.last().ok_or_else(|| RecordError::Empty {
            path: self.path.clone(),
        })?;
        Negotiation::resume(params, last.snapshot.clone(), detector).map_err(|source| {
            RecordError::Resume {
                path: self.path.clone(),
                line: self.lines.len(),
                source,
            }
        })
    }
}

/// Reads a record: every complete line must be a valid [`RecordLine`] of one session, turns
/// 0, 1, 2, ... in order, nothing after the line that finished the negotiation, and a line that
/// holds a snapshot patch must follow a line whose snapshot it applies to. Every line's whole
/// snapshot is rebuilt. The first line that breaks this is an error with its number; a torn last
/// line is reported in the result.
pub fn load(path: &Path) -> Result<LoadedRecord, RecordError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| RecordError::File {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
    let mut lines: Vec<RecordLine> = Vec::new();
    let mut torn = None;
    let mut offset = 0usize;
    // The previous line's snapshot as a JSON value without its dialogue, what the next patch
    // applies to.
    let mut previous: Option<Value> = None;
    for (index, segment) in bytes.split(|b| *b == b'\n').enumerate() {
        let number = index + 1;
        let complete = offset + segment.len() < bytes.len();
        if !complete {
            // The part after the last newline: empty in a healthy file, else a cut-off write.
            if !segment.is_empty() {
                torn = Some(TornLine {
                    line: number,
                    offset: offset as u64,
                    bytes: segment.len(),
                });
            }
            break;
        }
        offset += segment.len() + 1;
        let bad = |message: String| RecordError::BadLine {
            path: path.to_path_buf(),
            line: number,
            message,
        };
        let dialogue = lines.last().map_or(&[][..], |l| &l.snapshot.dialogue[..]);
        let (line, value) = read_line(segment, previous.take(), dialogue).map_err(bad)?;
        check_line(&line, &lines).map_err(bad)?;
        previous = Some(value);
        lines.push(line);
    }
    Ok(LoadedRecord {
        path: path.to_path_buf(),
        lines,
        torn,
    })
}

/// Parses one complete line, rebuilding its snapshot from `previous` (the line before's
/// snapshot value, without its dialogue) when it holds a patch, and its dialogue from
/// `dialogue` (the line before's); returns the line and its snapshot's value without dialogue.
fn read_line(
    segment: &[u8],
    previous: Option<Value>,
    dialogue: &[DialogueLine],
) -> Result<(RecordLine, Value), String> {
    let not_line = |e: serde_json::Error| format!("not a record line: {e}");
    let mut value: Value = serde_json::from_slice(segment).map_err(not_line)?;
    let Value::Object(fields) = &mut value else {
        return Err("not a record line: not a JSON object".into());
    };
    let version = fields.get("version").and_then(Value::as_u64);
    let Some(version) =
        version.filter(|v| (OLDEST_FORMAT_VERSION.into()..=FORMAT_VERSION.into()).contains(v))
    else {
        return Err(format!(
            "format version {} is not one of the supported versions {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}",
            fields.get("version").unwrap_or(&Value::Null)
        ));
    };
    let dialogue_value = || serde_json::to_value(dialogue).expect("dialogues serialise");
    let mut snapshot = match (fields.remove("snapshot"), fields.remove("snapshot_patch")) {
        (Some(_), Some(_)) => return Err("both a snapshot and a snapshot patch".into()),
        (None, None) => return Err("not a record line: missing field `snapshot`".into()),
        (Some(whole), None) => whole,
        (None, Some(_)) if version == 1 => {
            return Err("a snapshot patch in a line of format 1".into());
        }
        (None, Some(patch)) => {
            let mut snapshot = previous
                .ok_or("a snapshot patch with no snapshot on the line before to apply it to")?;
            // Format 2 kept the dialogue in the snapshot, so its patches may change it.
            if version == 2
                && let Value::Object(object) = &mut snapshot
            {
                object.insert("dialogue".into(), dialogue_value());
            }
            apply_snapshot_patch(&mut snapshot, &patch).map_err(|e| {
                format!("its snapshot patch does not apply to the line before: {e}")
            })?;
            snapshot
        }
    };
    let said = fields.remove("dialogue");
    if let Value::Object(object) = &mut snapshot
        && !object.contains_key("dialogue")
    {
        let rebuilt = match said {
            Some(whole) => whole,
            None => {
                let utterance = fields.get("utterance").and_then(Value::as_str);
                let reply = fields.get("reply").and_then(Value::as_str).unwrap_or("");
                serde_json::to_value(dialogue_after(dialogue, utterance, reply))
                    .expect("dialogues serialise")
            }
        };
        object.insert("dialogue".into(), rebuilt);
    }
    fields.insert("snapshot".into(), snapshot);
    let line = RecordLine::deserialize(&value).map_err(not_line)?;
    // Canonical form (as this build writes it), what the writer diffs against.
    let snapshot = snapshot_value(&line.snapshot);
    Ok((line, snapshot))
}

/// The dialogue after a turn that heard `utterance` (none at the opening) and replied
/// `reply` (nothing said when empty), from the dialogue before it: what a
/// [`Negotiation`] keeps.
fn dialogue_after(
    before: &[DialogueLine],
    utterance: Option<&str>,
    reply: &str,
) -> Vec<DialogueLine> {
    let mut dialogue = before.to_vec();
    dialogue.extend(utterance.map(DialogueLine::debtor));
    if !reply.is_empty() {
        dialogue.push(DialogueLine::creditor(reply));
    }
    dialogue
}

/// A snapshot as the JSON value its patches are computed on: without its dialogue, which the
/// lines hold.
fn snapshot_value(snapshot: &NegotiationSnapshot) -> Value {
    let mut value = serde_json::to_value(snapshot).expect("snapshots serialise");
    if let Value::Object(fields) = &mut value {
        fields.remove("dialogue");
    }
    value
}

/// Checks one parsed line against the lines before it.
fn check_line(line: &RecordLine, before: &[RecordLine]) -> Result<(), String> {
    if let Some(first) = before.first()
        && first.session != line.session
    {
        return Err(format!(
            "session {:?} differs from the file's session {:?}",
            line.session, first.session
        ));
    }
    if before.last().is_some_and(|l| l.finished) {
        return Err("a line after the line that finished the negotiation".into());
    }
    let expected = before.len() as u64;
    if u64::from(line.turn) != expected {
        return Err(format!("turn {} where turn {expected} was due", line.turn));
    }
    if line.snapshot.turn != line.turn {
        return Err(format!(
            "its snapshot is of turn {}, not turn {}",
            line.snapshot.turn, line.turn
        ));
    }
    chrono::DateTime::parse_from_rfc3339(&line.time)
        .map_err(|e| format!("time {:?} is not RFC 3339: {e}", line.time))?;
    Ok(())
}

/// Bytes `value` takes as compact JSON.
fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).expect("values serialise");
    count.0
}

/// The patch that turns `old` into `new` (see the [module doc](self) for its nodes):
/// [`apply_snapshot_patch`] on `old` gives `new`. At each node the shorter of the patch and
/// the plain value is kept; an unchanged field of an object is left out.
pub fn snapshot_patch(old: &Value, new: &Value) -> Value {
    diff(old, new).unwrap_or_else(|| replaced(new))
}

/// The node that replaces a value by `new`: the value itself, or `{"v": new}` for an object
/// (an object node is a patch).
fn replaced(new: &Value) -> Value {
    if !new.is_object() {
        return new.clone();
    }
    let mut node = Map::new();
    node.insert("v".into(), new.clone());
    Value::Object(node)
}

/// The patch node from `old` to `new`, none when they are equal.
fn diff(old: &Value, new: &Value) -> Option<Value> {
    if old == new {
        return None;
    }
    let mut node = Map::new();
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let fields: Map<String, Value> = b
                .iter()
                .filter_map(|(key, v)| match a.get(key) {
                    Some(old) => diff(old, v).map(|p| (key.clone(), p)),
                    None => Some((key.clone(), replaced(v))),
                })
                .collect();
            node.insert("o".into(), Value::Object(fields));
            let removed: Vec<Value> = a
                .keys()
                .filter(|key| !b.contains_key(*key))
                .map(|key| Value::String(key.clone()))
                .collect();
            if !removed.is_empty() {
                node.insert("d".into(), Value::Array(removed));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            let changes = a
                .iter()
                .zip(b)
                .enumerate()
                .filter_map(|(i, (x, y))| diff(x, y).map(|p| [i.into(), p]))
                .flatten()
                .collect();
            node.insert("a".into(), Value::Array(changes));
        }
        (Value::Array(a), Value::Array(b)) if b.len() > a.len() && b[..a.len()] == a[..] => {
            node.insert("p".into(), Value::Array(b[a.len()..].to_vec()));
        }
        _ => return Some(replaced(new)),
    }
    let patch = Value::Object(node);
    let plain = replaced(new);
    Some(if json_len(&patch) < json_len(&plain) {
        patch
    } else {
        plain
    })
}

/// Applies a patch made by [`snapshot_patch`] to `target` in place; a patch that does not fit
/// `target` (a corrupted line) is an error saying where, and leaves `target` half patched.
pub fn apply_snapshot_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    apply_at(target, patch, "")
}

/// [`apply_snapshot_patch`] at the path `at` (for messages, `/dialogue/3`).
fn apply_at(target: &mut Value, patch: &Value, at: &str) -> Result<(), String> {
    let whole = || if at.is_empty() { "/" } else { at };
    let Value::Object(node) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    let only = |keys: &[&str]| node.keys().all(|k| keys.contains(&k.as_str()));
    if let (Some(value), true) = (node.get("v"), only(&["v"])) {
        *target = value.clone();
    } else if let (Some(Value::Object(fields)), true) = (node.get("o"), only(&["o", "d"])) {
        let Value::Object(object) = target else {
            return Err(format!("an object patch at {} on a non-object", whole()));
        };
        match node.get("d") {
            None => {}
            Some(Value::Array(keys)) => {
                for key in keys {
                    let gone = key.as_str().and_then(|k| object.remove(k));
                    if gone.is_none() {
                        return Err(format!("removes a field {key} at {} it lacks", whole()));
                    }
                }
            }
            Some(_) => return Err(format!("the removed fields at {} are not a list", whole())),
        }
        for (key, child) in fields {
            let field = object.entry(key.clone()).or_insert(Value::Null);
            apply_at(field, child, &format!("{at}/{key}"))?;
        }
    } else if let (Some(Value::Array(changes)), true) = (node.get("a"), only(&["a"])) {
        let Value::Array(items) = target else {
            return Err(format!("an array patch at {} on a non-array", whole()));
        };
        if changes.len() % 2 != 0 {
            return Err(format!(
                "the array changes at {} are not index, patch pairs",
                whole()
            ));
        }
        for change in changes.chunks(2) {
            let (index, child) = (change[0].as_u64(), &change[1]);
            let Some(item) = index.and_then(|i| items.get_mut(usize::try_from(i).ok()?)) else {
                return Err(format!(
                    "an array change at {} past its {} items",
                    whole(),
                    items.len()
                ));
            };
            let index = index.unwrap_or_default();
            apply_at(item, child, &format!("{at}/{index}"))?;
        }
    } else if let (Some(Value::Array(added)), true) = (node.get("p"), only(&["p"])) {
        let Value::Array(items) = target else {
            return Err(format!("items added at {} to a non-array", whole()));
        };
        items.extend(added.iter().cloned());
    } else {
        return Err(format!("the patch at {} is of no known kind", whole()));
    }
    Ok(())
}

/// Appends the lines of one session's record, each synced before [`RecordWriter::append`]
/// returns. A line holds the whole snapshot on turn 0, every
/// [`snapshot_every`](RecordWriter::snapshot_every) turns and when it finishes the negotiation,
/// else a patch against the line before.
#[derive(Debug)]
pub struct RecordWriter {
    file: File,
    path: PathBuf,
    session: String,
    next_turn: u32,
    /// The last line's snapshot value (without dialogue), what the next line's patch is made
    /// against.
    previous: Option<Value>,
    /// The dialogue after the last line, what the next line's utterance and reply extend.
    dialogue: Vec<DialogueLine>,
    snapshot_every: u32,
}

impl RecordWriter {
    /// Starts the record of a new session in `directory` (created if needed): the file must not
    /// exist yet.
    pub fn create(directory: &Path, session: &str) -> Result<Self, RecordError> {
        check_session_id(session)?;
        ensure_directory(directory)?;
        let path = session_path(directory, session);
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|source| RecordError::File {
                action: "create",
                path: path.clone(),
                source,
            })?;
        // The new directory entry is durable only once the directory is synced.
        File::open(directory)
            .and_then(|d| d.sync_all())
            .map_err(|source| RecordError::Directory {
                action: "sync",
                path: directory.to_path_buf(),
                source,
            })?;
        Ok(RecordWriter {
            file,
            path,
            session: session.to_string(),
            next_turn: 0,
            previous: None,
            dialogue: Vec::new(),
            snapshot_every: DEFAULT_SNAPSHOT_EVERY,
        })
    }

    /// Whole snapshots every `turns` turns (the parameter `record.snapshot_every`; 0 is taken
    /// as 1); [`DEFAULT_SNAPSHOT_EVERY`] until set.
    pub fn snapshot_every(mut self, turns: u32) -> Self {
        self.snapshot_every = turns.max(1);
        self
    }

    /// Continues a record read by [`load`]: a torn last line is cut off (and synced) first, so
    /// the next line starts on a line of its own.
    pub fn reopen(record: &LoadedRecord) -> Result<Self, RecordError> {
        let path = record.path.clone();
        let io = |action: &'static str| {
            let path = path.clone();
            move |source| RecordError::File {
                action,
                path,
                source,
            }
        };
        let last = record
            .lines
            .last()
            .ok_or_else(|| RecordError::Empty { path: path.clone() })?;
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io("open"))?;
        if let Some(torn) = record.torn {
            file.set_len(torn.offset).map_err(io("truncate"))?;
            file.sync_all().map_err(io("sync"))?;
        }
        Ok(RecordWriter {
            file,
            session: last.session.clone(),
            next_turn: last.turn + 1,
            path,
            previous: Some(snapshot_value(&last.snapshot)),
            dialogue: last.snapshot.dialogue.clone(),
            snapshot_every: DEFAULT_SNAPSHOT_EVERY,
        })
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The session recorded.
    pub fn session(&self) -> &str {
        &self.session
    }

    /// Appends one line (in format [`FORMAT_VERSION`], whatever its `version` says), then
    /// flushes and syncs it to disk before returning. The line must be the next turn of this
    /// writer's session.
    pub fn append(&mut self, line: &RecordLine) -> Result<(), RecordError> {
        if line.session != self.session || line.turn != self.next_turn {
            return Err(RecordError::OutOfOrder {
                path: self.path.clone(),
                session: line.session.clone(),
                turn: line.turn,
                expected_session: self.session.clone(),
                expected: self.next_turn,
            });
        }
        let mut value = serde_json::to_value(line).expect("record lines serialise");
        let Value::Object(fields) = &mut value else {
            unreachable!("a record line serialises to an object")
        };
        fields.insert("version".into(), FORMAT_VERSION.into());
        fields.remove("snapshot");
        let snapshot = snapshot_value(&line.snapshot);
        let dialogue = &line.snapshot.dialogue;
        if *dialogue != dialogue_after(&self.dialogue, line.utterance.as_deref(), &line.reply) {
            fields.insert(
                "dialogue".into(),
                serde_json::to_value(dialogue).expect("dialogues serialise"),
            );
        }
        let whole = line.turn.is_multiple_of(self.snapshot_every) || line.finished;
        match &self.previous {
            Some(previous) if !whole => {
                fields.insert("snapshot_patch".into(), snapshot_patch(previous, &snapshot));
            }
            _ => {
                fields.insert("snapshot".into(), snapshot.clone());
            }
        }
        let mut text = serde_json::to_vec(&value).expect("record lines serialise");
        text.push(b'\n');
        let io = |action: &'static str| {
            let path = self.path.clone();
            move |source| RecordError::File {
                action,
                path,
                source,
            }
        };
        self.file.write_all(&text).map_err(io("write"))?;
        self.file.flush().map_err(io("write"))?;
        self.file.sync_data().map_err(io("sync"))?;
        self.next_turn += 1;
        self.previous = Some(snapshot);
        self.dialogue.clone_from(dialogue);
        Ok(())
    }

    /// Records a turn: its report, the utterance (none for the opening) and the negotiation's
    /// state after it.
    pub fn record_turn(
        &mut self,
        utterance: Option<&str>,
        report: &TurnReport,
        negotiation: &Negotiation,
    ) -> Result<(), RecordError> {
        let line = RecordLine::new(&self.session, utterance, report, negotiation);
        self.append(&line)
    }
}

/// What [`prune`] removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// The records removed, oldest first.
    pub removed: Vec<PathBuf>,
    /// Their bytes.
    pub bytes: u64,
}

/// Retention: removes finished records of `directory` older than `max_age_days`, then, oldest
/// first, while all records take more than `max_total_mb`. A limit of 0 is no limit. Only
/// `*.jsonl` files whose last complete line finished the negotiation are removed: never an
/// unfinished record (it may be resumed), one that does not load, or any other file.
pub fn prune(
    directory: &Path,
    max_age_days: u32,
    max_total_mb: u64,
) -> Result<PruneReport, RecordError> {
    let mut report = PruneReport::default();
    if directory.as_os_str().is_empty() || (max_age_days == 0 && max_total_mb == 0) {
        return Ok(report);
    }
    let dir_error = |source| RecordError::Directory {
        action: "read",
        path: directory.to_path_buf(),
        source,
    };
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(report),
        Err(e) => return Err(dir_error(e)),
    };
    // (modified, path, bytes, finished) of every record file.
    let mut records = Vec::new();
    for entry in entries {
        let path = entry.map_err(dir_error)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(EXTENSION) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
        let finished = load(&path).is_ok_and(|r| r.is_finished());
        records.push((modified, path, meta.len(), finished));
    }
    records.sort();
    let mut total: u64 = records.iter().map(|r| r.2).sum();
    let too_old = |modified: std::time::SystemTime| {
        max_age_days > 0
            && modified
                .elapsed()
                .is_ok_and(|age| age.as_secs() > u64::from(max_age_days) * 86_400)
    };
    let too_big = |total: u64| max_total_mb > 0 && total > max_total_mb * 1_000_000;
    for (modified, path, bytes, finished) in records {
        if !finished || !(too_old(modified) || too_big(total)) {
            continue;
        }
        std::fs::remove_file(&path).map_err(|source| RecordError::File {
            action: "remove",
            path: path.clone(),
            source,
        })?;
        total -= bytes;
        report.bytes += bytes;
        report.removed.push(path);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::learned::LearnedParameters;
    use crate::perceive::LexiconDetector;
    use crate::scenario::Scenario;
    use crate::speak::TemplateSpeaker;

    fn negotiation() -> Negotiation {
        let params = Params::default();
        Negotiation::new(
            &params,
            Scenario::builtin(),
            &LearnedParameters::from_prior(&params.hmm),
            Box::new(LexiconDetector::new()),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
    }

    /// A record of the opening and the given debtor lines in `dir`; the negotiation goes on.
    fn record(dir: &Path, lines: &[&str]) -> (Negotiation, RecordWriter) {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        let mut writer = RecordWriter::create(dir, &new_session_id()).unwrap();
        let open = n.open(&mut speaker);
        writer.record_turn(None, &open, &n).unwrap();
        for line in lines {
            let report = n.respond(line, &mut speaker).unwrap();
            writer.record_turn(Some(line), &report, &n).unwrap();
        }
        (n, writer)
    }

    #[test]
    fn every_turn_is_a_line_and_the_file_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let records = dir.path().join("deep/records");
        let (_, writer) = record(&records, &["I need 90 days.", "Ok, deal."]);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(writer.path()), 0o600);
        assert_eq!(mode(&records), 0o700);
        let loaded = load(writer.path()).unwrap();
        assert_eq!(loaded.lines.len(), 3);
        assert_eq!(loaded.torn, None);
        assert!(loaded.is_finished());
        let turns: Vec<u32> = loaded.lines.iter().map(|l| l.turn).collect();
        assert_eq!(turns, [0, 1, 2]);
        assert_eq!(loaded.lines[0].utterance, None);
        assert!(loaded.lines[0].detection.is_none());
        assert_eq!(loaded.lines[1].debtor_offer_days, Some(90));
        assert_eq!(
            loaded.lines[2].agreement.days,
            Some(loaded.lines[1].creditor_offer_days)
        );
        let text = std::fs::read_to_string(writer.path()).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        for key in [
            "version",
            "session",
            "turn",
            "time",
            "utterance",
            "detection",
            "belief",
            "decision",
            "reply",
            "creditor_offer_days",
            "debtor_offer_days",
            "agreement",
            "finished",
            "fallback",
            "snapshot",
        ] {
            assert!(first.get(key).is_some(), "missing {key}");
        }
        assert_eq!(latest(&records).unwrap().as_deref(), Some(writer.path()));
    }

    #[test]
    fn retention_removes_old_and_excess_finished_records_only() {
        let dir = tempfile::tempdir().unwrap();
        let day = std::time::Duration::from_secs(86_400);
        let now = std::time::SystemTime::now();
        let aged = |path: &Path, days: u32| {
            File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(now - day * days)
                .unwrap();
        };
        let (_, old_done) = record(dir.path(), &["I need 90 days.", "Ok, deal."]);
        let (_, old_open) = record(dir.path(), &["I need 90 days."]);
        let (_, new_done) = record(dir.path(), &["I need 60 days.", "Ok, deal."]);
        let learned = dir.path().join("learned.json");
        std::fs::write(&learned, "{}").unwrap();
        aged(old_done.path(), 200);
        aged(old_open.path(), 300);
        aged(new_done.path(), 2);
        aged(&learned, 400);

        assert_eq!(prune(dir.path(), 0, 0).unwrap(), PruneReport::default());
        let report = prune(dir.path(), 180, 0).unwrap();
        assert_eq!(report.removed, [old_done.path()]);
        assert!(old_open.path().exists(), "an unfinished record is kept");
        assert!(learned.exists(), "other files are kept");
        // Over the size limit: finished records go, oldest first, unfinished ones stay.
        assert!(
            prune(dir.path(), 0, 1).unwrap().removed.is_empty(),
            "1 MB holds them"
        );
        let size = |p: &Path| std::fs::metadata(p).unwrap().len() as usize;
        let (open_size, done_size) = (size(old_open.path()), size(new_done.path()));
        // A newest finished record that takes the total half a record over 1 MB.
        let big = dir.path().join("z-big.jsonl");
        std::fs::copy(new_done.path(), &big).unwrap();
        let padding = vec![b' '; 1_000_000 - open_size - done_size / 2 - done_size];
        let mut text = std::fs::read(&big).unwrap();
        text.splice(0..0, padding);
        std::fs::write(&big, text).unwrap();
        let report = prune(dir.path(), 0, 1).unwrap();
        assert_eq!(
            report.removed,
            [new_done.path()],
            "the oldest finished record goes first"
        );
        assert!(old_open.path().exists() && big.exists());
    }

    use crate::sim::scripted::STALLING;

    #[test]
    fn patches_rebuild_the_new_value_and_are_never_longer_than_it() {
        let old = serde_json::json!({
            "same": [1, 2, 3],
            "grew": ["a", "b"],
            "per_index": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
            "shrank": [1, 2, 3],
            "kind": {"x": 1},
            "gone": true,
            "nested": {"deep": {"n": 1, "keep": "long text that stays the same"}},
        });
        let new = serde_json::json!({
            "same": [1, 2, 3],
            "grew": ["a", "b", "c"],
            "per_index": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.5e-300],
            "shrank": [1, 2],
            "kind": [1],
            "nested": {"deep": {"n": 2, "keep": "long text that stays the same"}},
            "added": null,
        });
        let patch = snapshot_patch(&old, &new);
        let text = patch.to_string();
        assert!(
            !text.contains("long text"),
            "unchanged fields left out: {text}"
        );
        assert!(!text.contains("same"), "{text}");
        assert!(text.contains(r#""grew":{"p":["c"]}"#), "{text}");
        assert!(
            text.contains(r#""per_index":{"a":[7,1.5e-300]}"#) && text.contains(r#""kind":[1]"#),
            "{text}"
        );
        assert!(text.contains(r#""d":["gone"]"#), "{text}");
        let mut rebuilt = old.clone();
        apply_snapshot_patch(&mut rebuilt, &patch).unwrap();
        assert_eq!(rebuilt, new);
        // A small value is cheaper replaced than patched.
        let small = snapshot_patch(&serde_json::json!([1, 2]), &serde_json::json!([3, 4]));
        assert_eq!(small, serde_json::json!([3, 4]));
        let object = snapshot_patch(&serde_json::json!(1), &serde_json::json!({"o": 2}));
        assert_eq!(
            object,
            serde_json::json!({"v": {"o": 2}}),
            "an object value is wrapped"
        );
        // Equal values still give a patch that applies.
        let mut same = old.clone();
        apply_snapshot_patch(&mut same, &snapshot_patch(&old, &old)).unwrap();
        assert_eq!(same, old);
        // Patches that do not fit say where.
        let mut target = serde_json::json!({"a": [1]});
        let err =
            apply_snapshot_patch(&mut target, &serde_json::json!({"o": {"a": {"a": [5, 0]}}}))
                .unwrap_err();
        assert!(
            err.contains("/a") && err.contains("past its 1 items"),
            "{err}"
        );
        let err = apply_snapshot_patch(&mut target, &serde_json::json!({"x": 1})).unwrap_err();
        assert!(err.contains("no known kind"), "{err}");
    }

    #[test]
    fn a_long_negotiation_with_patches_resumes_from_a_patch_line_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let every = 3;
        let stop = 14; // 14 % 3 != 0: the last line kept is a patch.
        let mut whole = negotiation();
        let mut n = negotiation();
        let (mut speaker_whole, mut speaker) = (TemplateSpeaker::new(1), TemplateSpeaker::new(1));
        let mut writer = RecordWriter::create(dir.path(), &new_session_id())
            .unwrap()
            .snapshot_every(every);
        let open = n.open(&mut speaker);
        assert_eq!(whole.open(&mut speaker_whole), open);
        writer.record_turn(None, &open, &n).unwrap();
        let mut snapshots = vec![whole.snapshot()];
        for i in 0..stop {
            let utterance = STALLING[i % STALLING.len()];
            let report = n.respond(utterance, &mut speaker).unwrap();
            assert!(
                !report.finished,
                "the negotiation must still go on at turn {}",
                i + 1
            );
            writer.record_turn(Some(utterance), &report, &n).unwrap();
            whole.respond(utterance, &mut speaker_whole).unwrap();
            snapshots.push(whole.snapshot());
        }
        drop((n, writer));

        let text =
            std::fs::read_to_string(session_path(dir.path(), &load_only(dir.path()))).unwrap();
        for (turn, line) in text.lines().enumerate() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["version"], FORMAT_VERSION);
            let is_whole = value.get("snapshot").is_some();
            assert_eq!(is_whole, turn % every as usize == 0, "line of turn {turn}");
            assert_eq!(value.get("snapshot_patch").is_some(), !is_whole);
            assert!(
                !line.contains("\"dialogue\""),
                "the dialogue is left to the utterances and replies: {line}"
            );
        }
        let path = latest(dir.path()).unwrap().unwrap();
        let loaded = load(&path).unwrap();
        let rebuilt: Vec<&NegotiationSnapshot> = loaded.lines.iter().map(|l| &l.snapshot).collect();
        assert_eq!(
            rebuilt,
            snapshots.iter().collect::<Vec<_>>(),
            "every snapshot rebuilt"
        );
        let bits = |b: &[f64]| b.iter().map(|p| p.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(&loaded.lines[stop].snapshot.belief),
            bits(&snapshots[stop].belief)
        );

        // Resumed from the patch line: the same replies, to the end, and its record loads.
        let mut resumed = loaded
            .resume(&Params::default(), Box::new(LexiconDetector::new()))
            .unwrap();
        let mut writer = RecordWriter::reopen(&loaded).unwrap().snapshot_every(every);
        let mut i = stop;
        loop {
            let utterance = STALLING[i % STALLING.len()];
            let expected = whole.respond(utterance, &mut speaker_whole).unwrap();
            let report = resumed.respond(utterance, &mut speaker).unwrap();
            assert_eq!(report, expected, "turn {}", i + 1);
            writer
                .record_turn(Some(utterance), &report, &resumed)
                .unwrap();
            i += 1;
            if report.finished {
                break;
            }
        }
        let reloaded = load(&path).unwrap();
        assert!(reloaded.is_finished());
        assert_eq!(reloaded.lines.len(), i + 1);
        assert_eq!(reloaded.lines.last().unwrap().snapshot, whole.snapshot());
        let last = std::fs::read_to_string(&path).unwrap();
        let last: serde_json::Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
        assert!(
            last.get("snapshot").is_some(),
            "the finishing line is whole"
        );
    }

    /// The session of the only record in `dir`.
    fn load_only(dir: &Path) -> String {
        let path = latest(dir).unwrap().unwrap();
        load(&path).unwrap().session().unwrap().to_string()
    }

    #[test]
    fn records_of_format_1_still_load_and_resume_in_the_current_format() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        let session = new_session_id();
        let path = session_path(dir.path(), &session);
        // Format 1: every line a whole snapshot, written as the line struct serialises.
        let mut text = String::new();
        let open = n.open(&mut speaker);
        let mut lines = vec![RecordLine::new(&session, None, &open, &n)];
        for utterance in &STALLING[..3] {
            let report = n.respond(utterance, &mut speaker).unwrap();
            lines.push(RecordLine::new(&session, Some(utterance), &report, &n));
        }
        for line in &mut lines {
            line.version = 1;
            text.push_str(&serde_json::to_string(line).unwrap());
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.lines.len(), lines.len());
        for (read, written) in loaded.lines.iter().zip(&lines) {
            assert!(read.snapshot == written.snapshot, "turn {}", written.turn);
            assert_eq!((read.version, &read.reply), (1, &written.reply));
        }

        let mut writer = RecordWriter::reopen(&loaded).unwrap();
        let report = n.respond(STALLING[3], &mut speaker).unwrap();
        writer.record_turn(Some(STALLING[3]), &report, &n).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        let added: serde_json::Value =
            serde_json::from_str(written.lines().last().unwrap()).unwrap();
        assert_eq!(added["version"], FORMAT_VERSION);
        assert!(added.get("snapshot_patch").is_some());
        assert_eq!(load(&path).unwrap().lines[4].snapshot, n.snapshot());

        // A patch is not format 1.
        let mut patched = written.lines().map(str::to_string).collect::<Vec<_>>();
        patched[4] =
            patched[4].replacen(&format!("\"version\":{FORMAT_VERSION}"), "\"version\":1", 1);
        std::fs::write(&path, patched.join("\n") + "\n").unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(
            err.contains("line 5 is bad") && err.contains("format 1"),
            "{err}"
        );
    }

    #[test]
    fn records_of_format_2_with_the_dialogue_in_their_patches_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        let session = new_session_id();
        let path = session_path(dir.path(), &session);
        // Format 2 as it was written: a whole snapshot first, then patches between whole
        // snapshots that hold the dialogue.
        let full = |line: &RecordLine| serde_json::to_value(&line.snapshot).unwrap();
        let open = n.open(&mut speaker);
        let mut lines = vec![RecordLine::new(&session, None, &open, &n)];
        let mut text = String::new();
        let mut previous: Option<serde_json::Value> = None;
        for i in 0..4 {
            if i > 0 {
                let report = n.respond(STALLING[i], &mut speaker).unwrap();
                lines.push(RecordLine::new(&session, Some(STALLING[i]), &report, &n));
            }
            let line = &lines[i];
            let mut value = serde_json::to_value(line).unwrap();
            value["version"] = 2.into();
            if let Some(before) = &previous {
                let fields = value.as_object_mut().unwrap();
                fields.remove("snapshot");
                let patch = snapshot_patch(before, &full(line));
                assert!(patch.to_string().contains("dialogue"), "{patch}");
                fields.insert("snapshot_patch".into(), patch);
            }
            previous = Some(full(line));
            text.push_str(&value.to_string());
            text.push('\n');
        }
        std::fs::write(&path, text).unwrap();
        let loaded = load(&path).unwrap();
        let read: Vec<_> = loaded.lines.iter().map(|l| &l.snapshot).collect();
        assert_eq!(read, lines.iter().map(|l| &l.snapshot).collect::<Vec<_>>());

        // Resumed, it goes on in the current format.
        let mut writer = RecordWriter::reopen(&loaded).unwrap();
        let report = n.respond(STALLING[4], &mut speaker).unwrap();
        writer.record_turn(Some(STALLING[4]), &report, &n).unwrap();
        let reloaded = load(&path).unwrap();
        assert_eq!(reloaded.lines[4].version, FORMAT_VERSION);
        assert_eq!(reloaded.lines[4].snapshot, n.snapshot());
    }

    #[test]
    fn a_dialogue_that_is_not_the_lines_own_is_kept_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        let mut writer = RecordWriter::create(dir.path(), &new_session_id()).unwrap();
        let open = n.open(&mut speaker);
        writer.record_turn(None, &open, &n).unwrap();
        let report = n.respond(STALLING[0], &mut speaker).unwrap();
        // A caller that records another utterance than the one the negotiation heard.
        let mut line = RecordLine::new(writer.session(), Some("something else"), &report, &n);
        writer.append(&line).unwrap();
        let text = std::fs::read_to_string(writer.path()).unwrap();
        assert!(text.lines().nth(1).unwrap().contains("\"dialogue\""));
        let loaded = load(writer.path()).unwrap();
        assert_eq!(loaded.lines[1].snapshot.dialogue, n.snapshot().dialogue);
        line.version = FORMAT_VERSION;
        assert_eq!(loaded.lines[1], line);
    }

    #[test]
    fn a_patch_that_does_not_apply_is_a_bad_line_named_by_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let (_, writer) = record(dir.path(), &STALLING[..3]);
        let path = writer.path().to_path_buf();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let patched = |i: usize, f: &dyn Fn(&mut serde_json::Value)| {
            let mut value: serde_json::Value = serde_json::from_str(lines[i]).unwrap();
            f(&mut value);
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out[i] = value.to_string();
            std::fs::write(&path, out.join("\n") + "\n").unwrap();
            load(&path).unwrap_err().to_string()
        };
        // The dialogue patched at an index it does not have.
        let err = patched(2, &|v| {
            v["snapshot_patch"]["o"]["dialogue"] = serde_json::json!({"a": [99, 1]});
        });
        assert!(
            err.contains("line 3 is bad")
                && err.contains("/dialogue")
                && err.contains("2 lines before it"),
            "{err}"
        );
        // A patch of the wrong kind for the field.
        let err = patched(1, &|v| {
            v["snapshot_patch"]["o"]["turn"] = serde_json::json!({"p": [1]});
        });
        assert!(
            err.contains("line 2 is bad") && err.contains("/turn"),
            "{err}"
        );
        // A patch that applies but leaves a snapshot of the wrong shape.
        let err = patched(1, &|v| {
            v["snapshot_patch"]["o"]["turn"] = serde_json::json!({"v": "one"});
        });
        assert!(err.contains("line 2 is bad"), "{err}");
        // A first line with a patch has nothing to apply it to.
        let err = patched(0, &|v| {
            let snapshot = v.as_object_mut().unwrap().remove("snapshot").unwrap();
            v["snapshot_patch"] = serde_json::json!({"v": snapshot});
        });
        assert!(
            err.contains("line 1 is bad") && err.contains("no snapshot"),
            "{err}"
        );
        // A format newer than this build's is refused.
        let newer = FORMAT_VERSION + 1;
        let err = patched(0, &|v| v["version"] = newer.into());
        assert!(
            err.contains("line 1 is bad") && err.contains(&format!("version {newer}")),
            "{err}"
        );
    }

    #[test]
    fn a_torn_last_line_is_reported_cut_off_and_never_glued_onto() {
        let dir = tempfile::tempdir().unwrap();
        let (mut n, writer) = record(dir.path(), &["I need 90 days."]);
        let path = writer.path().to_path_buf();
        drop(writer);
        let whole = std::fs::read(&path).unwrap();
        // A power cut in the middle of the next line's write.
        let mut speaker = TemplateSpeaker::new(1);
        let report = n.respond("I lost my job.", &mut speaker).unwrap();
        let line = RecordLine::new(
            &load(&path).unwrap().lines[0].session,
            Some("I lost my job."),
            &report,
            &n,
        );
        let text = serde_json::to_string(&line).unwrap();
        let mut torn = whole.clone();
        torn.extend_from_slice(&text.as_bytes()[..text.len() / 2]);
        std::fs::write(&path, &torn).unwrap();

        let loaded = load(&path).unwrap();
        assert_eq!(loaded.lines.len(), 2);
        let t = loaded.torn.unwrap();
        assert_eq!((t.line, t.offset), (3, whole.len() as u64));
        let message = loaded.torn_error().unwrap().to_string();
        assert!(message.contains("line 3 is torn"), "{message}");

        // Resuming: the fragment is cut off, the turn is taken again and lands on line 3.
        let mut resumed = loaded
            .resume(&Params::default(), Box::new(LexiconDetector::new()))
            .unwrap();
        let mut writer = RecordWriter::reopen(&loaded).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), whole);
        let again = resumed.respond("I lost my job.", &mut speaker).unwrap();
        assert_eq!(again, report);
        writer
            .record_turn(Some("I lost my job."), &again, &resumed)
            .unwrap();
        let reloaded = load(&path).unwrap();
        assert_eq!(reloaded.torn, None);
        assert_eq!(reloaded.lines.len(), 3);
        assert_eq!(reloaded.lines[2].snapshot, n.snapshot());
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let (_, writer) = record(dir.path(), &["I need 90 days.", "No."]);
        let path = writer.path().to_path_buf();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();

        let corrupt = format!("{}\n{{\"version\":1,\n{}\n", lines[0], lines[2]);
        std::fs::write(&path, corrupt).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("line 2 is bad"), "{err}");

        let skipped = format!("{}\n{}\n", lines[0], lines[2]);
        std::fs::write(&path, skipped).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.contains("turn 2 where turn 1"),
            "{err}"
        );

        let other = lines[1].replacen("\"session\":\"", "\"session\":\"x", 1);
        std::fs::write(&path, format!("{}\n{other}\n", lines[0])).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("session"), "{err}");
    }

    #[test]
    fn appends_out_of_order_and_bad_places_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (mut n, mut writer) = record(dir.path(), &[]);
        let report = n
            .respond("I need 90 days.", &mut TemplateSpeaker::new(1))
            .unwrap();
        let mut line = RecordLine::new(writer.session(), None, &report, &n);
        line.turn = 5;
        assert!(matches!(
            writer.append(&line),
            Err(RecordError::OutOfOrder { .. })
        ));
        assert!(RecordWriter::create(dir.path(), "../escape").is_err());
        assert!(RecordWriter::create(dir.path(), writer.session()).is_err());
        let file = dir.path().join("plain-file");
        std::fs::write(&file, "x").unwrap();
        let err = RecordWriter::create(&file, "s1").unwrap_err().to_string();
        assert!(
            err.contains("plain-file") && err.contains("record.directory"),
            "{err}"
        );
        let err = RecordWriter::create(&file.join("below"), "s1")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("below") && err.contains("record.directory"),
            "{err}"
        );
    }
}
