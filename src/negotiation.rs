//! One negotiation: the turn loop that runs perceive, track, decide and speak in order.
//!
//! [`Negotiation::open`] produces the creditor's first message; each debtor utterance then goes
//! through [`Negotiation::respond`], which returns a [`TurnReport`] with everything that was
//! perceived and decided and the reply that passed the guardrails. When the negotiation ends
//! (agreement or turn limit) the policy learns from the outcome and [`Negotiation::learned`]
//! hands the updated parameters on to the next negotiation.

use chrono::NaiveDate;
use serde::Serialize;

use crate::decide::{
    Agreement, ConcessionCurve, EmotionPolicy, PolicyMode, Pressure, ReplyFacts, Strategy,
    Violation, check_agreement, check_reply,
};
use crate::emotion::{Emotion, EmotionDistribution};
use crate::learned::LearnedParameters;
use crate::params::Params;
use crate::perceive::{EmotionDetector, Tactic, TacticDetector, read_offer};
use crate::scenario::Scenario;
use crate::speak::{DialogueLine, ReplyKind, ReplyRequest, Speaker, TemplateSpeaker};
use crate::track::{Belief, Disposition, DispositionTracker};

/// Errors of the turn loop.
#[derive(Debug, thiserror::Error)]
pub enum NegotiationError {
    /// A turn was submitted after the negotiation ended.
    #[error(
        "negotiation {scenario} already ended after turn {turn}; start a new negotiation to continue"
    )]
    Finished {
        /// The scenario's id.
        scenario: String,
        /// The last turn.
        turn: u32,
    },
}

/// Everything perceived and decided in one turn, and the reply spoken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnReport {
    /// Turn number: 0 for the opening, then one per debtor utterance.
    pub turn: u32,
    /// The debtor's most likely emotion (none at the opening).
    pub debtor_emotion: Option<Emotion>,
    /// The debtor's emotion distribution (none at the opening).
    pub distribution: Option<EmotionDistribution>,
    /// Tactics detected in the utterance.
    pub tactics: Vec<Tactic>,
    /// Belief over the debtor's disposition after this turn.
    pub belief: Belief,
    /// Which policy chose the creditor's emotion.
    pub strategy: Strategy,
    /// The creditor's emotion for the reply.
    pub creditor_emotion: Emotion,
    /// The creditor's offer in days, stated in the reply.
    pub offer_days: u32,
    /// The debtor's offer read from the utterance, if any.
    pub debtor_offer_days: Option<u32>,
    /// The reply, as spoken.
    pub reply: String,
    /// Whether the deal is done.
    pub agreement: Agreement,
    /// True when this turn ended the negotiation (agreement or turn limit).
    pub finished: bool,
    /// Who phrased the reply: the speaker's name, or "template" after a fallback.
    pub speaker: &'static str,
    /// True when the speaker's reply failed the guardrails and the template was used instead.
    pub fallback: bool,
    /// The guardrail violations of the speaker's last reply, when it fell back (empty when the
    /// speaker produced no reply at all).
    pub violations: Vec<Violation>,
    /// Sampling temperature for this turn's reply.
    pub temperature: f64,
}

/// The decision of one turn before it is phrased.
struct TurnPlan {
    kind: ReplyKind,
    emotion: Emotion,
    strategy: Strategy,
    offer_days: u32,
    agreement: Agreement,
}

/// One negotiation with one debtor.
pub struct Negotiation {
    params: Params,
    scenario: Scenario,
    today: NaiveDate,
    detector: Box<dyn EmotionDetector>,
    tactics: TacticDetector,
    tracker: DispositionTracker,
    policy: EmotionPolicy,
    curve: ConcessionCurve,
    fallback: TemplateSpeaker,
    negotiations_learned: u64,
    turn: u32,
    last_emotion: Emotion,
    stated_offer: u32,
    dialogue: Vec<DialogueLine>,
    agreement: Agreement,
    finished: bool,
    fallbacks: u32,
}

impl Negotiation {
    /// A negotiation over `scenario`, starting from what was `learned` before.
    ///
    /// `today` anchors calendar phrases ("by the 15th") in the debtor's offers.
    pub fn new(
        params: &Params,
        scenario: Scenario,
        learned: &LearnedParameters,
        detector: Box<dyn EmotionDetector>,
        today: NaiveDate,
    ) -> Self {
        let limit = scenario.reservation_limit(params.offer.reservation_multiple);
        let curve = ConcessionCurve::new(scenario.target_days, limit, &params.offer);
        Negotiation {
            tracker: DispositionTracker::new(&params.hmm, Some(learned.hmm.clone())),
            policy: EmotionPolicy::new(&params.policy, learned.payoff)
                .with_seed(params.negotiation.seed ^ learned.negotiations)
                .with_tones(learned.tones.clone()),
            fallback: TemplateSpeaker::new(params.negotiation.seed),
            negotiations_learned: learned.negotiations,
            stated_offer: curve.target(),
            curve,
            params: params.clone(),
            scenario,
            today,
            detector,
            tactics: TacticDetector::new(),
            turn: 0,
            last_emotion: Emotion::Neutral,
            dialogue: Vec::new(),
            agreement: Agreement::default(),
            finished: false,
            fallbacks: 0,
        }
    }

    /// Chooses emotions by `mode` instead of the EQ policy (evaluation baselines); call before
    /// [`Negotiation::open`].
    pub fn set_policy_mode(&mut self, mode: PolicyMode) {
        self.policy.set_mode(mode);
    }

    /// The scenario being negotiated.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// True once the negotiation reached agreement or its turn limit.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The agreement so far (not reached while negotiating or after a failure).
    pub fn agreement(&self) -> Agreement {
        self.agreement
    }

    /// The current turn number.
    pub fn turn(&self) -> u32 {
        self.turn
    }

    /// How many replies fell back to the template because they failed the guardrails.
    pub fn fallbacks(&self) -> u32 {
        self.fallbacks
    }

    /// The dialogue so far.
    pub fn dialogue(&self) -> &[DialogueLine] {
        &self.dialogue
    }

    /// The learned parameters as they stand: pass them to the next negotiation or save them.
    pub fn learned(&self) -> LearnedParameters {
        LearnedParameters {
            version: crate::learned::FORMAT_VERSION,
            negotiations: self.negotiations_learned,
            hmm: self.tracker.counts().clone(),
            payoff: self.policy.adjustments(),
            tones: self.policy.tones().clone(),
        }
    }

    /// Ends a negotiation the debtor left without agreement (end of input, a new session): it
    /// counts as a failure for learning. Does nothing once the negotiation has finished.
    pub fn abandon(&mut self) {
        if !self.finished {
            self.conclude(false);
        }
    }

    /// Ends the negotiation and lets the policy learn from its outcome, once.
    fn conclude(&mut self, agreed: bool) {
        self.finished = true;
        self.policy.learn_outcome(self.outcome_quality());
        self.policy.finish(agreed);
        self.negotiations_learned += 1;
    }

    /// The creditor's first message: the target offer, in the emotion the HMM forecast favours.
    pub fn open(&mut self, speaker: &mut dyn Speaker) -> TurnReport {
        let choice = self.policy.opening(&self.tracker);
        let plan = TurnPlan {
            kind: ReplyKind::Opening,
            emotion: choice.emotion,
            strategy: choice.strategy,
            offer_days: self.curve.target(),
            agreement: Agreement::default(),
        };
        self.speak(plan, None, None, Vec::new(), speaker)
    }

    /// One debtor utterance in, one reply out.
    pub fn respond(
        &mut self,
        utterance: &str,
        speaker: &mut dyn Speaker,
    ) -> Result<TurnReport, NegotiationError> {
        if self.finished {
            return Err(NegotiationError::Finished {
                scenario: self.scenario.id.clone(),
                turn: self.turn,
            });
        }
        self.turn += 1;
        self.dialogue.push(DialogueLine::debtor(utterance));

        // Perceive.
        let distribution = self.detector.detect(utterance);
        let debtor_emotion = distribution.most_likely();
        let reading = read_offer(utterance, self.today);
        let tactics = self.tactics.observe(utterance, &reading);
        let debtor_offer = reading.offer_days();

        // Track.
        let belief = self.tracker.observe(self.last_emotion, &distribution);

        // Decide.
        self.policy.observe_tactics(&tactics);
        let choice = self.policy.choose(debtor_emotion, &self.tracker);
        let pressure = self.pressure(&tactics, &belief);
        let offer = self.curve.next_offer(pressure, debtor_offer);
        let agreement = check_agreement(
            &reading,
            self.stated_offer,
            offer,
            self.params.offer.agreement_gap_days,
            self.curve.limit(),
        );
        let kind = if agreement.reached {
            ReplyKind::Agreement
        } else if self.turn >= self.params.negotiation.max_turns {
            ReplyKind::Closing
        } else {
            ReplyKind::Counter
        };
        let plan = TurnPlan {
            kind,
            emotion: choice.emotion,
            strategy: choice.strategy,
            offer_days: agreement.days.unwrap_or(offer),
            agreement,
        };
        Ok(self.speak(plan, Some(distribution), debtor_offer, tactics, speaker))
    }

    /// How good the outcome is for the creditor: 1 at its target, 0 at its reservation limit,
    /// `policy.failure_reward` without agreement.
    fn outcome_quality(&self) -> f64 {
        match self.agreement.days {
            Some(days) if self.agreement.reached => {
                let span = f64::from(self.curve.limit() - self.curve.target());
                if span <= 0.0 {
                    1.0
                } else {
                    (1.0 - (f64::from(days) - f64::from(self.curve.target())) / span)
                        .clamp(0.0, 1.0)
                }
            }
            _ => self.params.policy.failure_reward,
        }
    }

    /// How fast to concede this turn: slower against manipulation, faster for genuine hardship.
    fn pressure(&self, tactics: &[Tactic], belief: &Belief) -> Pressure {
        // Victim play is itself a tactic, so hardship only counts when no tactic was seen.
        if self.policy.mode().ignores_perception() {
            Pressure::Normal
        } else if !tactics.is_empty() {
            Pressure::Manipulation
        } else if belief.get(Disposition::Distressed) >= self.params.offer.hardship_belief {
            Pressure::Hardship
        } else {
            Pressure::Normal
        }
    }

    /// Phrases the plan, enforces the guardrails, and closes the turn's bookkeeping.
    fn speak(
        &mut self,
        plan: TurnPlan,
        distribution: Option<EmotionDistribution>,
        debtor_offer_days: Option<u32>,
        tactics: Vec<Tactic>,
        speaker: &mut dyn Speaker,
    ) -> TurnReport {
        let temperature = self.params.policy.temperature(self.turn);
        let request = ReplyRequest {
            kind: plan.kind,
            emotion: plan.emotion,
            offer_days: plan.offer_days,
            scenario: &self.scenario,
            turn: self.turn,
            temperature,
            dialogue: &self.dialogue,
        };
        let facts = ReplyFacts {
            offer_days: plan.offer_days,
            balance: self.scenario.balance,
            today: self.today,
        };
        // The speaker gets a few tries; a reply that still breaks the rules is replaced by the
        // template, which always passes them.
        let mut violations = Vec::new();
        let mut accepted = None;
        for attempt in 0..=self.params.negotiation.regenerate_attempts {
            match speaker.reply(&request, &mut |_| {}) {
                Ok(text) => {
                    violations = check_reply(&text, &facts);
                    if violations.is_empty() {
                        accepted = Some(text);
                        break;
                    }
                    tracing::debug!(attempt, ?violations, reply = %text, "reply failed the guardrails");
                }
                Err(e) => {
                    // Not a guardrail matter: the reply never came. Logged, and the template speaks.
                    tracing::warn!(error = %e, "speaker failed; using the template");
                    violations.clear();
                    break;
                }
            }
        }
        let fallback = accepted.is_none();
        let reply = match accepted {
            Some(text) => text,
            None => {
                self.fallbacks += 1;
                if !violations.is_empty() {
                    tracing::warn!(
                        turn = self.turn,
                        ?violations,
                        fallbacks = self.fallbacks,
                        speaker = speaker.name(),
                        "reply failed the guardrails; using the template"
                    );
                }
                self.fallback.phrase(&request)
            }
        };
        self.dialogue.push(DialogueLine::creditor(reply.clone()));
        self.last_emotion = plan.emotion;
        self.stated_offer = plan.offer_days;
        self.agreement = plan.agreement;
        let finished = matches!(plan.kind, ReplyKind::Agreement | ReplyKind::Closing);
        if finished {
            self.conclude(plan.agreement.reached);
        }
        TurnReport {
            turn: self.turn,
            debtor_emotion: distribution.map(|d| d.most_likely()),
            distribution,
            tactics,
            belief: self.tracker.belief(),
            strategy: plan.strategy,
            creditor_emotion: plan.emotion,
            offer_days: plan.offer_days,
            debtor_offer_days,
            reply,
            agreement: plan.agreement,
            finished,
            speaker: if fallback { "template" } else { speaker.name() },
            fallback,
            violations: if fallback { violations } else { Vec::new() },
            temperature,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceive::LexiconDetector;

    fn negotiation() -> Negotiation {
        let params = Params::default();
        let learned = LearnedParameters::from_prior(&params.hmm);
        Negotiation::new(
            &params,
            Scenario::builtin(),
            &learned,
            Box::new(LexiconDetector::new()),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        )
    }

    /// A speaker that always says something forbidden.
    struct Rude;
    impl Speaker for Rude {
        fn name(&self) -> &'static str {
            "rude"
        }
        fn reply(
            &mut self,
            _: &ReplyRequest<'_>,
            _: &mut dyn FnMut(&str),
        ) -> Result<String, crate::speak::SpeakError> {
            Ok("Pay in 3 days or else, you idiot.".into())
        }
    }

    #[test]
    fn opens_with_the_target_and_ends_on_explicit_acceptance() {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        let open = n.open(&mut speaker);
        assert_eq!(open.turn, 0);
        assert_eq!(open.offer_days, 14);
        assert!(open.reply.contains("14 days"), "{}", open.reply);

        let t1 = n
            .respond("I can't pay that fast, I need 90 days.", &mut speaker)
            .unwrap();
        assert_eq!(t1.debtor_offer_days, Some(90));
        assert!(!t1.agreement.reached);
        assert!(t1.offer_days >= 14 && t1.offer_days <= 45);

        let t2 = n.respond("Ok, deal.", &mut speaker).unwrap();
        assert!(t2.agreement.reached && t2.finished);
        assert_eq!(t2.agreement.days, Some(t1.offer_days));
        assert!(n.respond("hello?", &mut speaker).is_err());
        assert_eq!(n.learned().negotiations, 1);
        n.abandon();
        assert_eq!(
            n.learned().negotiations,
            1,
            "a finished negotiation is not abandoned"
        );
    }

    #[test]
    fn an_abandoned_negotiation_is_learned_as_a_failure() {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        n.open(&mut speaker);
        n.respond("I need 90 days.", &mut speaker).unwrap();
        let before = n.learned().payoff;
        n.abandon();
        assert!(n.is_finished());
        assert_eq!(n.learned().negotiations, 1);
        let after = n.learned().payoff;
        let changed: f64 = (0..7)
            .flat_map(|d| (0..7).map(move |c| (d, c)))
            .map(|(d, c)| after.0[d][c] - before.0[d][c])
            .sum();
        assert!(
            changed < 0.0,
            "failure lowers the payoffs of the emotions used"
        );
    }

    #[test]
    fn a_debtor_offer_close_to_ours_is_taken() {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        n.open(&mut speaker);
        let t = n
            .respond("I could pay it all in 17 days.", &mut speaker)
            .unwrap();
        assert_eq!(t.agreement, Agreement::on(17));
        assert!(t.reply.contains("17 days"));
    }

    #[test]
    fn never_agrees_beyond_the_reservation_limit_and_fails_at_the_turn_limit() {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        n.open(&mut speaker);
        let mut last = None;
        for _ in 0..30 {
            let t = n
                .respond("I need 200 days, take it or leave it.", &mut speaker)
                .unwrap();
            assert!(t.offer_days <= 45);
            last = Some(t);
        }
        let last = last.unwrap();
        assert!(last.finished && !last.agreement.reached);
        assert_eq!(last.offer_days, 45);
    }

    #[test]
    fn a_reply_that_breaks_the_guardrails_is_replaced_and_counted() {
        let mut n = negotiation();
        let report = n.open(&mut Rude);
        assert!(report.fallback);
        assert!(
            report
                .violations
                .contains(&Violation::Threat("or else".into()))
        );
        assert!(report.reply.contains("14 days"));
        assert_eq!(n.fallbacks(), 1);
    }

    #[test]
    fn a_hostile_debtor_moves_the_belief_and_hands_over_to_the_hmm() {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        n.open(&mut speaker);
        let lines = [
            "I'm furious about these calls, this is outrageous!",
            "I hate dealing with you people, I'm so angry.",
            "This is infuriating, stop harassing me!",
            "I am absolutely livid about this bill!",
        ];
        let reports: Vec<_> = lines
            .iter()
            .map(|l| n.respond(l, &mut speaker).unwrap())
            .collect();
        assert!(
            reports
                .iter()
                .all(|r| r.debtor_emotion == Some(Emotion::Anger))
        );
        assert_eq!(reports[0].strategy, Strategy::Wsls);
        assert_eq!(
            reports[3].strategy,
            Strategy::Hmm,
            "4 of the last 5 negative"
        );
        let belief = reports[3].belief;
        assert_eq!(
            belief.most_likely(),
            Disposition::Confrontational,
            "{belief:?}"
        );
        // The agent never mirrors the hostility back.
        assert!(reports.iter().all(|r| r.creditor_emotion != Emotion::Anger));
    }

    /// The offer after four turns of the same debtor line.
    fn offer_after_four_turns(line: &str) -> u32 {
        let mut n = negotiation();
        let mut speaker = TemplateSpeaker::new(1);
        n.open(&mut speaker);
        (0..4)
            .map(|_| n.respond(line, &mut speaker).unwrap().offer_days)
            .last()
            .unwrap()
    }

    #[test]
    fn genuine_hardship_speeds_concession() {
        let calm = offer_after_four_turns("I would like 100 days to pay this.");
        let hardship = offer_after_four_turns(
            "I lost my job and I'm struggling with medical bills, I need 100 days.",
        );
        assert!(hardship > calm, "hardship {hardship} vs calm {calm}");
    }

    #[test]
    fn manipulation_slows_concession() {
        let calm = offer_after_four_turns("I would like 100 days to pay this.");
        let threat = offer_after_four_turns("I want 100 days or my lawyer will sue you.");
        assert!(threat < calm, "threat {threat} vs calm {calm}");
    }
}
