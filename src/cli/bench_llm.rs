//! `bench llm`: the language-model pipeline against a bare llama-cpp-2 decode loop, on the same
//! model, threads and prompts (turns 1 to `--turns`, 20 by default, of a scripted dialogue), in
//! the same run.
//!
//! The bare loop runs in a child process (`bench llm-bare`) so that each side's peak memory is
//! its own, twice: reusing the cached prefix as the pipeline does, so both decode the same
//! tokens and the ratios are the pipeline's own cost, and with a fresh cache per prompt, which
//! shows what the reuse saves. All decode greedily so that they generate comparable text.

use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::CliError;
use crate::learned::LearnedParameters;
use crate::llm::{
    BareCache, BareStats, GenerationEvent, LlmHandle, Sampling, bare_decode_loop,
    bare_prompt_texts, peak_memory_bytes,
};
use crate::negotiation::Negotiation;
use crate::params::Params;
use crate::perceive::LexiconDetector;
use crate::scenario::Scenario;
use crate::sim::ScriptedDebtor;
use crate::sim::metrics::median;
use crate::speak::prompt::{Prompt, build_prompt};
use crate::speak::{ReplyKind, ReplyRequest, TemplateSpeaker};

/// What the bare loop's child process reports.
#[derive(Serialize, Deserialize)]
struct BareReport {
    /// Turns with the cached prefix reused, as the pipeline does.
    reuse: Vec<BareStats>,
    /// Turns with a fresh cache: every prompt decoded whole.
    fresh: Vec<BareStats>,
    peak_memory_bytes: u64,
}

/// The prompts of turns 1..=`turns`: a negotiation with the scripted debtor (who never gives
/// in), phrased by the template speaker, then each turn's reply request rendered as a prompt.
fn bench_prompts(params: &Params, turns: usize) -> Vec<Prompt> {
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
    for _ in 0..turns {
        let line = debtor.answer(report.offer_days, report.creditor_emotion);
        report = negotiation
            .respond(&line, &mut speaker)
            .expect("the scripted debtor never accepts, and `bench` keeps turns within the limit");
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
pub fn bench_llm_bare(params: &Params, turns: usize) -> Result<(), CliError> {
    let prompts = bench_prompts(params, turns);
    let generate = params.llm.max_reply_tokens as usize;
    let report = BareReport {
        reuse: bare_decode_loop(&params.llm, &prompts, generate, BareCache::Reuse)?,
        fresh: bare_decode_loop(&params.llm, &prompts, generate, BareCache::Fresh)?,
        peak_memory_bytes: peak_memory_bytes().unwrap_or(0),
    };
    println!(
        "{}",
        serde_json::to_string(&report).expect("report serialises")
    );
    Ok(())
}

/// The hidden prompts side: prints the bare loop's prompt texts as a JSON array.
pub fn bench_llm_prompts(params: &Params, turns: usize) -> Result<(), CliError> {
    let texts = bare_prompt_texts(&params.llm, &bench_prompts(params, turns))?;
    println!(
        "{}",
        serde_json::to_string(&texts).expect("texts serialise")
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

fn run_bare_child(params: &Params, turns: usize) -> Result<BareReport, CliError> {
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
            "--turns",
            &turns.to_string(),
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

/// Another binding's figures on the bare loop's prompts (scripts/bench-peer).
fn read_peer(path: &std::path::Path) -> Result<Vec<BareStats>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Io {
        what: "reading the --peer report",
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "--peer {}: not a peer report (a JSON array of turns with prompt_tokens, prompt_ms, generated_tokens, generate_ms): {e}",
            path.display()
        ))
    })
}

/// Prompt and decode tokens/s of a run of the bare loop.
fn bare_rates(turns: &[BareStats]) -> (f64, f64) {
    (
        per_second(
            turns.iter().map(|t| t.decoded_prompt_tokens).sum(),
            turns.iter().map(|t| t.prompt_ms).sum(),
        ),
        per_second(
            turns.iter().map(|t| t.generated_tokens).sum(),
            turns.iter().map(|t| t.generate_ms).sum(),
        ),
    )
}

/// Runs both sides and prints the table.
pub fn bench_llm(
    params: &Params,
    turns: usize,
    peer: Option<&std::path::Path>,
) -> Result<(), CliError> {
    // Read first: a bad peer file fails before minutes of measuring.
    let peer = peer.map(read_peer).transpose()?;
    if let Some(peer) = &peer
        && peer.len() != turns
    {
        return Err(CliError::Usage(format!(
            "the peer report has {} turns, this run {turns}: give both the same --turns",
            peer.len()
        )));
    }
    let prompts = bench_prompts(params, turns);
    let (measured, llm) = run_pipeline(params, &prompts)?;
    let pipeline_peak = peak_memory_bytes().unwrap_or(0);
    let info = llm.info().clone();
    drop(llm);
    let bare = run_bare_child(params, turns)?;

    let mb = |bytes: u64| bytes as f64 / 1e6;
    let ours_prompt = per_second(
        measured.iter().map(|t| t.stats.decoded_prompt_tokens).sum(),
        measured.iter().map(|t| t.stats.prompt_ms).sum(),
    );
    let ours_decode = per_second(
        measured.iter().map(|t| t.stats.generated_tokens).sum(),
        measured.iter().map(|t| t.stats.generate_ms).sum(),
    );
    let (reuse_prompt, reuse_decode) = bare_rates(&bare.reuse);
    let (fresh_prompt, fresh_decode) = bare_rates(&bare.fresh);
    let median_first = |ms: Vec<f64>| median(&ms).unwrap_or(0.0);
    let ours_first = median_first(measured.iter().map(|t| t.first_sentence_ms).collect());
    let reuse_first = median_first(bare.reuse.iter().map(|t| t.first_sentence_ms).collect());
    let fresh_first = median_first(bare.fresh.iter().map(|t| t.first_sentence_ms).collect());
    let limit = info.file_bytes + info.kv_cache_bytes + 64 * 1024 * 1024;

    println!(
        "bench llm: {} ({:.1} MB), context {} tokens (KV cache {:.1} MB), {} threads, greedy, {} turns",
        info.path.display(),
        mb(info.file_bytes),
        info.context_tokens,
        mb(info.kv_cache_bytes),
        info.threads,
        turns
    );
    println!(
        "{:<34} {:>10} {:>12} {:>7} {:>12}",
        "measure", "pipeline", "bare, reuse", "ratio", "bare, fresh"
    );
    println!(
        "{:<34} {:>10.1} {:>12.1} {:>7.2} {:>12.1}   target ratio >= 0.95",
        "prompt tokens/s (tokens decoded)",
        ours_prompt,
        reuse_prompt,
        ours_prompt / reuse_prompt,
        fresh_prompt
    );
    println!(
        "{:<34} {:>10.1} {:>12.1} {:>7.2} {:>12.1}   target ratio >= 0.95",
        "decode tokens/s",
        ours_decode,
        reuse_decode,
        ours_decode / reuse_decode,
        fresh_decode
    );
    println!(
        "{:<34} {:>10.1} {:>12.1} {:>7.2} {:>12.1}",
        "first sentence, median ms",
        ours_first,
        reuse_first,
        ours_first / reuse_first,
        fresh_first
    );
    println!(
        "{:<34} {:>10.1} {:>12.1} {:>7} {:>12}   limit {:.1} MB (model + KV cache + 64 MB)",
        "peak resident memory MB",
        mb(pipeline_peak),
        mb(bare.peak_memory_bytes),
        "",
        "",
        mb(limit)
    );
    if let Some(peer) = &peer {
        let (peer_prompt, peer_decode) = bare_rates(peer);
        println!(
            "llama-cpp-python, fresh cache: prompt {peer_prompt:.1} tokens/s (bare, fresh / peer {:.2}), decode {peer_decode:.1} tokens/s (bare / peer {:.2}, pipeline / peer {:.2}); target >= 1",
            fresh_prompt / peer_prompt,
            fresh_decode / peer_decode,
            ours_decode / peer_decode
        );
    }
    println!();
    println!(
        "{:>4} {:>12} {:>8} {:>8} {:>8} {:>12} {:>12}",
        "turn", "pipeline ms", "prompt", "reused", "decoded", "reuse ms", "fresh ms"
    );
    for (i, ours) in measured.iter().enumerate() {
        println!(
            "{:>4} {:>12.1} {:>8} {:>8} {:>8} {:>12.1} {:>12.1}",
            i + 1,
            ours.first_sentence_ms,
            ours.stats.prompt_tokens,
            ours.stats.reused_tokens,
            ours.stats.decoded_prompt_tokens,
            bare.reuse[i].first_sentence_ms,
            bare.fresh[i].first_sentence_ms
        );
    }
    let growth = |turns: &[f64]| match (turns.first(), turns.last()) {
        (Some(first), Some(last)) if *first > 0.0 => last / first,
        _ => 0.0,
    };
    println!(
        "time to first sentence, turn {turns} / turn 1: pipeline {:.2} (target <= 1.2), bare fresh {:.2}",
        growth(
            &measured
                .iter()
                .map(|t| t.first_sentence_ms)
                .collect::<Vec<_>>()
        ),
        growth(
            &bare
                .fresh
                .iter()
                .map(|t| t.first_sentence_ms)
                .collect::<Vec<_>>()
        )
    );
    Ok(())
}
