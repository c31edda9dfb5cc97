//! `simulate`: the agent-to-agent evaluation, written as report.md, results.json and SVG charts.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use super::{CliError, Components, SpeakerKind};
use crate::decide::PolicyMode;
use crate::emotion::Emotion;
use crate::params::Params;
use crate::scenario::load_scenarios;
use crate::sim::harness::{DebtorVoice, Opponent, PolicyRun, ScriptedVoice, SimPlan};
use crate::sim::metrics::{learning_curve, summaries};
use crate::sim::report::{Results, RunInfo, report_markdown, results_json, write_file};
use crate::sim::{BlindKind, FamilyHalf, FamilyKind, Persona, plots};

/// Who phrases the simulated debtor's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DebtorKind {
    /// The persona's template lines as they are.
    Scripted,
    /// The language model rewrites each template line, keeping its number.
    Slm,
}

/// `--family-half`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HalfArg {
    /// The tuning half.
    Tune,
    /// The held-out half.
    HeldOut,
}

impl From<HalfArg> for FamilyHalf {
    fn from(half: HalfArg) -> Self {
        match half {
            HalfArg::Tune => FamilyHalf::Tune,
            HalfArg::HeldOut => FamilyHalf::HeldOut,
        }
    }
}

/// Arguments of `simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Scenario file: our YAML format or a CRAD scenarios.json.
    #[arg(long, value_name = "PATH")]
    scenarios: PathBuf,
    /// Only the first N scenarios of the file.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Debtors, comma-separated: "all" (the nine personas) or some of vanilla, angry, sad,
    /// fearful, disgusted, threatening, cheating, playing-victim, stonewalling; "family" (the
    /// six kinds of the drawn family) or some of family-hardship, family-volatile, family-liar,
    /// family-complacent, family-staller, family-steady; "blind" (the six kinds of the family
    /// written blind to the agent) or some of blind-hardship, blind-volatile, blind-liar,
    /// blind-complacent, blind-shrewd, blind-plain.
    #[arg(long, default_value = "all")]
    personas: String,
    /// Which half of the family the family debtors are drawn from: tune (for deciding about the
    /// policy) or held-out (for judging it, once).
    #[arg(long, value_enum, default_value_t = HalfArg::HeldOut)]
    family_half: HalfArg,
    /// Policies, comma-separated: eq, eq-frozen (EQ without learning carried across
    /// negotiations, for the learning curve), vanilla, random, payoff-only, hmm-only,
    /// fixed:<emotion> (or fixed:all for all seven).
    #[arg(long, default_value = "eq,eq-frozen,vanilla,random")]
    policy: String,
    /// Who phrases the agent's replies.
    #[arg(long, value_enum, default_value_t = SpeakerKind::Template)]
    speaker: SpeakerKind,
    /// Who phrases the debtor's words.
    #[arg(long, value_enum, default_value_t = DebtorKind::Scripted)]
    debtor: DebtorKind,
    /// Seed of the debtors, the random policy and the bootstrap.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (created if absent).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Show a progress bar with an ETA on stderr even when it is not a terminal.
    #[arg(long)]
    progress: bool,
    /// Keep every dialogue in results.json.
    #[arg(long)]
    transcripts: bool,
}

/// Parses `--personas`.
pub fn parse_personas(text: &str) -> Result<Vec<Opponent>, CliError> {
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let group: Vec<Opponent> = match name {
            "all" => Persona::ALL.map(Opponent::Persona).to_vec(),
            "family" => FamilyKind::ALL.map(Opponent::Family).to_vec(),
            "blind" => BlindKind::ALL.map(Opponent::Blind).to_vec(),
            _ => vec![Opponent::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Persona::ALL
                    .iter()
                    .map(|p| p.name())
                    .chain(FamilyKind::ALL.iter().map(|k| k.name()))
                    .chain(BlindKind::ALL.map(|k| Opponent::Blind(k).name()))
                    .collect();
                CliError::Usage(format!(
                    "unknown debtor {name:?}: expected all, family, blind, or some of {}",
                    names.join(", ")
                ))
            })?],
        };
        for p in group {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    if out.is_empty() {
        return Err(CliError::Usage("--personas names no persona".into()));
    }
    Ok(out)
}

/// Parses `--policy`.
pub fn parse_policies(text: &str) -> Result<Vec<PolicyRun>, CliError> {
    let mut out: Vec<PolicyRun> = Vec::new();
    let push = |run: PolicyRun, out: &mut Vec<PolicyRun>| {
        if !out.contains(&run) {
            out.push(run);
        }
    };
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let mode = match name {
            "eq" | "eq-frozen" => PolicyMode::Eq,
            "vanilla" => PolicyMode::Vanilla,
            "random" => PolicyMode::Random(0),
            "payoff-only" => PolicyMode::PayoffOnly,
            "hmm-only" => PolicyMode::HmmOnly,
            other if other.starts_with("linear:") => {
                let n = other["linear:".len()..]
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=100).contains(n))
                    .ok_or_else(|| {
                        CliError::Usage(format!(
                            "--policy {other}: expected linear:N with N exchanges from 1 to 100"
                        ))
                    })?;
                PolicyMode::Linear(n)
            }
            "fixed:all" => {
                for e in Emotion::ALL {
                    push(PolicyRun::learning(PolicyMode::Fixed(e)), &mut out);
                }
                continue;
            }
            other => match other.strip_prefix("fixed:") {
                Some(e) => PolicyMode::Fixed(
                    e.parse::<Emotion>()
                        .map_err(|err| CliError::Usage(format!("--policy {other}: {err}")))?,
                ),
                None => {
                    return Err(CliError::Usage(format!(
                        "unknown policy {other:?}: expected eq, eq-frozen, vanilla, random, \
                         payoff-only, hmm-only, linear:<N>, fixed:<emotion> or fixed:all"
                    )));
                }
            },
        };
        push(
            PolicyRun {
                mode,
                learning: name != "eq-frozen",
            },
            &mut out,
        );
    }
    if out.is_empty() {
        return Err(CliError::Usage("--policy names no policy".into()));
    }
    Ok(out)
}

/// A progress bar with an ETA on stderr.
struct Progress {
    enabled: bool,
    start: Instant,
    last_drawn: Option<Instant>,
}

impl Progress {
    fn update(&mut self, done: usize, total: usize) {
        if !self.enabled || total == 0 {
            return;
        }
        let now = Instant::now();
        if done < total && self.last_drawn.is_some_and(|t| (now - t).as_millis() < 200) {
            return;
        }
        self.last_drawn = Some(now);
        let elapsed = (now - self.start).as_secs_f64();
        let eta = if done > 0 {
            elapsed / done as f64 * (total - done) as f64
        } else {
            0.0
        };
        let width = 30;
        let filled = done * width / total;
        let bar: String = "#".repeat(filled) + &"-".repeat(width - filled);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{bar}] {done}/{total} negotiations, {elapsed:.0}s elapsed, ETA {eta:.0}s "
        );
        if done == total {
            let _ = writeln!(err);
        }
        let _ = err.flush();
    }
}

/// Runs `simulate`.
pub fn simulate(params: &Params, args: SimulateArgs) -> Result<(), CliError> {
    let personas = parse_personas(&args.personas)?;
    let policies = parse_policies(&args.policy)?;
    let mut scenarios = load_scenarios(&args.scenarios)?;
    if let Some(limit) = args.limit {
        scenarios.truncate(limit);
    }
    std::fs::create_dir_all(&args.out).map_err(|source| CliError::Io {
        what: "creating the output folder",
        source,
    })?;
    let mut components = Components::new(params);
    let mut speaker = components.speaker(Some(args.speaker))?;
    let mut voice: Box<dyn DebtorVoice> = match args.debtor {
        DebtorKind::Scripted => Box::new(ScriptedVoice),
        #[cfg(feature = "llm")]
        DebtorKind::Slm => Box::new(crate::sim::slm_debtor::SlmDebtorVoice::new(
            components.llm()?,
            0.7,
        )),
        #[cfg(not(feature = "llm"))]
        DebtorKind::Slm => return Err(super::without_llm("--debtor slm")),
    };
    let plan = SimPlan {
        params,
        scenarios: &scenarios,
        personas: &personas,
        family_half: args.family_half.into(),
        policies: &policies,
        seed: args.seed,
        transcripts: args.transcripts,
    };
    let mut progress = Progress {
        enabled: args.progress || std::io::stderr().is_terminal(),
        start: Instant::now(),
        last_drawn: None,
    };
    let results = plan.run(speaker.as_mut(), voice.as_mut(), &mut |done, total| {
        progress.update(done, total)
    })?;

    let sim = &params.sim;
    let table = summaries(&results, sim.bootstrap_samples, sim.confidence, args.seed);
    let mut curve = Vec::new();
    for run in &policies {
        if run.mode == PolicyMode::Eq {
            curve.extend(learning_curve(&results, &run.name(), sim.curve_windows));
        }
    }
    let info = RunInfo {
        scenarios: args.scenarios.display().to_string(),
        scenario_count: scenarios.len(),
        personas: personas.iter().map(|p| p.name().to_string()).collect(),
        policies: policies.iter().map(PolicyRun::name).collect(),
        speaker: format!("{:?}", args.speaker).to_lowercase(),
        debtor: format!("{:?}", args.debtor).to_lowercase(),
        family_half: personas
            .iter()
            .any(|p| matches!(p, Opponent::Family(_)))
            .then(|| FamilyHalf::from(args.family_half).name().to_string()),
        seed: args.seed,
        bootstrap_samples: sim.bootstrap_samples,
        confidence: sim.confidence,
    };
    let report = report_markdown(&info, &table, &curve, &results);
    write_file(&args.out.join("report.md"), &report)?;
    let json = results_json(&Results {
        run: &info,
        summaries: &table,
        learning_curve: &curve,
        negotiations: &results,
    });
    write_file(&args.out.join("results.json"), &json)?;
    let charts = plots::draw_all(&args.out, &table, &curve)?;
    println!(
        "{} negotiations; wrote report.md, results.json, {} in {}",
        results.len(),
        charts.join(", "),
        args.out.display()
    );
    Ok(())
}
