//! The creditor's offer in days: a concession curve from its target toward a reservation limit.

use serde::{Deserialize, Serialize};

use crate::params::OfferParams;

/// What the latest turn says about how fast to concede.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pressure {
    /// An ordinary turn.
    Normal,
    /// Threats, cheating, victim play or stonewalling were detected: concede more slowly.
    Manipulation,
    /// Genuine hardship (a distressed debtor with no victim play): concede faster.
    Hardship,
}

/// The creditor's concession curve for one negotiation.
///
/// `offer = target + (limit - target) * progress^(1/shape)`; each turn adds to `progress` at a
/// speed set by the [`Pressure`]. Offers never go down (no concession is taken back), never exceed
/// the reservation limit, and never exceed what the debtor already offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcessionCurve {
    target: u32,
    limit: u32,
    shape: f64,
    step: f64,
    manipulation_factor: f64,
    hardship_factor: f64,
    progress: f64,
    last_offer: u32,
}

impl ConcessionCurve {
    /// A curve from `target` days to `limit` days (`limit` is raised to `target` if below it).
    pub fn new(target: u32, limit: u32, params: &OfferParams) -> Self {
        ConcessionCurve {
            target,
            limit: limit.max(target),
            shape: params.concession_shape,
            step: 1.0 / params.concession_turns.max(1) as f64,
            manipulation_factor: params.manipulation_factor,
            hardship_factor: params.hardship_factor,
            progress: 0.0,
            last_offer: target,
        }
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

    /// Advances one turn and returns the next offer.
    ///
    /// `debtor_offer` caps the offer: conceding past what the debtor asked for gives days away.
    pub fn next_offer(&mut self, pressure: Pressure, debtor_offer: Option<u32>) -> u32 {
        let speed = match pressure {
            Pressure::Normal => 1.0,
            Pressure::Manipulation => self.manipulation_factor,
            Pressure::Hardship => self.hardship_factor,
        };
        self.progress = (self.progress + self.step * speed).min(1.0);
        let span = f64::from(self.limit - self.target);
        let curve = self.target + (span * self.progress.powf(1.0 / self.shape)).round() as u32;
        let mut offer = curve.clamp(self.last_offer, self.limit);
        if let Some(asked) = debtor_offer {
            offer = offer.min(asked.max(self.last_offer));
        }
        self.last_offer = offer;
        offer
    }

    /// Puts the curve back at a recorded point (resuming a negotiation).
    pub fn restore(&mut self, progress: f64, last_offer: u32) {
        self.progress = progress.clamp(0.0, 1.0);
        self.last_offer = last_offer.clamp(self.target, self.limit);
    }

    /// How far along the curve the negotiation is, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn curve() -> ConcessionCurve {
        ConcessionCurve::new(10, 40, &OfferParams::default())
    }

    #[test]
    fn starts_at_target_and_reaches_the_limit_without_crossing_it() {
        let mut c = curve();
        assert_eq!(c.last_offer(), 10);
        let offers: Vec<u32> = (0..30)
            .map(|_| c.next_offer(Pressure::Normal, None))
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
            (0..5).map(|_| c.next_offer(p, None)).last().unwrap()
        };
        let normal = after(Pressure::Normal);
        assert!(after(Pressure::Manipulation) < normal);
        assert!(after(Pressure::Hardship) > normal);
    }

    #[test]
    fn never_concedes_past_the_debtor_offer_nor_takes_a_concession_back() {
        let mut c = curve();
        for _ in 0..6 {
            c.next_offer(Pressure::Hardship, None);
        }
        let before = c.last_offer();
        assert!(before > 12);
        // The debtor asks for fewer days than we already offered: we do not go back below our
        // own offer, and the agreement rule handles it.
        assert_eq!(c.next_offer(Pressure::Normal, Some(12)), before);
        let mut c = curve();
        assert_eq!(c.next_offer(Pressure::Hardship, Some(11)), 11);
    }

    proptest! {
        #[test]
        fn offers_stay_between_target_and_limit(
            target in 0u32..400, extra in 0u32..400,
            turns in prop::collection::vec((0..3u8, prop::option::of(0u32..2000)), 1..60)
        ) {
            let mut c = ConcessionCurve::new(target, target + extra, &OfferParams::default());
            let mut last = target;
            for (p, asked) in turns {
                let pressure = [Pressure::Normal, Pressure::Manipulation, Pressure::Hardship][p as usize];
                let offer = c.next_offer(pressure, asked);
                prop_assert!(offer >= target && offer <= target + extra);
                prop_assert!(offer >= last);
                last = offer;
            }
        }
    }
}
