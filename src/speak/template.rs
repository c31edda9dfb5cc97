//! The deterministic template speaker: several phrasings per emotion, each stating the offer.

use super::{ReplyKind, ReplyRequest, SpeakError, Speaker};
use crate::emotion::Emotion;

/// Counter-offer phrasings per creditor emotion (table order), each a lead that answers the
/// debtor in the tone and a sentence that states the offer. `{days}` is the offer, `{debtor}`,
/// `{creditor}` and `{balance}` the scenario's facts. Even Anger and Disgust stay civil: firm
/// words, never threats or insults. A language-model speaker may phrase the lead itself and
/// keep the offer sentence.
const COUNTER: [&[(&str, &str)]; Emotion::COUNT] = [
    // Joy
    &[
        (
            "I'm glad we're working through this together, {debtor}.",
            "Could we settle the balance within {days} days?",
        ),
        (
            "Thanks for talking this through with me.",
            "I think {days} days is a plan we can both feel good about.",
        ),
        (
            "I appreciate you staying on the line with me.",
            "If we say {days} days, I can set it up right away.",
        ),
    ],
    // Sadness
    &[
        (
            "I'm sorry things have been so hard.",
            "I can offer {days} days to settle the balance of {balance}.",
        ),
        (
            "I hear how difficult this is for you, {debtor}.",
            "Would {days} days give you the room you need?",
        ),
        (
            "It's never easy to fall behind, and I do want to help.",
            "Can we agree on {days} days?",
        ),
    ],
    // Anger
    &[
        (
            "I'll be frank, {debtor}: this account has been open too long.",
            "I need the balance settled within {days} days.",
        ),
        (
            "I'm frustrated that we haven't found a plan yet.",
            "My offer is {days} days.",
        ),
        (
            "Let's stop going in circles.",
            "{days} days is what I can do.",
        ),
    ],
    // Fear
    &[
        (
            "I'm worried this is getting harder to resolve the longer it waits.",
            "Can we settle within {days} days?",
        ),
        (
            "I'd hate for this to keep weighing on both of us, {debtor}.",
            "Could you manage {days} days?",
        ),
        (
            "I'm concerned about letting this drift.",
            "Please consider {days} days.",
        ),
    ],
    // Surprise
    &[
        (
            "Oh, that's not what I expected!",
            "Let's see if {days} days works for you.",
        ),
        (
            "Really? I didn't see that coming.",
            "Then let me suggest {days} days instead.",
        ),
        ("That's a surprise, {debtor}.", "How about {days} days?"),
    ],
    // Disgust
    &[
        (
            "Honestly, I'm disappointed with how this account has gone.",
            "I need a firm commitment to {days} days.",
        ),
        (
            "I'd rather we deal with each other straight, {debtor}.",
            "The offer is {days} days.",
        ),
        (
            "Frankly, the excuses don't help either of us.",
            "Let's settle on {days} days.",
        ),
    ],
    // Neutral
    &[
        (
            "The outstanding balance is {balance}.",
            "I can offer a repayment period of {days} days.",
        ),
        (
            "Let's look at the numbers, {debtor}.",
            "I'm proposing {days} days to settle the account.",
        ),
        (
            "To keep things simple, let's set a date for the full balance.",
            "My offer is {days} days.",
        ),
    ],
];

/// Leads that answer any line without taking a tone of their own, for when none of the tone's
/// leads fits what the debtor said.
const PLAIN_LEADS: &[&str] = &[
    "I hear you, {debtor}, and I want to sort this out with you.",
    "I understand, and thank you for telling me.",
    "I'm sorry this is hard.",
];

const OPENING: &[(&str, &str)] = &[
    (
        "Hello {debtor}, I'm calling for {creditor} about the outstanding balance of {balance}.",
        "Could you settle it within {days} days?",
    ),
    (
        "Hi {debtor}, this is {creditor}, and I'd like to agree a plan for your balance of {balance}.",
        "Can you pay it within {days} days?",
    ),
];

const AGREEMENT: &[(&str, &str)] = &[
    (
        "Thank you, {debtor}.",
        "We're agreed on {days} days, and I'll send you the plan in writing.",
    ),
    (
        "Thank you for working this out with me.",
        "That's a deal: {days} days.",
    ),
];

const CLOSING: &[(&str, &str)] = &[
    (
        "We haven't been able to agree this time, {debtor}.",
        "My offer of {days} days still stands if you change your mind.",
    ),
    (
        "I'm sorry we couldn't find a plan together.",
        "If you reconsider, {days} days remains on the table.",
    ),
];

/// Phrases replies from fixed templates; the phrasing varies with the turn and a seed.
#[derive(Debug, Clone)]
pub struct TemplateSpeaker {
    seed: u64,
}

impl TemplateSpeaker {
    /// A template speaker whose choice of phrasing is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        TemplateSpeaker { seed }
    }

    /// The reply for a request: its lead, then its offer sentence. Never fails.
    pub fn phrase(&self, request: &ReplyRequest<'_>) -> String {
        let (lead, offer) = self.pick(request);
        format!("{} {}", fill(lead, request), fill(offer, request))
    }

    /// The reply for a request that `accept` takes: the tone's phrasings from the usual pick
    /// on, then plain acknowledgements before each of the tone's offer sentences; the usual
    /// reply when none is taken. The fallback uses it so that its reply, too, answers what the
    /// debtor said and does not repeat the last one.
    pub fn phrase_accepted(
        &self,
        request: &ReplyRequest<'_>,
        accept: impl Fn(&str) -> bool,
    ) -> String {
        let pairs = self.choices(request);
        let first = self.pick(request);
        let start = pairs.iter().position(|p| *p == first).unwrap_or(0);
        let rotated: Vec<(&str, &str)> = pairs[start..]
            .iter()
            .chain(&pairs[..start])
            .copied()
            .collect();
        let plain = rotated
            .iter()
            .flat_map(|(_, offer)| PLAIN_LEADS.iter().map(move |lead| (*lead, *offer)));
        rotated
            .iter()
            .copied()
            .chain(plain)
            .map(|(lead, offer)| format!("{} {}", fill(lead, request), fill(offer, request)))
            .find(|text| accept(text))
            .unwrap_or_else(|| self.phrase(request))
    }

    fn choices(&self, request: &ReplyRequest<'_>) -> &'static [(&'static str, &'static str)] {
        match request.kind {
            ReplyKind::Opening => OPENING,
            ReplyKind::Counter => COUNTER[request.emotion.index()],
            ReplyKind::Agreement => AGREEMENT,
            ReplyKind::Closing => CLOSING,
        }
    }

    /// Only the sentence that states the offer, in the request's tone.
    pub fn offer_sentence(&self, request: &ReplyRequest<'_>) -> String {
        fill(self.pick(request).1, request)
    }

    /// Only the lead: the sentence that answers the debtor, in the request's tone.
    pub fn lead(&self, request: &ReplyRequest<'_>) -> String {
        fill(self.pick(request).0, request)
    }

    fn pick(&self, request: &ReplyRequest<'_>) -> (&'static str, &'static str) {
        let choices = self.choices(request);
        // A cheap mix of seed and turn so consecutive turns rarely repeat a phrasing.
        let pick = (self.seed ^ u64::from(request.turn).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(0xBF58_476D_1CE4_E5B9)
            >> 33;
        choices[(pick % choices.len() as u64) as usize]
    }
}

/// Every template text, for the listener's vocabulary of what the agent may say unprompted.
pub(crate) fn texts() -> impl Iterator<Item = &'static str> {
    COUNTER
        .iter()
        .flat_map(|c| c.iter())
        .chain(OPENING)
        .chain(AGREEMENT)
        .chain(CLOSING)
        .flat_map(|(lead, offer)| [*lead, *offer])
}

/// A template with the request's facts filled in.
fn fill(template: &str, request: &ReplyRequest<'_>) -> String {
    template
        .replace("{days}", &request.offer_days.to_string())
        .replace("{debtor}", &request.scenario.debtor)
        .replace("{creditor}", &request.scenario.creditor)
        .replace("{balance}", &format_money(request.scenario.balance))
}

impl Speaker for TemplateSpeaker {
    fn name(&self) -> &'static str {
        "template"
    }

    fn reply(
        &mut self,
        request: &ReplyRequest<'_>,
        on_sentence: &mut dyn FnMut(&str),
    ) -> Result<String, SpeakError> {
        // The phrasing a listener accepts: not the last reply again, and warm after hard words.
        let listener = super::Listener::new(request);
        let text = self.phrase_accepted(request, |text| {
            listener.hear(text).is_empty() && listener.answers_warmly(text)
        });
        for sentence in super::sentences::split(&text) {
            on_sentence(&sentence);
        }
        Ok(text)
    }
}

/// Money as "$1,250.00".
pub fn format_money(amount: f64) -> String {
    let cents = (amount * 100.0).round() as u64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{ReplyFacts, check_reply};
    use crate::scenario::Scenario;
    use chrono::NaiveDate;

    #[test]
    fn money_is_grouped() {
        assert_eq!(format_money(1250.0), "$1,250.00");
        assert_eq!(format_money(15700.5), "$15,700.50");
        assert_eq!(format_money(415.2), "$415.20");
        assert_eq!(format_money(0.0), "$0.00");
    }

    #[test]
    fn every_template_states_the_offer_and_passes_the_guardrails() {
        let scenario = Scenario::builtin();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let kinds = [
            ReplyKind::Opening,
            ReplyKind::Counter,
            ReplyKind::Agreement,
            ReplyKind::Closing,
        ];
        for kind in kinds {
            for emotion in Emotion::ALL {
                for turn in 0..40 {
                    for offer_days in [1, 14, 37, 365] {
                        let request = ReplyRequest {
                            kind,
                            emotion,
                            offer_days,
                            scenario: &scenario,
                            turn,
                            temperature: 0.7,
                            dialogue: &[],
                        };
                        let text = TemplateSpeaker::new(7).phrase(&request);
                        let facts = ReplyFacts {
                            offer_days,
                            balance: scenario.balance,
                            today,
                        };
                        let violations = check_reply(&text, &facts);
                        assert!(violations.is_empty(), "{text:?}: {violations:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn phrasing_varies_across_turns_but_is_fixed_by_seed() {
        let scenario = Scenario::builtin();
        let request = |turn| ReplyRequest {
            kind: ReplyKind::Counter,
            emotion: Emotion::Neutral,
            offer_days: 20,
            scenario: &scenario,
            turn,
            temperature: 0.7,
            dialogue: &[],
        };
        let speaker = TemplateSpeaker::new(3);
        let texts: std::collections::HashSet<_> =
            (0..12).map(|t| speaker.phrase(&request(t))).collect();
        assert!(texts.len() >= 2);
        assert_eq!(
            speaker.phrase(&request(5)),
            TemplateSpeaker::new(3).phrase(&request(5))
        );
    }
}
