//! Simulation: debtors that the agent can negotiate with, for the demo, benchmarks and tests.

pub mod scripted;

pub use scripted::ScriptedDebtor;
