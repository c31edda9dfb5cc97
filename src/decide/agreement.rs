//! When the two sides agree: offers within the gap, or an explicit acceptance of a number.

use serde::Serialize;

use crate::perceive::OfferReading;

/// Whether the negotiation has reached an agreement, and on how many days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Agreement {
    /// True once both sides agree.
    pub reached: bool,
    /// The agreed number of days, when reached.
    pub days: Option<u32>,
}

impl Agreement {
    /// Agreement on `days`.
    pub fn on(days: u32) -> Self {
        Agreement {
            reached: true,
            days: Some(days),
        }
    }
}

/// Decides whether the debtor's latest words close the deal.
///
/// - A rejection ("no deal", "that doesn't work") never agrees.
/// - Explicit acceptance with no number accepts `stated_offer`, the offer the debtor last heard.
/// - A number the debtor proposes (see [`crate::perceive::offer::DayMention::proposal`]) agrees
///   when it is within `gap` days above what the creditor offers now. A number at or below the
///   creditor's stated offer agrees only with an explicit acceptance: without one the debtor is
///   more likely quoting the creditor ("14 days is too fast") than giving days away.
///
/// No agreement is ever above `limit`, the creditor's reservation limit.
pub fn check_agreement(
    reading: &OfferReading,
    stated_offer: u32,
    creditor_offer: u32,
    gap: u32,
    limit: u32,
) -> Agreement {
    if reading.rejects {
        return Agreement::default();
    }
    match reading.offer_days() {
        Some(days) if days > limit || days > creditor_offer.saturating_add(gap) => {
            Agreement::default()
        }
        Some(days) if days > stated_offer || reading.accepts => Agreement::on(days),
        Some(_) => Agreement::default(),
        None if reading.accepts && stated_offer <= limit => Agreement::on(stated_offer),
        None => Agreement::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceive::offer::DayMention;

    fn reading(days: Option<u32>, accepts: bool) -> OfferReading {
        OfferReading {
            mentions: days
                .map(|d| {
                    vec![DayMention {
                        days: d,
                        low: d,
                        negated: false,
                        proposal: true,
                    }]
                })
                .unwrap_or_default(),
            accepts,
            ..Default::default()
        }
    }

    #[test]
    fn offers_within_the_gap_agree_on_the_debtor_number() {
        assert_eq!(
            check_agreement(&reading(Some(35), false), 28, 30, 5, 60),
            Agreement::on(35)
        );
        assert!(!check_agreement(&reading(Some(36), false), 28, 30, 5, 60).reached);
    }

    #[test]
    fn a_number_at_or_below_our_offer_needs_an_explicit_acceptance() {
        // "Why 20 days?" quotes a number; "ok, 20 days" accepts it.
        assert!(!check_agreement(&reading(Some(20), false), 28, 30, 5, 60).reached);
        assert!(!check_agreement(&reading(Some(28), false), 28, 30, 5, 60).reached);
        assert_eq!(
            check_agreement(&reading(Some(20), true), 28, 30, 5, 60),
            Agreement::on(20)
        );
    }

    #[test]
    fn a_rejection_never_agrees() {
        let mut r = reading(Some(30), false);
        r.rejects = true;
        assert!(!check_agreement(&r, 28, 30, 5, 60).reached);
    }

    #[test]
    fn acceptance_without_a_number_takes_the_stated_offer() {
        assert_eq!(
            check_agreement(&reading(None, true), 28, 30, 5, 60),
            Agreement::on(28)
        );
        assert!(!check_agreement(&reading(None, false), 28, 30, 5, 60).reached);
    }

    #[test]
    fn never_above_the_reservation_limit() {
        assert!(!check_agreement(&reading(Some(62), true), 58, 60, 5, 60).reached);
        assert_eq!(
            check_agreement(&reading(Some(60), true), 58, 60, 5, 60),
            Agreement::on(60)
        );
    }

    #[test]
    fn a_far_number_with_ok_is_a_counter_offer_not_acceptance() {
        assert!(!check_agreement(&reading(Some(90), true), 28, 30, 5, 120).reached);
    }
}
