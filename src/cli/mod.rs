//! The command-line adapter: `eq_negotiator <subcommand>`.
//!
//! Every subcommand reads the same [`Params`] (`--params FILE`, `--set group.key=value`), builds
//! the pieces it needs from the core, and prints plain text or JSON lines. Errors are reported
//! once, with what to do, and give exit status 1.

mod bench;
mod chat;

use std::io::{BufRead, Write};

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::emotion::EmotionDistribution;
use crate::learned::{LearnedError, LearnedParameters};
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
    /// Emotion evaluation data.
    #[error(transparent)]
    Eval(#[from] EvalError),
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
    /// Print a benchmark table.
    Bench {
        /// What to measure.
        #[arg(value_enum)]
        target: bench::BenchTarget,
        /// Number of whole negotiations against the scripted debtor.
        #[arg(long, default_value_t = 1000)]
        negotiations: usize,
    },
    /// Print the effective parameters as YAML (defaults, file and overrides applied).
    Params,
}

/// The emotion detectors available in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetectorKind {
    /// Keyword lists with negation and intensifiers: microseconds, deterministic.
    Lexicon,
}

impl DetectorKind {
    fn build(self) -> Box<dyn EmotionDetector> {
        match self {
            DetectorKind::Lexicon => Box::new(LexiconDetector::new()),
        }
    }
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
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let params = Params::load(cli.params.as_deref(), &cli.overrides)?;
    match cli.command {
        Command::Chat(args) => chat::chat(&params, args),
        Command::Demo(args) => chat::demo(&params, args),
        Command::Classify { detector } => classify(detector.build().as_ref()),
        Command::EvalEmotion {
            data,
            detector,
            json,
        } => {
            let report = evaluate(detector.build().as_ref(), &data)?;
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
        Command::Bench {
            target,
            negotiations,
        } => bench::bench(&params, target, negotiations),
        Command::Params => {
            print!("{}", params.to_yaml());
            Ok(())
        }
    }
}

/// Learned parameters from `negotiation.learned_path`, or the prior when the path is empty.
fn load_learned(params: &Params) -> Result<LearnedParameters, CliError> {
    let path = &params.negotiation.learned_path;
    if path.as_os_str().is_empty() {
        Ok(LearnedParameters::from_prior(&params.hmm))
    } else {
        Ok(LearnedParameters::load_or_prior(path, &params.hmm)?)
    }
}

/// Saves learned parameters when `negotiation.learned_path` is set.
fn save_learned(params: &Params, learned: &LearnedParameters) -> Result<(), CliError> {
    let path = &params.negotiation.learned_path;
    if !path.as_os_str().is_empty() {
        learned.save(path)?;
    }
    Ok(())
}

/// One output line of `classify`.
#[derive(Serialize)]
struct Classification<'a> {
    text: &'a str,
    emotion: crate::emotion::Emotion,
    distribution: EmotionDistribution,
    tactics: Vec<Tactic>,
    offer_days: Option<u32>,
}

fn classify(detector: &dyn EmotionDetector) -> Result<(), CliError> {
    let today = chrono::Local::now().date_naive();
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

/// Lines of stdin without their line ending; invalid UTF-8 is replaced, never fatal.
fn stdin_lines() -> impl Iterator<Item = Result<String, CliError>> {
    std::io::stdin().lock().split(b'\n').map(|bytes| {
        let mut bytes = bytes.map_err(|source| CliError::Io {
            what: "reading stdin",
            source,
        })?;
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    })
}
