//! Perceive: what the debtor said, read as an emotion distribution, tactics and an offer.
//!
//! - [`lexicon`]: the default emotion detector, keyword lists with negation and intensifiers;
//! - [`tactics`]: threats, playing the victim, cheating and stonewalling, with evidence;
//! - [`tactic_model`]: the learned reader of the same tactics beside the rules (naive Bayes over
//!   words and word pairs, trained on the committed labelled lines);
//! - [`offer`]: the repayment offer (in days) and acceptance stated in a sentence;
//! - [`signals`]: where the debtor stands: a final number, leaving, no hurry, stalling;
//! - [`fused`]: two detectors mixed (the lexicon with the language model);
//! - [`eval`]: accuracy and F1 of a detector on a labelled TSV file (`eval-emotion`);
//! - [`tactic_eval`]: precision and recall of the tactic detector (and emotion accuracy) on
//!   labelled debtor lines in JSON lines (`eval-tactics`).

pub mod eval;
pub mod fused;
pub mod lexicon;
pub mod offer;
pub mod signals;
pub mod tactic_eval;
pub mod tactic_model;
pub mod tactics;

use crate::emotion::EmotionDistribution;

pub use fused::FusedDetector;
pub use lexicon::LexiconDetector;
pub use offer::{OfferReading, read_offer};
pub use signals::{StanceSignals, read_signals};
pub use tactic_model::TacticModel;
pub use tactics::{Tactic, TacticDetector, TacticKind};

/// Anything that reads an emotion distribution from one utterance.
///
/// Implementations never panic: empty, very long or strange text yields a valid distribution
/// (uniform or Neutral-heavy when there is no evidence).
pub trait EmotionDetector {
    /// Short name shown in reports ("lexicon", "slm", "fused").
    fn name(&self) -> &'static str;

    /// The emotion distribution of one utterance.
    fn detect(&self, text: &str) -> EmotionDistribution;
}
