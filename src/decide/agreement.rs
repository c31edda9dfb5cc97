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
/// - Explicit acceptance with no number accepts `stated_offer`, the offer the debtor last heard.
/// - Explicit acceptance of a number within `gap` days of what the creditor offers now (or below
///   it) agrees on that number.
/// - Otherwise the debtor's offer agrees when it is within `gap` days of `creditor_offer` (or
///   below it): the creditor takes the debtor's number.
///
/// No agreement is ever above `limit`, the creditor's reservation limit.
pub fn check_agreement(
    reading: &OfferReading,
    stated_offer: u32,
    creditor_offer: u32,
    gap: u32,
    limit: u32,
) -> Agreement {
    let acceptable = |days: u32| days <= limit && days <= creditor_offer.saturating_add(gap);
    match reading.offer_days() {
        Some(days) if acceptable(days) => Agreement::on(days),
        None if reading.accepts && stated_offer <= limit => Agreement::on(stated_offer),
        _ => Agreement::default(),
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
        assert_eq!(
            check_agreement(&reading(Some(20), false), 28, 30, 5, 60),
            Agreement::on(20)
        );
        assert!(!check_agreement(&reading(Some(36), false), 28, 30, 5, 60).reached);
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
