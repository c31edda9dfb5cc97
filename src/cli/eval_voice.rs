//! `eval-voice`: how the robot sounds over written dialogues, and `eval-listener`: how the
//! listener's check does on judged replies.
//!
//! `eval-voice` plays each dialogue's debtor lines into a real negotiation (the configured
//! detector, policy and speaker) and hears every spoken reply again with a fresh
//! [`Listener`] and the guardrails, then prints the share of replies that pass every check,
//! that passed on the speaker's first try, that the template replaced whole or completed, the
//! tone fidelity (the lexicon's reading of the reply has the valence of the chosen emotion),
//! distinct replies and the median time to the first sentence. `--min-*` flags make it exit
//! non-zero under targets.

use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::chat::write_out;
use super::{CliError, Components, SpeakerKind};
use crate::decide::{ReplyFacts, check_reply};
use crate::emotion::Emotion;
use crate::learned::LearnedParameters;
use crate::negotiation::{Negotiation, TurnReport};
use crate::params::Params;
use crate::perceive::{EmotionDetector as _, LexiconDetector};
use crate::scenario::{Scenario, load_scenarios};
use crate::speak::voice_eval::{JudgedReply, evaluate_listener, read_jsonl, valence_class};
use crate::speak::{Defect, Listener, ReplyRequest, Speaker};

/// Arguments of `eval-voice`.
#[derive(Debug, clap::Args)]
pub struct EvalVoiceArgs {
    /// JSON lines of dialogues ({"id", "style", "scenario", "lines"}), e.g.
    /// tests/data/voice/dialogues_tune.jsonl.
    #[arg(long, value_name = "PATH")]
    dialogues: PathBuf,
    /// Scenario file holding the dialogues' scenario ids.
    #[arg(long, value_name = "PATH", default_value = "scenarios/default.yaml")]
    scenarios: PathBuf,
    /// Who phrases the replies (the language model when its file is present, else the template).
    #[arg(long, value_enum)]
    speaker: Option<SpeakerKind>,
    /// Only the first N dialogues.
    #[arg(long)]
    limit: Option<usize>,
    /// Print every exchange after the table.
    #[arg(long)]
    transcript: bool,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Exit non-zero when fewer spoken replies pass every check (0 to 1).
    #[arg(long, value_name = "SHARE")]
    min_pass: Option<f64>,
    /// Exit non-zero when fewer replies keep the speaker's words (not replaced whole).
    #[arg(long, value_name = "SHARE")]
    min_own_words: Option<f64>,
}

/// One written dialogue: the debtor's lines in one scenario.
#[derive(Debug, Clone, Deserialize)]
struct Dialogue {
    id: String,
    style: String,
    scenario: String,
    lines: Vec<String>,
}

/// One spoken reply and what was heard in it.
#[derive(Debug, Clone, Serialize)]
struct Exchange {
    dialogue: String,
    style: String,
    debtor: Option<String>,
    reply: String,
    emotion: Emotion,
    offer_days: u32,
    attempts: u32,
    fallback: bool,
    completed: bool,
    /// What a fresh listener and the guardrails hear in the reply as spoken.
    heard: Vec<String>,
    tone_read: Emotion,
    first_sentence_ms: Option<f64>,
}

/// The figures `eval-voice` prints.
#[derive(Debug, Clone, Serialize)]
struct VoiceReport {
    speaker: String,
    dialogues: usize,
    replies: usize,
    pass_every_check: f64,
    first_try: f64,
    replaced_whole: f64,
    completed: f64,
    own_words: f64,
    tone_fidelity: f64,
    distinct: f64,
    denials: usize,
    median_first_sentence_ms: f64,
    defects: Vec<(String, usize)>,
    exchanges: Vec<Exchange>,
}

/// Runs `eval-voice`.
pub fn eval_voice(params: &Params, args: EvalVoiceArgs) -> Result<(), CliError> {
    let mut dialogues: Vec<Dialogue> = read_jsonl(&args.dialogues)?;
    if let Some(limit) = args.limit {
        dialogues.truncate(limit);
    }
    if dialogues.is_empty() {
        return Err(CliError::Usage(format!(
            "{} holds no dialogue",
            args.dialogues.display()
        )));
    }
    let scenarios = load_scenarios(&args.scenarios)?;
    let mut components = Components::new(params);
    let mut speaker = components.speaker(args.speaker)?;
    let lexicon = LexiconDetector::new();
    let learned = LearnedParameters::from_prior(&params.hmm);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a valid date");
    let mut exchanges = Vec::new();
    for dialogue in &dialogues {
        let scenario = scenarios
            .iter()
            .find(|s| s.id == dialogue.scenario)
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "dialogue {} names scenario {:?}, which {} does not hold",
                    dialogue.id,
                    dialogue.scenario,
                    args.scenarios.display()
                ))
            })?
            .clone();
        let mut negotiation = Negotiation::new(
            params,
            scenario.clone(),
            &learned,
            Box::new(LexiconDetector::new()),
            today,
        );
        let mut heard_before = Vec::new();
        let started = Instant::now();
        let mut first = None;
        let report = negotiation.open_streaming(speaker.as_mut(), &mut |_| {
            first.get_or_insert(started.elapsed().as_secs_f64() * 1e3);
        });
        exchanges.push(exchange(
            params,
            dialogue,
            None,
            &report,
            &scenario,
            &heard_before,
            &lexicon,
            first,
            today,
        ));
        heard_before = negotiation.dialogue().to_vec();
        for line in &dialogue.lines {
            if negotiation.is_finished() {
                break;
            }
            let started = Instant::now();
            let mut first = None;
            let report = negotiation
                .respond_streaming(line, speaker.as_mut(), &mut |_| {
                    first.get_or_insert(started.elapsed().as_secs_f64() * 1e3);
                })
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let mut context = heard_before.clone();
            context.push(crate::speak::DialogueLine::debtor(line.clone()));
            exchanges.push(exchange(
                params,
                dialogue,
                Some(line),
                &report,
                &scenario,
                &context,
                &lexicon,
                first,
                today,
            ));
            heard_before = negotiation.dialogue().to_vec();
        }
    }
    let report = summarise(speaker.as_ref(), dialogues.len(), exchanges);
    if args.json {
        write_out(&serde_json::to_string(&report).expect("report serialises"))?;
    } else {
        write_out(&table(&report))?;
        if args.transcript {
            write_out(&transcript(&report))?;
        }
    }
    let below = |target: Option<f64>, value: f64, what: &str| {
        target
            .filter(|t| value < *t)
            .map(|t| format!("{what} {value:.3} is under the target {t}"))
    };
    let misses: Vec<String> = [
        below(args.min_pass, report.pass_every_check, "pass every check"),
        below(args.min_own_words, report.own_words, "own words"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if misses.is_empty() {
        Ok(())
    } else {
        Err(CliError::Usage(misses.join("; ")))
    }
}

/// One exchange, heard again from outside the negotiation.
#[allow(clippy::too_many_arguments)]
fn exchange(
    params: &Params,
    dialogue: &Dialogue,
    debtor: Option<&String>,
    report: &TurnReport,
    scenario: &Scenario,
    context: &[crate::speak::DialogueLine],
    lexicon: &LexiconDetector,
    first_sentence_ms: Option<f64>,
    today: chrono::NaiveDate,
) -> Exchange {
    let request = ReplyRequest {
        kind: reply_kind(report),
        emotion: report.creditor_emotion,
        offer_days: report.offer_days,
        scenario,
        turn: report.turn,
        temperature: 0.0,
        dialogue: context,
    };
    let facts = ReplyFacts {
        offer_days: report.offer_days,
        balance: scenario.balance,
        today,
    };
    let mut heard: Vec<String> = Listener::new(&request)
        .grounded(params.llm.reply_shape == crate::params::ReplyShape::Lead)
        .hear(&report.reply)
        .iter()
        .map(describe)
        .collect();
    heard.extend(
        check_reply(&report.reply, &facts)
            .iter()
            .map(|v| format!("guardrail: {v:?}")),
    );
    Exchange {
        dialogue: dialogue.id.clone(),
        style: dialogue.style.clone(),
        debtor: debtor.cloned(),
        reply: report.reply.clone(),
        emotion: report.creditor_emotion,
        offer_days: report.offer_days,
        attempts: report.attempts,
        fallback: report.fallback,
        completed: report.completed,
        heard,
        tone_read: lexicon.detect(&report.reply).most_likely(),
        first_sentence_ms,
    }
}

fn reply_kind(report: &TurnReport) -> crate::speak::ReplyKind {
    use crate::speak::ReplyKind;
    if report.turn == 0 {
        ReplyKind::Opening
    } else if report.finished && report.agreement.reached {
        ReplyKind::Agreement
    } else if report.finished {
        ReplyKind::Closing
    } else {
        ReplyKind::Counter
    }
}

fn describe(defect: &Defect) -> String {
    match defect {
        Defect::Unresponsive => "unresponsive".to_string(),
        Defect::Denial(w)
        | Defect::SelfTalk(w)
        | Defect::Invented(w)
        | Defect::Tone(w)
        | Defect::Form(w)
        | Defect::Repeated(w) => format!("{}: {w}", defect.kind()),
    }
}

fn summarise(speaker: &dyn Speaker, dialogues: usize, exchanges: Vec<Exchange>) -> VoiceReport {
    let n = exchanges.len().max(1) as f64;
    let share =
        |f: &dyn Fn(&Exchange) -> bool| exchanges.iter().filter(|e| f(e)).count() as f64 / n;
    let mut times: Vec<f64> = exchanges
        .iter()
        .filter_map(|e| e.first_sentence_ms)
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let distinct: std::collections::HashSet<&str> =
        exchanges.iter().map(|e| e.reply.as_str()).collect();
    let mut defects: Vec<(String, usize)> = Vec::new();
    for e in &exchanges {
        for h in &e.heard {
            let kind = h.split(':').next().unwrap_or(h).to_string();
            match defects.iter_mut().find(|d| d.0 == kind) {
                Some(d) => d.1 += 1,
                None => defects.push((kind, 1)),
            }
        }
    }
    defects.sort();
    let tone_agrees = |e: &Exchange| valence_class(e.emotion) == valence_class(e.tone_read);
    VoiceReport {
        speaker: speaker.name().to_string(),
        dialogues,
        replies: exchanges.len(),
        pass_every_check: share(&|e| e.heard.is_empty()),
        first_try: share(&|e| e.attempts == 1 && !e.fallback && !e.completed),
        replaced_whole: share(&|e| e.fallback),
        completed: share(&|e| e.completed),
        own_words: share(&|e| !e.fallback),
        tone_fidelity: share(&tone_agrees),
        distinct: distinct.len() as f64 / n,
        denials: exchanges
            .iter()
            .filter(|e| e.heard.iter().any(|h| h.starts_with("denial")))
            .count(),
        median_first_sentence_ms: median,
        defects,
        exchanges,
    }
}

fn table(r: &VoiceReport) -> String {
    let mut out = format!(
        "eval-voice: speaker {}, {} dialogues, {} replies\n\n| figure | value |\n|---|---:|\n",
        r.speaker, r.dialogues, r.replies
    );
    for (name, value) in [
        ("spoken replies passing every check", r.pass_every_check),
        ("passed on the speaker's first try", r.first_try),
        ("replaced whole by the template", r.replaced_whole),
        ("completed with the template's offer sentence", r.completed),
        ("keep the speaker's own words", r.own_words),
        ("tone fidelity (lexicon valence)", r.tone_fidelity),
        ("distinct replies", r.distinct),
    ] {
        out.push_str(&format!("| {name} | {value:.3} |\n"));
    }
    out.push_str(&format!(
        "| replies denying or waiving the debt | {} |\n| median time to first sentence | {:.0} ms |\n",
        r.denials, r.median_first_sentence_ms
    ));
    if !r.defects.is_empty() {
        out.push_str("\nheard in spoken replies:");
        for (kind, count) in &r.defects {
            out.push_str(&format!(" {kind} {count};"));
        }
        out.push('\n');
    }
    out
}

fn transcript(r: &VoiceReport) -> String {
    let mut out = String::new();
    let mut last = "";
    for e in &r.exchanges {
        if e.dialogue != last {
            out.push_str(&format!("\n## {} ({})\n", e.dialogue, e.style));
            last = &e.dialogue;
        }
        if let Some(debtor) = &e.debtor {
            out.push_str(&format!("debtor: {debtor}\n"));
        }
        let mark = if e.fallback {
            " [template]"
        } else if e.completed {
            " [+offer]"
        } else {
            ""
        };
        out.push_str(&format!(
            "agent ({}, {} days, try {}){mark}: {}\n",
            e.emotion.name(),
            e.offer_days,
            e.attempts,
            e.reply
        ));
        if !e.heard.is_empty() {
            out.push_str(&format!("  heard: {}\n", e.heard.join("; ")));
        }
    }
    out
}

/// Runs `eval-listener`: the listener's check against a person's verdicts.
pub fn eval_listener(
    lines: &std::path::Path,
    verbose: bool,
    ungrounded: bool,
) -> Result<(), CliError> {
    let judged: Vec<JudgedReply> = read_jsonl(lines)?;
    let report = evaluate_listener(&judged, !ungrounded);
    let mut out = report.to_string();
    if verbose {
        out.push_str("\nmistakes:\n");
        for (verdict, reply, heard) in &report.mistakes {
            out.push_str(&format!(
                "- [{verdict}] {reply}  => {}\n",
                if heard.is_empty() {
                    "nothing".to_string()
                } else {
                    heard.iter().map(describe).collect::<Vec<_>>().join("; ")
                }
            ));
        }
    }
    write_out(&out)
}
