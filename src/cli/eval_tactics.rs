//! `eval-tactics`: precision and recall of the tactic detector on labelled debtor lines, with the
//! lexicon's emotion accuracy on the same lines.

use std::path::PathBuf;

use super::CliError;
use crate::perceive::tactic_eval::{Detection, default_eval_date, evaluate_tactics_with};
use crate::perceive::{LexiconDetector, TacticModel};

/// Which reader of tactics `eval-tactics` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DetectorChoice {
    /// The rules with the learned model beside them, as the agent runs them.
    Both,
    /// The rules alone.
    Rules,
    /// The learned model alone, on each text without its context.
    Model,
}

/// Arguments of `eval-tactics`.
#[derive(Debug, clap::Args)]
pub struct EvalTacticsArgs {
    /// JSON lines file of labelled debtor lines ({"text", "context", "tactics", "emotion"}), e.g.
    /// tests/data/tactics/set_a.jsonl.
    #[arg(long, value_name = "PATH")]
    lines: PathBuf,
    /// The date the lines are spoken (YYYY-MM-DD) for phrases like "by the 15th"; 2025-03-10 if
    /// absent, so runs are reproducible.
    #[arg(long, value_name = "DATE")]
    today: Option<chrono::NaiveDate>,
    /// Which reader to measure: both (rules and model, the default), rules, or model.
    #[arg(long, value_enum, default_value_t = DetectorChoice::Both)]
    detector: DetectorChoice,
    /// Train the model on these labelled lines files instead of the built-in training set
    /// (repeatable), e.g. `--train tests/data/tactics/set_a.jsonl --train
    /// tests/data/tactics/own_paraphrases.jsonl --lines tests/data/tactics/set_b.jsonl` to measure
    /// it on a set it never saw.
    #[arg(long, value_name = "PATH")]
    train: Vec<PathBuf>,
    /// Print the report, misses and false alarms included, as one JSON object.
    #[arg(long)]
    json: bool,
    /// Also list every miss and false alarm after the table.
    #[arg(long)]
    verbose: bool,
}

/// Runs `eval-tactics`.
pub fn eval_tactics(args: EvalTacticsArgs) -> Result<(), CliError> {
    let trained;
    let model = if args.train.is_empty() {
        TacticModel::builtin()
    } else {
        let mut files = Vec::new();
        for path in &args.train {
            files.push(std::fs::read_to_string(path).map_err(|e| {
                CliError::Usage(format!("cannot read --train {}: {e}", path.display()))
            })?);
        }
        let texts: Vec<&str> = files.iter().map(String::as_str).collect();
        trained = TacticModel::train_on_jsonl(&texts);
        if trained.lines() == 0 {
            return Err(CliError::Usage(
                "--train files hold no labelled line (JSON lines with text and tactics)".into(),
            ));
        }
        &trained
    };
    let detection = match args.detector {
        DetectorChoice::Both => Detection::Combined(model),
        DetectorChoice::Rules => Detection::Rules,
        DetectorChoice::Model => Detection::Model(model),
    };
    let report = evaluate_tactics_with(
        &args.lines,
        &LexiconDetector::new(),
        args.today.unwrap_or_else(default_eval_date),
        detection,
    )?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&report).expect("report serialises")
        );
    } else {
        print!("{report}");
        if args.verbose {
            println!();
            print!("{}", report.mistakes_table());
        }
    }
    Ok(())
}
