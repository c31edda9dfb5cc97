//! A family of simulated debtors with hidden parameters drawn at random: the held-out evaluation.
//!
//! The nine personas of [`super::persona`] share the agent's assumptions (their reactions were
//! written beside the agent). A [`FamilyDebtor`] is drawn instead: its kind ([`FamilyKind`]) sets
//! only the middle of each range, and every debtor gets its own patience (5 to 20 exchanges), its
//! own floor (the fewest days it can really manage, always within the creditor's limit, so every
//! lost deal is the agent's fault), its own opening ask, concession rate and reaction to each of
//! the seven tones, and its own habits (lying about payments, stalling, volatility).
//!
//! What it does each exchange, in order: it moves its ask toward the larger of the offer and its
//! floor, at its rate times `exp(reaction)` of the tone it just heard (more when the creditor
//! moved too); near the end of its patience it comes down close to its floor and calls that
//! final; it accepts an offer at or close to its ask; once its irritation reaches its patience it
//! takes an offer at or above its floor and otherwise walks away; otherwise it says its ask in
//! words (or stalls, lies, threatens, as its kind does). Irritation grows by one per exchange,
//! plus what a resented tone costs, plus random shocks for the volatile.
//!
//! Its words come from phrase banks written by writers who never saw the agent's code (move,
//! mood, text with `{days}`). The family has two halves that share nothing: the tuning half and
//! the held-out half draw from different random streams and speak different banks, each by its
//! own writer (`family_lines_tune.jsonl`, `family_lines_heldout.jsonl`), so a policy tuned on
//! one is judged on the other. The held-out bank was written after the tuning bank had been
//! used, by a writer asked for final words that avoid "final", "last" and "best".

use std::sync::LazyLock;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::persona::DebtorMove;
use crate::emotion::Emotion;
use crate::scenario::Scenario;

/// The kinds of debtor in the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyKind {
    /// Genuine hardship: a high floor, opens up to sympathy, shuts down under pressure.
    Hardship,
    /// Mood swings and a short fuse: patience shaken at random, hostility provokes it.
    Volatile,
    /// Claims payments it never made and earlier agreements that never happened; exploits warmth.
    Liar,
    /// Friendly and in no hurry: barely moves unless the agent is plainly concerned about what
    /// happens if the account stays unpaid.
    Complacent,
    /// Avoids numbers for several exchanges before it bargains.
    Staller,
    /// An ordinary debtor who bargains plainly.
    Steady,
}

impl FamilyKind {
    /// All kinds, in report order.
    pub const ALL: [FamilyKind; 6] = [
        FamilyKind::Hardship,
        FamilyKind::Volatile,
        FamilyKind::Liar,
        FamilyKind::Complacent,
        FamilyKind::Staller,
        FamilyKind::Steady,
    ];

    /// Name in reports (`family-` and the kind).
    pub fn name(self) -> &'static str {
        match self {
            FamilyKind::Hardship => "family-hardship",
            FamilyKind::Volatile => "family-volatile",
            FamilyKind::Liar => "family-liar",
            FamilyKind::Complacent => "family-complacent",
            FamilyKind::Staller => "family-staller",
            FamilyKind::Steady => "family-steady",
        }
    }

    /// The kind with this name (as [`FamilyKind::name`] writes it).
    pub fn from_name(name: &str) -> Option<FamilyKind> {
        FamilyKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The middle of each hidden parameter's range for this kind.
    fn centre(self) -> Centre {
        // Reactions, table order: Joy, Sadness, Anger, Fear, Surprise, Disgust, Neutral.
        match self {
            FamilyKind::Hardship => Centre {
                patience: (6, 18),
                floor: (1.8, 2.9),
                rate: (0.15, 0.35),
                reaction: [0.0, 0.6, -0.9, -0.6, 0.0, -0.9, 0.2],
                volatility: 0.1,
                mood: Mood::Distressed,
            },
            FamilyKind::Volatile => Centre {
                patience: (5, 14),
                floor: (1.2, 2.7),
                rate: (0.15, 0.40),
                reaction: [0.1, 0.3, -1.0, -0.4, -0.2, -1.0, 0.3],
                volatility: 1.0,
                mood: Mood::Irritated,
            },
            FamilyKind::Liar => Centre {
                patience: (6, 18),
                floor: (1.2, 2.7),
                rate: (0.10, 0.30),
                reaction: [-0.5, -0.6, 0.4, 0.2, 0.5, 0.5, 0.1],
                volatility: 0.2,
                mood: Mood::Calm,
            },
            FamilyKind::Complacent => Centre {
                patience: (10, 20),
                floor: (1.0, 2.2),
                rate: (0.02, 0.06),
                reaction: [-0.4, -0.3, 0.6, 2.0, 0.4, 0.3, 0.0],
                volatility: 0.1,
                mood: Mood::Breezy,
            },
            FamilyKind::Staller => Centre {
                patience: (8, 20),
                floor: (1.2, 2.6),
                rate: (0.15, 0.35),
                reaction: [0.2, 0.1, -0.6, -0.3, 0.0, -0.6, 0.3],
                volatility: 0.2,
                mood: Mood::Calm,
            },
            FamilyKind::Steady => Centre {
                patience: (5, 20),
                floor: (1.1, 2.6),
                rate: (0.15, 0.40),
                reaction: [0.3, 0.1, -0.5, -0.2, 0.1, -0.5, 0.2],
                volatility: 0.2,
                mood: Mood::Calm,
            },
        }
    }
}

impl std::fmt::Display for FamilyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which half of the family: decisions are made on the tuning half and judged on the held-out
/// half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FamilyHalf {
    /// The half a policy may be tuned on.
    Tune,
    /// The half it is judged on, once.
    #[default]
    HeldOut,
}

impl FamilyHalf {
    /// Name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            FamilyHalf::Tune => "tune",
            FamilyHalf::HeldOut => "held-out",
        }
    }

    /// Mixed into every debtor's seed, so the halves draw from different streams. (The first
    /// held-out stream, `holdout`, judged an earlier policy and has been tuned on since.)
    fn salt(self) -> u64 {
        match self {
            FamilyHalf::Tune => 0x7475_6E65,
            FamilyHalf::HeldOut => 0x6865_6C64_6F75_7432,
        }
    }

    /// The phrase bank this half speaks.
    fn lines(self) -> &'static [Line] {
        match self {
            FamilyHalf::Tune => &TUNE_LINES,
            FamilyHalf::HeldOut => &HELD_OUT_LINES,
        }
    }
}

/// Ranges and reactions of a kind; each debtor draws its own values around them.
struct Centre {
    patience: (u32, u32),
    /// Floor as a multiple of the creditor's target days.
    floor: (f64, f64),
    rate: (f64, f64),
    reaction: [f64; Emotion::COUNT],
    volatility: f64,
    mood: Mood,
}

/// How the debtor feels: picks the phrasing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Mood {
    Calm,
    Irritated,
    Hostile,
    Distressed,
    Anxious,
    Breezy,
}

/// What a line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Move {
    Counter,
    Final,
    Accept,
    Reject,
    WalkAway,
    Stall,
    PaidClaim,
    FalseAgreement,
    Threat,
    Guilt,
    Hardship,
    Complacent,
}

#[derive(Debug, Deserialize)]
struct Line {
    #[serde(rename = "move")]
    action: Move,
    mood: Mood,
    text: String,
}

/// Parses a phrase bank (its validity is unit-tested).
fn bank(text: &'static str) -> Vec<Line> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("phrase bank: a valid line (unit-tested)"))
        .collect()
}

/// The tuning half's phrase bank, written apart from the agent (see the module documentation).
static TUNE_LINES: LazyLock<Vec<Line>> =
    LazyLock::new(|| bank(include_str!("family_lines_tune.jsonl")));

/// The held-out half's phrase bank, by a second writer.
static HELD_OUT_LINES: LazyLock<Vec<Line>> =
    LazyLock::new(|| bank(include_str!("family_lines_heldout.jsonl")));

/// One family debtor in one negotiation; every field but the phrasing state is hidden from the
/// creditor.
#[derive(Debug, Clone)]
pub struct FamilyDebtor {
    kind: FamilyKind,
    half: FamilyHalf,
    patience: f64,
    floor: f64,
    ask: f64,
    rate: f64,
    reaction: [f64; Emotion::COUNT],
    volatility: f64,
    base_mood: Mood,
    irritation: f64,
    stall_turns: u32,
    lies: f64,
    renege_at: Option<u32>,
    said_final: bool,
    turn: u32,
    last_offer: Option<u32>,
    rng: ChaCha8Rng,
}

impl FamilyDebtor {
    /// A debtor of `kind` for `scenario`, drawn from `half` with `seed`.
    pub fn new(kind: FamilyKind, half: FamilyHalf, scenario: &Scenario, seed: u64) -> Self {
        let c = kind.centre();
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ half.salt());
        let target = f64::from(scenario.target_days.max(1));
        let debtor_target = f64::from(scenario.debtor_target_days.unwrap_or(90).max(1));
        let patience = f64::from(rng.random_range(c.patience.0..=c.patience.1));
        // Within the creditor's default limit (3 x target): a deal is always possible.
        let floor = (target * rng.random_range(c.floor.0..=c.floor.1)).min(target * 2.95);
        let ask = (debtor_target * rng.random_range(0.8..=1.2)).max(floor * 1.3);
        let rate = rng.random_range(c.rate.0..=c.rate.1);
        let reaction = c.reaction.map(|r| r + rng.random_range(-0.35..=0.35));
        let stall_turns = match kind {
            FamilyKind::Staller => rng.random_range(2..=5),
            FamilyKind::Complacent => rng.random_range(0..=2),
            _ => 0,
        };
        let lies = if kind == FamilyKind::Liar {
            rng.random_range(0.25..=0.5)
        } else {
            0.0
        };
        let renege_at =
            (kind == FamilyKind::Liar && rng.random_bool(0.5)).then(|| rng.random_range(3..=6));
        FamilyDebtor {
            kind,
            half,
            patience,
            floor,
            ask,
            rate,
            reaction,
            volatility: c.volatility,
            base_mood: c.mood,
            irritation: 0.0,
            stall_turns,
            lies,
            renege_at,
            said_final: false,
            turn: 0,
            last_offer: None,
            rng,
        }
    }

    /// The kind of debtor.
    pub fn kind(&self) -> FamilyKind {
        self.kind
    }

    /// The fewest days this debtor can manage (hidden from the creditor).
    pub fn floor(&self) -> u32 {
        self.floor.ceil() as u32
    }

    /// Exchanges of irritation this debtor tolerates (hidden from the creditor).
    pub fn patience(&self) -> f64 {
        self.patience
    }

    /// The debtor's answer to the creditor's latest offer, stated in `emotion`.
    pub fn answer(&mut self, offer: u32, emotion: Emotion) -> DebtorMove {
        self.turn += 1;
        let e = emotion.index();
        let moved = self.last_offer.is_some_and(|last| offer > last);
        self.last_offer = Some(offer);
        let shock = self.volatility * self.rng.random_range(-0.5..=1.0_f64).max(0.0);
        self.irritation += 1.0 + 0.8 * (-self.reaction[e]).max(0.0) + shock;
        if !moved && self.turn > 1 {
            self.irritation += 0.3;
        }
        let offer_f = f64::from(offer);

        // Moves its ask toward the larger of the offer and its floor.
        let toward = offer_f.max(self.floor);
        let reciprocity = if moved { 1.2 } else { 0.8 };
        let share = (self.rate * self.reaction[e].exp() * reciprocity).min(0.8);
        self.ask = (self.ask - share * (self.ask - toward).max(0.0)).max(self.floor);
        if self.renege_at == Some(self.turn) {
            self.ask *= 1.25;
        }
        // Near the end of its patience it comes down close to its floor.
        let left = self.patience - self.irritation;
        let closing = left <= 2.0 && !self.said_final;
        if closing {
            self.said_final = true;
            self.ask = self.floor + 0.25 * (self.ask - self.floor);
        }

        // Takes an offer at or close to its ask.
        let tolerance = (0.05 * self.ask).max(2.0);
        if offer_f + tolerance >= self.ask {
            return self.say(Move::Accept, Some(offer), true);
        }
        // Out of patience: a feasible offer is taken, otherwise it leaves.
        if left <= 0.0 {
            if offer_f >= self.floor {
                return self.say(Move::Accept, Some(offer), true);
            }
            let text = self.line(Move::WalkAway, None);
            return DebtorMove::WalkAway { text };
        }
        let ask = spoken_days(self.ask);
        if closing {
            return self.say(Move::Final, Some(ask), false);
        }
        if self.turn <= self.stall_turns {
            return self.say(Move::Stall, None, false);
        }
        let roll: f64 = self.rng.random_range(0.0..1.0);
        let irritated = self.irritation / self.patience > 0.5;
        let (action, days) = match self.kind {
            FamilyKind::Liar if roll < self.lies => {
                if self.rng.random_bool(0.5) {
                    (Move::PaidClaim, None)
                } else {
                    (Move::FalseAgreement, Some(spoken_days(self.ask * 1.3)))
                }
            }
            FamilyKind::Volatile if irritated && roll < 0.3 => (Move::Threat, None),
            FamilyKind::Volatile | FamilyKind::Hardship if irritated && roll < 0.15 => {
                (Move::Guilt, None)
            }
            FamilyKind::Hardship if roll < 0.4 => (Move::Hardship, Some(ask)),
            FamilyKind::Complacent if !irritated && roll < 0.6 => (Move::Complacent, Some(ask)),
            FamilyKind::Staller if roll < 0.15 => (Move::Stall, None),
            _ if irritated && roll > 0.85 => (Move::Reject, None),
            _ => (Move::Counter, Some(ask)),
        };
        self.say(action, days, false)
    }

    /// The mood the debtor speaks in now.
    fn mood(&self) -> Mood {
        let strain = self.irritation / self.patience;
        match self.base_mood {
            Mood::Distressed | Mood::Anxious if strain > 0.6 => Mood::Anxious,
            m @ (Mood::Distressed | Mood::Anxious) => m,
            _ if strain > 0.75 => Mood::Hostile,
            Mood::Irritated if strain < 0.2 => Mood::Calm,
            _ if strain > 0.45 => Mood::Irritated,
            m => m,
        }
    }

    fn say(&mut self, action: Move, days: Option<u32>, accepts: bool) -> DebtorMove {
        let text = self.line(action, days);
        DebtorMove::Say {
            text,
            days,
            accepts,
        }
    }

    /// A line of this half of the bank for `action` in the current mood (any mood when the
    /// bank has none for it), with `days` filled in.
    fn line(&mut self, action: Move, days: Option<u32>) -> String {
        let mood = self.mood();
        let bank = self.half.lines();
        let pick = |want_mood: Option<Mood>| -> Vec<&'static Line> {
            bank.iter()
                .filter(|l| l.action == action && want_mood.is_none_or(|m| l.mood == m))
                .collect()
        };
        let mut choices = pick(Some(mood));
        if choices.is_empty() {
            choices = pick(None);
        }
        let text = &choices[self.rng.random_range(0..choices.len())].text;
        match days {
            Some(d) => text.replace("{days}", &d.to_string()),
            None => text.clone(),
        }
    }
}

/// Days as a person says them: round numbers above three weeks.
fn spoken_days(days: f64) -> u32 {
    let d = days.ceil().max(1.0) as u32;
    if d > 21 { d.div_ceil(5) * 5 } else { d }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.yaml");
        crate::scenario::load_scenarios(&path).unwrap().remove(0)
    }

    #[test]
    fn both_phrase_banks_parse_and_have_lines_for_every_move() {
        for action in [
            Move::Counter,
            Move::Final,
            Move::Accept,
            Move::Reject,
            Move::WalkAway,
            Move::Stall,
            Move::PaidClaim,
            Move::FalseAgreement,
            Move::Threat,
            Move::Guilt,
            Move::Hardship,
            Move::Complacent,
        ] {
            let lines: Vec<&Line> = [FamilyHalf::Tune, FamilyHalf::HeldOut]
                .iter()
                .flat_map(|h| {
                    let of_half: Vec<&Line> =
                        h.lines().iter().filter(|l| l.action == action).collect();
                    assert!(
                        of_half.len() >= 4,
                        "{action:?} in {}: {}",
                        h.name(),
                        of_half.len()
                    );
                    of_half
                })
                .collect();
            let with_days = matches!(
                action,
                Move::Counter
                    | Move::Final
                    | Move::Accept
                    | Move::FalseAgreement
                    | Move::Hardship
                    | Move::Complacent
            );
            for l in lines {
                assert_eq!(l.text.contains("{days}"), with_days, "{l:?}");
            }
        }
    }

    #[test]
    fn the_halves_draw_different_debtors_and_speak_different_lines() {
        let s = scenario();
        let a = FamilyDebtor::new(FamilyKind::Steady, FamilyHalf::Tune, &s, 5);
        let b = FamilyDebtor::new(FamilyKind::Steady, FamilyHalf::HeldOut, &s, 5);
        assert_ne!((a.floor, a.patience, a.rate), (b.floor, b.patience, b.rate));
        let words = |half| {
            let mut d = FamilyDebtor::new(FamilyKind::Steady, half, &s, 5);
            (0..40)
                .map(|_| d.line(Move::Counter, Some(30)))
                .collect::<std::collections::HashSet<_>>()
        };
        assert!(words(FamilyHalf::Tune).is_disjoint(&words(FamilyHalf::HeldOut)));
        // No line of one bank is in the other, whatever the number.
        let texts = |half: FamilyHalf| {
            half.lines()
                .iter()
                .map(|l| l.text.as_str())
                .collect::<std::collections::HashSet<_>>()
        };
        let shared: Vec<_> = texts(FamilyHalf::Tune)
            .intersection(&texts(FamilyHalf::HeldOut))
            .copied()
            .collect();
        assert!(shared.is_empty(), "{shared:?}");
    }

    #[test]
    fn a_debtor_out_of_patience_takes_a_feasible_offer_and_walks_from_one_below_its_floor() {
        let s = scenario();
        for seed in 0..50 {
            let mut d = FamilyDebtor::new(FamilyKind::Volatile, FamilyHalf::Tune, &s, seed);
            let floor = d.floor();
            let low = s.target_days;
            let outcome = loop {
                match d.answer(low, Emotion::Neutral) {
                    DebtorMove::WalkAway { .. } => break false,
                    DebtorMove::Say { accepts: true, .. } => break true,
                    _ => {}
                }
            };
            // Below its floor it never accepts; it leaves.
            assert_eq!(outcome, low >= floor, "seed {seed}");
            let mut d = FamilyDebtor::new(FamilyKind::Volatile, FamilyHalf::Tune, &s, seed);
            let accepted = (0..40).any(|_| {
                matches!(
                    d.answer(floor, Emotion::Neutral),
                    DebtorMove::Say { accepts: true, .. }
                )
            });
            assert!(
                accepted,
                "seed {seed}: an offer at the floor is taken by the end"
            );
        }
    }

    #[test]
    fn urgency_moves_a_complacent_debtor_and_warmth_does_not() {
        let s = scenario();
        let asked_after = |tone: Emotion| {
            let mut total = 0.0;
            for seed in 0..40 {
                let mut d = FamilyDebtor::new(FamilyKind::Complacent, FamilyHalf::Tune, &s, seed);
                for _ in 0..4 {
                    d.answer(s.target_days, tone);
                }
                total += d.ask;
            }
            total / 40.0
        };
        assert!(asked_after(Emotion::Fear) < 0.8 * asked_after(Emotion::Joy));
    }
}
