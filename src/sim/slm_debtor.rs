//! The SLM debtor: the language model phrases the persona's scripted decision in its own words.
//!
//! The decision (the number of days, or none while stonewalling) stays the persona's; the model
//! only rewrites the line. A rewrite that drops or changes the number, adds another one, or
//! comes back empty is discarded and the scripted line is said instead (counted as a fallback).

use chrono::NaiveDate;

use super::blind_family::BlindKind;
use super::family::FamilyKind;
use super::harness::{DebtorVoice, Opponent, SIM_DATE};
use super::persona::Persona;
use crate::llm::{GenerationEvent, LlmHandle, Sampling};
use crate::perceive::read_offer;
use crate::speak::prompt::{ChatMessage, Prompt, Role, sanitize};

/// Longest rewrite kept, in characters.
const MAX_CHARS: usize = 300;

/// A [`DebtorVoice`] backed by the llama.cpp worker.
pub struct SlmDebtorVoice {
    llm: LlmHandle,
    sampling: Sampling,
}

impl SlmDebtorVoice {
    /// A voice on a started worker; `temperature` varies the rewrites (seeded by `llm.seed`).
    pub fn new(llm: LlmHandle, temperature: f32) -> Self {
        SlmDebtorVoice {
            llm,
            sampling: Sampling {
                temperature,
                max_tokens: 48,
                max_sentences: 2,
            },
        }
    }

    fn rewrite(&self, persona: Opponent, line: &str) -> Option<String> {
        let prompt = Prompt {
            system: format!(
                "You are a person who owes money, talking to a debt collector. You are {}. \
                 Rewrite the user's line in your own words as one or two short sentences, in \
                 the first person. Keep every number exactly as it is and add no other number.",
                describe(persona)
            ),
            dialogue: vec![ChatMessage {
                role: Role::User,
                content: format!("Line: {}", sanitize(line)),
            }],
            reply_start: String::new(),
        };
        let generation = self.llm.generate(prompt, self.sampling, None).ok()?;
        let mut text = String::new();
        loop {
            match generation.next_event()? {
                GenerationEvent::Sentence { text: s, .. } => {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&s);
                }
                GenerationEvent::Done(_) => break,
                GenerationEvent::Failed(_) => return None,
            }
        }
        let text = text.trim().trim_matches('"').trim().to_string();
        (!text.is_empty() && text.chars().count() <= MAX_CHARS).then_some(text)
    }
}

/// The persona in words, for the model.
fn describe(debtor: Opponent) -> &'static str {
    let persona = match debtor {
        Opponent::Persona(p) => p,
        Opponent::Family(kind) => return describe_kind(kind),
        Opponent::Blind(kind) => return describe_blind(kind),
    };
    match persona {
        Persona::Vanilla => "calm and matter-of-fact",
        Persona::Angry => "angry and irritated",
        Persona::Sad => "sad and struggling with real hardship",
        Persona::Fearful => "anxious and afraid of the consequences",
        Persona::Disgusted => "disgusted with the collector's company",
        Persona::Threatening => "threatening legal action and complaints",
        Persona::Cheating => "evasive, claiming payments you never made",
        Persona::PlayingVictim => "exaggerating your hardship and blaming the collector",
        Persona::Stonewalling => "unwilling to talk",
    }
}

/// A blind-family kind in words, for the model (the kinds the two families share read alike).
fn describe_blind(kind: BlindKind) -> &'static str {
    match kind {
        BlindKind::Hardship => describe_kind(FamilyKind::Hardship),
        BlindKind::Volatile => describe_kind(FamilyKind::Volatile),
        BlindKind::Liar => describe_kind(FamilyKind::Liar),
        BlindKind::Complacent => describe_kind(FamilyKind::Complacent),
        BlindKind::Shrewd => "a shrewd bargainer who gives little away",
        BlindKind::Plain => describe_kind(FamilyKind::Steady),
    }
}

/// A family kind in words, for the model.
fn describe_kind(kind: FamilyKind) -> &'static str {
    match kind {
        FamilyKind::Hardship => "going through a real hardship and worn down",
        FamilyKind::Volatile => "moody and quick to lose your temper",
        FamilyKind::Liar => "evasive and not always honest",
        FamilyKind::Complacent => "friendly, relaxed and in no hurry at all",
        FamilyKind::Staller => "avoiding any commitment",
        FamilyKind::Steady => "calm and matter-of-fact",
    }
}

impl DebtorVoice for SlmDebtorVoice {
    fn phrase(&mut self, persona: Opponent, line: &str, days: Option<u32>) -> (String, bool) {
        let today = NaiveDate::from_ymd_opt(SIM_DATE.0, SIM_DATE.1, SIM_DATE.2)
            .expect("a valid constant date");
        let scripted = read_offer(line, today);
        match self.rewrite(persona, line) {
            Some(text) => {
                let reading = read_offer(&text, today);
                let same_number = reading.offer_days() == days
                    && reading.mentions.len() == scripted.mentions.len()
                    && reading.accepts == scripted.accepts;
                if same_number {
                    (text, false)
                } else {
                    (line.to_string(), true)
                }
            }
            None => (line.to_string(), true),
        }
    }
}
