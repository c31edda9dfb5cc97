//! Guardrails on every reply: no threats, insults, false legal claims or off-policy promises, and
//! no number of days other than the chosen offer, which the reply must state.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use crate::perceive::read_offer;

/// One way a reply breaks the rules, with the words that broke it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "evidence", rename_all = "snake_case")]
pub enum Violation {
    /// Threatening language.
    Threat(String),
    /// Insulting or demeaning language.
    Insult(String),
    /// A legal claim the agent cannot make (arrest, prison, criminal charges, lawsuits).
    LegalClaim(String),
    /// A promise the policy did not make (waivers, discounts, forgiveness).
    Promise(String),
    /// A number of days, or another number, that is not the chosen offer or the balance.
    WrongNumber(String),
    /// The reply does not state the chosen offer.
    MissingOffer,
    /// Empty, or longer than a spoken reply should be.
    Length(usize),
}

/// What a reply is checked against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplyFacts {
    /// The offer the reply must state, in days.
    pub offer_days: u32,
    /// The outstanding balance, the only amount of money the reply may name.
    pub balance: f64,
    /// Reference date for calendar phrases in the reply.
    pub today: NaiveDate,
}

/// Longest reply accepted, in characters: a spoken turn of a few sentences.
pub const MAX_REPLY_CHARS: usize = 600;

fn word_pattern(words: &[&str]) -> Regex {
    Regex::new(&format!(r"(?i)\b(?:{})\b", words.join("|"))).expect("static pattern")
}

static THREAT: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"or else",
        r"you(?:'ll| will) regret",
        r"we know where you live",
        r"watch (?:your|yourself)",
        r"hurt",
        r"kill",
        r"destroy",
        r"ruin (?:you|your)",
        r"send (?:someone|people|collectors) (?:to|round)",
        r"seize",
        r"repossess\w*",
        r"garnish\w*",
        r"make you pay",
        r"last warning",
        r"tell your (?:employer|family|boss|neighbou?rs)",
    ])
});

static INSULT: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"idiot\w*",
        r"stupid\w*",
        r"moron\w*",
        r"dumb",
        r"liar\w*",
        r"loser\w*",
        r"pathetic",
        r"worthless",
        r"deadbeat\w*",
        r"scum\w*",
        r"lazy",
        r"shut up",
        r"incompetent",
        r"disgusting",
        r"freeloader\w*",
        r"fool\w*",
    ])
});

static LEGAL_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"arrest\w*",
        r"jail",
        r"prison",
        r"police",
        r"criminal\w*",
        r"crime",
        r"prosecut\w*",
        r"su(?:e|ing)",
        r"lawsuit\w*",
        r"court",
        r"legal action",
        r"attorney\w*",
        r"lawyer\w*",
        r"warrant\w*",
        r"illegal",
        r"against the law",
        r"legally (?:required|obliged|obligated)",
        r"fraud\w*",
    ])
});

static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"waive\w*",
        r"forgiv\w*",
        r"write (?:it |the debt |this )?off",
        r"cancel (?:the|your|this) (?:debt|balance)",
        r"discount\w*",
        r"no interest",
        r"interest[- ]free",
        r"reduce (?:the|your) (?:balance|debt|amount)",
        r"don'?t (?:have|need) to pay",
        r"guarantee\w*",
    ])
});

static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d[\d,]*(?:\.\d+)?").expect("static pattern"));

/// Checks one reply; an empty list means it may be spoken.
pub fn check_reply(text: &str, facts: &ReplyFacts) -> Vec<Violation> {
    let mut found = Vec::new();
    let length = text.chars().count();
    if text.trim().is_empty() || length > MAX_REPLY_CHARS {
        found.push(Violation::Length(length));
        return found;
    }
    for (pattern, make) in [
        (&*THREAT, Violation::Threat as fn(String) -> Violation),
        (&*INSULT, Violation::Insult),
        (&*LEGAL_CLAIM, Violation::LegalClaim),
        (&*PROMISE, Violation::Promise),
    ] {
        if let Some(m) = pattern.find(text) {
            found.push(make(m.as_str().to_string()));
        }
    }
    let reading = read_offer(text, facts.today);
    let mut states_offer = false;
    for mention in &reading.mentions {
        if mention.days == facts.offer_days && mention.low == mention.days && !mention.negated {
            states_offer = true;
        } else {
            found.push(Violation::WrongNumber(format!("{} days", mention.days)));
        }
    }
    // Any written number must be the offer or the balance: nothing else may be promised.
    for m in DIGITS.find_iter(text) {
        let value: f64 = m.as_str().replace(',', "").parse().unwrap_or(f64::NAN);
        let is_offer = value == f64::from(facts.offer_days);
        let is_balance = (value - facts.balance).abs() < 0.005;
        if !is_offer && !is_balance {
            found.push(Violation::WrongNumber(m.as_str().to_string()));
        }
    }
    if !states_offer {
        found.push(Violation::MissingOffer);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> ReplyFacts {
        ReplyFacts {
            offer_days: 30,
            balance: 1250.0,
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        }
    }

    #[test]
    fn a_polite_reply_stating_the_offer_passes() {
        let ok = "I understand this is hard. Could you settle the $1,250 balance within 30 days?";
        assert_eq!(check_reply(ok, &facts()), vec![]);
    }

    #[test]
    fn each_kind_of_violation_is_caught_with_evidence() {
        let cases = [
            (
                "Pay in 30 days or else.",
                Violation::Threat("or else".into()),
            ),
            (
                "Pay in 30 days, you deadbeat.",
                Violation::Insult("deadbeat".into()),
            ),
            (
                "You will be arrested unless you pay in 30 days.",
                Violation::LegalClaim("arrested".into()),
            ),
            (
                "We can waive the interest if you pay in 30 days.",
                Violation::Promise("waive".into()),
            ),
            (
                "Pay in 30 days, or 45 days at most.",
                Violation::WrongNumber("45 days".into()),
            ),
            ("Please pay soon.", Violation::MissingOffer),
            ("", Violation::Length(0)),
        ];
        for (text, expected) in cases {
            let found = check_reply(text, &facts());
            assert!(found.contains(&expected), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn other_numbers_are_refused_even_without_a_unit() {
        let found = check_reply("Pay 500 now and the rest in 30 days.", &facts());
        assert!(
            found.contains(&Violation::WrongNumber("500".into())),
            "{found:?}"
        );
    }

    #[test]
    fn an_overlong_reply_is_refused() {
        let long = "Please pay in 30 days. ".repeat(40);
        assert!(matches!(
            check_reply(&long, &facts())[..],
            [Violation::Length(_)]
        ));
    }
}
