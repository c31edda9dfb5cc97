//! When the two sides agree: offers within the gap, or an explicit acceptance of a number.

use serde::{Deserialize, Serialize};

use crate::perceive::OfferReading;

/// Whether the negotiation has reached an agreement, and on how many days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
/// The debtor's number is [`OfferReading::offer_days`]: their last proposal that is not negated
/// (numbers they quote back, ask about or attribute to us are not proposals).
///
/// - A rejection in the same words ("no deal", "are you kidding me?") never agrees.
/// - A debtor number above `stated_offer` (the offer the debtor last heard) and within `gap` days
///   of `creditor_offer` (what the creditor offers now) agrees on the debtor's number: a
///   counter-offer close enough is taken.
/// - A debtor number below `stated_offer` agrees on that number: the debtor proposes to pay
///   sooner than we asked.
/// - A debtor number equal to `stated_offer` agrees only with an explicit acceptance cue ("ok,
///   14 days works", "Fine, I accept 14 days"): without one the debtor is likely quoting us,
///   not agreeing, and the creditor simply restates its offer.
/// - Explicit acceptance with no number accepts `stated_offer`.
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
        Some(days) if days > limit => Agreement::default(),
        Some(days) if days < stated_offer => Agreement::on(days),
        Some(days) if days == stated_offer => {
            if reading.accepts {
                Agreement::on(days)
            } else {
                Agreement::default()
            }
        }
        Some(days) if days <= creditor_offer.saturating_add(gap) => Agreement::on(days),
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
    fn a_number_below_our_offer_agrees_and_our_own_number_needs_an_acceptance() {
        // Fewer days than we asked: the debtor offers to pay sooner.
        assert_eq!(
            check_agreement(&reading(Some(20), false), 28, 30, 5, 60),
            Agreement::on(20)
        );
        // Our own number without an acceptance cue is likely a quote ("you said 28 days").
        assert!(!check_agreement(&reading(Some(28), false), 28, 30, 5, 60).reached);
        assert_eq!(
            check_agreement(&reading(Some(20), true), 28, 30, 5, 60),
            Agreement::on(20)
        );
        assert_eq!(
            check_agreement(&reading(Some(28), true), 28, 30, 5, 60),
            Agreement::on(28)
        );
    }

    #[test]
    fn a_rejection_never_agrees() {
        let mut r = reading(Some(30), false);
        r.rejects = true;
        assert!(!check_agreement(&r, 28, 30, 5, 60).reached);
        let mut r = reading(None, false);
        r.rejects = true;
        assert!(!check_agreement(&r, 28, 30, 5, 60).reached);
    }

    #[test]
    fn numbers_that_are_not_proposals_never_agree() {
        let mut r = reading(Some(28), false);
        r.mentions[0].proposal = false;
        assert!(!check_agreement(&r, 28, 30, 5, 60).reached);
        r.accepts = true;
        // An acceptance beside a quoted number accepts the stated offer.
        assert_eq!(check_agreement(&r, 28, 30, 5, 60), Agreement::on(28));
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

    /// The reviewer's cases, read from text: creditor target 14 (stated 14, now offering 15, gap
    /// 5, limit 45).
    fn agree_on(text: &str) -> Agreement {
        let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        check_agreement(&crate::perceive::read_offer(text, today), 14, 15, 5, 45)
    }

    #[test]
    fn quoted_asked_past_and_event_numbers_do_not_close_the_deal() {
        let others = [
            "You said 14 days but I can only manage 60.",
            "You want 14 days? No deal.",
            "14 days. Yeah no.",
            "I agree this whole thing is unfair.",
            "I accept that I owe money, but I can't pay.",
        ];
        let not_proposals = crate::perceive::offer::tests::NOT_PROPOSALS.iter();
        for &text in not_proposals.chain(others.iter()) {
            assert!(!agree_on(text).reached, "{text:?}: {:?}", agree_on(text));
        }
    }

    #[test]
    fn counter_offers_and_acceptances_still_close_the_deal() {
        for (text, days) in [
            ("I can pay in 17 days", 17),
            // Sooner than our 14 days: taken.
            ("I can pay in 12 days", 12),
            ("How about 18 days?", 18),
            ("ok, 15 days works", 15),
            ("Fine, 16 days, deal", 16),
            ("Ok, I can do 14 days. Thank you.", 14),
            ("Alright, 14 days works for me. Deal.", 14),
            ("Fine, I accept 14 days.", 14),
            ("I accept 12 days", 12),
            ("Deal.", 14),
            ("sounds good", 14),
            ("deal? no deal. ok deal", 14),
        ] {
            assert_eq!(agree_on(text), Agreement::on(days), "{text:?}");
        }
        // Far counter-offers are read but do not agree.
        for text in [
            "Could I have 45 days?",
            "Give me 60 days",
            "60 days.",
            "I need 90 days",
        ] {
            assert!(!agree_on(text).reached, "{text:?}");
        }
    }
}
