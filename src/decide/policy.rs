//! The creditor's emotional stance: the k-of-n gate, win-stay/lose-shift, and the HMM policy.

use std::collections::VecDeque;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::emotion::Emotion;
use crate::params::PolicyParams;
use crate::track::DispositionTracker;

/// The creditor's payoff (the paper's Table 5): rows debtor emotion, columns creditor emotion,
/// both in table order (Joy, Sadness, Anger, Fear, Surprise, Disgust, Neutral).
pub const CREDITOR_PAYOFF: [[f64; 7]; 7] = [
    [4.0, 3.0, 2.0, 1.0, 3.0, 2.0, 3.0],
    [2.0, 3.0, 2.0, 1.0, 2.0, 1.0, 3.0],
    [1.0, 1.0, 1.0, 0.0, 2.0, 1.0, 2.0],
    [2.0, 2.0, 1.0, 2.0, 2.0, 1.0, 3.0],
    [3.0, 2.0, 1.0, 1.0, 4.0, 2.0, 3.0],
    [2.0, 1.0, 0.0, 0.0, 1.0, 2.0, 2.0],
    [3.0, 3.0, 1.0, 2.0, 3.0, 2.0, 3.0],
];

/// The debtor's payoff, same layout; kept for the simulated debtors and for reference.
pub const DEBTOR_PAYOFF: [[f64; 7]; 7] = [
    [4.0, 2.0, 1.0, 2.0, 3.0, 2.0, 3.0],
    [3.0, 3.0, 1.0, 2.0, 2.0, 1.0, 2.0],
    [2.0, 2.0, 1.0, 1.0, 1.0, 0.0, 1.0],
    [1.0, 1.0, 0.0, 2.0, 1.0, 0.0, 2.0],
    [3.0, 2.0, 2.0, 2.0, 4.0, 1.0, 3.0],
    [2.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0],
    [3.0, 2.0, 2.0, 3.0, 3.0, 2.0, 3.0],
];

/// Learned corrections added to [`CREDITOR_PAYOFF`], same layout; persisted across negotiations.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PayoffAdjustments(pub [[f64; 7]; 7]);

/// Which policy chose the creditor's emotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Expected payoff under the HMM forecast (used when the debtor has been mostly negative).
    Hmm,
    /// Win-stay, lose-shift over the payoff table.
    Wsls,
    /// A baseline that does not reason about emotions (fixed, vanilla or random).
    Baseline,
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Strategy::Hmm => "hmm",
            Strategy::Wsls => "wsls",
            Strategy::Baseline => "baseline",
        })
    }
}

/// How the creditor's emotion is chosen: the full EQ policy, or one of the evaluation baselines.
///
/// Every mode uses the same offer machinery (concession curve, agreement rule, guardrails);
/// [`PolicyMode::Vanilla`] also ignores what was perceived when pacing its concessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PolicyMode {
    /// The k-of-n gate between win-stay/lose-shift and the HMM forecast (the agent).
    #[default]
    Eq,
    /// No emotion guidance: always Neutral, and concessions paced by the plain curve whatever the
    /// debtor shows (no hardship or manipulation adjustment).
    Vanilla,
    /// Always the same emotion, with the agent's offer machinery.
    Fixed(Emotion),
    /// A uniformly random emotion each turn, drawn from a generator seeded with this number.
    Random(u64),
    /// Win-stay/lose-shift over the payoff table only (no HMM hand-over).
    PayoffOnly,
    /// The HMM's expected-payoff choice on every turn (no gate).
    HmmOnly,
}

impl PolicyMode {
    /// The name used on the command line and in reports: `eq`, `vanilla`, `fixed:<emotion>`,
    /// `random`, `payoff-only`, `hmm-only`.
    pub fn name(&self) -> String {
        match self {
            PolicyMode::Eq => "eq".into(),
            PolicyMode::Vanilla => "vanilla".into(),
            PolicyMode::Fixed(e) => format!("fixed:{e}"),
            PolicyMode::Random(_) => "random".into(),
            PolicyMode::PayoffOnly => "payoff-only".into(),
            PolicyMode::HmmOnly => "hmm-only".into(),
        }
    }

    /// True when concessions ignore perception (hardship and manipulation).
    pub fn ignores_perception(&self) -> bool {
        matches!(self, PolicyMode::Vanilla)
    }
}

/// The emotion chosen for the creditor's next reply and why.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EmotionChoice {
    /// The policy that chose.
    pub strategy: Strategy,
    /// The creditor's emotion for the reply.
    pub emotion: Emotion,
}

/// Chooses the creditor's emotion turn by turn and learns from how negotiations end.
#[derive(Debug, Clone)]
pub struct EmotionPolicy {
    params: PolicyParams,
    adjustments: PayoffAdjustments,
    recent: VecDeque<Emotion>,
    last: Option<Emotion>,
    used: Vec<(Emotion, Emotion)>,
    mode: PolicyMode,
    rng: ChaCha8Rng,
}

impl EmotionPolicy {
    /// A policy with learned adjustments from earlier negotiations (or none).
    pub fn new(params: &PolicyParams, adjustments: PayoffAdjustments) -> Self {
        // Learned adjustments from a file stay within the configured bound too.
        let limit = params.payoff_adjustment_limit;
        let adjustments =
            PayoffAdjustments(adjustments.0.map(|row| row.map(|v| v.clamp(-limit, limit))));
        EmotionPolicy {
            params: params.clone(),
            adjustments,
            recent: VecDeque::new(),
            last: None,
            used: Vec::new(),
            mode: PolicyMode::Eq,
            rng: ChaCha8Rng::seed_from_u64(0),
        }
    }

    /// Switches how emotions are chosen (the EQ policy by default); a random mode reseeds.
    pub fn set_mode(&mut self, mode: PolicyMode) {
        if let PolicyMode::Random(seed) = mode {
            self.rng = ChaCha8Rng::seed_from_u64(seed);
        }
        self.mode = mode;
    }

    /// How emotions are chosen.
    pub fn mode(&self) -> PolicyMode {
        self.mode
    }

    /// The baseline's emotion, or `None` when the mode reasons about emotions.
    fn baseline(&mut self) -> Option<Emotion> {
        match self.mode {
            PolicyMode::Vanilla => Some(Emotion::Neutral),
            PolicyMode::Fixed(e) => Some(e),
            PolicyMode::Random(_) => Some(Emotion::ALL[self.rng.random_range(0..Emotion::COUNT)]),
            PolicyMode::Eq | PolicyMode::PayoffOnly | PolicyMode::HmmOnly => None,
        }
    }

    /// The learned adjustments, to persist.
    pub fn adjustments(&self) -> PayoffAdjustments {
        self.adjustments
    }

    /// The creditor's payoff for (debtor emotion, creditor emotion), learning included.
    pub fn payoff(&self, debtor: Emotion, creditor: Emotion) -> f64 {
        CREDITOR_PAYOFF[debtor.index()][creditor.index()]
            + self.adjustments.0[debtor.index()][creditor.index()]
    }

    /// The emotion of the opening message: nothing has been heard yet, so the HMM forecast from
    /// the initial belief is the only evidence.
    pub fn opening(&mut self, tracker: &DispositionTracker) -> EmotionChoice {
        let choice = match self.baseline() {
            Some(emotion) => EmotionChoice {
                strategy: Strategy::Baseline,
                emotion,
            },
            None => EmotionChoice {
                strategy: Strategy::Hmm,
                emotion: self.best_expected(tracker),
            },
        };
        self.last = Some(choice.emotion);
        choice
    }

    /// The emotion for the reply to a debtor who just showed `debtor` (after the tracker saw it).
    pub fn choose(&mut self, debtor: Emotion, tracker: &DispositionTracker) -> EmotionChoice {
        if self.recent.len() == self.params.gate_window {
            self.recent.pop_front();
        }
        self.recent.push_back(debtor);
        let negative = self.recent.iter().filter(|e| e.is_negative()).count();
        let use_hmm = match self.mode {
            PolicyMode::HmmOnly => true,
            PolicyMode::PayoffOnly => false,
            _ => negative >= self.params.gate_negative_count,
        };
        let choice = if let Some(emotion) = self.baseline() {
            EmotionChoice {
                strategy: Strategy::Baseline,
                emotion,
            }
        } else if use_hmm {
            EmotionChoice {
                strategy: Strategy::Hmm,
                emotion: self.best_expected(tracker),
            }
        } else {
            EmotionChoice {
                strategy: Strategy::Wsls,
                emotion: self.win_stay_lose_shift(debtor),
            }
        };
        self.last = Some(choice.emotion);
        self.used.push((debtor, choice.emotion));
        choice
    }

    /// End of a negotiation: every (debtor, creditor) emotion pair used shares the reward
    /// (agreement or failure); adjustments stay within the configured limit.
    pub fn finish(&mut self, agreed: bool) {
        if self.used.is_empty() {
            return;
        }
        let reward = if agreed {
            self.params.agreement_reward
        } else {
            self.params.failure_reward
        };
        let step = self.params.payoff_learning_rate * reward / self.used.len() as f64;
        let limit = self.params.payoff_adjustment_limit;
        for (debtor, creditor) in self.used.drain(..) {
            let cell = &mut self.adjustments.0[debtor.index()][creditor.index()];
            *cell = (*cell + step).clamp(-limit, limit);
        }
    }

    /// Forgets the current negotiation (gate window, last emotion); learning is kept.
    pub fn reset(&mut self) {
        self.recent.clear();
        self.last = None;
        self.used.clear();
    }

    /// Keep the last emotion while it paid at least the threshold against the debtor's reaction;
    /// otherwise shift to the best response to that reaction other than the one that lost.
    fn win_stay_lose_shift(&self, debtor: Emotion) -> Emotion {
        match self.last {
            Some(last) if self.payoff(debtor, last) >= self.params.payoff_threshold => last,
            last => self.best_response(debtor, last),
        }
    }

    /// The highest-payoff creditor emotion against `debtor`, skipping `exclude`; ties go to the
    /// earlier emotion in table order.
    fn best_response(&self, debtor: Emotion, exclude: Option<Emotion>) -> Emotion {
        argmax(
            Emotion::ALL
                .into_iter()
                .filter(|e| Some(*e) != exclude)
                .map(|e| (e, self.payoff(debtor, e))),
        )
    }

    /// The creditor emotion with the highest expected payoff under the HMM forecast.
    fn best_expected(&self, tracker: &DispositionTracker) -> Emotion {
        argmax(Emotion::ALL.into_iter().map(|candidate| {
            let forecast = tracker.forecast(candidate).debtor_emotion;
            let expected = forecast
                .iter()
                .map(|(debtor, p)| p * self.payoff(debtor, candidate))
                .sum::<f64>();
            (candidate, expected)
        }))
    }
}

fn argmax(scored: impl Iterator<Item = (Emotion, f64)>) -> Emotion {
    let mut best: Option<(Emotion, f64)> = None;
    for (e, score) in scored {
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((e, score));
        }
    }
    best.map(|(e, _)| e).unwrap_or(Emotion::Neutral)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::HmmParams;

    fn setup() -> (EmotionPolicy, DispositionTracker) {
        (
            EmotionPolicy::new(&PolicyParams::default(), PayoffAdjustments::default()),
            DispositionTracker::new(&HmmParams::default(), None),
        )
    }

    #[test]
    fn best_response_follows_the_payoff_table() {
        let (mut policy, tracker) = setup();
        // First reply to a joyful debtor: Joy pays 4, the most in that row.
        let c = policy.choose(Emotion::Joy, &tracker);
        assert_eq!(
            c,
            EmotionChoice {
                strategy: Strategy::Wsls,
                emotion: Emotion::Joy
            }
        );
    }

    #[test]
    fn win_stays_and_loss_shifts() {
        let (mut policy, tracker) = setup();
        policy.choose(Emotion::Joy, &tracker); // Joy
        // Debtor answers Joy with Surprise: payoff(Surprise, Joy) = 3 >= 2: stay.
        assert_eq!(
            policy.choose(Emotion::Surprise, &tracker).emotion,
            Emotion::Joy
        );
        // Debtor answers with Anger: payoff(Anger, Joy) = 1 < 2: shift to the best other
        // response to Anger (Surprise and Neutral pay 2; Surprise comes first).
        assert_eq!(
            policy.choose(Emotion::Anger, &tracker).emotion,
            Emotion::Surprise
        );
    }

    #[test]
    fn gate_hands_over_to_the_hmm_after_k_of_n_negative() {
        let (mut policy, tracker) = setup();
        let sequence = [
            Emotion::Anger,
            Emotion::Joy,
            Emotion::Sadness,
            Emotion::Fear,
        ];
        for e in sequence {
            assert_eq!(policy.choose(e, &tracker).strategy, Strategy::Wsls);
        }
        // Fourth negative of the last five.
        assert_eq!(
            policy.choose(Emotion::Disgust, &tracker).strategy,
            Strategy::Hmm
        );
        // Two positives push negatives below k again: back to WSLS.
        policy.choose(Emotion::Joy, &tracker);
        assert_eq!(
            policy.choose(Emotion::Joy, &tracker).strategy,
            Strategy::Wsls
        );
    }

    #[test]
    fn hmm_policy_maximises_expected_payoff() {
        let (policy, tracker) = setup();
        let chosen = policy.best_expected(&tracker);
        let value = |c: Emotion| -> f64 {
            tracker
                .forecast(c)
                .debtor_emotion
                .iter()
                .map(|(d, p)| p * CREDITOR_PAYOFF[d.index()][c.index()])
                .sum()
        };
        for c in Emotion::ALL {
            assert!(value(chosen) >= value(c));
        }
    }

    #[test]
    fn learning_rewards_agreement_and_penalises_failure() {
        let (mut policy, tracker) = setup();
        policy.choose(Emotion::Joy, &tracker);
        policy.choose(Emotion::Joy, &tracker);
        policy.finish(true);
        let up = policy.payoff(Emotion::Joy, Emotion::Joy);
        assert!((up - (4.0 + 0.1)).abs() < 1e-12, "{up}");

        policy.reset();
        policy.choose(Emotion::Neutral, &tracker);
        policy.finish(false);
        let n = policy.payoff(Emotion::Neutral, Emotion::Joy);
        assert!((n - (3.0 - 0.05)).abs() < 1e-12, "{n}");
    }

    #[test]
    fn learned_adjustments_are_bounded() {
        let (mut policy, tracker) = setup();
        for _ in 0..1000 {
            policy.choose(Emotion::Joy, &tracker);
            policy.finish(true);
            policy.reset();
        }
        assert!(policy.payoff(Emotion::Joy, Emotion::Joy) <= 5.0 + 1e-12);
    }
}
