//! `eval-tactics`: precision and recall of the tactic detector on labelled debtor lines, with the
//! lexicon's emotion accuracy on the same lines.

use std::path::PathBuf;

use super::CliError;
use crate::perceive::LexiconDetector;
use crate::perceive::tactic_eval::{default_eval_date, evaluate_tactics};

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
    /// Print the report, misses and false alarms included, as one JSON object.
    #[arg(long)]
    json: bool,
    /// Also list every miss and false alarm after the table.
    #[arg(long)]
    verbose: bool,
}

/// Runs `eval-tactics`.
pub fn eval_tactics(args: EvalTacticsArgs) -> Result<(), CliError> {
    let report = evaluate_tactics(
        &args.lines,
        &LexiconDetector::new(),
        args.today.unwrap_or_else(default_eval_date),
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
