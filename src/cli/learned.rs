//! `learned show|merge`: what the agent learned, in words, and the fleet's files added up.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::CliError;
use crate::decide::context_name;
use crate::emotion::Emotion;
use crate::learned::Ledger;
use crate::params::Params;
use crate::track::Disposition;

/// What to do with learned-parameters files.
#[derive(Debug, clap::Subcommand)]
pub enum LearnedCommand {
    /// Print what was learned, in words: negotiations per robot, which tones worked for each
    /// type of debtor, how the belief about a debtor moves after each tone.
    Show {
        /// The file (default: the one the agent uses, `negotiation.learned_path` or
        /// `learned.json` in `record.directory`).
        path: Option<PathBuf>,
    },
    /// Add up the files of several robots: per robot, its newest contribution, so a file
    /// merged twice counts once. All must have started from the same priors.
    Merge {
        /// The files to merge.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the merged file (written atomically; may be one of the inputs).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs `learned show` or `learned merge`.
pub fn learned(params: &Params, command: LearnedCommand) -> Result<(), CliError> {
    match command {
        LearnedCommand::Show { path } => {
            let path = path.or_else(|| params.learned_file()).ok_or_else(|| {
                CliError::Usage(
                    "no learned file: give a path, or set negotiation.learned_path or record.directory"
                        .into(),
                )
            })?;
            let ledger = Ledger::load(&path)?.ok_or_else(|| {
                CliError::Usage(format!(
                    "{} does not exist: nothing has been learned there yet",
                    path.display()
                ))
            })?;
            super::chat::write_out(&describe(&ledger, &path.display().to_string()))
        }
        LearnedCommand::Merge { inputs, out } => {
            let mut merged: Option<Ledger> = None;
            for path in &inputs {
                let ledger = Ledger::load(path)?
                    .ok_or_else(|| CliError::Usage(format!("{} does not exist", path.display())))?;
                match &mut merged {
                    None => merged = Some(ledger),
                    Some(m) => m.merge(&ledger, path)?,
                }
            }
            let mut merged = merged.expect("clap requires one input");
            merged.robot.clear();
            merged.save(&out)?;
            let learned = merged.learned();
            super::chat::write_out(&format!(
                "{}: {} from {} robot{}",
                out.display(),
                negotiations(learned.negotiations),
                merged.contributions.len(),
                if merged.contributions.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ))
        }
    }
}

/// "1 negotiation", "2 negotiations".
fn negotiations(n: u64) -> String {
    format!("{n} negotiation{}", if n == 1 { "" } else { "s" })
}

/// What a ledger holds, for a person.
fn describe(ledger: &Ledger, name: &str) -> String {
    let learned = ledger.learned();
    let mut out = String::new();
    let owner = if ledger.robot.is_empty() {
        "a merged file".to_string()
    } else {
        format!("robot {}", ledger.robot)
    };
    let _ = writeln!(
        out,
        "{name}: {owner}, {} learned",
        negotiations(learned.negotiations)
    );
    if ledger.base.negotiations > 0 {
        let _ = writeln!(
            out,
            "  {} before robots were counted (an older file)",
            ledger.base.negotiations
        );
    }
    for (robot, c) in &ledger.contributions {
        let _ = writeln!(
            out,
            "  {robot}: {}, the last {}",
            negotiations(c.sequence),
            c.last_session
        );
    }

    let _ = writeln!(
        out,
        "\nWhich tones worked, by debtor type (after the tone, how much more of the gap to our offer the debtor gave up; replies scored, shared between the types a debtor resembled):"
    );
    let tones = &learned.tones;
    let mut any = false;
    for (row, counts) in tones.turns.iter().enumerate() {
        let mut scored: Vec<(Emotion, f64, f64)> = Emotion::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| **n >= 0.5)
            .map(|(e, n)| (*e, tones.gain[row][e.index()] / n, *n))
            .collect();
        if scored.is_empty() {
            continue;
        }
        any = true;
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let list: Vec<String> = scored
            .iter()
            .map(|(e, gain, n)| format!("{} {:+.0}% ({n:.1} replies)", e.name(), gain * 100.0))
            .collect();
        let _ = writeln!(out, "  {}: {}", context_name(row), list.join(", "));
    }
    if !any {
        let _ = writeln!(out, "  nothing scored yet");
    }

    let _ = writeln!(
        out,
        "\nHow the belief moves after each of our tones (chance a debtor stays; where it goes otherwise), for the tones learned from:"
    );
    // Only tones that turns were learned from: the others still move the belief as the priors
    // say, and printing them would hide what changed.
    let mut unlearned = Vec::new();
    for creditor in Emotion::ALL {
        let table = &learned.hmm.transition[creditor.index()];
        let prior = &ledger.base.hmm.transition[creditor.index()];
        let mass = |t: &[[f64; Disposition::COUNT]; Disposition::COUNT]| -> f64 {
            t.iter().flatten().sum()
        };
        let turns = mass(table) - mass(prior);
        if turns < 0.5 {
            unlearned.push(creditor.name());
            continue;
        }
        let parts: Vec<String> = Disposition::ALL
            .iter()
            .map(|from| {
                let row = &table[from.index()];
                let total: f64 = row.iter().sum();
                let stay = row[from.index()] / total;
                let (to, p) = Disposition::ALL
                    .iter()
                    .filter(|to| *to != from)
                    .map(|to| (*to, row[to.index()] / total))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .expect("three others");
                format!(
                    "{} stays {:.0}% (else {} {:.0}%)",
                    from.name(),
                    stay * 100.0,
                    to.name(),
                    p * 100.0
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  after {} ({turns:.0} turns): {}",
            creditor.name(),
            parts.join("; ")
        );
    }
    if unlearned.len() == Emotion::ALL.len() {
        let _ = writeln!(out, "  none yet: the priors hold");
    } else if !unlearned.is_empty() {
        let _ = writeln!(
            out,
            "  not used yet, so as the priors say: {}",
            unlearned.join(", ")
        );
    }

    let mut corrections: Vec<String> = Vec::new();
    for debtor in Emotion::ALL {
        for creditor in Emotion::ALL {
            let v = learned.payoff.0[debtor.index()][creditor.index()];
            if v.abs() >= 0.005 {
                corrections.push(format!("{} to {}: {v:+.2}", creditor.name(), debtor.name()));
            }
        }
    }
    let _ = writeln!(
        out,
        "\nPayoff corrections (answering the debtor's emotion with ours, by outcome): {}",
        if corrections.is_empty() {
            "none".to_string()
        } else {
            corrections.join(", ")
        }
    );
    out
}
