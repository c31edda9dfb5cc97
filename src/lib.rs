//! EQ-Negotiator: an on-device agent that negotiates debt repayment plans with emotional
//! intelligence.
//!
//! One debtor utterance is one turn, and data flows one way through the stages; a stage never
//! reaches back into an earlier one, and the turn loop hands each stage what it needs.
//!
//! - [`perceive`]: reads the utterance. [`perceive::LexiconDetector`] gives an emotion
//!   distribution over the seven labels of [`emotion`]; [`perceive::TacticDetector`] finds threats,
//!   victim play, cheating and stonewalling, with evidence; [`perceive::read_offer`] finds the
//!   days offered and any acceptance; [`perceive::read_signals`] reads where the debtor stands
//!   (a final word, leaving, no hurry, stalling). [`perceive::eval`] and [`perceive::tactic_eval`]
//!   score the readers on labelled data.
//! - [`track`]: [`track::DispositionTracker`], an input-output HMM over four hidden dispositions,
//!   filters a belief from soft emotion evidence with transitions conditioned on the agent's own
//!   last emotion, forecasts the debtor's reaction to each emotion the agent might choose, and
//!   learns online with Dirichlet counts.
//! - [`decide`]: [`decide::EmotionPolicy`] picks the agent's emotion (k-of-n gate between
//!   win-stay/lose-shift and the HMM's expected payoff over the paper's payoff table, then one
//!   learner over the seven tones that fit, by how much of the gap each debtor type gave up after
//!   each, [`decide::ToneStats`]); [`decide::ConcessionCurve`] picks the offer, a firm curve read
//!   by the debtor's final words and patience ([`decide::DebtorRead`]);
//!   [`decide::check_agreement`] closes the deal; [`decide::check_reply`] is the guardrail every
//!   reply passes.
//! - [`speak`]: a [`speak::Speaker`] phrases the decision; [`speak::TemplateSpeaker`] is the
//!   deterministic speaker and the fallback for any reply that fails the guardrails or the
//!   [`speak::Listener`], the check of what a debtor must never hear; [`speak::voice_eval`]
//!   scores the voice.
//!
//! Around the stages:
//!
//! - [`negotiation`]: [`negotiation::Negotiation`] runs the stages in order for one negotiation
//!   and reports each turn; [`negotiation::NegotiationSnapshot`] is its whole state after a turn,
//!   from which [`negotiation::Negotiation::resume`] continues exactly;
//! - [`record`]: the append-only JSON-lines record, one line per turn with a snapshot (whole every
//!   `record.snapshot_every` turns, a patch between), synced
//!   before the reply is spoken; loading reports the first bad line and a torn last line;
//! - [`params`]: the one parameters struct, shared by the YAML file and the command line;
//! - [`scenario`]: our scenario format and the CRAD reader;
//! - [`learned`]: what the agent learns across negotiations, kept as a [`learned::Ledger`]: the
//!   priors plus each robot's contribution, merged per robot by sequence number (fleet
//!   learning), saved atomically as versioned JSON;
//! - [`llm`] (feature `llm`): the llama.cpp adapter, one worker thread owning the model, with
//!   the language-model speaker and emotion reader;
//! - [`sim`]: simulated debtors and the agent-to-agent evaluation: the scripted debtor of the
//!   demo and the benchmark, nine [`sim::Persona`]s with hidden goodwill, patience and tactics,
//!   the drawn [`sim::FamilyDebtor`]s with a tuning and a held-out half, the
//!   [`sim::BlindDebtor`]s written by a helper who never saw the agent, the [`sim::SimPlan`]
//!   harness that runs every policy (the agent and its baselines, [`decide::PolicyMode`])
//!   against every debtor with learning carried across negotiations,
//!   [`sim::metrics`] with bootstrap intervals, and [`sim::report`] and [`sim::plots`] for
//!   report.md, results.json and SVG charts;
//! - [`agent`]: [`agent::Agent`] runs one negotiation after another for each voice the node
//!   hears (utterance cleaning, sessions, records, learned parameters) and [`agent::Inbox`]
//!   hands it utterances with the burst policy (per voice the newest wins, the voice waiting
//!   longest goes first) and barge-in;
//! - [`ros`] (feature `ros`): the r2r node on tokio, a managed (lifecycle) node: thin glue from
//!   topics, ROS4HRI voices, the reset service, live ROS parameters, the face and diagnostics
//!   to the agent;
//! - [`cli`]: the command-line adapter (`chat`, `demo`, `classify`, `eval-emotion`,
//!   `eval-tactics`, `bench`, `simulate`, `record show|verify|export`, `learned show|merge`, `node`).
//!
//! Nothing in the stages depends on ROS or llama.cpp; those are adapters at the edges.

#![warn(missing_docs)]
pub mod agent;
pub mod cli;
pub mod decide;
pub mod distribution;
pub mod emotion;
pub mod learned;
#[cfg(feature = "llm")]
pub mod llm;
pub mod negotiation;
pub mod params;
pub mod perceive;
pub mod record;
#[cfg(feature = "ros")]
pub mod ros;
pub mod scenario;
pub mod sim;
pub mod speak;
pub mod track;
