//! Decide: the creditor's emotion, its offer, whether the deal is done, and what a reply may say.
//!
//! - [`policy`]: the k-of-n gate between win-stay/lose-shift and the HMM expected-payoff policy,
//!   with end-of-negotiation learning of payoff adjustments;
//! - [`concession`]: the offer in days, from the creditor's target toward a limit never crossed,
//!   paced by what the debtor's own numbers and words say about its floor and its patience;
//! - [`agreement`]: offers within the gap, or explicit acceptance;
//! - [`guardrails`]: the checks every reply passes before it is spoken.

pub mod agreement;
pub mod concession;
pub mod guardrails;
pub mod policy;

pub use agreement::{Agreement, check_agreement};
pub use concession::{ConcessionCurve, DebtorRead, DebtorTurn, Pacing, Pressure};
pub use guardrails::{ReplyFacts, Violation, check_reply};
pub use policy::{
    EmotionChoice, EmotionPolicy, PayoffAdjustments, PolicyMemory, PolicyMode, Strategy, ToneStats,
    context_name,
};
