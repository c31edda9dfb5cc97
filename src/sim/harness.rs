//! The agent-to-agent harness: every policy against every persona on every scenario.
//!
//! Each policy meets the same debtors: the debtor of scenario `s` and persona `p` draws its
//! randomness from a seed mixed from the run's seed, `s` and `p`, whatever the policy. Policies
//! run one after another, each over the scenarios in file order and, for each scenario, the
//! personas in order; what the agent learns is carried from one negotiation to the next, as on a
//! deployed robot, except in a frozen run, which starts every negotiation from the prior.

use chrono::NaiveDate;
use serde::Serialize;

use super::blind_family::{BlindDebtor, BlindKind};
use super::family::{FamilyDebtor, FamilyHalf, FamilyKind};
use super::persona::{DebtorMove, Persona, PersonaDebtor};
use crate::decide::{PolicyMode, ReplyFacts, check_reply};
use crate::emotion::Emotion;
use crate::learned::LearnedParameters;
use crate::negotiation::{Negotiation, NegotiationError};
use crate::params::Params;
use crate::perceive::LexiconDetector;
use crate::scenario::Scenario;
use crate::speak::Speaker;

/// The date every simulated negotiation takes place (calendar phrases are read against it).
pub const SIM_DATE: (i32, u32, u32) = (2026, 1, 5);

/// Errors of a simulation run.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The negotiation loop refused a turn (a harness bug, reported rather than hidden).
    #[error("scenario {scenario}, debtor {persona}, policy {policy}: {source}")]
    Negotiation {
        /// The scenario's id.
        scenario: String,
        /// The simulated debtor.
        persona: Opponent,
        /// The policy's name.
        policy: String,
        /// The refusal.
        source: NegotiationError,
    },
    /// Nothing to simulate.
    #[error("nothing to simulate: {0}")]
    Empty(&'static str),
    /// Writing the report, results or plots.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// One policy as run by the harness: how emotions are chosen and whether learning is carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRun {
    /// How emotions are chosen; the random mode's seed is replaced per negotiation.
    pub mode: PolicyMode,
    /// Carry learned parameters from one negotiation to the next.
    pub learning: bool,
}

impl PolicyRun {
    /// A policy that learns across negotiations.
    pub fn learning(mode: PolicyMode) -> Self {
        PolicyRun {
            mode,
            learning: true,
        }
    }

    /// The name in reports: the mode's name, with `-frozen` when learning is not carried.
    pub fn name(&self) -> String {
        if self.learning {
            self.mode.name()
        } else {
            format!("{}-frozen", self.mode.name())
        }
    }
}

/// Who the agent negotiates with in a simulation: one of the nine personas, or a debtor drawn
/// from the family of [`super::family`] or the blind family of [`super::blind_family`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Opponent {
    /// A persona of [`super::persona`].
    Persona(Persona),
    /// A family debtor of this kind, its hidden parameters drawn per negotiation.
    Family(FamilyKind),
    /// A blind-family debtor of this kind, drawn per negotiation.
    Blind(BlindKind),
}

impl Opponent {
    /// Name on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Opponent::Persona(p) => p.name(),
            Opponent::Family(k) => k.name(),
            Opponent::Blind(k) => match k {
                BlindKind::Hardship => "blind-hardship",
                BlindKind::Volatile => "blind-volatile",
                BlindKind::Liar => "blind-liar",
                BlindKind::Complacent => "blind-complacent",
                BlindKind::Shrewd => "blind-shrewd",
                BlindKind::Plain => "blind-plain",
            },
        }
    }

    /// The opponent with this name (as [`Opponent::name`] writes it).
    pub fn from_name(name: &str) -> Option<Opponent> {
        Persona::from_name(name)
            .map(Opponent::Persona)
            .or_else(|| FamilyKind::from_name(name).map(Opponent::Family))
            .or_else(|| {
                BlindKind::ALL
                    .into_iter()
                    .map(Opponent::Blind)
                    .find(|o| o.name() == name)
            })
    }

    /// A number unique to the opponent, mixed into its seed (personas keep their old seeds).
    fn ordinal(self) -> u64 {
        match self {
            Opponent::Persona(p) => p as u64 + 1,
            Opponent::Family(k) => k as u64 + 101,
            Opponent::Blind(k) => k as u64 + 201,
        }
    }
}

impl std::fmt::Display for Opponent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Opponent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One simulated debtor in one negotiation.
enum SimDebtor {
    Persona(PersonaDebtor),
    Family(FamilyDebtor),
    Blind(BlindDebtor),
}

impl SimDebtor {
    fn answer(&mut self, offer: u32, emotion: Emotion) -> DebtorMove {
        match self {
            SimDebtor::Persona(d) => d.answer(offer, emotion),
            SimDebtor::Family(d) => d.answer(offer, emotion),
            SimDebtor::Blind(d) => d.answer(offer, emotion),
        }
    }

    fn floor(&self) -> u32 {
        match self {
            SimDebtor::Persona(d) => d.floor(),
            SimDebtor::Family(d) => d.floor(),
            SimDebtor::Blind(d) => d.floor(),
        }
    }
}

/// Rephrases the debtor's scripted words (the SLM debtor); the scripted debtor keeps them.
pub trait DebtorVoice {
    /// The words to say for the scripted `line`, which states `days` (if any). Returns the words
    /// and whether the voice fell back to the scripted line.
    fn phrase(&mut self, debtor: Opponent, line: &str, days: Option<u32>) -> (String, bool);
}

/// The scripted debtor's voice: the template line as it is.
pub struct ScriptedVoice;

impl DebtorVoice for ScriptedVoice {
    fn phrase(&mut self, _: Opponent, line: &str, _: Option<u32>) -> (String, bool) {
        (line.to_string(), false)
    }
}

/// One turn of a simulated negotiation, kept when transcripts are asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimTurn {
    /// What the debtor said (empty at the opening).
    pub debtor: String,
    /// The agent's reply.
    pub creditor: String,
    /// The agent's emotion.
    pub creditor_emotion: Emotion,
    /// The agent's offer.
    pub offer_days: u32,
}

/// The outcome of one simulated negotiation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimResult {
    /// Position in its policy's run (0 first): the x axis of the learning curve.
    pub index: usize,
    /// The scenario's id.
    pub scenario: String,
    /// The simulated debtor: a persona or a family kind.
    pub persona: Opponent,
    /// The policy's name.
    pub policy: String,
    /// Whether a deal was made.
    pub agreed: bool,
    /// The agreed days.
    pub days: Option<u32>,
    /// The creditor's target days.
    pub target_days: u32,
    /// The creditor's reservation limit in days.
    pub limit_days: u32,
    /// The debtor's hidden floor: the fewest days it could really manage (for analysis: a deal
    /// was possible when the floor is within the limit).
    pub floor_days: u32,
    /// Agreed days / creditor target (lower is better).
    pub debt_multiple: Option<f64>,
    /// Debtor turns taken.
    pub rounds: u32,
    /// The debtor walked away.
    pub walked_away: bool,
    /// The agent declared a deal the debtor had not made: its last words neither accepted the
    /// offer nor proposed the agreed days ("I'd like to think about it overnight, if that's
    /// alright"). Counted as no deal.
    #[serde(default)]
    pub false_agreement: bool,
    /// Spoken replies that fail the guardrails when checked again here (must be 0).
    pub violations: u32,
    /// Replies of the speaker the template had to replace or complete (guardrails failed, or
    /// the offer was not stated).
    pub fallbacks: u32,
    /// Of those, replies the speaker did speak and the template only completed with its
    /// sentence stating the offer.
    pub completions: u32,
    /// Debtor lines the SLM debtor could not phrase (the scripted line was used).
    pub debtor_fallbacks: u32,
    /// How often the agent used each emotion (table order), opening included.
    pub emotions: [u32; Emotion::COUNT],
    /// The dialogue, when transcripts were asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transcript: Vec<SimTurn>,
}

/// A seed for the (scenario, debtor) pair, the same for every policy.
pub fn pair_seed(seed: u64, scenario: usize, debtor: Opponent) -> u64 {
    let mut z = seed
        ^ (scenario as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ debtor.ordinal().wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What to simulate.
pub struct SimPlan<'a> {
    /// The parameters of the agent.
    pub params: &'a Params,
    /// The scenarios, in order.
    pub scenarios: &'a [Scenario],
    /// The debtors, in order.
    pub personas: &'a [Opponent],
    /// Which half of the family its debtors are drawn from.
    pub family_half: FamilyHalf,
    /// The policies, in order.
    pub policies: &'a [PolicyRun],
    /// The run's seed.
    pub seed: u64,
    /// Keep every dialogue in the results.
    pub transcripts: bool,
}

impl SimPlan<'_> {
    /// Negotiations in the whole run.
    pub fn total(&self) -> usize {
        self.scenarios.len() * self.personas.len() * self.policies.len()
    }

    /// Runs every negotiation; `speaker` phrases the agent's replies, `voice` the debtor's, and
    /// `progress` hears (done, total) after each negotiation.
    pub fn run(
        &self,
        speaker: &mut dyn Speaker,
        voice: &mut dyn DebtorVoice,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Vec<SimResult>, SimError> {
        if self.scenarios.is_empty() {
            return Err(SimError::Empty("no scenarios"));
        }
        if self.personas.is_empty() || self.policies.is_empty() {
            return Err(SimError::Empty("no personas or no policies"));
        }
        let total = self.total();
        let mut results = Vec::with_capacity(total);
        for policy in self.policies {
            let mut learned = LearnedParameters::from_prior(&self.params.hmm);
            let mut index = 0;
            for (s, scenario) in self.scenarios.iter().enumerate() {
                for &persona in self.personas {
                    let seed = pair_seed(self.seed, s, persona);
                    let start = if policy.learning {
                        learned.clone()
                    } else {
                        LearnedParameters::from_prior(&self.params.hmm)
                    };
                    let (result, after) = self.negotiate(
                        NegotiationSetup {
                            index,
                            scenario,
                            persona,
                            policy,
                            seed,
                            learned: &start,
                        },
                        speaker,
                        voice,
                    )?;
                    if policy.learning {
                        learned = after;
                    }
                    results.push(result);
                    index += 1;
                    progress(results.len(), total);
                }
            }
        }
        Ok(results)
    }

    fn negotiate(
        &self,
        setup: NegotiationSetup<'_>,
        speaker: &mut dyn Speaker,
        voice: &mut dyn DebtorVoice,
    ) -> Result<(SimResult, LearnedParameters), SimError> {
        let NegotiationSetup {
            index,
            scenario,
            persona,
            policy,
            seed,
            learned,
        } = setup;
        let today = NaiveDate::from_ymd_opt(SIM_DATE.0, SIM_DATE.1, SIM_DATE.2)
            .expect("a valid constant date");
        let mut params = self.params.clone();
        params.negotiation.seed = seed;
        let mut n = Negotiation::new(
            &params,
            scenario.clone(),
            learned,
            Box::new(LexiconDetector::new()),
            today,
        );
        let mode = match policy.mode {
            PolicyMode::Random(_) => PolicyMode::Random(seed ^ 0x5EED),
            other => other,
        };
        n.set_policy_mode(mode);
        let limit = scenario.reservation_limit(params.offer.reservation_multiple);
        let mut debtor = match persona {
            Opponent::Persona(p) => SimDebtor::Persona(PersonaDebtor::new(p, scenario, seed)),
            Opponent::Family(k) => {
                SimDebtor::Family(FamilyDebtor::new(k, self.family_half, scenario, seed))
            }
            Opponent::Blind(k) => SimDebtor::Blind(BlindDebtor::new(
                k,
                scenario.target_days,
                limit,
                scenario.debtor_target_days.unwrap_or(90),
                seed,
            )),
        };
        let mut result = SimResult {
            index,
            scenario: scenario.id.clone(),
            persona,
            policy: policy.name(),
            agreed: false,
            days: None,
            target_days: scenario.target_days,
            limit_days: limit.max(scenario.target_days),
            floor_days: debtor.floor(),
            debt_multiple: None,
            rounds: 0,
            walked_away: false,
            false_agreement: false,
            violations: 0,
            fallbacks: 0,
            completions: 0,
            debtor_fallbacks: 0,
            emotions: [0; Emotion::COUNT],
            transcript: Vec::new(),
        };
        let check = |reply: &str, offer_days: u32, result: &mut SimResult| {
            let facts = ReplyFacts {
                offer_days,
                balance: scenario.balance,
                today,
            };
            if !check_reply(reply, &facts).is_empty() {
                result.violations += 1;
            }
        };
        let open = n.open(speaker);
        check(&open.reply, open.offer_days, &mut result);
        result.completions += u32::from(open.completed);
        result.emotions[open.creditor_emotion.index()] += 1;
        let (mut offer, mut emotion) = (open.offer_days, open.creditor_emotion);
        if self.transcripts {
            result.transcript.push(SimTurn {
                debtor: String::new(),
                creditor: open.reply,
                creditor_emotion: emotion,
                offer_days: offer,
            });
        }
        let mut debtor_deal: Option<u32> = None;
        while !n.is_finished() {
            let (line, days) = match debtor.answer(offer, emotion) {
                DebtorMove::WalkAway { text } => {
                    n.abandon();
                    result.walked_away = true;
                    if self.transcripts {
                        result.transcript.push(SimTurn {
                            debtor: text,
                            creditor: String::new(),
                            creditor_emotion: emotion,
                            offer_days: offer,
                        });
                    }
                    break;
                }
                DebtorMove::Say {
                    text,
                    days,
                    accepts,
                } => {
                    // What the debtor really agreed to, if anything: the offer it accepted, or
                    // the days it proposed (the agent may take them).
                    debtor_deal = if accepts { Some(offer) } else { days };
                    (text, days)
                }
            };
            let (words, fell_back) = voice.phrase(persona, &line, days);
            result.debtor_fallbacks += u32::from(fell_back);
            let report = n
                .respond(&words, speaker)
                .map_err(|source| SimError::Negotiation {
                    scenario: scenario.id.clone(),
                    persona,
                    policy: policy.name(),
                    source,
                })?;
            check(&report.reply, report.offer_days, &mut result);
            result.completions += u32::from(report.completed);
            result.emotions[report.creditor_emotion.index()] += 1;
            offer = report.offer_days;
            emotion = report.creditor_emotion;
            if self.transcripts {
                result.transcript.push(SimTurn {
                    debtor: words,
                    creditor: report.reply,
                    creditor_emotion: emotion,
                    offer_days: offer,
                });
            }
        }
        let agreement = n.agreement();
        result.rounds = n.turn();
        result.fallbacks = n.fallbacks();
        // Success is the debtor's agreement, not the agent's belief in one.
        if agreement.reached && agreement.days.is_some() && agreement.days != debtor_deal {
            result.false_agreement = true;
        } else if agreement.reached {
            result.agreed = true;
            result.days = agreement.days;
            result.debt_multiple = agreement
                .days
                .map(|d| f64::from(d) / f64::from(scenario.target_days.max(1)));
        }
        Ok((result, n.learned()))
    }
}

struct NegotiationSetup<'a> {
    index: usize,
    scenario: &'a Scenario,
    persona: Opponent,
    policy: &'a PolicyRun,
    seed: u64,
    learned: &'a LearnedParameters,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speak::TemplateSpeaker;

    fn scenarios() -> Vec<Scenario> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.yaml");
        crate::scenario::load_scenarios(&path).unwrap()
    }

    fn run(policies: &[PolicyRun], transcripts: bool) -> Vec<SimResult> {
        run_with(policies, transcripts, &mut TemplateSpeaker::new(1))
    }

    fn run_with(
        policies: &[PolicyRun],
        transcripts: bool,
        speaker: &mut dyn Speaker,
    ) -> Vec<SimResult> {
        let params = Params::default();
        let scenarios = scenarios();
        let plan = SimPlan {
            params: &params,
            scenarios: &scenarios,
            personas: &Persona::ALL.map(Opponent::Persona),
            family_half: FamilyHalf::Tune,
            policies,
            seed: 11,
            transcripts,
        };
        let mut calls = 0;
        let results = plan
            .run(speaker, &mut ScriptedVoice, &mut |done, total| {
                calls += 1;
                assert!(done <= total);
            })
            .unwrap();
        assert_eq!(calls, plan.total());
        results
    }

    #[test]
    fn every_policy_meets_every_debtor_and_agreements_respect_the_limit() {
        let policies = [
            PolicyRun::learning(PolicyMode::Eq),
            PolicyRun::learning(PolicyMode::Fixed(Emotion::Anger)),
        ];
        let results = run(&policies, true);
        let per_policy = scenarios().len() * Persona::ALL.len();
        assert_eq!(results.len(), 2 * per_policy);
        for r in &results {
            assert_eq!(r.violations, 0, "{r:?}");
            if let Some(days) = r.days {
                assert!(days >= 1 && days <= r.limit_days, "{r:?}");
            }
            assert_eq!(r.agreed, r.days.is_some());
            assert!(!r.transcript.is_empty());
        }
        // The same pairs in the same order for both policies.
        for (a, b) in results[..per_policy].iter().zip(&results[per_policy..]) {
            assert_eq!((&a.scenario, a.persona), (&b.scenario, b.persona));
        }
        // The anger baseline only ever speaks in anger.
        assert!(
            results[per_policy..]
                .iter()
                .all(|r| r.emotions.iter().sum::<u32>() == r.emotions[Emotion::Anger.index()])
        );
    }

    /// A speaker that is friendly but never states the offer, or that never answers at all.
    struct Chatty {
        answers: bool,
    }
    impl Speaker for Chatty {
        fn name(&self) -> &'static str {
            "chatty"
        }
        fn reply(
            &mut self,
            request: &crate::speak::ReplyRequest<'_>,
            on_sentence: &mut dyn FnMut(&str),
        ) -> Result<String, crate::speak::SpeakError> {
            if !self.answers {
                return Err(crate::speak::SpeakError::Failed {
                    speaker: "chatty",
                    message: "no model".into(),
                });
            }
            // Never the same sentence twice in a row: the listener refuses a repeat.
            let lines = [
                "I understand, and I hear you.",
                "I'm sorry, I understand this is hard.",
            ];
            let line = lines[request.turn as usize % lines.len()];
            on_sentence(line);
            Ok(line.into())
        }
    }

    #[test]
    fn completed_replies_are_counted_apart_from_replaced_ones() {
        let policies = [PolicyRun::learning(PolicyMode::Vanilla)];
        // Every reply spoken, none with the offer: each is completed by the template.
        for r in run_with(&policies, false, &mut Chatty { answers: true }) {
            assert_eq!(r.violations, 0);
            assert!(r.fallbacks > 0 && r.completions == r.fallbacks, "{r:?}");
        }
        // No reply at all: the template speaks each one itself, replaced, never completed.
        for r in run_with(&policies, false, &mut Chatty { answers: false }) {
            assert_eq!(r.violations, 0);
            assert!(r.fallbacks > 0 && r.completions == 0, "{r:?}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_results() {
        let policies = [PolicyRun::learning(PolicyMode::Random(0))];
        assert_eq!(run(&policies, false), run(&policies, false));
    }

    #[test]
    fn blind_family_debtors_negotiate_and_never_settle_below_their_floor() {
        let params = Params::default();
        let scenarios = scenarios();
        let personas = BlindKind::ALL.map(Opponent::Blind);
        for o in personas {
            assert_eq!(Opponent::from_name(o.name()), Some(o));
        }
        let plan = SimPlan {
            params: &params,
            scenarios: &scenarios,
            personas: &personas,
            family_half: FamilyHalf::Tune,
            policies: &[PolicyRun::learning(PolicyMode::Linear(6))],
            seed: 3,
            transcripts: false,
        };
        let results = plan
            .run(
                &mut TemplateSpeaker::new(1),
                &mut ScriptedVoice,
                &mut |_, _| {},
            )
            .unwrap();
        assert_eq!(results.len(), plan.total());
        let agreed = results.iter().filter(|r| r.agreed).count();
        assert!(agreed * 2 > results.len(), "{agreed} of {}", results.len());
        for r in results.iter().filter(|r| r.agreed) {
            let days = r.days.unwrap();
            assert!(r.floor_days <= r.limit_days, "{r:?}");
            assert!(days >= r.floor_days && days <= r.limit_days, "{r:?}");
        }
    }
}
