//! The creditor's emotional stance: the k-of-n gate, win-stay/lose-shift, and the HMM policy.

use std::collections::VecDeque;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::concession::Pacing;
use crate::emotion::Emotion;
use crate::params::PolicyParams;
use crate::perceive::{StanceSignals, Tactic, TacticKind};
use crate::track::{Disposition, DispositionTracker};

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
    /// The turn-level tone learning: the tone the debtor's concessions favour for its type.
    Learned,
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Strategy::Hmm => "hmm",
            Strategy::Wsls => "wsls",
            Strategy::Baseline => "baseline",
            Strategy::Learned => "learned",
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
    /// The simplest creditor: always Neutral, offers in a straight line from the target to the
    /// limit over this many exchanges, no perception, no HMM, no learning.
    Linear(u32),
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
            PolicyMode::Linear(n) => format!("linear:{n}"),
        }
    }

    /// True when concessions ignore perception (hardship, manipulation, the debtor's stance).
    pub fn ignores_perception(&self) -> bool {
        matches!(self, PolicyMode::Vanilla | PolicyMode::Linear(_))
    }

    /// How this mode paces its offers: vanilla by the fixed curve, linear by its straight line,
    /// every other mode by the debtor in front of it.
    pub fn pacing(&self) -> Pacing {
        match self {
            PolicyMode::Vanilla => Pacing::Curve,
            PolicyMode::Linear(n) => Pacing::Linear(*n),
            _ => Pacing::Read,
        }
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

/// What the policy remembers within one negotiation, with its learned adjustments: enough to put
/// a policy back exactly where it was (resuming a negotiation from its record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyMemory {
    /// The debtor's latest emotions the gate looks at, oldest first.
    pub recent: Vec<Emotion>,
    /// The creditor's last emotion (win-stay/lose-shift stays with it or shifts from it).
    pub last: Option<Emotion>,
    /// Every (debtor, creditor) emotion pair used so far, learned from when the negotiation ends.
    pub used: Vec<(Emotion, Emotion)>,
    /// The learned payoff adjustments as they stand.
    pub adjustments: PayoffAdjustments,
    /// What was learned about each tone in each debtor context, as it stands.
    #[serde(default)]
    pub tones: ToneStats,
    /// The latest tactic seen in this negotiation (the debtor's context from then on).
    #[serde(default)]
    pub tactic: Option<TacticKind>,
    /// The debtor's stance once read (its context unless a tactic was seen).
    #[serde(default)]
    pub stance: Option<Stance>,
    /// How often the debtor showed each emotion in its first `policy.turn_type_replies`
    /// replies of this negotiation (its type, until a tactic is seen).
    #[serde(default)]
    pub heard: [u32; Emotion::COUNT],
    /// The debtor's latest stated days (the reference for its next concession).
    #[serde(default)]
    pub debtor_days: Option<u32>,
    /// Share of the gap to our offer the debtor gave up in its latest reply.
    #[serde(default)]
    pub concession: Option<f64>,
    /// The debtor types, with their weights, when the last reply's tone was chosen (where it
    /// gets the credit).
    #[serde(default)]
    pub tone_context: Vec<(usize, f64)>,
    /// How this negotiation's debtor answered each of our tones so far.
    #[serde(default)]
    pub debtor_evidence: DebtorEvidence,
    /// Whether the debtor's next reply can be scored (the turn-level learning explores only
    /// then).
    #[serde(default)]
    pub next_reply_scored: bool,
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
    tones: ToneStats,
    /// The latest tactic seen in this negotiation: from then on it is the debtor's context.
    tactic: Option<TacticKind>,
    /// The debtor's stance once read (no hurry, stalling): its context unless a tactic was seen.
    stance: Option<Stance>,
    /// Distressed is the debtor's most likely disposition now (no firm tones).
    distressed: bool,
    /// How often the debtor showed each emotion in its first replies of this negotiation.
    heard: [u32; Emotion::COUNT],
    /// The debtor's latest stated days.
    debtor_days: Option<u32>,
    /// Share of the gap to our offer the debtor gave up in its latest reply.
    concession: Option<f64>,
    /// The debtor types, with their weights, when the last reply's tone was chosen.
    tone_context: Vec<(usize, f64)>,
    /// How this negotiation's debtor answered each of our tones so far.
    debtor_evidence: DebtorEvidence,
    /// Whether the debtor's next reply can be scored: its latest reply gave a share, and its
    /// number is still at least `turn_min_gap_days` above our offer.
    next_reply_scored: bool,
}

/// Number of debtor contexts: the seven emotions, then the four tactics, then the two stances.
pub const CONTEXTS: usize = Emotion::COUNT + 4 + 2;

/// A debtor type read from where it stands rather than from its emotion or a tactic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// In no hurry ("no rush", "whenever"): friendly, and barely moving.
    Complacent,
    /// Putting the decision off ("let me think about it", "call me next week").
    Stalling,
}

/// The stances in context order (after the tactics).
const STANCE_CONTEXTS: [Stance; 2] = [Stance::Complacent, Stance::Stalling];

/// The payoff-table row that stands for a stance: complacency reads as joy, stalling as neutral.
fn stance_row(stance: Stance) -> Emotion {
    match stance {
        Stance::Complacent => Emotion::Joy,
        Stance::Stalling => Emotion::Neutral,
    }
}

/// Reads a table of at most [`CONTEXTS`] rows, padding it with zeros: files written before the
/// stance contexts have fewer rows.
fn padded_rows<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<[[f64; Emotion::COUNT]; CONTEXTS], D::Error> {
    let rows: Vec<[f64; Emotion::COUNT]> = Vec::deserialize(d)?;
    if rows.len() > CONTEXTS {
        return Err(serde::de::Error::custom(format!(
            "{} rows of tone statistics, at most {CONTEXTS} expected",
            rows.len()
        )));
    }
    let mut out = [[0.0; Emotion::COUNT]; CONTEXTS];
    out[..rows.len()].copy_from_slice(&rows);
    Ok(out)
}

/// The tactics in context order (after the seven emotions).
const TACTIC_CONTEXTS: [TacticKind; 4] = [
    TacticKind::Threat,
    TacticKind::PlayingVictim,
    TacticKind::Cheating,
    TacticKind::Stonewalling,
];

/// The debtor type of a row of [`ToneStats`], in words: "showed anger", "used threats",
/// "in no hurry".
pub fn context_name(row: usize) -> String {
    if let Some(emotion) = Emotion::ALL.get(row) {
        format!("showed {}", emotion.name())
    } else if let Some(kind) = TACTIC_CONTEXTS.get(row - Emotion::COUNT) {
        format!("used {}", kind.name().replace('_', " "))
    } else {
        match STANCE_CONTEXTS.get(row - Emotion::COUNT - TACTIC_CONTEXTS.len()) {
            Some(Stance::Complacent) => "in no hurry".into(),
            Some(Stance::Stalling) => "stalling".into(),
            None => format!("type {row}"),
        }
    }
}

/// The payoff-table row that stands for a tactic: threats read as anger, victim play as
/// sadness, cheating as disgust (deception), stonewalling as neutral.
fn tactic_row(kind: TacticKind) -> Emotion {
    match kind {
        TacticKind::Threat => Emotion::Anger,
        TacticKind::PlayingVictim => Emotion::Sadness,
        TacticKind::Cheating => Emotion::Disgust,
        TacticKind::Stonewalling => Emotion::Neutral,
    }
}

/// What the agent has learned about each of its tones for each type of debtor: how much more of
/// the gap to our offer the debtor gave up after the tone than in its reply before. Rows are
/// debtor types (the emotions it showed in its first replies, else the latest tactic seen, else
/// its stance: no hurry, stalling), columns the agent's emotion. (Files written before kept two
/// more tables, for a negotiation-level outcome learning since removed; they are ignored.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToneStats {
    /// Turn-level learning, rows debtor types (the debtor's opening emotion, or the latest
    /// tactic seen), columns our tone: how many debtor replies to the tone were scored.
    #[serde(default, deserialize_with = "padded_rows")]
    pub turns: [[f64; Emotion::COUNT]; CONTEXTS],
    /// Sum of the change in the debtor's concession (share of the gap to our offer it gave up)
    /// from its reply before the tone to its reply after it.
    #[serde(default, deserialize_with = "padded_rows")]
    pub gain: [[f64; Emotion::COUNT]; CONTEXTS],
    /// Sum of the squares of those changes.
    #[serde(default, deserialize_with = "padded_rows")]
    pub gain_squares: [[f64; Emotion::COUNT]; CONTEXTS],
}

impl Default for ToneStats {
    fn default() -> Self {
        ToneStats {
            turns: [[0.0; Emotion::COUNT]; CONTEXTS],
            gain: [[0.0; Emotion::COUNT]; CONTEXTS],
            gain_squares: [[0.0; Emotion::COUNT]; CONTEXTS],
        }
    }
}

impl ToneStats {
    /// True when every entry is a finite number and every weight is non-negative.
    pub fn is_valid(&self) -> bool {
        let counts = |m: &[[f64; Emotion::COUNT]; CONTEXTS]| {
            m.iter().flatten().all(|w| w.is_finite() && *w >= 0.0)
        };
        counts(&self.turns)
            && counts(&self.gain_squares)
            && self.gain.iter().flatten().all(|q| q.is_finite())
    }

    /// Scores a debtor reply to `tone` in debtor type `context`, with weight `weight` (the
    /// share of that type in the debtor's mix): `gain` is how much more of the gap it gave up
    /// than in its reply before.
    pub fn record_turn(&mut self, context: usize, tone: Emotion, gain: f64, weight: f64) {
        if context < CONTEXTS && gain.is_finite() && weight.is_finite() && weight > 0.0 {
            self.turns[context][tone.index()] += weight;
            self.gain[context][tone.index()] += weight * gain;
            self.gain_squares[context][tone.index()] += weight * gain * gain;
        }
    }

    /// The tone among `candidates` with the highest upper confidence bound on its mean gain
    /// for a debtor that is a mix of `types` (context, weight; weights sum to 1): per type, the
    /// tone's mean shrunk toward the type's mean by `prior` pseudo-replies, mixed by weight;
    /// plus `optimism` x (standard deviation) x sqrt(ln N / n), with n the tone's weighted
    /// count and N the types' weighted total, both plus one
    /// (the n + 1 keeps a tone never tried finite: the first candidate wins among equals).
    pub fn most_promising(
        &self,
        types: &[(usize, f64)],
        candidates: &[Emotion],
        optimism: f64,
        prior: f64,
    ) -> Emotion {
        let mix = |f: &dyn Fn(usize) -> f64| types.iter().map(|(k, w)| w * f(*k)).sum::<f64>();
        let count = |e: Emotion| mix(&|k| self.turns[k][e.index()]);
        let row = |m: &[[f64; Emotion::COUNT]; CONTEXTS], k: usize| {
            candidates.iter().map(|e| m[k][e.index()]).sum::<f64>()
        };
        let type_mean = |k: usize| {
            let n = row(&self.turns, k);
            if n > 0.0 { row(&self.gain, k) / n } else { 0.0 }
        };
        let total = mix(&|k| row(&self.turns, k));
        let (mean, squares) = if total > 0.0 {
            (
                mix(&|k| row(&self.gain, k)) / total,
                mix(&|k| row(&self.gain_squares, k)) / total,
            )
        } else {
            (0.0, 0.0)
        };
        let sd = (squares - mean * mean).max(0.0).sqrt().max(1e-3);
        let log = (total + 1.0).ln();
        argmax(candidates.iter().map(|e| {
            let i = e.index();
            let estimate =
                mix(&|k| (self.gain[k][i] + prior * type_mean(k)) / (self.turns[k][i] + prior));
            (
                *e,
                estimate + optimism * sd * (log / (count(*e) + 1.0)).sqrt(),
            )
        }))
    }

    /// The debtor types met so far, weighted by how many replies were scored in each.
    pub fn population(&self) -> Vec<(usize, f64)> {
        let per_type: Vec<f64> = self.turns.iter().map(|row| row.iter().sum()).collect();
        let total: f64 = per_type.iter().sum();
        if total <= 0.0 {
            return Vec::new();
        }
        per_type
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0.0)
            .map(|(k, n)| (k, n / total))
            .collect()
    }
}

/// How the debtor of the current negotiation answered each of our tones: the turn-level signal
/// of [`ToneStats`], kept for this debtor alone. Neutral is the professional default; another
/// tone is used only while this debtor's own answers do not speak against it, so a debtor who
/// does not react the way its type does is not pushed further with the wrong tone.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DebtorEvidence {
    /// Scored replies of this debtor after each of our tones.
    pub turns: [f64; Emotion::COUNT],
    /// Sum of their concession changes (as in [`ToneStats::record_turn`]).
    pub gain: [f64; Emotion::COUNT],
}

impl DebtorEvidence {
    /// Adds one scored reply to `tone`.
    pub fn record(&mut self, tone: Emotion, gain: f64) {
        if gain.is_finite() {
            self.turns[tone.index()] += 1.0;
            self.gain[tone.index()] += gain;
        }
    }

    /// True when every entry is finite and every count non-negative.
    pub fn is_valid(&self) -> bool {
        self.turns.iter().all(|n| n.is_finite() && *n >= 0.0)
            && self.gain.iter().all(|g| g.is_finite())
    }

    /// True when `tone` is not neutral and this debtor, over at least `replies` scored
    /// answers to it, gave up less of the gap on average after it than before.
    pub fn rules_out(&self, tone: Emotion, replies: u32) -> bool {
        let i = tone.index();
        tone != Emotion::Neutral
            && replies > 0
            && self.turns[i] >= f64::from(replies)
            && self.gain[i] < 0.0
    }
}

/// The tones the turn-level learning chooses among: all seven, each a civil stance (fear is
/// polite urgency about where the account is heading, anger and disgust polite firmness; the
/// guardrails keep them civil).
const LEARNED: [Emotion; Emotion::COUNT] = [
    Emotion::Neutral,
    Emotion::Joy,
    Emotion::Sadness,
    Emotion::Surprise,
    Emotion::Fear,
    Emotion::Anger,
    Emotion::Disgust,
];

/// The firm tones (polite firmness and polite urgency): only for excuses, lies, complacency and
/// stalling, from a debtor who is not upset.
const FIRM: [Emotion; 3] = [Emotion::Anger, Emotion::Disgust, Emotion::Fear];

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
            tones: ToneStats::default(),
            tactic: None,
            stance: None,
            distressed: false,
            heard: [0; Emotion::COUNT],
            debtor_days: None,
            concession: None,
            tone_context: Vec::new(),
            debtor_evidence: DebtorEvidence::default(),
            next_reply_scored: false,
        }
    }

    /// Starts from tone statistics learned before.
    pub fn with_tones(mut self, tones: ToneStats) -> Self {
        if tones.is_valid() {
            self.tones = tones;
        }
        self
    }

    /// The tone statistics, to persist.
    pub fn tones(&self) -> &ToneStats {
        &self.tones
    }

    /// Tells the policy the tactics detected in the debtor's latest utterance; the latest
    /// becomes the debtor's context for the rest of the negotiation.
    pub fn observe_tactics(&mut self, tactics: &[Tactic]) {
        if let Some(t) = tactics.last() {
            self.tactic = Some(t.kind);
        }
    }

    /// Tells the policy where the debtor stands: a debtor in no hurry is complacent from then
    /// on; one putting the decision off is stalling, unless already read as complacent.
    pub fn observe_stance(&mut self, signals: &StanceSignals) {
        if signals.no_hurry {
            self.stance = Some(Stance::Complacent);
        } else if signals.stalling && self.stance.is_none() {
            self.stance = Some(Stance::Stalling);
        }
    }

    /// Tells the policy the days the debtor just stated (if any) in answer to our offer of
    /// `answered` days. The share of the gap it gave up, compared with its reply before, scores
    /// the tone of our reply in between (turn-level learning). A reply that states no number or
    /// goes back up on the debtor's own gives no signal and restarts the measure: a share over
    /// two replies would not compare with one over one.
    pub fn observe_offer(&mut self, days: Option<u32>, answered: u32) {
        self.score_reply(days, answered);
        self.next_reply_scored = self.concession.is_some()
            && days.is_some_and(|d| {
                f64::from(d.saturating_sub(answered)) >= self.params.turn_min_gap_days
            });
    }

    /// The turn-level signal of the debtor's reply (see [`EmotionPolicy::observe_offer`]).
    fn score_reply(&mut self, days: Option<u32>, answered: u32) {
        let Some(days) = days else {
            self.concession = None;
            self.debtor_days = None;
            return;
        };
        match self.debtor_days {
            // Going back up, or meeting our offer (the haggling is over): no signal.
            Some(before) if days > before || days <= answered => {
                self.concession = None;
                self.debtor_days = None;
            }
            // Too close to our offer for a share to mean much (a day is a big share).
            Some(before)
                if f64::from(before.saturating_sub(answered)) < self.params.turn_min_gap_days =>
            {
                self.concession = None;
                self.debtor_days = Some(days);
            }
            Some(before) => {
                let share =
                    (f64::from(before - days) / f64::from(before - answered)).clamp(0.0, 1.0);
                if let (Some(previous), Some(tone)) = (self.concession, self.last) {
                    for (context, weight) in &self.tone_context {
                        self.tones
                            .record_turn(*context, tone, share - previous, *weight);
                    }
                    self.debtor_evidence.record(tone, share - previous);
                }
                self.concession = Some(share);
                self.debtor_days = Some(days);
            }
            _ => {
                self.concession = None;
                self.debtor_days = Some(days);
            }
        }
    }

    /// The debtor's type for the turn-level learning, as a mix (context, weight): the latest
    /// tactic seen, else the emotions it showed in its first replies, weighted by how often.
    fn debtor_types(&self, debtor: Emotion) -> Vec<(usize, f64)> {
        let total: u32 = self.heard.iter().sum();
        if self.tactic.is_some() || self.stance.is_some() || total == 0 {
            return vec![(self.context(debtor), 1.0)];
        }
        self.heard
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k, f64::from(*n) / f64::from(total)))
            .collect()
    }

    /// The debtor's context now: the latest tactic seen, else its stance, else its emotion.
    fn context(&self, debtor: Emotion) -> usize {
        match (self.tactic, self.stance) {
            (Some(kind), _) => {
                Emotion::COUNT
                    + TACTIC_CONTEXTS
                        .iter()
                        .position(|k| *k == kind)
                        .unwrap_or_default()
            }
            (None, Some(stance)) => {
                Emotion::COUNT
                    + TACTIC_CONTEXTS.len()
                    + STANCE_CONTEXTS
                        .iter()
                        .position(|s| *s == stance)
                        .unwrap_or_default()
            }
            (None, None) => debtor.index(),
        }
    }

    /// The payoff of `creditor` in a context: the table row it stands for, with the paper's
    /// learning.
    fn context_payoff(&self, context: usize, debtor: Emotion, creditor: Emotion) -> f64 {
        let row = match context.checked_sub(Emotion::COUNT) {
            Some(t) if t < TACTIC_CONTEXTS.len() => tactic_row(TACTIC_CONTEXTS[t]),
            Some(t) => stance_row(STANCE_CONTEXTS[t - TACTIC_CONTEXTS.len()]),
            None => debtor,
        };
        self.payoff(row, creditor)
    }

    /// Takes new parameters in the middle of a negotiation (the ROS node's live parameters):
    /// what was heard and learned stays, trimmed to the new gate window and adjustment bound.
    pub fn set_params(&mut self, params: &PolicyParams) {
        while self.recent.len() > params.gate_window {
            self.recent.pop_front();
        }
        let limit = params.payoff_adjustment_limit;
        self.adjustments = PayoffAdjustments(
            self.adjustments
                .0
                .map(|row| row.map(|v| v.clamp(-limit, limit))),
        );
        self.params = params.clone();
    }

    /// Seeds the generator behind the random baseline, so runs repeat.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.rng = ChaCha8Rng::seed_from_u64(seed);
        self
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
            PolicyMode::Vanilla | PolicyMode::Linear(_) => Some(Emotion::Neutral),
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
        // Nothing heard yet: the debtor is any of the types met so far, as often as they came.
        let types = self.tones.population();
        let choice = self.learned(choice, &types);
        self.last = Some(choice.emotion);
        choice
    }

    /// With turn-level learning on (EQ mode), the most promising non-hostile tone for a debtor
    /// of these `types`; the table's `choice` comes first among equals.
    fn learned(&self, choice: EmotionChoice, types: &[(usize, f64)]) -> EmotionChoice {
        if self.mode != PolicyMode::Eq || !self.params.turn_learning || types.is_empty() {
            return choice;
        }
        // The table's proposal, where it does not fit, gives way to calm.
        let choice = if self.fits(choice.emotion) {
            choice
        } else {
            EmotionChoice {
                emotion: Emotion::Neutral,
                ..choice
            }
        };
        let mut candidates = vec![choice.emotion];
        // Complacency's first answer is polite urgency, ahead of the table's proposal.
        if self.tactic.is_none() && self.stance == Some(Stance::Complacent) {
            candidates.insert(0, Emotion::Fear);
        }
        for e in LEARNED {
            if !candidates.contains(&e) {
                candidates.push(e);
            }
        }
        let replies = self.params.turn_veto_replies;
        candidates.retain(|e| self.fits(*e) && !self.debtor_evidence.rules_out(*e, replies));
        if candidates.is_empty() {
            return EmotionChoice {
                strategy: Strategy::Learned,
                emotion: Emotion::Neutral,
            };
        }
        // Trying a tone only teaches something when the debtor's answer can be scored; near
        // the end of the haggling it cannot, and the best-known tone is used.
        let optimism = if self.next_reply_scored {
            self.params.turn_exploration
        } else {
            0.0
        };
        let emotion =
            self.tones
                .most_promising(types, &candidates, optimism, self.params.turn_prior);
        EmotionChoice {
            strategy: if emotion == choice.emotion {
                choice.strategy
            } else {
                Strategy::Learned
            },
            emotion,
        }
    }

    /// Whether a tone fits this debtor now. To one who is upset (its latest emotion negative) or
    /// most likely distressed: empathy (sadness) or calm (neutral) only, never cheer, surprise,
    /// firmness or urgency. Otherwise: no empathy (there is no hardship to answer); firmness and
    /// urgency (anger, disgust, fear) only against cheating, stonewalling, complacency or
    /// stalling; warmth, surprise and neutral always.
    fn fits(&self, tone: Emotion) -> bool {
        let upset = self.distressed || self.recent.back().is_some_and(|e| e.is_negative());
        let excuses = matches!(
            self.tactic,
            Some(TacticKind::Cheating | TacticKind::Stonewalling)
        ) || self.tactic.is_none() && self.stance.is_some();
        match tone {
            Emotion::Sadness => upset,
            Emotion::Neutral => true,
            _ if upset => false,
            e if FIRM.contains(&e) => excuses,
            _ => true,
        }
    }

    /// The emotion for the reply to a debtor who just showed `debtor` (after the tracker saw it).
    pub fn choose(&mut self, debtor: Emotion, tracker: &DispositionTracker) -> EmotionChoice {
        self.distressed = tracker.belief().most_likely() == Disposition::Distressed;
        if self.recent.len() >= self.params.gate_window {
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
        // Later emotions are partly the debtor's reactions to our own tones: its type is what it
        // showed in its first replies.
        let heard: u32 = self.heard.iter().sum();
        if heard < self.params.turn_type_replies {
            self.heard[debtor.index()] += 1;
        }
        let types = self.debtor_types(debtor);
        let choice = self.learned(choice, &types);
        self.tone_context = types;
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

    /// What the policy remembers now, to record.
    pub fn memory(&self) -> PolicyMemory {
        PolicyMemory {
            recent: self.recent.iter().copied().collect(),
            last: self.last,
            used: self.used.clone(),
            adjustments: self.adjustments,
            tones: self.tones.clone(),
            tactic: self.tactic,
            stance: self.stance,
            heard: self.heard,
            debtor_days: self.debtor_days,
            concession: self.concession,
            tone_context: self.tone_context.clone(),
            debtor_evidence: self.debtor_evidence,
            next_reply_scored: self.next_reply_scored,
        }
    }

    /// Puts the policy back to a recorded memory. The gate window keeps only the latest
    /// `policy.gate_window` emotions and adjustments stay within the configured limit, so a
    /// record written under other parameters still gives a valid policy.
    pub fn restore(&mut self, memory: PolicyMemory) {
        let skip = memory.recent.len().saturating_sub(self.params.gate_window);
        self.recent = memory.recent.into_iter().skip(skip).collect();
        self.last = memory.last;
        self.used = memory.used;
        if memory.tones.is_valid() {
            self.tones = memory.tones;
        }
        self.tactic = memory.tactic;
        self.stance = memory.stance;
        self.heard = memory.heard;
        self.debtor_days = memory.debtor_days;
        self.concession = memory.concession.filter(|c| c.is_finite());
        self.tone_context = memory
            .tone_context
            .into_iter()
            .filter(|(c, w)| *c < CONTEXTS && w.is_finite() && *w >= 0.0)
            .collect();
        self.debtor_evidence = if memory.debtor_evidence.is_valid() {
            memory.debtor_evidence
        } else {
            DebtorEvidence::default()
        };
        self.next_reply_scored = memory.next_reply_scored;
        let limit = self.params.payoff_adjustment_limit;
        self.adjustments = PayoffAdjustments(memory.adjustments.0.map(|row| {
            row.map(|v| {
                if v.is_finite() {
                    v.clamp(-limit, limit)
                } else {
                    0.0
                }
            })
        }));
    }

    /// Forgets the current negotiation (gate window, last emotion); learning is kept.
    pub fn reset(&mut self) {
        self.recent.clear();
        self.last = None;
        self.used.clear();
        self.tactic = None;
        self.stance = None;
        self.heard = [0; Emotion::COUNT];
        self.debtor_days = None;
        self.concession = None;
        self.tone_context.clear();
        self.debtor_evidence = DebtorEvidence::default();
        self.next_reply_scored = false;
    }

    /// Keep the last emotion while it paid at least the threshold against the debtor's reaction;
    /// otherwise shift to the best response to that reaction other than the one that lost.
    fn win_stay_lose_shift(&self, debtor: Emotion) -> Emotion {
        let context = self.context(debtor);
        match self.last {
            Some(last)
                if self.context_payoff(context, debtor, last) >= self.params.payoff_threshold =>
            {
                last
            }
            Some(last) => self.best_response(debtor, Some(last)),
            None => self.best_response(debtor, None),
        }
    }

    /// The highest-payoff creditor emotion against `debtor`, skipping `exclude`; ties go to the
    /// earlier emotion in table order.
    fn best_response(&self, debtor: Emotion, exclude: Option<Emotion>) -> Emotion {
        let context = self.context(debtor);
        argmax(
            Emotion::ALL
                .into_iter()
                .filter(|e| Some(*e) != exclude)
                .map(|e| (e, self.context_payoff(context, debtor, e))),
        )
    }

    /// The creditor emotion with the highest expected payoff under the HMM forecast (learned
    /// advantages included: of the tactic context once a tactic was seen, else of each
    /// forecast emotion).
    fn best_expected(&self, tracker: &DispositionTracker) -> Emotion {
        argmax(Emotion::ALL.into_iter().map(|candidate| {
            let forecast = tracker.forecast(candidate).debtor_emotion;
            let expected = forecast
                .iter()
                .map(|(debtor, p)| p * self.context_payoff(self.context(debtor), debtor, candidate))
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
    fn baseline_modes_ignore_the_debtor() {
        let (mut policy, tracker) = setup();
        policy.set_mode(PolicyMode::Fixed(Emotion::Fear));
        assert_eq!(policy.opening(&tracker).emotion, Emotion::Fear);
        let c = policy.choose(Emotion::Joy, &tracker);
        assert_eq!((c.strategy, c.emotion), (Strategy::Baseline, Emotion::Fear));
        policy.set_mode(PolicyMode::Vanilla);
        assert_eq!(
            policy.choose(Emotion::Anger, &tracker).emotion,
            Emotion::Neutral
        );
        assert!(PolicyMode::Vanilla.ignores_perception());
        assert!(!PolicyMode::Fixed(Emotion::Neutral).ignores_perception());

        let draws = |seed| {
            let (mut p, t) = setup();
            p.set_mode(PolicyMode::Random(seed));
            (0..40)
                .map(|_| p.choose(Emotion::Joy, &t).emotion)
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(3), draws(3));
        let distinct: std::collections::BTreeSet<Emotion> = draws(3).into_iter().collect();
        assert!(distinct.len() >= 5, "{distinct:?}");
        assert_eq!(PolicyMode::Fixed(Emotion::Joy).name(), "fixed:joy");
    }

    #[test]
    fn hmm_only_and_payoff_only_skip_the_gate() {
        let (mut policy, tracker) = setup();
        policy.set_mode(PolicyMode::HmmOnly);
        assert_eq!(
            policy.choose(Emotion::Joy, &tracker).strategy,
            Strategy::Hmm
        );
        policy.set_mode(PolicyMode::PayoffOnly);
        for _ in 0..6 {
            assert_eq!(
                policy.choose(Emotion::Anger, &tracker).strategy,
                Strategy::Wsls
            );
        }
    }

    #[test]
    fn a_tactic_then_a_stance_becomes_the_context_and_old_tables_still_load() {
        let (mut policy, _) = setup();
        assert_eq!(policy.context(Emotion::Anger), Emotion::Anger.index());
        policy.observe_stance(&StanceSignals {
            no_hurry: true,
            ..StanceSignals::default()
        });
        assert_eq!(policy.context(Emotion::Joy), Emotion::COUNT + 4);
        policy.observe_tactics(&[Tactic {
            kind: TacticKind::Threat,
            evidence: "sue".into(),
        }]);
        assert_eq!(
            policy.context(Emotion::Joy),
            Emotion::COUNT,
            "a tactic comes first"
        );
        // A file written with eleven rows (before the stances) loads, padded with zeros.
        let row = "[1.0,0.0,0.0,0.0,0.0,0.0,0.0]";
        let rows = [row; 11].join(",");
        let json = format!(r#"{{"turns":[{rows}],"gain":[{rows}],"gain_squares":[{rows}]}}"#);
        let tones: ToneStats = serde_json::from_str(&json).unwrap();
        assert_eq!(tones.turns[10][0], 1.0);
        assert_eq!(tones.turns[CONTEXTS - 1], [0.0; 7]);
        let too_many = [row; CONTEXTS + 1].join(",");
        assert!(
            serde_json::from_str::<ToneStats>(&format!(r#"{{"turns":[{too_many}]}}"#)).is_err()
        );
        assert!(
            !ToneStats {
                turns: [[-1.0; 7]; CONTEXTS],
                ..ToneStats::default()
            }
            .is_valid()
        );
    }

    #[test]
    fn each_tone_only_where_it_fits_firmness_for_excuses_sympathy_for_the_upset() {
        // Fear (urgency) was the best answer so far, warmth the worst.
        let mut tones = ToneStats::default();
        let complacent = Emotion::COUNT + 4;
        for context in [complacent, Emotion::Joy.index()] {
            tones.record_turn(context, Emotion::Fear, 0.5, 1.0);
            tones.record_turn(context, Emotion::Joy, -0.5, 1.0);
        }
        let tracker = DispositionTracker::new(&HmmParams::default(), None);
        let fresh = || {
            EmotionPolicy::new(&PolicyParams::default(), PayoffAdjustments::default())
                .with_tones(tones.clone())
        };
        // A cheerful debtor with no stance: no urgency, and no sympathy either.
        for _ in 0..5 {
            let mut policy = fresh();
            let tone = policy.choose(Emotion::Joy, &tracker).emotion;
            assert!(!FIRM.contains(&tone) && tone != Emotion::Sadness, "{tone}");
        }
        // A sad one hears sympathy or calm, never cheer, surprise or firmness.
        let mut policy = fresh();
        policy.last = Some(Emotion::Sadness);
        for _ in 0..5 {
            let tone = policy.choose(Emotion::Sadness, &tracker).emotion;
            assert!(
                matches!(tone, Emotion::Sadness | Emotion::Neutral),
                "{tone}"
            );
        }
        // A complacent one: urgency is allowed, and it has paid.
        let mut policy = fresh();
        policy.observe_stance(&StanceSignals {
            no_hurry: true,
            ..StanceSignals::default()
        });
        assert_eq!(policy.choose(Emotion::Joy, &tracker).emotion, Emotion::Fear);
        // The same debtor upset right now: never.
        assert!(!FIRM.contains(&policy.choose(Emotion::Anger, &tracker).emotion));
    }

    #[test]
    fn a_reply_is_scored_by_how_much_more_of_the_gap_the_debtor_gave_up() {
        let (mut policy, tracker) = setup();
        policy.choose(Emotion::Sadness, &tracker);
        policy.observe_offer(Some(100), 10); // the reference
        let second = policy.choose(Emotion::Sadness, &tracker).emotion;
        policy.observe_offer(Some(82), 10); // gave up 18 of 90: 0.2
        let third = policy.choose(Emotion::Sadness, &tracker).emotion;
        policy.observe_offer(Some(64), 12); // 18 of 70: about 0.257
        let tones = policy.tones();
        let scored: f64 = tones.turns.iter().flatten().sum();
        assert_eq!(
            scored, 1.0,
            "only the third reply has a reply before it to compare"
        );
        let sad = Emotion::Sadness.index();
        let gain = tones.gain[sad][third.index()];
        assert!(
            (gain - (18.0 / 70.0 - 0.2)).abs() < 1e-12,
            "{gain} ({second})"
        );

        // Meeting our offer, or going back up on its own number, scores nothing.
        policy.choose(Emotion::Sadness, &tracker);
        policy.observe_offer(Some(14), 14);
        policy.choose(Emotion::Sadness, &tracker);
        policy.observe_offer(Some(70), 14);
        policy.choose(Emotion::Sadness, &tracker);
        policy.observe_offer(Some(70), 14);
        assert_eq!(policy.tones().turns.iter().flatten().sum::<f64>(), 1.0);
    }

    #[test]
    fn going_back_up_restarts_the_measure() {
        let (mut policy, tracker) = setup();
        let scored = |policy: &EmotionPolicy| policy.tones().turns.iter().flatten().sum::<f64>();
        // 100, then 80: the first share. 120 reneges: no signal, and 80 is no reference any
        // more (the next share would span two replies).
        for days in [100, 80, 120, 70, 60] {
            policy.choose(Emotion::Neutral, &tracker);
            policy.observe_offer(Some(days), 10);
        }
        // 70 restarts, 60 gives a share but nothing to compare it with yet.
        assert_eq!(scored(&policy), 0.0);
        policy.choose(Emotion::Neutral, &tracker);
        policy.observe_offer(Some(50), 10);
        assert_eq!(scored(&policy), 1.0);
        // A reply with no number (stonewalling) restarts it too.
        for days in [None, Some(45), Some(40)] {
            policy.choose(Emotion::Neutral, &tracker);
            policy.observe_offer(days, 10);
        }
        assert_eq!(scored(&policy), 1.0);
    }

    #[test]
    fn the_tone_the_debtors_type_concedes_most_to_is_chosen() {
        let stats = angry_population(false);
        let anger = Emotion::Anger.index();
        let candidates = [
            Emotion::Neutral,
            Emotion::Joy,
            Emotion::Sadness,
            Emotion::Surprise,
        ];
        assert_eq!(
            stats.most_promising(&[(anger, 1.0)], &candidates, 0.0, 2.0),
            Emotion::Sadness
        );
        // With nothing learned for a type, the first candidate (the table's choice) stays.
        let fear = Emotion::Fear.index();
        assert_eq!(
            stats.most_promising(&[(fear, 1.0)], &candidates, 0.5, 2.0),
            Emotion::Neutral
        );

        // In the policy: a debtor that showed anger gets the learned tone, not the table's.
        let (policy, tracker) = setup();
        let mut policy = policy.with_tones(stats);
        let c = policy.choose(Emotion::Anger, &tracker);
        assert_eq!(
            (c.strategy, c.emotion),
            (Strategy::Learned, Emotion::Sadness)
        );
        // The baselines ignore it.
        policy.set_mode(PolicyMode::HmmOnly);
        assert_ne!(
            policy.choose(Emotion::Anger, &tracker).strategy,
            Strategy::Learned
        );
    }

    #[test]
    fn memory_restores_the_turn_learning_state_exactly() {
        let (mut policy, tracker) = setup();
        for (i, e) in [
            Emotion::Anger,
            Emotion::Disgust,
            Emotion::Anger,
            Emotion::Joy,
        ]
        .into_iter()
        .enumerate()
        {
            policy.choose(e, &tracker);
            policy.observe_offer(Some(100 - 15 * i as u32), 10 + i as u32);
        }
        let memory = policy.memory();
        assert!(memory.heard.iter().sum::<u32>() > 0 && memory.concession.is_some());
        let (mut resumed, _) = setup();
        resumed.restore(memory.clone());
        assert_eq!(resumed.memory(), memory);
        let json = serde_json::to_string(&memory).unwrap();
        let back: PolicyMemory = serde_json::from_str(&json).unwrap();
        assert_eq!(back, memory);
        assert_eq!(
            resumed.choose(Emotion::Anger, &tracker),
            policy.choose(Emotion::Anger, &tracker)
        );
    }

    /// Tone statistics of a population of angry debtors: sadness helped most, then neutral.
    fn angry_population(rare_surprise: bool) -> ToneStats {
        let mut stats = ToneStats::default();
        let anger = Emotion::Anger.index();
        for i in 0..200 {
            let wobble = if i % 2 == 0 { 0.01 } else { -0.01 };
            stats.record_turn(anger, Emotion::Sadness, 0.03 + wobble, 1.0);
            stats.record_turn(anger, Emotion::Neutral, 0.02 + wobble, 1.0);
            stats.record_turn(anger, Emotion::Joy, -0.01 + wobble, 1.0);
            if !rare_surprise || i < 2 {
                stats.record_turn(anger, Emotion::Surprise, -0.01 + wobble, 1.0);
            }
        }
        stats
    }

    #[test]
    fn a_debtor_who_gives_less_after_a_warm_tone_is_answered_neutrally_again() {
        let tracker = DispositionTracker::new(&HmmParams::default(), None);
        let params = PolicyParams::default();
        let mut policy = EmotionPolicy::new(&params, PayoffAdjustments::default())
            .with_tones(angry_population(false));
        // Unlike its type, this debtor gives up a smaller share of the gap every turn.
        let (mut days, mut offer, mut share) = (200_u32, 10_u32, 0.4);
        let mut tones = Vec::new();
        for _ in 0..10 {
            tones.push(policy.choose(Emotion::Anger, &tracker).emotion);
            days -= (f64::from(days - offer) * share).round() as u32;
            policy.observe_offer(Some(days), offer);
            offer += 1;
            share -= 0.03;
        }
        let evidence = policy.memory().debtor_evidence;
        assert_eq!(tones[0], Emotion::Sadness, "{tones:?}");
        let dropped = tones.iter().position(|t| *t != Emotion::Sadness).unwrap();
        assert!(
            tones[dropped..].iter().all(|t| *t == Emotion::Neutral),
            "{tones:?}"
        );
        // Dropped after exactly `turn_veto_replies` scored answers to it, all worse than before.
        assert_eq!(
            evidence.turns[Emotion::Sadness.index()],
            f64::from(params.turn_veto_replies)
        );
        assert!(evidence.gain[Emotion::Sadness.index()] < 0.0);
        // Neutral, the default stance, is never dropped; 0 replies means never.
        let mut worse = DebtorEvidence::default();
        for _ in 0..5 {
            worse.record(Emotion::Neutral, -0.1);
            worse.record(Emotion::Joy, -0.1);
        }
        assert!(!worse.rules_out(Emotion::Neutral, 1));
        assert!(worse.rules_out(Emotion::Joy, 5));
        assert!(!worse.rules_out(Emotion::Joy, 6));
        assert!(!worse.rules_out(Emotion::Joy, 0));
    }

    #[test]
    fn a_tone_is_tried_only_when_the_debtors_answer_can_be_scored() {
        let tracker = DispositionTracker::new(&HmmParams::default(), None);
        let params = PolicyParams {
            turn_exploration: 20.0,
            ..PolicyParams::default()
        };
        // Neutral was scored twice against sympathy's 200 times: very uncertain, so optimism
        // favours trying it (cheer and surprise do not fit an angry debtor).
        let mut stats = ToneStats::default();
        let anger = Emotion::Anger.index();
        for i in 0..200 {
            let wobble = if i % 2 == 0 { 0.01 } else { -0.01 };
            stats.record_turn(anger, Emotion::Sadness, 0.03 + wobble, 1.0);
            if i < 2 {
                stats.record_turn(anger, Emotion::Neutral, 0.02 + wobble, 1.0);
            }
        }
        let mut policy =
            EmotionPolicy::new(&params, PayoffAdjustments::default()).with_tones(stats);
        let choose = |policy: &mut EmotionPolicy| policy.choose(Emotion::Anger, &tracker).emotion;
        // Nothing to score yet (no earlier number to compare with): the best-known tone.
        assert_eq!(choose(&mut policy), Emotion::Sadness);
        policy.observe_offer(Some(120), 10);
        assert_eq!(choose(&mut policy), Emotion::Sadness);
        // The debtor's numbers now give a share, and the next one can be compared with it.
        policy.observe_offer(Some(90), 11);
        assert_eq!(choose(&mut policy), Emotion::Neutral);
        // Within `turn_min_gap_days` of our offer a reply says little: no more trying.
        policy.observe_offer(Some(87), 80);
        assert_eq!(choose(&mut policy), Emotion::Sadness);
    }

    /// The paper's table policy alone (no turn-level learning over it).
    fn table_setup() -> (EmotionPolicy, DispositionTracker) {
        let params = PolicyParams {
            turn_learning: false,
            ..PolicyParams::default()
        };
        (
            EmotionPolicy::new(&params, PayoffAdjustments::default()),
            DispositionTracker::new(&HmmParams::default(), None),
        )
    }

    #[test]
    fn win_stays_and_loss_shifts() {
        let (mut policy, tracker) = table_setup();
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
        let (mut policy, tracker) = table_setup();
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
