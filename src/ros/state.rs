//! The `negotiation/state` message of one turn.

use std::time::Instant;

use r2r::eq_negotiator::msg::NegotiationState;

use crate::agent::{Agent, InboxStats};
use crate::emotion::Emotion;
use crate::negotiation::TurnReport;
use crate::track::Disposition;

/// Latency figures of one turn, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Timing {
    /// From the utterance's arrival to the first sentence published (0: none published).
    pub first_sentence_ms: f64,
    /// From the utterance's arrival to the end of the turn.
    pub turn_ms: f64,
    /// The speaker's own time from starting the reply to its first sentence (0: none).
    pub speaker_first_sentence_ms: f64,
}

impl Timing {
    /// Figures for a turn that started at `start` and is over now.
    pub fn since(start: Instant, first_sentence: Option<Instant>, speaker_ms: Option<f64>) -> Self {
        Timing {
            first_sentence_ms: first_sentence
                .map(|t| t.duration_since(start).as_secs_f64() * 1e3)
                .unwrap_or(0.0),
            turn_ms: start.elapsed().as_secs_f64() * 1e3,
            speaker_first_sentence_ms: speaker_ms.unwrap_or(0.0),
        }
    }
}

/// The state message for `report`, a turn of `voice`'s current session.
pub(super) fn message(
    agent: &Agent,
    voice: &str,
    report: &TurnReport,
    utterance: &str,
    timing: Timing,
    inbox: InboxStats,
) -> NegotiationState {
    let (labels, distribution) = match &report.distribution {
        Some(d) => (
            Emotion::ALL.iter().map(|e| e.name().to_string()).collect(),
            d.as_array().to_vec(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    NegotiationState {
        session_id: agent.session_id(voice).to_string(),
        voice_id: voice.to_string(),
        turn: report.turn,
        utterance: utterance.to_string(),
        debtor_emotion: report
            .debtor_emotion
            .map(|e| e.name().to_string())
            .unwrap_or_default(),
        emotion_labels: labels,
        emotion_distribution: distribution,
        tactics: report
            .tactics
            .iter()
            .map(|t| t.kind.name().to_string())
            .collect(),
        tactic_evidence: report.tactics.iter().map(|t| t.evidence.clone()).collect(),
        disposition_labels: Disposition::ALL
            .iter()
            .map(|d| d.name().to_string())
            .collect(),
        belief: report.belief.as_array().to_vec(),
        strategy: report.strategy.to_string(),
        creditor_emotion: report.creditor_emotion.name().to_string(),
        creditor_offer_days: report.offer_days,
        debtor_offer_days: report
            .debtor_offer_days
            .map(|d| i32::try_from(d).unwrap_or(i32::MAX))
            .unwrap_or(-1),
        agreement_reached: report.agreement.reached,
        agreement_days: report.agreement.days.unwrap_or(0),
        finished: report.finished,
        reply: report.reply.clone(),
        speaker: report.speaker.to_string(),
        fallback: report.fallback,
        completed: report.completed,
        interrupted: report.interrupted,
        first_sentence_latency_ms: timing.first_sentence_ms,
        turn_latency_ms: timing.turn_ms,
        speaker_first_sentence_ms: timing.speaker_first_sentence_ms,
        dropped_utterances: inbox.dropped,
    }
}
