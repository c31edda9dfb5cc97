//! Simulation: debtors that the agent negotiates with, and the agent-to-agent evaluation.
//!
//! - [`scripted`]: the simple scripted debtor of the demo and the benchmark;
//! - [`persona`]: nine debtor personas, each with hidden goodwill, patience and a tactic;
//! - [`family`]: debtors with hidden parameters drawn at random, in a tuning and a held-out
//!   half with disjoint words (the evaluation the agent was not written against);
//! - [`blind_family`]: a second family, behaviour and words written by a helper who never saw
//!   the agent (judged on, never tuned against);
//! - [`harness`]: every policy against every persona on every scenario, learning carried;
//! - [`metrics`]: success, collection days, debt multiple, rounds, with bootstrap intervals,
//!   and the learning curve;
//! - [`report`]: report.md and results.json; [`plots`]: the SVG charts;
//! - `slm_debtor` (feature `llm`): the language model phrasing the persona's words.

pub mod blind_family;
pub mod family;
pub mod harness;
pub mod metrics;
pub mod persona;
pub mod plots;
pub mod report;
pub mod scripted;
#[cfg(feature = "llm")]
pub mod slm_debtor;

pub use blind_family::{BlindDebtor, BlindKind};
pub use family::{FamilyDebtor, FamilyHalf, FamilyKind};
pub use harness::{DebtorVoice, Opponent, PolicyRun, ScriptedVoice, SimError, SimPlan, SimResult};
pub use persona::{Persona, PersonaDebtor};
pub use scripted::ScriptedDebtor;
