//! The input-output HMM: filter, forecast and Dirichlet online learning.
//!
//! Unlike the authors' reference code, whose likelihood was the same for every state and so
//! cancelled on normalisation, the likelihood here is `L(s) = sum_d B[s,d] o[d]`, which differs by
//! state, so the debtor's emotion really moves the belief.

use std::fmt;

use nalgebra::{Matrix4, SMatrix, Vector4};
use serde::{Deserialize, Serialize};

use crate::emotion::{Distribution, Emotion, EmotionDistribution, Label};
use crate::params::HmmParams;

/// The debtor's hidden disposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Willing to find a plan.
    Cooperative,
    /// Hostile, arguing, threatening.
    Confrontational,
    /// In genuine difficulty: worried, sad, pleading.
    Distressed,
    /// Calculating: stalling or bargaining for advantage.
    Strategic,
}

impl Disposition {
    /// Number of dispositions.
    pub const COUNT: usize = 4;

    /// All dispositions in table order (the rows of the DESIGN.md tables).
    pub const ALL: [Disposition; Disposition::COUNT] = [
        Disposition::Cooperative,
        Disposition::Confrontational,
        Disposition::Distressed,
        Disposition::Strategic,
    ];

    /// Position in the tables of DESIGN.md.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Disposition::Cooperative => "cooperative",
            Disposition::Confrontational => "confrontational",
            Disposition::Distressed => "distressed",
            Disposition::Strategic => "strategic",
        }
    }
}

impl Label for Disposition {
    const ALL: &'static [Disposition] = &Disposition::ALL;

    fn index(self) -> usize {
        Disposition::index(self)
    }

    fn name(self) -> &'static str {
        Disposition::name(self)
    }
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A probability distribution over the four dispositions; serialises as `{state: p}`.
pub type Belief = Distribution<Disposition, { Disposition::COUNT }>;

/// What the tracker expects if the creditor answers with a given emotion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// P(S_next | belief, creditor emotion).
    pub disposition: Belief,
    /// The debtor's next emotion: B^T P(S_next).
    pub debtor_emotion: EmotionDistribution,
}

/// Learned HMM parameters as Dirichlet pseudo-counts; probabilities are the row-normalised counts.
///
/// This is what persists between negotiations (see [`crate::learned`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HmmCounts {
    /// Transition counts per creditor emotion (table order), rows From, columns To.
    pub transition: [[[f64; Disposition::COUNT]; Disposition::COUNT]; Emotion::COUNT],
    /// Emission counts, rows dispositions, columns emotions.
    pub emission: [[f64; Emotion::COUNT]; Disposition::COUNT],
}

impl HmmCounts {
    /// Counts equal to `prior_strength` times the prior rows: every creditor emotion starts from
    /// the same transition prior, as DESIGN.md says.
    pub fn from_prior(params: &HmmParams) -> Self {
        let k = params.prior_strength;
        let transition_row = params.transition_prior.map(|row| row.map(|p| p * k));
        HmmCounts {
            transition: [transition_row; Emotion::COUNT],
            emission: params.emission_prior.map(|row| row.map(|p| p * k)),
        }
    }

    /// Checks that every count is finite and non-negative and every row has mass; used on load.
    pub fn validate(&self) -> Result<(), String> {
        let rows = self
            .transition
            .iter()
            .flat_map(|m| m.iter().map(|r| r.as_slice()))
            .chain(self.emission.iter().map(|r| r.as_slice()));
        for (i, row) in rows.enumerate() {
            if row.iter().any(|c| !(c.is_finite() && *c >= 0.0)) || row.iter().sum::<f64>() <= 0.0 {
                return Err(format!(
                    "count row {i} must hold finite non-negative numbers with a positive sum, got {row:?}"
                ));
            }
        }
        Ok(())
    }
}

/// The filter over the debtor's disposition during one negotiation, with its learned parameters.
#[derive(Debug, Clone)]
pub struct DispositionTracker {
    counts: HmmCounts,
    transition: [Matrix4<f64>; Emotion::COUNT],
    emission: SMatrix<f64, 4, 7>,
    initial: Belief,
    belief: Belief,
    floor: f64,
    learning: bool,
}

impl DispositionTracker {
    /// A tracker at the initial belief, with counts from the prior or from an earlier lifetime.
    pub fn new(params: &HmmParams, counts: Option<HmmCounts>) -> Self {
        let counts = counts.unwrap_or_else(|| HmmCounts::from_prior(params));
        let initial = Belief::from_weights(params.initial_belief);
        let mut tracker = DispositionTracker {
            transition: [Matrix4::zeros(); Emotion::COUNT],
            emission: SMatrix::zeros(),
            counts,
            initial,
            belief: initial,
            floor: params.probability_floor,
            learning: params.learning,
        };
        tracker.refresh_probabilities();
        tracker
    }

    /// The current belief.
    pub fn belief(&self) -> Belief {
        self.belief
    }

    /// The learned counts, to persist after a negotiation.
    pub fn counts(&self) -> &HmmCounts {
        &self.counts
    }

    /// Back to the initial belief for a new negotiation; learned counts are kept.
    pub fn reset(&mut self) {
        self.belief = self.initial;
    }

    /// Puts the belief back to a recorded value (resuming a negotiation).
    pub fn restore_belief(&mut self, belief: Belief) {
        self.belief = belief;
    }

    /// P(S' | S, creditor emotion) as a row-stochastic matrix.
    pub fn transition(&self, creditor: Emotion) -> &Matrix4<f64> {
        &self.transition[creditor.index()]
    }

    /// P(emotion | S) as a row-stochastic 4x7 matrix.
    pub fn emission(&self) -> &SMatrix<f64, 4, 7> {
        &self.emission
    }

    /// One filter step: the creditor spoke with `creditor`, then the debtor showed `evidence`.
    ///
    /// `belief' ∝ (A_c^T belief) ⊙ L`, with `L(s) = sum_d B[s,d] o[d]`. When learning is on, the
    /// step's transition and emission responsibilities are added to the counts.
    pub fn observe(&mut self, creditor: Emotion, evidence: &EmotionDistribution) -> Belief {
        let a = self.transition[creditor.index()];
        let o = nalgebra::SVector::<f64, 7>::from(*evidence.as_array());
        let likelihood = (self.emission * o).map(|l| l.max(self.floor));
        let predicted = a.transpose() * Vector4::from(*self.belief.as_array());
        let unnormalised = predicted.component_mul(&likelihood);
        let posterior = Belief::from_weights(
            unnormalised
                .map(|p| p.max(self.floor))
                .as_slice()
                .try_into()
                .expect("four entries"),
        );
        if self.learning {
            self.learn(creditor, &likelihood, &o, &posterior);
        }
        self.belief = posterior;
        posterior
    }

    /// What follows if the creditor now answers with `candidate`.
    pub fn forecast(&self, candidate: Emotion) -> Forecast {
        let next =
            self.transition[candidate.index()].transpose() * Vector4::from(*self.belief.as_array());
        let emotion = self.emission.transpose() * next;
        Forecast {
            disposition: Belief::from_weights([next[0], next[1], next[2], next[3]]),
            debtor_emotion: EmotionDistribution::from_weights(
                emotion.as_slice().try_into().expect("seven entries"),
            ),
        }
    }

    /// Adds this step's expected sufficient statistics to the counts (online EM, one step).
    fn learn(
        &mut self,
        creditor: Emotion,
        likelihood: &Vector4<f64>,
        evidence: &nalgebra::SVector<f64, 7>,
        posterior: &Belief,
    ) {
        let a = self.transition[creditor.index()];
        // ξ(s, s') ∝ belief(s) A(s, s') L(s'): the responsibility of each transition.
        let mut xi = Matrix4::zeros();
        for s in 0..4 {
            for t in 0..4 {
                xi[(s, t)] = self.belief.as_array()[s] * a[(s, t)] * likelihood[t];
            }
        }
        let total = xi.sum();
        if !(total.is_finite() && total > 0.0) {
            return;
        }
        let counts = &mut self.counts.transition[creditor.index()];
        for s in 0..4 {
            for t in 0..4 {
                counts[s][t] += xi[(s, t)] / total;
            }
        }
        // Emission responsibility of label d in state s: γ(s) B[s,d] o[d] / L(s).
        for s in 0..4 {
            for d in 0..7 {
                let r =
                    posterior.as_array()[s] * self.emission[(s, d)] * evidence[d] / likelihood[s];
                if r.is_finite() {
                    self.counts.emission[s][d] += r;
                }
            }
        }
        self.refresh_probabilities();
    }

    fn refresh_probabilities(&mut self) {
        for (c, counts) in self.counts.transition.iter().enumerate() {
            for (s, row) in counts.iter().enumerate() {
                let total: f64 = row.iter().sum();
                for (t, count) in row.iter().enumerate() {
                    self.transition[c][(s, t)] = count / total;
                }
            }
        }
        for (s, row) in self.counts.emission.iter().enumerate() {
            let total: f64 = row.iter().sum();
            for (d, count) in row.iter().enumerate() {
                self.emission[(s, d)] = count / total;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tracker() -> DispositionTracker {
        DispositionTracker::new(&HmmParams::default(), None)
    }

    fn evidence(e: Emotion, strength: f64) -> EmotionDistribution {
        EmotionDistribution::certain(e).mix(&EmotionDistribution::uniform(), strength)
    }

    #[test]
    fn starts_at_the_design_prior() {
        let t = tracker();
        assert_eq!(t.belief().as_array(), &[0.4, 0.2, 0.2, 0.2]);
        for c in Emotion::ALL {
            assert!((t.transition(c)[(1, 1)] - 0.40).abs() < 1e-12);
        }
        assert!((t.emission()[(2, 1)] - 0.30).abs() < 1e-12);
    }

    #[test]
    fn angry_utterances_raise_confrontational() {
        let mut t = tracker();
        let before = t.belief().get(Disposition::Confrontational);
        for _ in 0..5 {
            t.observe(Emotion::Neutral, &evidence(Emotion::Anger, 0.9));
        }
        let after = t.belief();
        assert!(
            after.get(Disposition::Confrontational) > before + 0.1,
            "{after:?}"
        );
        assert_eq!(after.most_likely(), Disposition::Confrontational);
    }

    #[test]
    fn hardship_raises_distressed() {
        let mut t = tracker();
        let before = t.belief().get(Disposition::Distressed);
        for _ in 0..5 {
            t.observe(Emotion::Neutral, &evidence(Emotion::Sadness, 0.9));
        }
        let after = t.belief();
        assert!(
            after.get(Disposition::Distressed) > before + 0.2,
            "{after:?}"
        );
        assert_eq!(after.most_likely(), Disposition::Distressed);
    }

    #[test]
    fn uniform_evidence_only_applies_the_transition() {
        let params = HmmParams {
            learning: false,
            ..HmmParams::default()
        };
        let mut t = DispositionTracker::new(&params, None);
        // With uniform evidence every state has likelihood 1/7: belief' = A^T belief.
        let expected =
            t.transition(Emotion::Joy).transpose() * Vector4::from(*t.belief().as_array());
        t.observe(Emotion::Joy, &EmotionDistribution::uniform());
        for s in 0..4 {
            assert!((t.belief().as_array()[s] - expected[s]).abs() < 1e-12);
        }
    }

    #[test]
    fn forecast_depends_on_the_learned_transition_for_that_emotion() {
        let mut t = tracker();
        let before = t.forecast(Emotion::Joy).debtor_emotion;
        for _ in 0..40 {
            t.reset();
            t.observe(Emotion::Joy, &evidence(Emotion::Joy, 1.0));
        }
        let after_joy = t.forecast(Emotion::Joy).debtor_emotion;
        let after_sad = t.forecast(Emotion::Sadness).debtor_emotion;
        assert!(after_joy.get(Emotion::Joy) > before.get(Emotion::Joy));
        assert!(after_joy.get(Emotion::Joy) > after_sad.get(Emotion::Joy));
    }

    #[test]
    fn learning_moves_parameters_toward_what_was_observed() {
        let mut t = tracker();
        let prior_anger: f64 = (0..4)
            .map(|s| t.emission()[(s, Emotion::Anger.index())])
            .sum();
        for _ in 0..50 {
            t.observe(Emotion::Neutral, &evidence(Emotion::Anger, 1.0));
        }
        let learned_anger: f64 = (0..4)
            .map(|s| t.emission()[(s, Emotion::Anger.index())])
            .sum();
        assert!(
            learned_anger > prior_anger + 0.1,
            "{prior_anger} -> {learned_anger}"
        );
        // Staying in Confrontational was observed again and again: its self-transition grows.
        let conf = Disposition::Confrontational.index();
        assert!(t.transition(Emotion::Neutral)[(conf, conf)] > 0.40);
        // Transitions after emotions never used are untouched.
        assert!((t.transition(Emotion::Joy)[(conf, conf)] - 0.40).abs() < 1e-12);
    }

    #[test]
    fn learning_off_keeps_counts() {
        let params = HmmParams {
            learning: false,
            ..HmmParams::default()
        };
        let mut t = DispositionTracker::new(&params, None);
        let before = t.counts().clone();
        t.observe(Emotion::Anger, &evidence(Emotion::Anger, 1.0));
        assert_eq!(t.counts(), &before);
    }

    #[test]
    fn reset_keeps_learning_and_restores_the_initial_belief() {
        let mut t = tracker();
        t.observe(Emotion::Neutral, &evidence(Emotion::Sadness, 1.0));
        let counts = t.counts().clone();
        t.reset();
        assert_eq!(t.belief().as_array(), &[0.4, 0.2, 0.2, 0.2]);
        assert_eq!(t.counts(), &counts);
    }

    fn arbitrary_evidence() -> impl Strategy<Value = EmotionDistribution> {
        prop::array::uniform7(prop_oneof![
            Just(0.0),
            0.0..1.0f64,
            Just(1e-300),
            Just(1e300)
        ])
        .prop_map(EmotionDistribution::from_weights)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]
        #[test]
        fn belief_is_a_distribution_after_10000_random_steps(
            steps in prop::collection::vec((0..7usize, arbitrary_evidence()), 10_000)
        ) {
            let mut t = tracker();
            for (creditor, ev) in steps {
                let b = t.observe(Emotion::ALL[creditor], &ev);
                let total: f64 = b.as_array().iter().sum();
                prop_assert!((total - 1.0).abs() < 1e-9, "sum {}", total);
                prop_assert!(b.as_array().iter().all(|p| p.is_finite() && *p >= 0.0));
            }
            let f = t.forecast(Emotion::Neutral);
            let total: f64 = f.debtor_emotion.as_array().iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-9);
        }
    }
}
