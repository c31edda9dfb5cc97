//! EQ-Negotiator core.
pub mod emotion;
pub mod perceive;
