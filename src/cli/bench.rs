//! `bench core`: what one turn costs, stage by stage, and whole negotiations against the
//! scripted debtor; `bench record`: what a record takes on disk and how long resuming takes.
//! Prints a table; nothing here asserts a time.

use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::CliError;
use crate::decide::{ConcessionCurve, DebtorTurn, EmotionPolicy, Pressure, check_agreement};
use crate::emotion::Emotion;
use crate::learned::LearnedParameters;
use crate::negotiation::Negotiation;
use crate::params::Params;
use crate::perceive::{EmotionDetector, LexiconDetector, TacticDetector, read_offer, read_signals};
use crate::record::{RecordLine, RecordWriter};
use crate::scenario::Scenario;
use crate::sim::ScriptedDebtor;
use crate::speak::TemplateSpeaker;
use crate::track::DispositionTracker;

/// What `bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchTarget {
    /// Perceive, track and decide, stage by stage, and whole negotiations (no language model).
    Core,
    /// Record bytes per turn (format 1, whole snapshots, against format 3, patches without the
    /// dialogue) for 10, 20 and 30 turns, and the time to resume the newest of
    /// `--negotiations` records.
    Record,
    /// The language-model pipeline against a bare llama-cpp-2 loop (needs the `llm` feature).
    Llm,
    /// The bare loop alone, as a child process of `bench llm` (prints JSON).
    #[value(hide = true)]
    LlmBare,
    /// The prompts of `bench llm` as the bare loop reads them (a JSON array of texts), for
    /// `scripts/bench-peer` to give llama-cpp-python the same ones.
    #[value(hide = true)]
    LlmPrompts,
}

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// What to measure.
    #[arg(value_enum)]
    pub target: BenchTarget,
    /// Number of whole negotiations against the scripted debtor.
    #[arg(long, default_value_t = 1000)]
    pub negotiations: usize,
    /// Debtor turns of the scripted dialogue whose prompts `llm` times.
    #[arg(long, default_value_t = 20)]
    pub turns: usize,
    /// `llm`: another llama.cpp binding's figures on the same prompts (a JSON file written by
    /// scripts/bench-peer), printed beside the bare loop's.
    #[arg(long, value_name = "FILE")]
    pub peer: Option<std::path::PathBuf>,
}

/// Runs the benchmark and prints its table.
pub fn bench(params: &Params, args: &BenchArgs) -> Result<(), CliError> {
    let BenchArgs {
        target,
        negotiations,
        turns,
        ..
    } = *args;
    if negotiations == 0 {
        return Err(CliError::Usage("--negotiations must be at least 1".into()));
    }
    let llm = matches!(
        target,
        BenchTarget::Llm | BenchTarget::LlmBare | BenchTarget::LlmPrompts
    );
    let limit = params.negotiation.max_turns as usize;
    if llm && !(1..=limit).contains(&turns) {
        return Err(CliError::Usage(format!(
            "--turns must be from 1 to negotiation.max_turns ({limit}): the scripted dialogue ends there"
        )));
    }
    match target {
        BenchTarget::Core => {
            bench_core(params, negotiations);
            Ok(())
        }
        BenchTarget::Record => bench_record(params, negotiations),
        #[cfg(feature = "llm")]
        BenchTarget::Llm => super::bench_llm::bench_llm(params, turns, args.peer.as_deref()),
        #[cfg(feature = "llm")]
        BenchTarget::LlmBare => super::bench_llm::bench_llm_bare(params, turns),
        #[cfg(feature = "llm")]
        BenchTarget::LlmPrompts => super::bench_llm::bench_llm_prompts(params, turns),
        #[cfg(not(feature = "llm"))]
        BenchTarget::Llm | BenchTarget::LlmBare | BenchTarget::LlmPrompts => {
            Err(super::without_llm("bench llm"))
        }
    }
}

/// Median and 95th percentile of samples, in microseconds.
fn summary(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[i].as_secs_f64() * 1e6
    };
    (at(0.5), at(0.95))
}

fn bench_core(params: &Params, negotiations: usize) {
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date");
    let scenario = Scenario::builtin();
    let prior = LearnedParameters::from_prior(&params.hmm);

    // Whole negotiations, timing every debtor turn; learning carries from one to the next.
    let mut turn_times = Vec::new();
    let mut negotiation_times = Vec::new();
    let mut utterances = Vec::new();
    let mut agreements = 0;
    let mut learned = prior.clone();
    let started = Instant::now();
    for i in 0..negotiations {
        let begin = Instant::now();
        let mut debtor = ScriptedDebtor::new(&scenario, 0.35, i as u64);
        let mut speaker = TemplateSpeaker::new(i as u64);
        let mut negotiation = Negotiation::new(
            params,
            scenario.clone(),
            &learned,
            Box::new(LexiconDetector::new()),
            today,
        );
        let mut report = negotiation.open(&mut speaker);
        while !report.finished {
            let line = debtor.answer(report.offer_days, report.creditor_emotion);
            let t = Instant::now();
            report = negotiation
                .respond(&line, &mut speaker)
                .expect("loop stops at the end");
            turn_times.push(t.elapsed());
            if utterances.len() < 2000 {
                utterances.push(line);
            }
        }
        agreements += usize::from(report.agreement.reached);
        learned = negotiation.learned();
        negotiation_times.push(begin.elapsed());
    }
    let total = started.elapsed();

    // The stages alone, on the same utterances.
    let detector = LexiconDetector::new();
    let mut tactics = TacticDetector::new();
    let mut tracker = DispositionTracker::new(&params.hmm, None);
    let mut policy = EmotionPolicy::new(&params.policy, Default::default());
    let mut curve = ConcessionCurve::new(14, 45, &params.offer);
    let (mut lexicon, mut offers, mut tactic_times, mut hmm, mut decide) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for line in &utterances {
        let t = Instant::now();
        let distribution = detector.detect(line);
        lexicon.push(t.elapsed());
        let t = Instant::now();
        let reading = read_offer(line, today);
        offers.push(t.elapsed());
        let t = Instant::now();
        let found = tactics.observe(line, &reading);
        tactic_times.push(t.elapsed());
        let t = Instant::now();
        tracker.observe(Emotion::Neutral, &distribution);
        hmm.push(t.elapsed());
        let t = Instant::now();
        let choice = policy.choose(distribution.most_likely(), &tracker);
        let pressure = if found.is_empty() {
            Pressure::Normal
        } else {
            Pressure::Manipulation
        };
        let signals = read_signals(line);
        let offer = curve.next_offer(&DebtorTurn {
            days: reading.offer_days(),
            final_word: signals.final_word,
            leaving: signals.leaving,
            hostility: distribution.get(Emotion::Anger) + distribution.get(Emotion::Disgust),
            pressure,
        });
        std::hint::black_box((choice, check_agreement(&reading, offer, offer, 5, 45)));
        decide.push(t.elapsed());
    }

    // Hostile input: one 100 kB utterance through each reader, to show the cost stays bounded.
    let huge = "I lost my job!!! not 30 days, you crooks, I'll sue. ".repeat(2_000);
    let mut huge_times: Vec<(&str, Duration)> = Vec::new();
    let t = Instant::now();
    std::hint::black_box(detector.detect(&huge));
    huge_times.push(("100 kB utterance: lexicon emotion", t.elapsed()));
    let t = Instant::now();
    let reading = read_offer(&huge, today);
    huge_times.push(("100 kB utterance: offer reader", t.elapsed()));
    let t = Instant::now();
    std::hint::black_box(TacticDetector::new().observe(&huge, &reading));
    huge_times.push(("100 kB utterance: tactics", t.elapsed()));
    let facts = crate::decide::ReplyFacts {
        offer_days: 30,
        balance: scenario.balance,
        today,
    };
    let sample_reply = "I'm sorry things have been so hard. Could you settle within 30 days?";
    let mut guard_times: Vec<Duration> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(crate::decide::check_reply(sample_reply, &facts));
            t.elapsed()
        })
        .collect();

    println!(
        "bench core: {negotiations} negotiations against the scripted debtor, {} debtor turns, {} agreements",
        turn_times.len(),
        agreements
    );
    println!("{:<52} {:>12} {:>12}", "measure", "median µs", "p95 µs");
    let rows: [(&str, &mut Vec<Duration>); 8] = [
        ("perceive: lexicon emotion", &mut lexicon),
        ("perceive: offer reader", &mut offers),
        ("perceive: tactics", &mut tactic_times),
        ("track: HMM filter + online learning", &mut hmm),
        ("decide: policy + concession + agreement", &mut decide),
        ("decide: guardrails on one reply", &mut guard_times),
        (
            "turn: perceive+track+decide+template+guardrails",
            &mut turn_times,
        ),
        ("whole negotiation", &mut negotiation_times),
    ];
    for (name, samples) in rows {
        let (median, p95) = summary(samples);
        println!("{name:<52} {median:>12.2} {p95:>12.2}");
    }
    for (name, took) in huge_times {
        println!("{name:<52} {:>12.1} (one call)", took.as_secs_f64() * 1e6);
    }
    println!(
        "{:<52} {:>12.1} ms (target per turn: under 50 µs)",
        format!("{negotiations} negotiations, total"),
        total.as_secs_f64() * 1e3
    );
}

use crate::sim::scripted::STALLING;

/// Records `turns` debtor turns of a stalling negotiation (template speaker) in `directory`,
/// through [`RecordWriter`]; returns the record file, its lines, and the bytes the same lines
/// take in format 1 (every line a whole snapshot).
fn stalling_record(
    params: &Params,
    directory: &std::path::Path,
    turns: usize,
) -> Result<(std::path::PathBuf, usize, usize), CliError> {
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date");
    let mut negotiation = Negotiation::new(
        params,
        Scenario::builtin(),
        &LearnedParameters::from_prior(&params.hmm),
        Box::new(LexiconDetector::new()),
        today,
    );
    let mut speaker = TemplateSpeaker::new(1);
    let session = crate::record::new_session_id();
    let mut writer =
        RecordWriter::create(directory, &session)?.snapshot_every(params.record.snapshot_every);
    let mut old_bytes = 0;
    let mut lines = 0;
    let mut keep = |writer: &mut RecordWriter,
                    utterance: Option<&str>,
                    report: &crate::negotiation::TurnReport,
                    negotiation: &Negotiation|
     -> Result<(), CliError> {
        let mut line = RecordLine::new(&session, utterance, report, negotiation);
        writer.append(&line)?;
        line.version = 1;
        old_bytes += serde_json::to_vec(&line)
            .expect("record lines serialise")
            .len()
            + 1;
        lines += 1;
        Ok(())
    };
    let report = negotiation.open(&mut speaker);
    keep(&mut writer, None, &report, &negotiation)?;
    for utterance in STALLING.iter().cycle().take(turns) {
        let report = negotiation
            .respond(utterance, &mut speaker)
            .map_err(|e| CliError::Usage(format!("bench record: {e}")))?;
        keep(&mut writer, Some(utterance), &report, &negotiation)?;
        if report.finished {
            break;
        }
    }
    Ok((writer.path().to_path_buf(), lines, old_bytes))
}

fn bench_record(params: &Params, records: usize) -> Result<(), CliError> {
    let directory =
        std::env::temp_dir().join(format!("eq-negotiator-bench-record-{}", std::process::id()));
    let result = bench_record_in(params, records, &directory);
    let _ = std::fs::remove_dir_all(&directory);
    result
}

fn bench_record_in(
    params: &Params,
    records: usize,
    directory: &std::path::Path,
) -> Result<(), CliError> {
    let every = params.record.snapshot_every;
    println!(
        "bench record: stalling negotiations (template speaker), whole snapshot every {every} turns (record.snapshot_every)"
    );
    println!(
        "{:>12} {:>6} {:>14} {:>14} {:>14} {:>14}",
        "debtor turns", "lines", "format 1 B", "format 1 B/turn", "format 3 B", "format 3 B/turn"
    );
    for turns in [10, 20, 30] {
        let mut p = params.clone();
        p.negotiation.max_turns = turns as u32;
        let (path, lines, old_bytes) = stalling_record(&p, directory, turns)?;
        let new_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as usize;
        println!(
            "{turns:>12} {lines:>6} {old_bytes:>14} {:>14.0} {new_bytes:>14} {:>14.0}",
            old_bytes as f64 / lines as f64,
            new_bytes as f64 / lines as f64
        );
        std::fs::remove_file(&path).ok();
    }

    // The newest of `records` unfinished 25-turn records (its last line a patch unless
    // snapshot_every divides 25): find it, load it, resume it.
    let (template, _, _) = stalling_record(params, directory, 25)?;
    let now = std::time::SystemTime::now();
    for i in 0..records {
        let path = directory.join(format!("bench-{i:06}.{}", crate::record::EXTENSION));
        let io = |source| crate::record::RecordError::File {
            action: "write",
            path: path.clone(),
            source,
        };
        std::fs::copy(&template, &path).map_err(io)?;
        let age = Duration::from_secs((records - i) as u64);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(now - age))
            .map_err(io)?;
    }
    std::fs::remove_file(&template).ok();
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let path = crate::record::latest(directory)?
            .ok_or_else(|| CliError::Usage("bench record: no record written".into()))?;
        let record = crate::record::load(&path)?;
        let negotiation = record.resume(params, Box::new(LexiconDetector::new()))?;
        times.push(t.elapsed());
        std::hint::black_box(negotiation.turn());
    }
    let (median, p95) = summary(&mut times);
    println!(
        "resume the newest of {records} records (latest + load + resume), 20 runs: median {:.2} ms, p95 {:.2} ms (target: under 50 ms)",
        median / 1e3,
        p95 / 1e3
    );
    Ok(())
}
