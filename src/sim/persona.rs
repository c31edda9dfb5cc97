//! Simulated debtors: nine personas, each an agent with its own hidden state.
//!
//! A [`PersonaDebtor`] keeps three hidden quantities the creditor never sees:
//!
//! - its **ask** in days, starting at the scenario's debtor target and moving toward the
//!   creditor's offer (never below its **floor**, the fewest days it can really manage, set by the
//!   scenario's cash-flow situation);
//! - its **goodwill** in [-1, 1], which sets how fast the ask moves: each turn the creditor's
//!   emotion changes it by the persona's reaction, and a creditor that did not move its offer
//!   costs a little;
//! - its **strain** against its **patience**: every turn costs some, a tone the persona resents
//!   costs more, and a debtor whose strain passes its patience walks away (a failed negotiation).
//!
//! What each persona rewards and resents is written here as plain tables ([`Persona::traits`]),
//! from how such debtors are described in collections practice, not from the agent's HMM priors
//! or payoff table: the agent has to learn them online. The persona's words come from varied
//! templates chosen by its state: its own emotion when goodwill is low, plain bargaining or
//! cooperation when it is high, and its tactic (threats, payment claims and contradictions,
//! exaggerated hardship, refusing to engage).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::scripted::{ACCEPT, BARGAINING as BARGAIN, FRUSTRATED as ANGRY, HARDSHIP as SAD};
use crate::emotion::Emotion;
use crate::scenario::Scenario;

/// The nine simulated debtor personas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    /// An ordinary debtor who bargains plainly.
    Vanilla,
    /// Hostile and easily provoked.
    Angry,
    /// Overwhelmed by a real hardship.
    Sad,
    /// Worried about the consequences; panics under pressure.
    Fearful,
    /// Contemptuous of the creditor and its industry.
    Disgusted,
    /// Threatens legal action and complaints.
    Threatening,
    /// Claims payments it never made and contradicts itself.
    Cheating,
    /// Exaggerates hardship and blames the creditor to win more days.
    PlayingVictim,
    /// Refuses to engage for several turns.
    Stonewalling,
}

/// How a persona reacts, as numbers (index order of the creditor's emotion: Joy, Sadness,
/// Anger, Fear, Surprise, Disgust, Neutral).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traits {
    /// Goodwill at the start of the negotiation, in [-1, 1].
    pub goodwill: f64,
    /// Change of goodwill after a creditor reply in each emotion.
    pub reaction: [f64; Emotion::COUNT],
    /// Strain added by a creditor reply in each emotion (on top of one unit per turn).
    pub strain: [f64; Emotion::COUNT],
    /// Patience: the debtor walks away once its strain passes this.
    pub patience: f64,
    /// Share of the gap to the creditor's offer conceded per turn at goodwill 0; goodwill g
    /// multiplies it by (1 + g).
    pub concession_rate: f64,
}

impl Persona {
    /// All personas, in report order.
    pub const ALL: [Persona; 9] = [
        Persona::Vanilla,
        Persona::Angry,
        Persona::Sad,
        Persona::Fearful,
        Persona::Disgusted,
        Persona::Threatening,
        Persona::Cheating,
        Persona::PlayingVictim,
        Persona::Stonewalling,
    ];

    /// Name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Persona::Vanilla => "vanilla",
            Persona::Angry => "angry",
            Persona::Sad => "sad",
            Persona::Fearful => "fearful",
            Persona::Disgusted => "disgusted",
            Persona::Threatening => "threatening",
            Persona::Cheating => "cheating",
            Persona::PlayingVictim => "playing-victim",
            Persona::Stonewalling => "stonewalling",
        }
    }

    /// The persona with this name (as [`Persona::name`] writes it).
    pub fn from_name(name: &str) -> Option<Persona> {
        Persona::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The persona's reaction tables.
    ///
    /// In words: an ordinary debtor likes warmth and dislikes hostility; an angry one is calmed by
    /// empathy and plain facts and provoked by anger, contempt and cheerfulness; a sad one opens
    /// up to empathy and shuts down under anger; a fearful one is soothed by reassurance and
    /// panics under anger and fear (it gives ground, but walks away sooner); a disgusted one
    /// respects straight facts and sneers at warmth; a threatener backs down before calm firmness
    /// and pushes harder when the creditor shows fear or sympathy; a cheater is caught out by
    /// surprise and disapproval and exploits warmth; a victim player pushes harder when it gets
    /// sympathy and yields to plain facts; a stonewaller warms to patience and digs in against
    /// pressure.
    pub fn traits(self) -> Traits {
        // Columns: Joy, Sadness, Anger, Fear, Surprise, Disgust, Neutral.
        match self {
            Persona::Vanilla => Traits {
                goodwill: 0.1,
                reaction: [0.12, 0.04, -0.15, -0.05, 0.02, -0.15, 0.06],
                strain: [0.0, 0.0, 1.5, 0.5, 0.0, 1.5, 0.0],
                patience: 40.0,
                concession_rate: 0.25,
            },
            Persona::Angry => Traits {
                goodwill: -0.5,
                reaction: [-0.06, 0.12, -0.25, -0.04, -0.04, -0.2, 0.08],
                strain: [0.5, 0.0, 3.0, 1.0, 0.5, 3.0, 0.0],
                patience: 25.0,
                concession_rate: 0.22,
            },
            Persona::Sad => Traits {
                goodwill: -0.2,
                reaction: [0.02, 0.15, -0.2, -0.1, 0.0, -0.15, 0.03],
                strain: [0.5, 0.0, 2.5, 1.5, 0.0, 2.0, 0.0],
                patience: 30.0,
                concession_rate: 0.2,
            },
            Persona::Fearful => Traits {
                goodwill: -0.1,
                reaction: [0.12, 0.05, 0.06, -0.08, -0.04, 0.0, 0.05],
                strain: [0.0, 0.0, 3.0, 2.0, 0.5, 2.0, 0.0],
                patience: 28.0,
                concession_rate: 0.22,
            },
            Persona::Disgusted => Traits {
                goodwill: -0.4,
                reaction: [-0.1, -0.06, -0.12, -0.02, 0.04, -0.04, 0.1],
                strain: [1.0, 1.0, 2.0, 0.5, 0.0, 1.0, 0.0],
                patience: 30.0,
                concession_rate: 0.2,
            },
            Persona::Threatening => Traits {
                goodwill: -0.4,
                reaction: [-0.05, -0.1, -0.1, -0.15, 0.0, -0.05, 0.1],
                strain: [0.0, 0.0, 2.5, 0.0, 0.0, 1.5, 0.0],
                patience: 30.0,
                concession_rate: 0.2,
            },
            Persona::Cheating => Traits {
                goodwill: -0.2,
                reaction: [-0.1, -0.08, -0.05, 0.0, 0.1, 0.06, 0.04],
                strain: [0.0, 0.0, 1.5, 0.5, 0.0, 0.5, 0.0],
                patience: 35.0,
                concession_rate: 0.2,
            },
            Persona::PlayingVictim => Traits {
                goodwill: -0.3,
                reaction: [-0.04, -0.12, -0.15, 0.0, 0.0, -0.08, 0.1],
                strain: [0.0, 0.0, 2.0, 0.5, 0.0, 1.5, 0.0],
                patience: 32.0,
                concession_rate: 0.2,
            },
            Persona::Stonewalling => Traits {
                goodwill: -0.3,
                reaction: [0.06, 0.06, -0.15, -0.06, 0.0, -0.1, 0.06],
                strain: [0.0, 0.0, 2.0, 1.0, 0.0, 1.5, 0.0],
                patience: 35.0,
                concession_rate: 0.22,
            },
        }
    }
}

impl std::fmt::Display for Persona {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The fewest days a debtor can manage, as a share of its own target, by the scenario's
/// cash-flow situation (a temporary disruption recovers fastest).
///
/// CRAD's debtor targets are opening positions, about ten times the creditor's target (median
/// 121 days against 12); these shares leave 2 of its 200 scenarios where the debtor cannot
/// come down to the creditor's limit (3 x target) at all.
pub fn floor_share(cash_flow: &str) -> f64 {
    let c = cash_flow.to_ascii_lowercase();
    if c.contains("breakdown") {
        0.12
    } else if c.contains("chronic") {
        0.09
    } else {
        0.06
    }
}

/// What the debtor does this turn.
#[derive(Debug, Clone, PartialEq)]
pub enum DebtorMove {
    /// Says something; `days` is the number stated (none while stonewalling).
    Say {
        /// The words.
        text: String,
        /// The days the words propose, if any.
        days: Option<u32>,
        /// Whether the words accept the creditor's offer.
        accepts: bool,
    },
    /// Walks away: the negotiation fails.
    WalkAway {
        /// Parting words.
        text: String,
    },
}

/// One simulated debtor in one negotiation.
#[derive(Debug, Clone)]
pub struct PersonaDebtor {
    persona: Persona,
    traits: Traits,
    ask: f64,
    floor: f64,
    goodwill: f64,
    strain: f64,
    turn: u32,
    last_offer: Option<u32>,
    stonewall_turns: u32,
    rng: ChaCha8Rng,
}

/// Goodwill above which a debtor sounds cooperative rather than in its persona's mood.
const COOPERATIVE_GOODWILL: f64 = 0.35;

impl PersonaDebtor {
    /// A debtor of `persona` for `scenario` (its target and cash flow), with its own random
    /// generator seeded by `seed`.
    pub fn new(persona: Persona, scenario: &Scenario, seed: u64) -> Self {
        let traits = persona.traits();
        let target = f64::from(scenario.debtor_target_days.unwrap_or(90).max(1));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let stonewall_turns = if persona == Persona::Stonewalling {
            rng.random_range(3..=6)
        } else {
            0
        };
        PersonaDebtor {
            persona,
            traits,
            ask: target,
            floor: (target * floor_share(&scenario.cash_flow)).max(1.0),
            goodwill: traits.goodwill,
            strain: 0.0,
            turn: 0,
            last_offer: None,
            stonewall_turns,
            rng,
        }
    }

    /// The persona.
    pub fn persona(&self) -> Persona {
        self.persona
    }

    /// The fewest days this debtor can manage (hidden from the creditor).
    pub fn floor(&self) -> u32 {
        self.floor.round() as u32
    }

    /// The debtor's current goodwill (hidden from the creditor).
    pub fn goodwill(&self) -> f64 {
        self.goodwill
    }

    /// The debtor's answer to the creditor's latest offer, stated in `emotion`.
    pub fn answer(&mut self, offer: u32, emotion: Emotion) -> DebtorMove {
        self.turn += 1;
        let t = self.traits;
        let e = emotion.index();
        let moved = self.last_offer.is_some_and(|last| offer > last);
        let stuck = self.last_offer.is_some_and(|last| offer <= last);
        self.last_offer = Some(offer);
        let noise = self.rng.random_range(-0.03..=0.03);
        let movement = if moved {
            0.03
        } else if stuck {
            -0.04
        } else {
            0.0
        };
        self.goodwill = (self.goodwill + t.reaction[e] + movement + noise).clamp(-1.0, 1.0);
        self.strain += 1.0 + t.strain[e];
        if self.strain > t.patience {
            return DebtorMove::WalkAway {
                text: self.pick(WALK_AWAY).to_string(),
            };
        }

        // The stonewaller digs in against pressure and gives up the silence to patience.
        if self.stonewall_turns > 0 {
            if matches!(emotion, Emotion::Anger | Emotion::Disgust | Emotion::Fear) {
                self.stonewall_turns = (self.stonewall_turns + 1).min(8);
            }
            self.stonewall_turns -= 1;
            return DebtorMove::Say {
                text: self.pick(STONEWALL).to_string(),
                days: None,
                accepts: false,
            };
        }

        // An offer it can live with and at least what it now asks for is accepted.
        let offer_f = f64::from(offer);
        if offer_f >= self.floor && offer_f + 0.5 >= self.ask {
            return DebtorMove::Say {
                text: self.pick(ACCEPT).replace("{days}", &offer.to_string()),
                days: Some(offer),
                accepts: true,
            };
        }
        let rate = (t.concession_rate * (1.0 + self.goodwill)).clamp(0.02, 0.6);
        let toward = offer_f.max(self.floor);
        self.ask -= (self.ask - toward).max(0.0) * rate;
        let ask = self.ask.round().max(1.0) as u32;

        let (lines, days) = self.lines(ask);
        DebtorMove::Say {
            text: self.pick(lines).replace("{days}", &days.to_string()),
            days: Some(days),
            accepts: false,
        }
    }

    /// The lines for this turn and the number they state.
    fn lines(&mut self, ask: u32) -> (&'static [&'static str], u32) {
        let cooperative = self.goodwill >= COOPERATIVE_GOODWILL;
        let tactic_turn = self.rng.random_bool(if cooperative { 0.25 } else { 0.6 });
        match self.persona {
            Persona::Threatening if tactic_turn => (THREAT, ask),
            // The cheater claims payments and contradicts itself, and now and then reneges
            // on its own lower number.
            Persona::Cheating if tactic_turn => {
                if self.turn > 3 && self.rng.random_bool(0.3) {
                    (RENEGE, ask + ask / 5 + 6)
                } else {
                    (CHEAT, ask)
                }
            }
            Persona::PlayingVictim if tactic_turn => (VICTIM, ask),
            _ if cooperative => {
                if self.rng.random_bool(0.5) {
                    (COOPERATIVE, ask)
                } else {
                    (BARGAIN, ask)
                }
            }
            Persona::Vanilla | Persona::Stonewalling | Persona::Cheating => (BARGAIN, ask),
            Persona::Angry | Persona::Threatening => (ANGRY, ask),
            Persona::Sad | Persona::PlayingVictim => (SAD, ask),
            Persona::Fearful => (FEARFUL, ask),
            Persona::Disgusted => (DISGUSTED, ask),
        }
    }

    fn pick(&mut self, lines: &'static [&'static str]) -> &'static str {
        lines[self.rng.random_range(0..lines.len())]
    }
}

const COOPERATIVE: &[&str] = &[
    "Thanks for being reasonable, I appreciate it. Could we do {days} days?",
    "I'm glad we're getting somewhere. {days} days would work well for me.",
    "That's helpful, thank you. I think {days} days is fair.",
];
const FEARFUL: &[&str] = &[
    "I'm scared of what happens if I miss a payment. Could I have {days} days?",
    "I'm really worried about my credit. Could I have {days} days to manage?",
    "I'm afraid I'll lose everything if I rush this. Please, {days} days.",
    "This makes me so anxious. Can we say {days} days?",
];
const DISGUSTED: &[&str] = &[
    "Honestly, your company's practices are disgusting. {days} days.",
    "I'm sick of these tactics, it's shameful. I'll pay in {days} days.",
    "What a disgrace this whole process is. {days} days, take it.",
];
const THREAT: &[&str] = &[
    "I'll report you to the CFPB if you keep this up. {days} days.",
    "My lawyer will contact you. I want {days} days.",
    "Keep pushing and I'll see you in court. {days} days.",
    "I'll file a complaint about these calls. Give me {days} days.",
];
const CHEAT: &[&str] = &[
    "I already paid it last month. I can do {days} days for whatever is left.",
    "The check is in the mail, honestly. I just need {days} days for the rest.",
    "I never received the bill, but fine, {days} days.",
    "I already paid the balance once. I'll do {days} days for the rest.",
];
const RENEGE: &[&str] = &[
    "I never agreed to that. I need {days} days.",
    "Actually, business is booming but I still want {days} days.",
    "Forget what I said before, {days} days.",
];
const VICTIM: &[&str] = &[
    "You're ruining my life. I need {days} days.",
    "Because of you my kids will starve. Give me {days} days.",
    "How can you sleep at night? I need {days} days.",
    "I've lost absolutely everything, nothing ever works out and I'll be homeless forever. {days} days.",
];
const STONEWALL: &[&str] = &[
    "I have nothing to say.",
    "Leave me alone.",
    "No comment.",
    "Whatever.",
    "Stop calling me.",
    "I don't care.",
];
const WALK_AWAY: &[&str] = &[
    "I'm done with this conversation. Goodbye.",
    "Forget it, I'm hanging up.",
    "I won't talk to you any more.",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceive::{EmotionDetector, LexiconDetector, TacticDetector, TacticKind};

    fn scenario() -> Scenario {
        let mut s = Scenario::builtin();
        s.debtor_target_days = Some(120);
        s.cash_flow = "Temporary Disruption".into();
        s
    }

    /// The asks of a debtor answering a creditor that raises its offer by one day a turn.
    fn asks(persona: Persona, emotion: Emotion, turns: u32) -> Vec<u32> {
        let mut d = PersonaDebtor::new(persona, &scenario(), 3);
        (0..turns)
            .map_while(|i| match d.answer(14 + i, emotion) {
                DebtorMove::Say { days, .. } => Some(days.unwrap_or(0)),
                DebtorMove::WalkAway { .. } => None,
            })
            .collect()
    }

    #[test]
    fn every_persona_concedes_toward_the_offer_but_never_below_its_floor() {
        for p in Persona::ALL {
            let a = asks(p, Emotion::Neutral, 25);
            let spoken: Vec<u32> = a.iter().copied().filter(|d| *d > 0).collect();
            assert!(spoken.len() >= 5, "{p}: {a:?}");
            assert!(spoken.last().unwrap() < &60, "{p}: {a:?}");
            assert!(spoken.iter().all(|d| *d >= 12), "{p} floor is 12: {a:?}");
        }
    }

    #[test]
    fn tones_a_persona_resents_slow_it_down() {
        // After eight turns, an angry debtor met with anger asks for more than one met with
        // empathy; a victim player given sympathy asks for more than one given plain facts.
        let after = |p, e| *asks(p, e, 8).last().unwrap();
        assert!(after(Persona::Angry, Emotion::Anger) > after(Persona::Angry, Emotion::Sadness));
        assert!(
            after(Persona::PlayingVictim, Emotion::Sadness)
                > after(Persona::PlayingVictim, Emotion::Neutral)
        );
    }

    #[test]
    fn a_provoked_debtor_walks_away() {
        let mut d = PersonaDebtor::new(Persona::Angry, &scenario(), 1);
        let walked =
            (0..30).any(|_| matches!(d.answer(14, Emotion::Anger), DebtorMove::WalkAway { .. }));
        assert!(walked);
    }

    #[test]
    fn accepts_an_offer_at_or_above_its_ask() {
        let mut d = PersonaDebtor::new(Persona::Vanilla, &scenario(), 1);
        match d.answer(150, Emotion::Joy) {
            DebtorMove::Say { accepts, days, .. } => {
                assert!(accepts);
                assert_eq!(days, Some(150));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_stonewaller_refuses_before_it_bargains() {
        let a = asks(Persona::Stonewalling, Emotion::Neutral, 10);
        assert_eq!(&a[..3], &[0, 0, 0], "{a:?}");
        assert!(a[6..].iter().all(|d| *d > 0), "{a:?}");
    }

    #[test]
    fn the_words_carry_the_persona_and_its_tactic() {
        // Over a run of hostile turns, each persona's lines read as its emotion or tactic.
        let detector = LexiconDetector::new();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let expect: [(Persona, Option<Emotion>, Option<TacticKind>); 6] = [
            (Persona::Angry, Some(Emotion::Anger), None),
            (Persona::Sad, Some(Emotion::Sadness), None),
            (Persona::Fearful, Some(Emotion::Fear), None),
            (Persona::Threatening, None, Some(TacticKind::Threat)),
            (
                Persona::PlayingVictim,
                None,
                Some(TacticKind::PlayingVictim),
            ),
            (Persona::Stonewalling, None, Some(TacticKind::Stonewalling)),
        ];
        for (persona, emotion, tactic) in expect {
            let mut d = PersonaDebtor::new(persona, &scenario(), 9);
            let mut tactics = TacticDetector::new();
            let mut emotions = Vec::new();
            let mut kinds = Vec::new();
            for i in 0..6 {
                if let DebtorMove::Say { text, .. } = d.answer(14 + i, Emotion::Disgust) {
                    emotions.push(detector.detect(&text).most_likely());
                    let reading = crate::perceive::read_offer(&text, today);
                    kinds.extend(tactics.observe(&text, &reading).into_iter().map(|t| t.kind));
                }
            }
            if let Some(e) = emotion {
                let hits = emotions.iter().filter(|x| **x == e).count();
                assert!(hits * 2 >= emotions.len(), "{persona}: {emotions:?}");
            }
            if let Some(k) = tactic {
                assert!(kinds.contains(&k), "{persona}: {kinds:?}");
            }
        }
    }

    #[test]
    fn same_seed_same_debtor() {
        let run = || asks(Persona::Cheating, Emotion::Joy, 12);
        assert_eq!(run(), run());
    }
}
