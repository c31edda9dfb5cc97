//! Reading repayment offers (in days) and acceptance from text (placeholder: being written).

use chrono::NaiveDate;
use serde::Serialize;

/// One number of days mentioned in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayMention {
    /// The number of days from `today` (a range gives its upper end; see `low`).
    pub days: u32,
    /// Lower end when the text gave a range ("30 to 45 days"), else equal to `days`.
    pub low: u32,
    /// True when the text rejects this number ("not 30 days").
    pub negated: bool,
}

/// What a sentence says about the repayment timeline.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OfferReading {
    /// Every mention of a number of days, in text order.
    pub mentions: Vec<DayMention>,
    /// Amounts of money mentioned ("$500", "300 dollars"): never days.
    pub amounts: Vec<f64>,
    /// The speaker accepts a proposal ("deal", "ok, 30 days works", "I agree").
    pub accepts: bool,
}

impl OfferReading {
    /// The speaker's offer: the last number of days that is not negated.
    pub fn offer_days(&self) -> Option<u32> {
        self.mentions
            .iter()
            .rev()
            .find(|m| !m.negated)
            .map(|m| m.days)
    }
}

/// Reads the day counts, money amounts and acceptance in `text`; dates are counted from `today`.
pub fn read_offer(text: &str, today: NaiveDate) -> OfferReading {
    let _ = today;
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut mentions = Vec::new();
    for pair in words.windows(2) {
        if let (Ok(n), true) = (pair[0].parse::<u32>(), pair[1].starts_with("day")) {
            mentions.push(DayMention {
                days: n,
                low: n,
                negated: false,
            });
        }
    }
    OfferReading {
        mentions,
        amounts: Vec::new(),
        accepts: lower.contains("deal"),
    }
}
