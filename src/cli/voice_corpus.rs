//! `voice-corpus`: the training examples of the voice adapter (`scripts/train-voice`), as the
//! speaker would prompt for them.
//!
//! Each corpus line is a debtor line with one lead per tone, written by people (see
//! `train/voice/README.md`). For each (line, tone) this prints the chat messages the speaker
//! sends for a lead ([`crate::speak::prompt::build_prompt`] with [`ReplyShape::Lead`], without
//! the given first words) and the lead as the target. Leads that the listener's check or the
//! guardrails refuse are left out and counted on stderr, so the adapter learns only from
//! replies the agent would speak.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::CliError;
use crate::decide::{ReplyFacts, Violation, check_reply};
use crate::emotion::Emotion;
use crate::params::ReplyShape;
use crate::scenario::load_scenarios;
use crate::speak::prompt::build_prompt;
use crate::speak::voice_eval::read_jsonl;
use crate::speak::{DialogueLine, Listener, ReplyKind, ReplyRequest, TemplateSpeaker};

/// One written corpus line: what the debtor said and a lead in each tone.
#[derive(Debug, Deserialize)]
struct CorpusLine {
    debtor: String,
    leads: BTreeMap<Emotion, String>,
}

#[derive(Debug, Serialize)]
struct Message<'a> {
    role: &'a str,
    content: String,
}

#[derive(Debug, Serialize)]
struct Example<'a> {
    messages: Vec<Message<'a>>,
    target: &'a str,
}

/// Runs `voice-corpus`: prints one JSON example per kept lead.
pub fn voice_corpus(corpus: &[PathBuf], scenarios: &std::path::Path) -> Result<(), CliError> {
    let scenarios = load_scenarios(scenarios)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a valid date");
    let (mut kept, mut refused) = (0usize, 0usize);
    let mut out = String::new();
    let mut index = 0usize;
    for path in corpus {
        let lines: Vec<CorpusLine> = read_jsonl(path)?;
        for line in &lines {
            for (emotion, lead) in &line.leads {
                let scenario = &scenarios[index % scenarios.len()];
                index += 1;
                let opening = ReplyRequest {
                    kind: ReplyKind::Opening,
                    emotion: Emotion::Neutral,
                    offer_days: scenario.target_days,
                    scenario,
                    turn: 0,
                    temperature: 0.0,
                    dialogue: &[],
                };
                let dialogue = vec![
                    DialogueLine::creditor(TemplateSpeaker::new(index as u64).phrase(&opening)),
                    DialogueLine::debtor(line.debtor.clone()),
                ];
                let request = ReplyRequest {
                    kind: ReplyKind::Counter,
                    emotion: *emotion,
                    offer_days: scenario.target_days + 5,
                    turn: 1,
                    dialogue: &dialogue,
                    ..opening
                };
                let facts = ReplyFacts {
                    offer_days: request.offer_days,
                    balance: scenario.balance,
                    today,
                };
                let broken = check_reply(lead, &facts)
                    .into_iter()
                    .any(|v| v != Violation::MissingOffer);
                if broken || !Listener::new(&request).hear(lead).is_empty() {
                    refused += 1;
                    continue;
                }
                kept += 1;
                let prompt = build_prompt(&request, ReplyShape::Lead, 0);
                let example = Example {
                    messages: prompt
                        .messages(0)
                        .into_iter()
                        .map(|m| Message {
                            role: m.role.name(),
                            content: m.content,
                        })
                        .collect(),
                    target: lead,
                };
                out.push_str(&serde_json::to_string(&example).expect("example serialises"));
                out.push('\n');
            }
        }
    }
    eprintln!("voice-corpus: {kept} leads kept, {refused} refused by the checks");
    super::chat::write_out(out.trim_end())
}
