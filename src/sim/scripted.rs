//! A scripted debtor: asks for many days, concedes toward the creditor's offer turn by turn, and
//! speaks in varied template lines (hardship, frustration, plain bargaining).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::emotion::Emotion;
use crate::scenario::Scenario;

/// Lines that state an ask of `{days}` days, by mood.
pub(super) const HARDSHIP: &[&str] = &[
    "I lost my job last month and I'm really struggling. I need {days} days.",
    "Please, I can't afford that right now. Could you give me {days} days?",
    "Money is so tight with the medical bills. {days} days is the best I can do.",
];
pub(super) const FRUSTRATED: &[&str] = &[
    "This is ridiculous, I'm so annoyed with these calls. I want {days} days.",
    "I'm angry about how this has been handled. {days} days, not less.",
    "Stop pushing me. I said I need {days} days.",
];
pub(super) const BARGAINING: &[&str] = &[
    "Let's be realistic. I can pay it in {days} days.",
    "What about {days} days?",
    "I could manage {days} days if that helps.",
];
pub(super) const ACCEPT: &[&str] = &[
    "Alright, {days} days works for me. Deal.",
    "Ok, I can do {days} days. Thank you.",
    "Fine, I accept {days} days.",
];

/// Debtor lines that keep a negotiation going: no offer, no acceptance (long records for the
/// record benchmark and tests).
pub const STALLING: [&str; 5] = [
    "I can't pay that much.",
    "I lost my job last month.",
    "That is too soon for me, I'm scared.",
    "I need more time, please.",
    "Why are you pushing me like this?",
];

/// A debtor that follows a fixed concession rule; the agent never sees its numbers.
#[derive(Debug, Clone)]
pub struct ScriptedDebtor {
    ask: f64,
    minimum: u32,
    turn: u32,
    rng: ChaCha8Rng,
}

impl ScriptedDebtor {
    /// A debtor for `scenario`: starts from its own target (90 days when the scenario has none)
    /// and accepts any offer of at least `minimum_share` of that target.
    pub fn new(scenario: &Scenario, minimum_share: f64, seed: u64) -> Self {
        let start = scenario.debtor_target_days.unwrap_or(90);
        ScriptedDebtor {
            ask: f64::from(start),
            minimum: (f64::from(start) * minimum_share).round() as u32,
            turn: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The fewest days this debtor accepts.
    pub fn minimum(&self) -> u32 {
        self.minimum
    }

    /// The debtor's answer to the creditor's latest offer and emotion.
    ///
    /// A warm or empathic creditor (Joy, Sadness, Neutral) earns bigger concessions than a hostile
    /// one (Anger, Disgust).
    pub fn answer(&mut self, creditor_offer: u32, creditor_emotion: Emotion) -> String {
        self.turn += 1;
        if creditor_offer >= self.minimum {
            return self.line(ACCEPT, creditor_offer);
        }
        let rate = match creditor_emotion {
            Emotion::Joy | Emotion::Sadness | Emotion::Neutral => 0.35,
            Emotion::Anger | Emotion::Disgust => 0.1,
            Emotion::Fear | Emotion::Surprise => 0.25,
        };
        let gap = self.ask - f64::from(creditor_offer);
        self.ask = (self.ask - gap * rate).max(f64::from(self.minimum));
        let ask = self.ask.round() as u32;
        let mood = match self.turn % 3 {
            1 => HARDSHIP,
            2 => FRUSTRATED,
            _ => BARGAINING,
        };
        self.line(mood, ask)
    }

    fn line(&mut self, choices: &[&str], days: u32) -> String {
        let template = choices[self.rng.random_range(0..choices.len())];
        template.replace("{days}", &days.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concedes_and_then_accepts_a_sufficient_offer() {
        let scenario = Scenario::builtin();
        let mut debtor = ScriptedDebtor::new(&scenario, 0.35, 1);
        assert_eq!(debtor.minimum(), 31, "35% of 90 days");
        let first = debtor.answer(14, Emotion::Joy);
        assert!(first.contains("days"), "{first}");
        let accept = debtor.answer(31, Emotion::Joy);
        assert!(accept.contains("31 days"), "{accept}");
    }

    #[test]
    fn same_seed_same_lines() {
        let scenario = Scenario::builtin();
        let lines = |seed| {
            let mut d = ScriptedDebtor::new(&scenario, 0.35, seed);
            (0..5)
                .map(|i| d.answer(14 + i, Emotion::Neutral))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(4), lines(4));
    }
}
