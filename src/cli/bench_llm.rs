//! `bench llm`: the language-model pipeline against a bare llama-cpp-2 decode loop, on the same
//! model, threads and prompts (turns 1 to 20 of a scripted dialogue), in the same run.
//!
//! The bare loop runs in a child process (`bench llm-bare`) so that each side's peak memory is
//! its own. Both decode greedily so that they generate comparable text.

use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::CliError;
use crate::learned::LearnedParameters;
use crate::llm::{
    BareStats, GenerationEvent, LlmHandle, Sampling, bare_decode_loop, peak_memory_bytes,
};
use crate::negotiation::Negotiation;
use crate::params::Params;
use crate::perceive::LexiconDetector;
use crate::scenario::Scenario;
use crate::sim::ScriptedDebtor;
use crate::speak::prompt::{Prompt, build_prompt};
use crate::speak::{ReplyKind, ReplyRequest, TemplateSpeaker};

/// Turns of the scripted dialogue.
const TURNS: usize = 20;

/// What the bare loop's child process reports.
#[derive(Serialize, Deserialize)]
struct BareReport {
    turns: Vec<BareStats>,
    peak_memory_bytes: u64,
}

/// The prompts of turns 1..=20: a negotiation with the scripted debtor (who never gives in),
/// phrased by the template speaker, then each turn's reply request rendered as a prompt.
fn bench_prompts(params: &Params) -> Vec<Prompt> {
    let scenario = Scenario::builtin();
    let mut debtor = ScriptedDebtor::new(&scenario, 1.0, 3);
    let mut speaker = TemplateSpeaker::new(3);
    let mut negotiation = Negotiation::new(
        params,
        scenario.clone(),
        &LearnedParameters::from_prior(&params.hmm),
        Box::new(LexiconDetector::new()),
        NaiveDate::from_ymd_opt(2026, 1, 15).expect("valid date"),
    );
    let mut report = negotiation.open(&mut speaker);
    let mut reports = Vec::new();
    for _ in 0..TURNS {
        let line = debtor.answer(report.offer_days, report.creditor_emotion);
        report = negotiation
            .respond(&line, &mut speaker)
            .expect("the debtor never accepts and the turn limit is above 20");
        reports.push(report.clone());
    }
    let dialogue = negotiation.dialogue();
    reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            // The dialogue alternates opening, debtor 1, reply 1, ...: turn t ends at debtor t.
            let request = ReplyRequest {
                kind: ReplyKind::Counter,
                emotion: report.creditor_emotion,
                offer_days: report.offer_days,
                scenario: &scenario,
                turn: report.turn,
                temperature: 0.0,
                dialogue: &dialogue[..2 * (i + 1)],
            };
            build_prompt(&request, params.llm.reply_shape, 0)
        })
        .collect()
}

/// The hidden child side: runs the bare loop and prints its report as JSON.
pub fn bench_llm_bare(params: &Params) -> Result<(), CliError> {
    let prompts = bench_prompts(params);
    let turns = bare_decode_loop(&params.llm, &prompts, params.llm.max_reply_tokens as usize)?;
    let report = BareReport {
        turns,
        peak_memory_bytes: peak_memory_bytes().unwrap_or(0),
    };
    println!(
        "{}",
        serde_json::to_string(&report).expect("report serialises")
    );
    Ok(())
}

struct PipelineTurn {
    first_sentence_ms: f64,
    stats: crate::llm::GenerationStats,
}

fn run_pipeline(
    params: &Params,
    prompts: &[Prompt],
) -> Result<(Vec<PipelineTurn>, LlmHandle), CliError> {
    let llm = LlmHandle::start(&params.llm)?;
    let sampling = Sampling {
        temperature: 0.0,
        max_tokens: params.llm.max_reply_tokens,
        max_sentences: params.llm.max_reply_sentences,
    };
    let mut turns = Vec::new();
    for prompt in prompts {
        let sent = Instant::now();
        let generation = llm.generate(prompt.clone(), sampling, None)?;
        let mut first_sentence_ms = None;
        let stats = loop {
            match generation.next_event() {
                Some(GenerationEvent::Sentence { .. }) => {
                    first_sentence_ms.get_or_insert(sent.elapsed().as_secs_f64() * 1e3);
                }
                Some(GenerationEvent::Done(stats)) => break stats,
                Some(GenerationEvent::Failed(e)) => {
                    return Err(CliError::Llm(crate::llm::LlmError::Request(e)));
                }
                None => return Err(CliError::Llm(crate::llm::LlmError::WorkerStopped)),
            }
        };
        turns.push(PipelineTurn {
            first_sentence_ms: first_sentence_ms.unwrap_or(sent.elapsed().as_secs_f64() * 1e3),
            stats,
        });
    }
    Ok((turns, llm))
}

fn run_bare_child(params: &Params) -> Result<BareReport, CliError> {
    let dir = tempfile_dir()?;
    let params_file = dir.join("params.yaml");
    std::fs::write(&params_file, params.to_yaml()).map_err(|source| CliError::Io {
        what: "writing the bench parameters",
        source,
    })?;
    let exe = std::env::current_exe().map_err(|source| CliError::Io {
        what: "finding this executable",
        source,
    })?;
    let output = std::process::Command::new(exe)
        .args([
            "--params",
            &params_file.to_string_lossy(),
            "bench",
            "llm-bare",
        ])
        .output()
        .map_err(|source| CliError::Io {
            what: "running the bare loop",
            source,
        });
    let _ = std::fs::remove_dir_all(&dir);
    let output = output?;
    if !output.status.success() {
        return Err(CliError::Usage(format!(
            "the bare loop failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| CliError::Usage(format!("the bare loop printed no report: {e}")))
}

fn tempfile_dir() -> Result<std::path::PathBuf, CliError> {
    let dir = std::env::temp_dir().join(format!("eq-negotiator-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| CliError::Io {
        what: "creating a temporary directory",
        source,
    })?;
    Ok(dir)
}

fn per_second(tokens: usize, ms: f64) -> f64 {
    if ms > 0.0 {
        tokens as f64 / (ms / 1e3)
    } else {
        0.0
    }
}

/// Runs both sides and prints the table.
pub fn bench_llm(params: &Params) -> Result<(), CliError> {
    let prompts = bench_prompts(params);
    let (turns, llm) = run_pipeline(params, &prompts)?;
    let pipeline_peak = peak_memory_bytes().unwrap_or(0);
    let info = llm.info().clone();
    drop(llm);
    let bare = run_bare_child(params)?;

    let mb = |bytes: u64| bytes as f64 / 1e6;
    let sum = |f: &dyn Fn(&PipelineTurn) -> f64| turns.iter().map(f).sum::<f64>();
    let ours_prompt = per_second(
        turns.iter().map(|t| t.stats.decoded_prompt_tokens).sum(),
        sum(&|t| t.stats.prompt_ms),
    );
    let ours_decode = per_second(
        turns.iter().map(|t| t.stats.generated_tokens).sum(),
        sum(&|t| t.stats.generate_ms),
    );
    let bare_prompt = per_second(
        bare.turns.iter().map(|t| t.prompt_tokens).sum(),
        bare.turns.iter().map(|t| t.prompt_ms).sum(),
    );
    let bare_decode = per_second(
        bare.turns.iter().map(|t| t.generated_tokens).sum(),
        bare.turns.iter().map(|t| t.generate_ms).sum(),
    );
    let limit = info.file_bytes + info.kv_cache_bytes + 64 * 1024 * 1024;

    println!(
        "bench llm: {} ({:.1} MB), context {} tokens (KV cache {:.1} MB), {} threads, greedy, {} turns",
        info.path.display(),
        mb(info.file_bytes),
        info.context_tokens,
        mb(info.kv_cache_bytes),
        info.threads,
        TURNS
    );
    println!(
        "{:<34} {:>12} {:>12} {:>8}",
        "measure", "pipeline", "bare loop", "ratio"
    );
    println!(
        "{:<34} {:>12.1} {:>12.1} {:>8.2}",
        "prompt tokens/s (tokens decoded)",
        ours_prompt,
        bare_prompt,
        ours_prompt / bare_prompt
    );
    println!(
        "{:<34} {:>12.1} {:>12.1} {:>8.2}   target >= 0.95",
        "decode tokens/s",
        ours_decode,
        bare_decode,
        ours_decode / bare_decode
    );
    println!(
        "{:<34} {:>12.1} {:>12.1} {:>8}   limit {:.1} MB (model + KV cache + 64 MB)",
        "peak resident memory MB",
        mb(pipeline_peak),
        mb(bare.peak_memory_bytes),
        "",
        mb(limit)
    );
    println!();
    println!(
        "{:>4} {:>14} {:>10} {:>10} {:>10} {:>14}",
        "turn", "pipeline ms", "prompt", "reused", "decoded", "bare loop ms"
    );
    for (i, (ours, bare)) in turns.iter().zip(&bare.turns).enumerate() {
        println!(
            "{:>4} {:>14.1} {:>10} {:>10} {:>10} {:>14.1}",
            i + 1,
            ours.first_sentence_ms,
            ours.stats.prompt_tokens,
            ours.stats.reused_tokens,
            ours.stats.decoded_prompt_tokens,
            bare.first_sentence_ms
        );
    }
    let growth = |first: f64, last: f64| if first > 0.0 { last / first } else { 0.0 };
    println!(
        "time to first sentence, turn 20 / turn 1: pipeline {:.2} (target <= 1.2), bare loop {:.2}",
        growth(
            turns[0].first_sentence_ms,
            turns[TURNS - 1].first_sentence_ms
        ),
        growth(
            bare.turns[0].first_sentence_ms,
            bare.turns[TURNS - 1].first_sentence_ms
        )
    );
    Ok(())
}
