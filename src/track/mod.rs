//! Track: the debtor's hidden disposition, followed by an input-output HMM.
//!
//! [`DispositionTracker`] filters a belief over four [`Disposition`]s from soft emotion evidence,
//! with transitions conditioned on the creditor's own last emotion, forecasts the debtor's next
//! emotion for each emotion the creditor might choose, and learns its parameters online
//! ([`HmmCounts`], Dirichlet pseudo-counts) so they can be carried across negotiations.

mod hmm;

pub use hmm::{Belief, Disposition, DispositionTracker, Forecast, HmmCounts};
