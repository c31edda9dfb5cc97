//! Negotiation tactics of the debtor, with evidence (placeholder: being written).

use serde::{Deserialize, Serialize};

use super::offer::OfferReading;

/// A kind of manipulation or obstruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TacticKind {
    /// Legal action, complaints, violence or public shaming threatened.
    Threat,
    /// Exaggerated hardship used as leverage.
    PlayingVictim,
    /// Contradicting earlier claims or offers, or claiming payments that were not made.
    Cheating,
    /// Refusing to engage.
    Stonewalling,
}

/// One detected tactic and the words that triggered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tactic {
    /// What kind of tactic.
    pub kind: TacticKind,
    /// The words of the utterance (or of the earlier one it contradicts) that triggered it.
    pub evidence: String,
}

/// Detects tactics in a debtor's successive utterances; remembers earlier claims and offers.
#[derive(Debug, Default, Clone)]
pub struct TacticDetector {
    turns: usize,
}

impl TacticDetector {
    /// A detector with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tactics in the next utterance, given what the offer reader found in it.
    pub fn observe(&mut self, text: &str, offer: &OfferReading) -> Vec<Tactic> {
        let _ = offer;
        self.turns += 1;
        let lower = text.to_lowercase();
        let mut found = Vec::new();
        if lower.contains("lawyer") || lower.contains("sue") {
            found.push(Tactic {
                kind: TacticKind::Threat,
                evidence: text.to_string(),
            });
        }
        found
    }
}
