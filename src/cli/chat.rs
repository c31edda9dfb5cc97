//! `chat` (a debtor on stdin) and `demo` (a scripted debtor), printed as text or JSON lines, and
//! recorded turn by turn in `record.directory` before each turn is printed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;

use super::record::{Recording, printable};
use super::{CliError, Components, DetectorKind, SpeakerKind, open_ledger, stdin_lines};
use crate::negotiation::{Negotiation, TurnReport};
use crate::params::Params;
use crate::scenario::{Scenario, load_scenario};
use crate::sim::ScriptedDebtor;

/// Arguments of `chat`.
#[derive(Debug, clap::Args)]
pub struct ChatArgs {
    /// Scenario file: our YAML format or a CRAD scenarios.json; the built-in scenario if absent.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Which scenario of the file (0-based).
    #[arg(long, default_value_t = 0)]
    index: usize,
    /// One JSON line per turn instead of text.
    #[arg(long)]
    json: bool,
    /// Who phrases the replies: the language model when its file is present, else the template.
    #[arg(long, value_enum)]
    speaker: Option<SpeakerKind>,
    /// Emotion detector.
    #[arg(long, value_enum, default_value_t = DetectorKind::Lexicon)]
    detector: DetectorKind,
    /// The date the conversation happens (YYYY-MM-DD) for phrases like "by the 15th"; today if absent.
    #[arg(long, value_name = "DATE")]
    today: Option<NaiveDate>,
    /// Continue the latest negotiation of `record.directory`, left unfinished, from its last
    /// recorded turn (its scenario and date come from the record).
    #[arg(long, conflicts_with_all = ["scenario", "index", "today"])]
    resume: bool,
}

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Scenario file: our YAML format or a CRAD scenarios.json; the built-in scenario if absent.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// Which scenario of the file (0-based).
    #[arg(long, default_value_t = 0)]
    index: usize,
    /// Share of its own target below which the scripted debtor will not go.
    #[arg(long, default_value_t = 0.35)]
    debtor_minimum: f64,
    /// Who phrases the replies: the language model when its file is present, else the template.
    #[arg(long, value_enum)]
    speaker: Option<SpeakerKind>,
    /// One JSON line per turn instead of text.
    #[arg(long)]
    json: bool,
}

fn scenario(file: &Option<PathBuf>, index: usize) -> Result<Scenario, CliError> {
    match file {
        Some(path) => Ok(load_scenario(path, index)?),
        None => Ok(Scenario::builtin()),
    }
}

pub(crate) fn write_out(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|_| out.flush())
        .map_err(|source| CliError::Io {
            what: "writing stdout",
            source,
        })
}

fn print_turn(report: &TurnReport, json: bool) -> Result<(), CliError> {
    if json {
        return write_out(&serde_json::to_string(report).expect("report serialises"));
    }
    let mut text = String::new();
    if let (Some(emotion), Some(distribution)) = (report.debtor_emotion, report.distribution) {
        text.push_str(&format!(
            "  [debtor {emotion} {:.2}",
            distribution.get(emotion)
        ));
        if let Some(days) = report.debtor_offer_days {
            text.push_str(&format!(", asks {days} days"));
        }
        for tactic in &report.tactics {
            text.push_str(&format!(", {:?}: {:?}", tactic.kind, tactic.evidence));
        }
        text.push_str(&format!(
            " | belief {} {:.2}]\n",
            report.belief.most_likely(),
            report.belief.get(report.belief.most_likely())
        ));
    }
    text.push_str(&format!(
        "  [{} -> creditor {}, offer {} days{}]\ncreditor: {}",
        report.strategy,
        report.creditor_emotion,
        report.offer_days,
        if report.fallback {
            ", template fallback"
        } else if report.completed {
            ", offer added by the template"
        } else {
            ""
        },
        report.reply
    ));
    if report.finished {
        text.push_str(&match report.agreement.days {
            Some(days) => format!("\n*** agreement: {days} days ***"),
            None => "\n*** no agreement: turn limit reached ***".to_string(),
        });
    }
    write_out(&text)
}

/// A negotiation with the debtor on stdin; ends at agreement, the turn limit or end of input.
pub fn chat(params: &Params, args: ChatArgs) -> Result<(), CliError> {
    let mut components = Components::new(params);
    let detector = components.detector(args.detector)?;
    let mut ledger = open_ledger(params)?;
    let (mut negotiation, mut recording, start) = if args.resume {
        let (negotiation, recording, start) = Recording::resume(params, detector)?;
        if !args.json
            && let Some(last) = negotiation.dialogue().last()
        {
            write_out(&format!(
                "(resuming after turn {})\ncreditor: {}",
                negotiation.turn(),
                printable(&last.text)
            ))?;
        }
        (negotiation, recording, start)
    } else {
        let scenario = scenario(&args.scenario, args.index)?;
        let start = ledger.learned();
        let today = args
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        (
            Negotiation::new(params, scenario, &start, detector, today),
            Recording::start(params)?,
            start,
        )
    };
    let mut speaker = components.speaker(args.speaker)?;
    if !args.resume {
        let report = negotiation.open(speaker.as_mut());
        recording.turn(None, &report, &negotiation)?;
        print_turn(&report, args.json)?;
    }
    // A person at a terminal gets a prompt; piped input is echoed so the transcript reads whole.
    let interactive = std::io::stdin().is_terminal() && !args.json;
    let mut lines = stdin_lines();
    loop {
        if interactive {
            eprint!("you> ");
        }
        let Some(line) = lines.next() else { break };
        let line = line?;
        if line.trim().is_empty() {
            tracing::info!("ignored an empty line: say something to the agent");
            continue;
        }
        if !args.json && !interactive {
            write_out(&format!("debtor: {}", printable(&line)))?;
        }
        let report = negotiation
            .respond(&line, speaker.as_mut())
            .expect("the loop stops when the negotiation finishes");
        recording.turn(Some(&line), &report, &negotiation)?;
        print_turn(&report, args.json)?;
        if report.finished {
            break;
        }
    }
    // The debtor left before an outcome: that is a failed negotiation for learning.
    negotiation.abandon();
    learn(
        params,
        &mut ledger,
        recording.session(),
        &start,
        &negotiation,
    )
}

/// Adds what the negotiation changed to the ledger and saves it.
fn learn(
    params: &Params,
    ledger: &mut crate::learned::Ledger,
    session: &str,
    start: &crate::learned::LearnedParameters,
    negotiation: &Negotiation,
) -> Result<(), CliError> {
    ledger.add_negotiation(session, start, &negotiation.learned());
    crate::agent::save_ledger(params, ledger)?;
    crate::agent::prune_records(params, &params.record.directory);
    Ok(())
}

/// A whole negotiation against the scripted debtor, printed turn by turn.
pub fn demo(params: &Params, args: DemoArgs) -> Result<(), CliError> {
    if !(args.debtor_minimum.is_finite() && (0.0..=1.0).contains(&args.debtor_minimum)) {
        return Err(CliError::Usage(format!(
            "--debtor-minimum must be between 0 and 1, got {}",
            args.debtor_minimum
        )));
    }
    let scenario = scenario(&args.scenario, args.index)?;
    let mut ledger = open_ledger(params)?;
    let learned = ledger.learned();
    let mut debtor = ScriptedDebtor::new(&scenario, args.debtor_minimum, params.negotiation.seed);
    let mut speaker = Components::new(params).speaker(args.speaker)?;
    if !args.json {
        write_out(&format!(
            "Scenario {}: {} owes {} {} ({}), creditor target {} days.",
            scenario.id,
            scenario.debtor,
            scenario.creditor,
            crate::speak::template::format_money(scenario.balance),
            scenario.credit_type,
            scenario.target_days
        ))?;
    }
    let today = chrono::Local::now().date_naive();
    let mut negotiation = Negotiation::new(
        params,
        scenario,
        &learned,
        Box::new(crate::perceive::LexiconDetector::new()),
        today,
    );
    let mut recording = Recording::start(params)?;
    let mut report = negotiation.open(speaker.as_mut());
    recording.turn(None, &report, &negotiation)?;
    print_turn(&report, args.json)?;
    while !report.finished {
        let line = debtor.answer(report.offer_days, report.creditor_emotion);
        if !args.json {
            write_out(&format!("debtor: {line}"))?;
        }
        report = negotiation
            .respond(&line, speaker.as_mut())
            .expect("the loop stops when the negotiation finishes");
        recording.turn(Some(&line), &report, &negotiation)?;
        print_turn(&report, args.json)?;
    }
    if !args.json {
        write_out(&format!(
            "({} turns; replies phrased by the {} speaker, {} replaced by the template after failing the guardrails)",
            negotiation.turn(),
            speaker.name(),
            negotiation.fallbacks()
        ))?;
    }
    learn(
        params,
        &mut ledger,
        recording.session(),
        &learned,
        &negotiation,
    )
}
