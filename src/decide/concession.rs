//! The creditor's offer in days: a concession curve from its target toward a reservation limit.

use serde::{Deserialize, Serialize};

use crate::params::OfferParams;

/// What the latest turn says about how fast to concede.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pressure {
    /// An ordinary turn.
    #[default]
    Normal,
    /// Threats, cheating, victim play or stonewalling were detected: concede more slowly.
    Manipulation,
    /// Genuine hardship (a distressed debtor with no victim play): concede faster.
    Hardship,
}

/// What the debtor's latest turn showed, as the offer pacing reads it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DebtorTurn {
    /// The days the debtor proposed, if any.
    pub days: Option<u32>,
    /// The debtor called its number final ("my last offer", "take it or leave it").
    pub final_word: bool,
    /// The debtor said it is leaving ("I'm done", "goodbye", "forget it").
    pub leaving: bool,
    /// How hostile the words read, 0 to 1 (the emotion reader's anger and disgust).
    pub hostility: f64,
    /// Manipulation or hardship seen this turn.
    pub pressure: Pressure,
}

/// How the offer moves from the target toward the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Pacing {
    /// Paced by the debtor in front of it ([`DebtorRead`]): the agent.
    #[default]
    Read,
    /// The fixed curve `offer = target + (limit - target) * progress^(1/shape)` over
    /// `offer.concession_turns` turns (the vanilla baseline).
    Curve,
    /// A straight line to the limit over this many exchanges, whatever the debtor does (the
    /// simplest baseline).
    Linear(u32),
}

/// What the agent has read about the debtor so far: the numbers it stated, its final words and
/// how much of its patience it seems to have used.
///
/// How low it can go: while its concessions shrink, its numbers are heading for a floor, and a
/// geometric series through its last two concessions estimates it; a number repeated is the
/// floor itself. How long it will stay: `offer.expected_patience` exchanges, less one per
/// exchange, less `offer.hostility_strain` per fully hostile reply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DebtorRead {
    /// The debtor's stated days, in order (at most the latest three are needed).
    pub asks: Vec<u32>,
    /// Exchanges so far.
    pub exchanges: u32,
    /// Patience used by hostility, in exchanges.
    pub strain: f64,
    /// The debtor called its latest number final, or named it with words of leaving ("40 days
    /// or I hang up"); words of leaving alone earn nothing.
    pub closing: bool,
}

impl DebtorRead {
    /// Takes in one debtor turn.
    pub fn observe(&mut self, turn: &DebtorTurn, hostility_strain: f64) {
        self.exchanges += 1;
        if turn.hostility.is_finite() {
            self.strain += hostility_strain * turn.hostility.clamp(0.0, 1.0);
        }
        if let Some(days) = turn.days {
            self.asks.push(days);
            if self.asks.len() > 3 {
                self.asks.remove(0);
            }
        }
        self.closing = turn.final_word || turn.leaving && turn.days.is_some();
    }

    /// The debtor's latest number.
    pub fn ask(&self) -> Option<u32> {
        self.asks.last().copied()
    }

    /// Where the debtor's numbers are heading: its latest number less the rest of the geometric
    /// series of its shrinking concessions; its latest number when it stopped moving; unknown
    /// while it has not conceded twice.
    pub fn floor_estimate(&self) -> Option<f64> {
        let ask = f64::from(self.ask()?);
        match self.asks[..] {
            [.., a, b, c] => {
                let (first, second) = (f64::from(a) - f64::from(b), f64::from(b) - f64::from(c));
                if second <= 0.0 {
                    Some(ask)
                } else if first > 0.0 {
                    let ratio = (second / first).clamp(0.0, 0.9);
                    Some(ask - second * ratio / (1.0 - ratio))
                } else {
                    None
                }
            }
            [.., a, b] if a <= b => Some(ask),
            _ => None,
        }
    }

    /// Whether the debtor's final word is credible: it backs it with a concession larger than
    /// its previous one or of at least a quarter of its previous number (it came down to its
    /// bottom). A final word on an opening number, or said again and again while it keeps
    /// conceding as usual, is haggling; one on a number it named before is [`Self::stopped`].
    pub fn credible_final(&self) -> bool {
        let drop = |a: u32, b: u32| f64::from(a) - f64::from(b);
        if !self.closing {
            return false;
        }
        let jumped = match self.asks[..] {
            [.., a, b, c] => drop(b, c) > 0.0 && drop(b, c) > drop(a, b),
            _ => false,
        };
        let large = match self.asks[..] {
            [.., b, c] => drop(b, c) >= 0.25 * f64::from(b),
            _ => false,
        };
        jumped || large
    }

    /// Whether the debtor has stopped moving: it came down, then named the same number again
    /// (within a twentieth, or two days), whatever its words. Debtors bargain by moving; one
    /// that stops after moving is standing on its bottom. One that repeats its opening number
    /// has not started to bargain and earns nothing.
    pub fn stopped(&self) -> bool {
        let same =
            |b: u32, c: u32| f64::from(b.abs_diff(c)) <= (0.05 * f64::from(b.max(c))).max(2.0);
        match self.asks[..] {
            [.., a, b, c] => a > b && !same(a, b) && same(b, c),
            _ => false,
        }
    }

    /// Exchanges the debtor is expected to stay, by its patience and hostility (its words of
    /// leaving are read apart).
    pub fn exchanges_left(&self, expected_patience: f64) -> f64 {
        (expected_patience - f64::from(self.exchanges) - self.strain).max(0.0)
    }
}

/// The creditor's offer for one negotiation: from its target toward a reservation limit it never
/// crosses, paced by [`Pacing`].
///
/// Offers never go down (no concession is taken back), never exceed the reservation limit, and
/// never exceed what the debtor already offered.
///
/// Paced by the debtor ([`Pacing::Read`]), the offer follows the firm curve of the vanilla
/// baseline (slower against manipulation, faster for genuine hardship) until the debtor's own
/// words or its patience say it may leave: once it calls a number within the limit final (or
/// names it with words of leaving), or makes a credible final stand beyond it ([`DebtorRead::credible_final`]), the
/// offer meets its number or the limit at once; once the exchanges it is expected to stay are
/// used up ([`DebtorRead::exchanges_left`]), each further exchange closes half the gap to its
/// estimated floor (the limit while that is unknown), so the offer still moves on the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcessionCurve {
    target: u32,
    limit: u32,
    shape: f64,
    turns: u32,
    manipulation_factor: f64,
    hardship_factor: f64,
    expected_patience: f64,
    hostility_strain: f64,
    pacing: Pacing,
    progress: f64,
    last_offer: u32,
    read: DebtorRead,
}

impl ConcessionCurve {
    /// Offers from `target` days to `limit` days (`limit` is raised to `target` if below it),
    /// paced by the debtor.
    pub fn new(target: u32, limit: u32, params: &OfferParams) -> Self {
        ConcessionCurve {
            target,
            limit: limit.max(target),
            shape: params.concession_shape,
            turns: params.concession_turns.max(1),
            manipulation_factor: params.manipulation_factor,
            hardship_factor: params.hardship_factor,
            expected_patience: params.expected_patience,
            hostility_strain: params.hostility_strain,
            pacing: Pacing::Read,
            progress: 0.0,
            last_offer: target,
            read: DebtorRead::default(),
        }
    }

    /// Takes new offer parameters in the middle of a negotiation (the ROS node's live
    /// parameters), with `limit`: the progress made and what was read of the debtor stay, so
    /// the next offer goes on from the last one. A limit below the last offer becomes the last
    /// offer: a concession is never taken back.
    pub fn set_params(&mut self, limit: u32, params: &OfferParams) {
        self.limit = limit.max(self.target).max(self.last_offer);
        self.shape = params.concession_shape;
        self.turns = params.concession_turns.max(1);
        self.manipulation_factor = params.manipulation_factor;
        self.hardship_factor = params.hardship_factor;
        self.expected_patience = params.expected_patience;
        self.hostility_strain = params.hostility_strain;
    }

    /// The same offers paced another way (baselines); call before the first offer.
    pub fn with_pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// How the offers are paced.
    pub fn pacing(&self) -> Pacing {
        self.pacing
    }

    /// The creditor's target (first offer).
    pub fn target(&self) -> u32 {
        self.target
    }

    /// The reservation limit, never crossed.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The last offer made (the target before any turn).
    pub fn last_offer(&self) -> u32 {
        self.last_offer
    }

    /// What has been read about the debtor so far.
    pub fn read(&self) -> &DebtorRead {
        &self.read
    }

    /// Advances one exchange and returns the next offer.
    pub fn next_offer(&mut self, turn: &DebtorTurn) -> u32 {
        let speed = match turn.pressure {
            Pressure::Normal => 1.0,
            Pressure::Manipulation => self.manipulation_factor,
            Pressure::Hardship => self.hardship_factor,
        };
        let span = f64::from(self.limit - self.target);
        let wanted = match self.pacing {
            Pacing::Curve => {
                self.progress = (self.progress + speed / f64::from(self.turns)).min(1.0);
                self.target + (span * self.progress.powf(1.0 / self.shape)).round() as u32
            }
            Pacing::Linear(n) => {
                self.progress = (self.progress + 1.0 / f64::from(n.max(1))).min(1.0);
                self.target + (span * self.progress).round() as u32
            }
            Pacing::Read => {
                self.read.observe(turn, self.hostility_strain);
                self.progress = (self.progress + speed / f64::from(self.turns)).min(1.0);
                let curve =
                    self.target + (span * self.progress.powf(1.0 / self.shape)).round() as u32;
                self.paced(curve)
            }
        };
        let mut offer = wanted.clamp(self.last_offer, self.limit);
        if let Some(asked) = turn.days {
            offer = offer.min(asked.max(self.last_offer));
        }
        self.last_offer = offer;
        offer
    }

    /// The offer paced by the debtor read so far (see the type's documentation): the curve,
    /// unless the debtor's words or its patience say it may leave.
    fn paced(&self, curve: u32) -> u32 {
        let last = f64::from(self.last_offer.max(curve));
        let cap = f64::from(self.read.ask().map_or(self.limit, |a| a.min(self.limit)));
        let within_limit = self.read.ask().is_none_or(|a| a <= self.limit);
        // The debtor calls a number within the limit final, makes a credible final stand beyond
        // it, or stops after moving: meet it, or offer the limit.
        if self.read.closing && within_limit || self.read.credible_final() || self.read.stopped() {
            return cap.ceil() as u32;
        }
        // Its patience about to run out: half way to its estimated floor (the limit while that
        // is unknown) on each such exchange, so the offer still moves on the next.
        if self.read.exchanges_left(self.expected_patience) <= 1.0 {
            let aim = self.read.floor_estimate().map_or(cap, |f| f.min(cap));
            return ((last + aim.max(last)) / 2.0).ceil() as u32;
        }
        last as u32
    }

    /// Puts the offers back at a recorded point (resuming a negotiation).
    pub fn restore(&mut self, progress: f64, last_offer: u32, read: DebtorRead) {
        self.progress = progress.clamp(0.0, 1.0);
        self.last_offer = last_offer.clamp(self.target, self.limit);
        self.read = read;
    }

    /// How far from the target toward the limit the offers are, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn curve() -> ConcessionCurve {
        ConcessionCurve::new(10, 40, &OfferParams::default()).with_pacing(Pacing::Curve)
    }

    fn turn(pressure: Pressure, days: Option<u32>) -> DebtorTurn {
        DebtorTurn {
            days,
            pressure,
            ..DebtorTurn::default()
        }
    }

    #[test]
    fn starts_at_target_and_reaches_the_limit_without_crossing_it() {
        let mut c = curve();
        assert_eq!(c.last_offer(), 10);
        let offers: Vec<u32> = (0..30)
            .map(|_| c.next_offer(&turn(Pressure::Normal, None)))
            .collect();
        assert!(offers.windows(2).all(|w| w[0] <= w[1]), "{offers:?}");
        assert_eq!(*offers.last().unwrap(), 40);
        assert!(
            offers[0] < 15,
            "first concession should be small: {offers:?}"
        );
    }

    #[test]
    fn manipulation_slows_and_hardship_speeds_concession() {
        let after = |p: Pressure| {
            let mut c = curve();
            (0..5).map(|_| c.next_offer(&turn(p, None))).last().unwrap()
        };
        let normal = after(Pressure::Normal);
        assert!(after(Pressure::Manipulation) < normal);
        assert!(after(Pressure::Hardship) > normal);
    }

    #[test]
    fn never_concedes_past_the_debtor_offer_nor_takes_a_concession_back() {
        let mut c = curve();
        for _ in 0..6 {
            c.next_offer(&turn(Pressure::Hardship, None));
        }
        let before = c.last_offer();
        assert!(before > 12);
        // The debtor asks for fewer days than we already offered: we do not go back below our
        // own offer, and the agreement rule handles it.
        assert_eq!(c.next_offer(&turn(Pressure::Normal, Some(12))), before);
        let mut c = curve();
        assert_eq!(c.next_offer(&turn(Pressure::Hardship, Some(11))), 11);
    }

    fn read_curve() -> ConcessionCurve {
        ConcessionCurve::new(10, 40, &OfferParams::default())
    }

    #[test]
    fn a_final_number_within_the_limit_is_met_at_once() {
        let mut c = read_curve();
        c.next_offer(&turn(Pressure::Normal, Some(90)));
        let offer = c.next_offer(&DebtorTurn {
            days: Some(32),
            final_word: true,
            ..DebtorTurn::default()
        });
        assert_eq!(offer, 32);
        // A number within the limit named with words of leaving: met too.
        let mut c = read_curve();
        c.next_offer(&turn(Pressure::Normal, Some(90)));
        let leaving = |days| DebtorTurn {
            days,
            leaving: true,
            ..DebtorTurn::default()
        };
        assert_eq!(c.next_offer(&leaving(Some(35))), 35);
        // Words of leaving alone, or an opening number beyond the limit called final, earn
        // nothing: the curve goes on.
        let mut c = read_curve();
        assert!(c.next_offer(&leaving(None)) < 15);
        let mut c = read_curve();
        assert!(c.next_offer(&leaving(Some(70))) < 15);
    }

    #[test]
    fn past_the_expected_patience_each_exchange_closes_half_the_gap() {
        // A debtor that never moves from 60 days: the firm curve, then half way to the limit
        // (its floor estimate, 60, is beyond it) on each exchange past its patience.
        // A slow curve, so the acceleration shows.
        let params = OfferParams {
            concession_turns: 30,
            ..OfferParams::default()
        };
        let patience = params.expected_patience as usize;
        let mut plain = ConcessionCurve::new(10, 40, &params).with_pacing(Pacing::Curve);
        let mut c = ConcessionCurve::new(10, 40, &params);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..patience + 3 {
            a.push(plain.next_offer(&turn(Pressure::Normal, Some(60))));
            b.push(c.next_offer(&turn(Pressure::Normal, Some(60))));
        }
        assert_eq!(
            a[..patience - 2],
            b[..patience - 2],
            "the curve until the deadline"
        );
        assert!(
            b[patience + 2] >= 38 && b[patience + 2] > a[patience + 2],
            "{b:?} / {a:?}"
        );
        // Hostile replies use patience up: the acceleration comes sooner.
        let mut c = ConcessionCurve::new(10, 40, &params);
        let hostile: Vec<u32> = (0..6)
            .map(|_| {
                c.next_offer(&DebtorTurn {
                    days: Some(60),
                    hostility: 1.0,
                    ..DebtorTurn::default()
                })
            })
            .collect();
        assert!(hostile[5] > a[5] + 5, "{hostile:?} / {a:?}");
    }

    #[test]
    fn a_final_word_beside_the_usual_step_is_haggling_and_a_jump_is_not() {
        let final_turn = |days| DebtorTurn {
            days: Some(days),
            final_word: true,
            ..DebtorTurn::default()
        };
        // The same step as before, called final: the curve goes on.
        let mut c = read_curve();
        let mut plain = curve();
        for days in [150, 130] {
            c.next_offer(&turn(Pressure::Normal, Some(days)));
            plain.next_offer(&turn(Pressure::Normal, Some(days)));
        }
        assert_eq!(
            c.next_offer(&final_turn(110)),
            plain.next_offer(&turn(Pressure::Normal, Some(110)))
        );
        // A big drop called final: the limit at once.
        let mut c = read_curve();
        for days in [150, 130] {
            c.next_offer(&turn(Pressure::Normal, Some(days)));
        }
        assert_eq!(c.next_offer(&final_turn(60)), 40);
        // An opening number said again, even called final, has not started the bargaining.
        let mut c = read_curve();
        c.next_offer(&final_turn(90));
        assert!(c.next_offer(&final_turn(90)) < 15);
    }

    #[test]
    fn a_debtor_that_stops_after_moving_stands_on_its_number() {
        let offers = |asks: [u32; 3]| -> Vec<u32> {
            let mut c = read_curve();
            asks.iter()
                .map(|d| c.next_offer(&turn(Pressure::Normal, Some(*d))))
                .collect()
        };
        // 120, then 90, then 90 again, with no final word: its bottom. Beyond the limit it gets
        // the limit; within it, its number.
        assert_eq!(offers([120, 90, 91])[2], 40);
        assert_eq!(offers([60, 35, 35])[2], 35);
        // Still moving in small steps is not stopping.
        let moving = offers([60, 50, 40]);
        assert!(moving[2] < 20, "{moving:?}");
    }

    #[test]
    fn the_floor_estimate_follows_shrinking_concessions() {
        let mut read = DebtorRead::default();
        for days in [100, 80, 70] {
            read.observe(&turn(Pressure::Normal, Some(days)), 1.0);
        }
        // Concessions 20 then 10: ratio 0.5, the rest of the series is 10 more days.
        assert_eq!(read.floor_estimate(), Some(60.0));
        read.observe(&turn(Pressure::Normal, Some(70)), 1.0);
        assert_eq!(
            read.floor_estimate(),
            Some(70.0),
            "a repeated number is the floor"
        );
        assert_eq!(read.exchanges_left(8.0), 4.0);
    }

    #[test]
    fn the_linear_baseline_reaches_the_limit_in_n_exchanges_whatever_the_debtor_does() {
        let mut c =
            ConcessionCurve::new(10, 40, &OfferParams::default()).with_pacing(Pacing::Linear(6));
        let offers: Vec<u32> = (0..6)
            .map(|_| {
                c.next_offer(&DebtorTurn {
                    final_word: true,
                    ..turn(Pressure::Manipulation, None)
                })
            })
            .collect();
        assert_eq!(offers, vec![15, 20, 25, 30, 35, 40]);
    }

    proptest! {
        #[test]
        fn offers_stay_between_target_and_limit(
            target in 0u32..400, extra in 0u32..400,
            turns in prop::collection::vec((0..3u8, prop::option::of(0u32..2000)), 1..60)
        ) {
            for pacing in [Pacing::Read, Pacing::Curve, Pacing::Linear(6)] {
            let mut c = ConcessionCurve::new(target, target + extra, &OfferParams::default())
                .with_pacing(pacing);
            let mut last = target;
            for (p, asked) in &turns {
                let pressure = [Pressure::Normal, Pressure::Manipulation, Pressure::Hardship][*p as usize];
                let offer = c.next_offer(&DebtorTurn {
                    days: *asked,
                    pressure,
                    final_word: *p == 1,
                    leaving: false,
                    hostility: f64::from(*p) / 2.0,
                });
                prop_assert!(offer >= target && offer <= target + extra);
                prop_assert!(offer >= last);
                last = offer;
            }
            }
        }
    }
}
