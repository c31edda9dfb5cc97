//! The command-line adapter: `eq_negotiator <subcommand>`.
//!
//! Every subcommand reads the same [`Params`] (`--params FILE`, `--set group.key=value`), builds
//! the pieces it needs from the core, and prints plain text or JSON lines. Errors are reported
//! once, with what to do, and give exit status 1.

mod bench;
#[cfg(feature = "llm")]
mod bench_llm;
mod chat;
mod eval_tactics;
mod eval_voice;
mod learned;
mod record;
mod simulate;
mod voice_corpus;

use std::io::{BufRead, IsTerminal, Write};

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use serde::Serialize;

use crate::emotion::EmotionDistribution;
use crate::learned::LearnedError;
use crate::params::{Params, ParamsError};
use crate::perceive::eval::{EvalError, evaluate};
use crate::perceive::{EmotionDetector, LexiconDetector, Tactic, TacticDetector, read_offer};
use crate::scenario::ScenarioError;

/// Errors of the command line; each wraps the failing layer's error with its context.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Parameters file or overrides.
    #[error(transparent)]
    Params(#[from] ParamsError),
    /// Scenario file.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Learned-parameters file.
    #[error(transparent)]
    Learned(#[from] LearnedError),
    /// Negotiation record.
    #[error(transparent)]
    Record(#[from] crate::record::RecordError),
    /// Emotion evaluation data.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// Tactic evaluation data.
    #[error(transparent)]
    TacticEval(#[from] crate::perceive::tactic_eval::TacticEvalError),
    /// Voice evaluation data.
    #[error(transparent)]
    VoiceEval(#[from] crate::speak::voice_eval::VoiceEvalError),
    /// The ROS 2 node.
    #[cfg(feature = "ros")]
    #[error(transparent)]
    Node(#[from] crate::ros::NodeError),
    /// The agent-to-agent simulation.
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
    /// The language model.
    #[cfg(feature = "llm")]
    #[error(transparent)]
    Llm(#[from] crate::llm::LlmError),
    /// Reading stdin or writing stdout.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// An argument that parsed but makes no sense.
    #[error("{0}")]
    Usage(String),
}

/// Negotiates debt repayment plans with emotional intelligence, on the device.
#[derive(Debug, Parser)]
#[command(name = "eq_negotiator", version, about)]
pub struct Cli {
    /// YAML parameters file (see config/eq_negotiator.yaml); defaults apply to absent keys.
    #[arg(long, global = true, value_name = "FILE")]
    pub params: Option<PathBuf>,
    /// Override one parameter, e.g. --set policy.gate_window=6 (repeatable).
    #[arg(long = "set", global = true, value_name = "GROUP.KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Log filter for messages on stderr (error, warn, info, debug, trace, or a tracing filter).
    #[arg(long, global = true, default_value = "warn")]
    pub log: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Negotiate in the terminal: debtor lines on stdin, the agent's replies on stdout.
    Chat(chat::ChatArgs),
    /// Run a whole negotiation against a scripted debtor and print the conversation.
    Demo(chat::DemoArgs),
    /// Read debtor lines on stdin (one debtor's successive utterances); print one JSON line each
    /// with the emotion distribution, tactics and offer.
    Classify {
        /// Emotion detector.
        #[arg(long, value_enum, default_value_t = DetectorKind::Lexicon)]
        detector: DetectorKind,
        /// The date the words are spoken (YYYY-MM-DD) for phrases like "by the 15th"; today if absent.
        #[arg(long, value_name = "DATE")]
        today: Option<chrono::NaiveDate>,
    },
    /// Measure an emotion detector on a labelled TSV file (text, label ids, id).
    EvalEmotion {
        /// The TSV file, e.g. ../shared/data/goemotions-ekman/test.tsv.
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
        /// Emotion detector.
        #[arg(long, value_enum, default_value_t = DetectorKind::Lexicon)]
        detector: DetectorKind,
        /// Print the report as one JSON object instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Measure the tactic detector on labelled debtor lines (JSON lines: text, context,
    /// tactics, emotion): precision and recall per tactic, and the lexicon's emotion accuracy.
    EvalTactics(eval_tactics::EvalTacticsArgs),
    /// Play written dialogues into real negotiations and score every spoken reply: passing the
    /// listener's check and the guardrails, first tries, template help, tone, time to speak.
    EvalVoice(eval_voice::EvalVoiceArgs),
    /// Measure the listener's check on replies a person judged (JSON lines: debtor, reply,
    /// tone, opening, debtor_name, creditor, defect).
    EvalListener {
        /// The judged replies, e.g. tests/data/voice/listener_tune.jsonl.
        #[arg(long, value_name = "PATH")]
        lines: PathBuf,
        /// Also list every miss and false alarm.
        #[arg(long)]
        verbose: bool,
        /// Without the grounding rule, as the agent hears a speaker that writes whole replies
        /// (`llm.reply_shape=whole`).
        #[arg(long)]
        ungrounded: bool,
    },
    /// Print the voice adapter's training examples (JSON lines: chat messages and the target
    /// lead) from written corpus files; used by scripts/train-voice.
    VoiceCorpus {
        /// Corpus files (JSON lines: debtor, leads per tone), e.g. train/voice/corpus_a.jsonl.
        #[arg(long, value_name = "PATH", required = true)]
        corpus: Vec<PathBuf>,
        /// Scenario file whose parties the examples use in turn.
        #[arg(long, value_name = "PATH", default_value = "scenarios/default.yaml")]
        scenarios: PathBuf,
    },
    /// Print a benchmark table.
    Bench(bench::BenchArgs),
    /// Agent-to-agent evaluation: policies against simulated debtor personas over a scenario
    /// file; writes report.md, results.json and SVG charts.
    Simulate(simulate::SimulateArgs),
    /// Print the effective parameters as YAML (defaults, file and overrides applied).
    Params,
    /// Read a negotiation record (`<record.directory>/<session>.jsonl`).
    #[command(subcommand)]
    Record(record::RecordCommand),
    /// What the agent learned: `learned show [FILE]` in words, `learned merge A B --out C` to
    /// add up the files of several robots.
    #[command(subcommand)]
    Learned(learned::LearnedCommand),
    /// Run the ROS 2 node (feature `ros`): transcripts in, replies sentence by sentence out.
    /// Every parameter is also a ROS parameter: `node --ros-args -p node.speaker:=template
    /// --params-file config/eq_negotiator.yaml`.
    Node {
        /// ROS arguments, from `--ros-args` on; ROS itself reads them.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ROS_ARGS"
        )]
        ros_args: Vec<String>,
    },
}

pub use crate::params::{DetectorKind, SpeakerKind};

/// Builds detectors and speakers; the language model is started once, when first needed.
pub(crate) struct Components<'p> {
    params: &'p Params,
    #[cfg(feature = "llm")]
    llm: Option<crate::llm::LlmHandle>,
}

impl<'p> Components<'p> {
    pub(crate) fn new(params: &'p Params) -> Self {
        Components {
            params,
            #[cfg(feature = "llm")]
            llm: None,
        }
    }

    #[cfg(feature = "llm")]
    fn llm(&mut self) -> Result<crate::llm::LlmHandle, CliError> {
        if self.llm.is_none() {
            let handle = crate::llm::LlmHandle::start(&self.params.llm)?;
            tracing::info!(info = ?handle.info(), "language model loaded");
            self.llm = Some(handle);
        }
        Ok(self.llm.clone().expect("just started"))
    }

    pub(crate) fn detector(
        &mut self,
        kind: DetectorKind,
    ) -> Result<Box<dyn EmotionDetector>, CliError> {
        match kind {
            DetectorKind::Lexicon => Ok(Box::new(LexiconDetector::new())),
            #[cfg(feature = "llm")]
            DetectorKind::Slm => Ok(Box::new(crate::llm::SlmDetector::new(
                self.llm()?,
                self.params.llm.reader_prior,
            ))),
            #[cfg(feature = "llm")]
            DetectorKind::Fused => Ok(Box::new(crate::perceive::FusedDetector::new(
                Box::new(LexiconDetector::new()),
                Box::new(crate::llm::SlmDetector::new(
                    self.llm()?,
                    self.params.llm.reader_prior,
                )),
                self.params.llm.fused_lexicon_weight,
            ))),
            #[cfg(not(feature = "llm"))]
            DetectorKind::Slm | DetectorKind::Fused => Err(without_llm("--detector slm or fused")),
        }
    }

    /// The speaker asked for; without a choice, the language model when its file is present,
    /// else the template speaker.
    pub(crate) fn speaker(
        &mut self,
        kind: Option<SpeakerKind>,
    ) -> Result<Box<dyn crate::speak::Speaker>, CliError> {
        self.interruptible_speaker(kind, crate::speak::Interrupt::new())
    }

    /// Makes the detector of each new negotiation; the model, if one is needed, is started now.
    #[cfg_attr(not(feature = "ros"), allow(dead_code))]
    pub(crate) fn detector_factory(
        &mut self,
        kind: DetectorKind,
    ) -> Result<crate::agent::DetectorFactory, CliError> {
        self.detector(kind)?;
        let params = self.params.clone();
        #[cfg(feature = "llm")]
        let llm = self.llm.clone();
        Ok(Box::new(move || {
            let mut components = Components {
                params: &params,
                #[cfg(feature = "llm")]
                llm: llm.clone(),
            };
            components
                .detector(kind)
                .expect("the detector was built once already")
        }))
    }

    /// [`Components::speaker`] whose replies `interrupt` can cut short (barge-in).
    pub(crate) fn interruptible_speaker(
        &mut self,
        kind: Option<SpeakerKind>,
        #[cfg_attr(not(feature = "llm"), allow(unused_variables))]
        interrupt: crate::speak::Interrupt,
    ) -> Result<Box<dyn crate::speak::Speaker>, CliError> {
        let template = || {
            Box::new(crate::speak::TemplateSpeaker::new(
                self.params.negotiation.seed,
            ))
        };
        let kind = kind.filter(|k| *k != SpeakerKind::Auto).unwrap_or_else(|| {
            if cfg!(feature = "llm") && self.params.llm.model_path.is_file() {
                SpeakerKind::Slm
            } else {
                if cfg!(feature = "llm") {
                    tracing::warn!(
                        model = %self.params.llm.model_path.display(),
                        "no language model file here (run scripts/fetch-model); the template speaker phrases the replies"
                    );
                }
                SpeakerKind::Template
            }
        });
        match kind {
            SpeakerKind::Template | SpeakerKind::Auto => Ok(template()),
            #[cfg(feature = "llm")]
            SpeakerKind::Slm => Ok(Box::new(
                crate::llm::SlmSpeaker::new(self.llm()?, &self.params.llm)
                    .with_interrupt(interrupt),
            )),
            #[cfg(not(feature = "llm"))]
            SpeakerKind::Slm => Err(without_llm("--speaker slm")),
        }
    }
}

/// `eq_negotiator node`: the ROS 2 node, until the process is stopped.
#[cfg(feature = "ros")]
fn node(cli: &Cli) -> Result<(), CliError> {
    let components: crate::ros::ComponentsFactory = std::sync::Arc::new(|params, interrupt| {
        let mut components = Components::new(params);
        let detectors = components
            .detector_factory(params.node.detector)
            .map_err(|e| e.to_string())?;
        let speaker = components
            .interruptible_speaker(Some(params.node.speaker), interrupt)
            .map_err(|e| e.to_string())?;
        Ok((detectors, speaker))
    });
    Ok(crate::ros::run(
        cli.params.as_deref(),
        &cli.overrides,
        components,
    )?)
}

#[cfg(not(feature = "ros"))]
fn node(_: &Cli) -> Result<(), CliError> {
    Err(CliError::Usage(
        "this build has no ROS 2 node: run scripts/setup-ros, `source scripts/ros-env`, and build with `--features ros`".into(),
    ))
}

#[cfg(not(feature = "llm"))]
fn without_llm(what: &str) -> CliError {
    CliError::Usage(format!(
        "{what} needs the language model: build with the `llm` feature (on by default)"
    ))
}

/// Parses the command line, runs it, and returns the process exit status.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log);
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = log_filter(filter).unwrap_or_else(|e| {
        eprintln!("warning: --log {filter:?} is not a log filter ({e}); logging warnings only");
        log_filter("warn").expect("a plain level parses")
    });
    let stderr = std::io::stderr();
    // Colour codes only for a person at a terminal; a log file or journal gets plain text.
    let colour = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Tracing target of llama.cpp's own log lines, as llama-cpp-2 forwards them.
const LLAMA_CPP_TARGET: &str = "llama-cpp-2";

/// The `--log` filter, with llama.cpp's own lines kept to warnings and errors unless the filter
/// asks for debug (or finer) or names their target: llama.cpp logs about 140 lines of model
/// metadata at info on every load, which would bury the node's own info lines.
fn log_filter(text: &str) -> Result<tracing_subscriber::EnvFilter, String> {
    use tracing_subscriber::filter::LevelFilter;
    let filter = tracing_subscriber::EnvFilter::builder()
        .parse(text)
        .map_err(|e| e.to_string())?;
    let most = filter.max_level_hint();
    if most.is_some_and(|level| level >= LevelFilter::DEBUG) || text.contains(LLAMA_CPP_TARGET) {
        return Ok(filter);
    }
    // Never more than the filter lets through elsewhere: `--log error` and `off` stay that.
    let ceiling = most.map_or(LevelFilter::WARN, |level| level.min(LevelFilter::WARN));
    let quiet = format!("{LLAMA_CPP_TARGET}={ceiling}")
        .parse()
        .map_err(|e: tracing_subscriber::filter::ParseError| e.to_string())?;
    Ok(filter.add_directive(quiet))
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Node { .. } = cli.command {
        return node(&cli);
    }
    let params = Params::load(cli.params.as_deref(), &cli.overrides)?;
    match cli.command {
        Command::Node { .. } => unreachable!("handled above"),
        Command::Chat(args) => chat::chat(&params, args),
        Command::Demo(args) => chat::demo(&params, args),
        Command::Classify { detector, today } => classify(
            Components::new(&params).detector(detector)?.as_ref(),
            today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        ),
        Command::EvalEmotion {
            data,
            detector,
            json,
        } => {
            let detector = Components::new(&params).detector(detector)?;
            let report = evaluate(detector.as_ref(), &data)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&report).expect("report serialises")
                );
            } else {
                println!("{report}");
            }
            Ok(())
        }
        Command::EvalTactics(args) => eval_tactics::eval_tactics(args),
        Command::EvalVoice(args) => eval_voice::eval_voice(&params, args),
        Command::VoiceCorpus { corpus, scenarios } => {
            voice_corpus::voice_corpus(&corpus, &scenarios)
        }
        Command::EvalListener {
            lines,
            verbose,
            ungrounded,
        } => eval_voice::eval_listener(&lines, verbose, ungrounded),
        Command::Bench(args) => bench::bench(&params, &args),
        Command::Simulate(args) => simulate::simulate(&params, args),
        Command::Params => {
            print!("{}", params.to_yaml());
            Ok(())
        }
        Command::Record(command) => record::record(command),
        Command::Learned(command) => learned::learned(&params, command),
    }
}

fn open_ledger(params: &Params) -> Result<crate::learned::Ledger, CliError> {
    Ok(crate::agent::open_ledger(params)?)
}

/// One output line of `classify`.
#[derive(Serialize)]
struct Classification<'a> {
    text: &'a str,
    emotion: crate::emotion::Emotion,
    distribution: EmotionDistribution,
    tactics: Vec<Tactic>,
    offer_days: Option<u32>,
    accepts: bool,
    rejects: bool,
    stance: crate::perceive::StanceSignals,
}

fn classify(detector: &dyn EmotionDetector, today: chrono::NaiveDate) -> Result<(), CliError> {
    let mut tactics = TacticDetector::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin_lines() {
        let line = line?;
        let distribution = detector.detect(&line);
        let reading = read_offer(&line, today);
        let record = Classification {
            text: &line,
            emotion: distribution.most_likely(),
            distribution,
            tactics: tactics.observe(&line, &reading),
            offer_days: reading.offer_days(),
            accepts: reading.accepts,
            rejects: reading.rejects,
            stance: crate::perceive::read_signals(&line),
        };
        writeln!(
            out,
            "{}",
            serde_json::to_string(&record).expect("serialises")
        )
        .map_err(|source| CliError::Io {
            what: "writing stdout",
            source,
        })?;
    }
    Ok(())
}

/// Longest input line kept, in bytes; the rest of a longer line is dropped (with a warning), so a
/// runaway writer cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Lines of stdin without their line ending; invalid UTF-8 is replaced, never fatal.
fn stdin_lines() -> impl Iterator<Item = Result<String, CliError>> {
    let mut input = std::io::stdin().lock();
    std::iter::from_fn(move || match read_bounded_line(&mut input) {
        Ok(None) => None,
        Ok(Some(mut bytes)) => {
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            Some(Ok(String::from_utf8_lossy(&bytes).into_owned()))
        }
        Err(source) => Some(Err(CliError::Io {
            what: "reading stdin",
            source,
        })),
    })
}

/// One line of at most [`MAX_LINE_BYTES`] bytes; `None` at end of input.
fn read_bounded_line(input: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let mut dropped = 0usize;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        let (chunk, found_end) = match buffer.iter().position(|b| *b == b'\n') {
            Some(i) => (&buffer[..i], Some(i + 1)),
            None => (buffer, None),
        };
        let room = MAX_LINE_BYTES - line.len();
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        dropped += chunk.len().saturating_sub(room);
        let consumed = found_end.unwrap_or(buffer.len());
        input.consume(consumed);
        if found_end.is_some() {
            if dropped > 0 {
                tracing::warn!(
                    dropped,
                    "input line longer than {MAX_LINE_BYTES} bytes; the rest was dropped"
                );
            }
            return Ok(Some(line));
        }
    }
    if line.is_empty() && dropped == 0 {
        Ok(None)
    } else {
        Ok(Some(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_and_line_ends_respected() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let text = format!("short\r\n{long}\nlast");
        let mut input = std::io::BufReader::with_capacity(7, text.as_bytes());
        assert_eq!(read_bounded_line(&mut input).unwrap().unwrap(), b"short\r");
        assert_eq!(
            read_bounded_line(&mut input).unwrap().unwrap().len(),
            MAX_LINE_BYTES
        );
        assert_eq!(read_bounded_line(&mut input).unwrap().unwrap(), b"last");
        assert_eq!(read_bounded_line(&mut input).unwrap(), None);
    }

    /// The lines that reach the log under `filter`: one llama.cpp info, one llama.cpp warning,
    /// one info and one debug line of our own.
    fn logged_under(filter: &str) -> String {
        #[derive(Clone, Default)]
        struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(log_filter(filter).unwrap())
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "llama-cpp-2", "llama model loader metadata");
            tracing::warn!(target: "llama-cpp-2", "llama warning");
            tracing::info!("our info");
            tracing::debug!("our debug");
        });
        String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn llama_cpp_info_lines_appear_only_at_debug_or_when_named() {
        let info = logged_under("info");
        assert!(info.contains("our info") && info.contains("llama warning"));
        assert!(!info.contains("metadata") && !info.contains("our debug"));
        let warn = logged_under("warn");
        assert!(warn.contains("llama warning") && !warn.contains("our info"));
        let debug = logged_under("debug");
        assert!(debug.contains("metadata") && debug.contains("our debug"));
        let error = logged_under("error");
        assert!(!error.contains("llama warning") && !error.contains("our info"));
        assert!(logged_under("off").is_empty());
        let named = logged_under("warn,llama-cpp-2=info");
        assert!(named.contains("metadata") && !named.contains("our info"));
    }

    #[test]
    fn a_bad_log_filter_is_an_error() {
        assert!(log_filter("info,[[[").is_err());
    }
}
