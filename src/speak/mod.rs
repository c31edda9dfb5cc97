//! Speak: turning a decision into the words of the reply.
//!
//! A [`Speaker`] phrases a [`ReplyRequest`] (the emotion, the offer, the kind of reply, the
//! dialogue so far). The decision is already made; the speaker only phrases it, and the
//! negotiation checks every reply with the guardrails before it is used. The
//! [`TemplateSpeaker`] is deterministic and always passes them, so it is also the fallback.

pub mod listener;
pub mod prompt;
pub mod sentences;
pub mod template;
pub mod voice_eval;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::emotion::Emotion;
use crate::scenario::Scenario;

pub use listener::{Defect, Listener};
pub use template::TemplateSpeaker;

/// What the reply has to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// The creditor's first message, before the debtor has spoken.
    Opening,
    /// A counter-offer during the negotiation.
    Counter,
    /// Confirms the agreed number of days.
    Agreement,
    /// Ends a negotiation that reached its turn limit without agreement.
    Closing,
}

/// Who said a line of the dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The agent.
    Creditor,
    /// The person who owes.
    Debtor,
}

/// One line of the dialogue so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueLine {
    /// Who said it.
    pub side: Side,
    /// What was said.
    pub text: String,
}

impl DialogueLine {
    /// A line of the debtor.
    pub fn debtor(text: impl Into<String>) -> Self {
        DialogueLine {
            side: Side::Debtor,
            text: text.into(),
        }
    }

    /// A line of the agent.
    pub fn creditor(text: impl Into<String>) -> Self {
        DialogueLine {
            side: Side::Creditor,
            text: text.into(),
        }
    }
}

/// Everything a speaker needs to phrase one reply.
#[derive(Debug, Clone, Copy)]
pub struct ReplyRequest<'a> {
    /// What the reply has to do.
    pub kind: ReplyKind,
    /// The creditor's chosen emotion: the tone of the reply.
    pub emotion: Emotion,
    /// The offer the reply must state, in days.
    pub offer_days: u32,
    /// The debt being negotiated.
    pub scenario: &'a Scenario,
    /// Turn number (0 for the opening).
    pub turn: u32,
    /// Sampling temperature from the policy's schedule (ignored by the template speaker).
    pub temperature: f64,
    /// The dialogue so far, oldest first, ending with the debtor's latest line.
    pub dialogue: &'a [DialogueLine],
}

/// Errors of a speaker; the negotiation falls back to the template speaker on any of them.
#[derive(Debug, thiserror::Error)]
pub enum SpeakError {
    /// The speaker could not produce a reply at all.
    #[error("speaker {speaker} failed: {message}")]
    Failed {
        /// Which speaker.
        speaker: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Generation was cancelled (barge-in) before the reply was complete.
    #[error("speaker {speaker} was cancelled")]
    Cancelled {
        /// Which speaker.
        speaker: &'static str,
    },
}

/// A barge-in signal shared between whoever hears the debtor and the speaker: once triggered,
/// the reply in progress stops at its next token and the speaker returns
/// [`SpeakError::Cancelled`]. Clones share one flag.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the reply in progress to stop.
    pub fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once triggered and not cleared since.
    pub fn is_triggered(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Clears the flag before the next reply.
    pub fn clear(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Phrases replies.
pub trait Speaker {
    /// Short name for logs and reports ("template", "slm").
    fn name(&self) -> &'static str;

    /// The reply text for one request. `on_sentence` receives each sentence as soon as it is
    /// complete, before the whole reply is.
    fn reply(
        &mut self,
        request: &ReplyRequest<'_>,
        on_sentence: &mut dyn FnMut(&str),
    ) -> Result<String, SpeakError>;

    /// Decode speed of the last reply in tokens per second, for speakers that decode tokens.
    fn last_tokens_per_second(&self) -> Option<f64> {
        None
    }

    /// Gets ready for `request`, the reply expected next (predicted from the debtor's words so
    /// far, before the final ones arrive): a speaker with a prompt cache decodes its prompt
    /// ahead. Returns at once; the others do nothing.
    fn prefill(&mut self, _request: &ReplyRequest<'_>) {}
}
