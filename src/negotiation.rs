//! One negotiation: the turn loop that runs perceive, track, decide and speak in order.
//!
//! [`Negotiation::open`] produces the creditor's first message; each debtor utterance then goes
//! through [`Negotiation::respond`], which returns a [`TurnReport`] with everything that was
//! perceived and decided and the reply that passed the guardrails. When the negotiation ends
//! (agreement or turn limit) the policy learns from the outcome and [`Negotiation::learned`]
//! hands the updated parameters on to the next negotiation.
//!
//! [`Negotiation::snapshot`] captures the whole state after a turn as a serialisable
//! [`NegotiationSnapshot`]; [`Negotiation::resume`] continues from one exactly as the
//! uninterrupted negotiation would have (the record of [`crate::record`] keeps one per turn).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::decide::{
    Agreement, ConcessionCurve, DebtorRead, DebtorTurn, EmotionPolicy, PolicyMemory, PolicyMode,
    Pressure, ReplyFacts, Strategy, Violation, check_agreement, check_reply,
};
use crate::emotion::{Emotion, EmotionDistribution};
use crate::learned::LearnedParameters;
use crate::params::Params;
use crate::perceive::{EmotionDetector, Tactic, TacticDetector, read_offer, read_signals};
use crate::scenario::Scenario;
use crate::speak::sentences;
use crate::speak::{
    Defect, DialogueLine, Listener, ReplyKind, ReplyRequest, SpeakError, Speaker, TemplateSpeaker,
};
use crate::track::{Belief, Disposition, DispositionTracker, HmmCounts};

/// Version of [`NegotiationSnapshot`] this build writes and resumes from.
pub const SNAPSHOT_VERSION: u32 = 1;

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
    /// A snapshot that cannot be resumed (another version, or values out of range).
    #[error(
        "cannot resume negotiation {scenario} from its snapshot: {message} (start a new negotiation instead)"
    )]
    Snapshot {
        /// The scenario's id, as recorded.
        scenario: String,
        /// What is wrong.
        message: String,
    },
}

/// Everything a negotiation is after a turn, serialisable: [`Negotiation::resume`] continues from
/// it exactly as the uninterrupted negotiation would.
///
/// The parameters are not part of it (they come from the configuration at resume), nor is the
/// emotion detector (stateless) or the template speaker (its phrasing depends only on the seed
/// and the turn).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegotiationSnapshot {
    /// Snapshot format version ([`SNAPSHOT_VERSION`]).
    pub version: u32,
    /// The scenario being negotiated.
    pub scenario: Scenario,
    /// The date calendar phrases are read against, YYYY-MM-DD.
    pub today: String,
    /// The last turn completed (0 after the opening).
    pub turn: u32,
    /// The tracker's belief, in table order (Cooperative, Confrontational, Distressed,
    /// Strategic), exactly as held.
    pub belief: [f64; Disposition::COUNT],
    /// The HMM's counts, including what this negotiation has learned so far.
    pub counts: HmmCounts,
    /// The emotion policy's gate window, last emotion, emotions used and payoff adjustments.
    pub policy: PolicyMemory,
    /// How far along the concession curve the negotiation is, 0 to 1.
    pub curve_progress: f64,
    /// The curve's last offer in days.
    pub curve_last_offer: u32,
    /// What the offer pacing has read about the debtor (absent in records written before it).
    #[serde(default)]
    pub curve_read: DebtorRead,
    /// The offer the debtor last heard, in days.
    pub stated_offer: u32,
    /// The creditor's emotion in its last reply.
    pub last_emotion: Emotion,
    /// The tactic detector's memory of earlier claims and offers.
    pub tactics: TacticDetector,
    /// The dialogue so far.
    pub dialogue: Vec<DialogueLine>,
    /// The agreement so far.
    pub agreement: Agreement,
    /// True once the negotiation ended.
    pub finished: bool,
    /// Replies replaced by the template so far.
    pub fallbacks: u32,
    /// Negotiations learned from, this one included once it has ended.
    pub negotiations_learned: u64,
}

impl NegotiationSnapshot {
    /// The learned state held in the snapshot: after the opening, the state the negotiation
    /// started from; after its last turn, the state it ended with.
    pub fn learned(&self) -> LearnedParameters {
        LearnedParameters {
            version: crate::learned::FORMAT_VERSION,
            negotiations: self.negotiations_learned,
            hmm: self.counts.clone(),
            payoff: self.policy.adjustments,
            tones: self.policy.tones.clone(),
        }
    }
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
    /// Who phrased the reply: the speaker's name, or "template" when none of its sentences
    /// were used.
    pub speaker: &'static str,
    /// True when the template replaced the speaker's whole reply.
    pub fallback: bool,
    /// True when the speaker's sentences stood but lacked the offer, and the template added
    /// its offer sentence.
    pub completed: bool,
    /// Speaker attempts this reply took: 1 when its first try passed every check, 0 when it
    /// was not asked (interrupted before) or failed outright.
    pub attempts: u32,
    /// The guardrail violations of the speaker's last rejected sentence, when one was rejected.
    pub violations: Vec<Violation>,
    /// What the listener's check heard in the speaker's last rejected sentence, when one was
    /// rejected ([`crate::speak::listener`]).
    pub defects: Vec<Defect>,
    /// Sampling temperature for this turn's reply.
    pub temperature: f64,
    /// True when a newer utterance cut the reply short (barge-in): `reply` holds only the
    /// sentences spoken before the cut.
    pub interrupted: bool,
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
    latency: TurnLatency,
}

/// How long the latest turn took inside the negotiation, in milliseconds (to the microsecond):
/// measured, so never part of a [`TurnReport`] or a snapshot, which must repeat exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnLatency {
    /// From the utterance to the decision: perceive, track and decide.
    pub decide_ms: f64,
    /// From the utterance to the first sentence handed on for speech (0: none was).
    pub first_sentence_ms: f64,
    /// From the utterance to the end of the turn, the reply whole.
    pub turn_ms: f64,
}

/// Milliseconds since `start`, to the microsecond (short in a record line).
fn millis_since(start: std::time::Instant) -> f64 {
    (start.elapsed().as_secs_f64() * 1e6).round() / 1e3
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
            latency: TurnLatency::default(),
        }
    }

    /// The whole state after the latest turn, to record.
    pub fn snapshot(&self) -> NegotiationSnapshot {
        NegotiationSnapshot {
            version: SNAPSHOT_VERSION,
            scenario: self.scenario.clone(),
            today: self.today.format("%Y-%m-%d").to_string(),
            turn: self.turn,
            belief: *self.tracker.belief().as_array(),
            counts: self.tracker.counts().clone(),
            policy: self.policy.memory(),
            curve_progress: self.curve.progress(),
            curve_last_offer: self.curve.last_offer(),
            curve_read: self.curve.read().clone(),
            stated_offer: self.stated_offer,
            last_emotion: self.last_emotion,
            tactics: self.tactics.clone(),
            dialogue: self.dialogue.clone(),
            agreement: self.agreement,
            finished: self.finished,
            fallbacks: self.fallbacks,
            negotiations_learned: self.negotiations_learned,
        }
    }

    /// Continues a negotiation from a snapshot taken by [`Negotiation::snapshot`], with the
    /// given parameters and emotion detector. With the parameters of the original run, every
    /// later turn is exactly what the uninterrupted negotiation would have produced.
    ///
    /// Refuses a snapshot of another version or with values out of range (a belief that is not a
    /// distribution, invalid counts, an offer beyond the scenario's limit), never panics.
    pub fn resume(
        params: &Params,
        snapshot: NegotiationSnapshot,
        detector: Box<dyn EmotionDetector>,
    ) -> Result<Self, NegotiationError> {
        let refuse = |message: String| NegotiationError::Snapshot {
            scenario: snapshot.scenario.id.clone(),
            message,
        };
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(refuse(format!(
                "snapshot version {} is not the supported version {SNAPSHOT_VERSION}",
                snapshot.version
            )));
        }
        snapshot
            .scenario
            .validate(std::path::Path::new("the snapshot"))
            .map_err(|e| refuse(e.to_string()))?;
        let today = NaiveDate::parse_from_str(&snapshot.today, "%Y-%m-%d")
            .map_err(|e| refuse(format!("today {:?} is not a date: {e}", snapshot.today)))?;
        let belief = Belief::from_probabilities(snapshot.belief).ok_or_else(|| {
            refuse(format!(
                "belief {:?} is not a probability distribution",
                snapshot.belief
            ))
        })?;
        snapshot.counts.validate().map_err(refuse)?;
        let learned = snapshot.learned();
        let mut negotiation =
            Negotiation::new(params, snapshot.scenario, &learned, detector, today);
        let limit = negotiation.curve.limit();
        let target = negotiation.curve.target();
        let in_curve = |days: u32| (target..=limit).contains(&days);
        if !snapshot.curve_progress.is_finite()
            || !in_curve(snapshot.curve_last_offer)
            || !in_curve(snapshot.stated_offer)
        {
            return Err(NegotiationError::Snapshot {
                scenario: negotiation.scenario.id.clone(),
                message: format!(
                    "curve progress {} and offers {} / {} days must lie on the curve from {target} to {limit} days",
                    snapshot.curve_progress, snapshot.curve_last_offer, snapshot.stated_offer
                ),
            });
        }
        negotiation.tracker.restore_belief(belief);
        negotiation.policy.restore(snapshot.policy);
        negotiation.curve.restore(
            snapshot.curve_progress,
            snapshot.curve_last_offer,
            snapshot.curve_read,
        );
        negotiation.stated_offer = snapshot.stated_offer;
        negotiation.last_emotion = snapshot.last_emotion;
        negotiation.tactics = snapshot.tactics;
        negotiation.dialogue = snapshot.dialogue;
        negotiation.agreement = snapshot.agreement;
        negotiation.finished = snapshot.finished;
        negotiation.fallbacks = snapshot.fallbacks;
        negotiation.turn = snapshot.turn;
        Ok(negotiation)
    }

    /// Chooses emotions by `mode` instead of the EQ policy (evaluation baselines); call before
    /// [`Negotiation::open`].
    pub fn set_policy_mode(&mut self, mode: PolicyMode) {
        self.policy.set_mode(mode);
        self.curve = self.curve.clone().with_pacing(mode.pacing());
    }

    /// Takes new parameters between turns (the ROS node's live parameters): the policy and
    /// the offer curve go on from where they are with the new values, and the turn limits,
    /// agreement gap and sampling temperatures are read from them from the next turn. The HMM
    /// and the scenario stay as they were built.
    pub fn update_params(&mut self, params: &Params) {
        self.policy.set_params(&params.policy);
        self.curve.set_params(self.curve.limit(), &params.offer);
        self.params = params.clone();
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

    /// How long the latest turn took (all zero before the first).
    pub fn latency(&self) -> TurnLatency {
        self.latency
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
        self.policy.finish(agreed);
        self.negotiations_learned += 1;
    }

    /// The creditor's first message: the target offer, in the emotion the HMM forecast favours.
    pub fn open(&mut self, speaker: &mut dyn Speaker) -> TurnReport {
        self.open_streaming(speaker, &mut |_| {})
    }

    /// [`Negotiation::open`], handing each sentence to `on_sentence` as soon as it passed the
    /// guardrails (for text-to-speech).
    pub fn open_streaming(
        &mut self,
        speaker: &mut dyn Speaker,
        on_sentence: &mut dyn FnMut(&str),
    ) -> TurnReport {
        let started = std::time::Instant::now();
        let choice = self.policy.opening(&self.tracker);
        let plan = TurnPlan {
            kind: ReplyKind::Opening,
            emotion: choice.emotion,
            strategy: choice.strategy,
            offer_days: self.curve.target(),
            agreement: Agreement::default(),
        };
        self.latency.decide_ms = millis_since(started);
        self.speak(plan, None, None, Vec::new(), speaker, on_sentence, started)
    }

    /// One debtor utterance in, one reply out.
    pub fn respond(
        &mut self,
        utterance: &str,
        speaker: &mut dyn Speaker,
    ) -> Result<TurnReport, NegotiationError> {
        self.respond_streaming(utterance, speaker, &mut |_| {})
    }

    /// Lets `speaker` get ready for the reply to `partial`, the debtor's words so far (partial
    /// speech recognition): the turn is played on a copy of this negotiation (from its
    /// snapshot, with `detector`), and the speaker is handed the request that copy would have
    /// it phrase ([`Speaker::prefill`]). This negotiation does not change. When the final words
    /// are the partial ones the decision is the same, so the speaker has the whole prompt ready;
    /// when they go on, what was shared still is.
    pub fn prefill(
        &self,
        partial: &str,
        detector: Box<dyn EmotionDetector>,
        speaker: &mut dyn Speaker,
    ) {
        if self.finished {
            return;
        }
        let Ok(mut copy) = Negotiation::resume(&self.params, self.snapshot(), detector) else {
            return;
        };
        let _ = copy.respond_streaming(partial, &mut Prefilling(speaker), &mut |_| {});
    }

    /// [`Negotiation::respond`], handing each sentence of the reply to `on_sentence` as soon as
    /// it passed the guardrails (for text-to-speech).
    pub fn respond_streaming(
        &mut self,
        utterance: &str,
        speaker: &mut dyn Speaker,
        on_sentence: &mut dyn FnMut(&str),
    ) -> Result<TurnReport, NegotiationError> {
        if self.finished {
            return Err(NegotiationError::Finished {
                scenario: self.scenario.id.clone(),
                turn: self.turn,
            });
        }
        let started = std::time::Instant::now();
        self.turn += 1;
        self.dialogue.push(DialogueLine::debtor(utterance));

        // Perceive.
        let distribution = self.detector.detect(utterance);
        let debtor_emotion = distribution.most_likely();
        let reading = read_offer(utterance, self.today);
        let tactics = self.tactics.observe(utterance, &reading);
        let signals = read_signals(utterance);
        let debtor_offer = reading.offer_days();

        // Track.
        let belief = self.tracker.observe(self.last_emotion, &distribution);

        // Decide.
        self.policy.observe_tactics(&tactics);
        self.policy.observe_stance(&signals);
        self.policy.observe_offer(debtor_offer, self.stated_offer);
        let choice = self.policy.choose(debtor_emotion, &self.tracker);
        let ignores = self.policy.mode().ignores_perception();
        let offer = self.curve.next_offer(&DebtorTurn {
            days: debtor_offer,
            final_word: signals.final_word && !ignores,
            leaving: signals.leaving && !ignores,
            hostility: if ignores {
                0.0
            } else {
                distribution.get(Emotion::Anger) + distribution.get(Emotion::Disgust)
            },
            pressure: self.pressure(&tactics, &belief),
        });
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
        self.latency.decide_ms = millis_since(started);
        Ok(self.speak(
            plan,
            Some(distribution),
            debtor_offer,
            tactics,
            speaker,
            on_sentence,
            started,
        ))
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

    /// Phrases the plan sentence by sentence, enforces the guardrails on every sentence before
    /// it is handed to `on_sentence`, and closes the turn's bookkeeping.
    ///
    /// A sentence that breaks the guardrails or that the listener's check refuses is never
    /// spoken. When the speaker's first sentence already fails it gets another try; once some of
    /// its sentences are out, they stand and the template completes the reply with its offer
    /// sentence if the offer is still missing. A speaker that produced nothing usable is
    /// replaced by the template as a whole. The turn's [`TurnLatency`] counts from `started`.
    #[allow(clippy::too_many_arguments)]
    fn speak(
        &mut self,
        plan: TurnPlan,
        distribution: Option<EmotionDistribution>,
        debtor_offer_days: Option<u32>,
        tactics: Vec<Tactic>,
        speaker: &mut dyn Speaker,
        on_sentence: &mut dyn FnMut(&str),
        started: std::time::Instant,
    ) -> TurnReport {
        let mut first_sentence_ms = None;
        let mut timed = |sentence: &str| {
            first_sentence_ms.get_or_insert_with(|| millis_since(started));
            on_sentence(sentence);
        };
        let on_sentence: &mut dyn FnMut(&str) = &mut timed;
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
        let listener = Listener::new(&request)
            .grounded(self.params.llm.reply_shape == crate::params::ReplyShape::Lead);
        let mut spoken: Vec<String> = Vec::new();
        let mut violations = Vec::new();
        let mut defects = Vec::new();
        let mut interrupted = false;
        let mut attempts = 0;
        for attempt in 0..=self.params.negotiation.regenerate_attempts {
            attempts = attempt + 1;
            let mut rejected: Option<(Vec<Violation>, Vec<Defect>)> = None;
            let mut streamed = false;
            let mut accept = |sentence: &str, spoken: &mut Vec<String>| {
                if rejected.is_some() {
                    return;
                }
                let broken = sentence_violations(spoken, sentence, &facts);
                let heard = listener.sentence(spoken, sentence);
                if broken.is_empty() && heard.is_empty() {
                    on_sentence(sentence);
                    spoken.push(sentence.to_string());
                } else {
                    rejected = Some((broken, heard));
                }
            };
            let mut result = speaker.reply(&request, &mut |sentence| {
                streamed = true;
                accept(sentence, &mut spoken);
            });
            // A speaker that returns its reply without streaming it is checked the same way.
            if let Ok(text) = &mut result
                && !streamed
            {
                for sentence in sentences::split(text) {
                    accept(&sentence, &mut spoken);
                }
            }
            match result {
                Ok(_) => match rejected {
                    None => break,
                    Some((broken, heard)) => {
                        tracing::debug!(attempt, violations = ?broken, defects = ?heard, "a sentence was refused");
                        violations = broken;
                        defects = heard;
                        if !spoken.is_empty() {
                            break;
                        }
                    }
                },
                Err(SpeakError::Cancelled { .. }) => {
                    interrupted = true;
                    break;
                }
                Err(e) => {
                    // Not a guardrail matter: the reply never came. Logged, and the template speaks.
                    tracing::warn!(error = %e, "speaker failed; using the template");
                    attempts = 0;
                    break;
                }
            }
        }
        let from_speaker = !spoken.is_empty();
        let mut fallback = false;
        let mut completed = false;
        if !interrupted {
            let missing_offer =
                check_reply(&spoken.join(" "), &facts).contains(&Violation::MissingOffer);
            if !from_speaker {
                fallback = true;
                let reply = self.fallback.phrase_accepted(&request, |text| {
                    listener.hear(text).is_empty() && listener.answers_warmly(text)
                });
                spoken = sentences::split(&reply);
                for sentence in &spoken {
                    on_sentence(sentence);
                }
            } else if missing_offer {
                completed = true;
                let sentence = self.fallback.offer_sentence(&request);
                on_sentence(&sentence);
                spoken.push(sentence);
            }
        }
        if fallback || completed {
            self.fallbacks += 1;
            tracing::warn!(
                turn = self.turn,
                ?violations,
                fallbacks = self.fallbacks,
                speaker = speaker.name(),
                partial = from_speaker,
                "the speaker's reply was not usable as it was; the template completed it"
            );
        }
        let reply = spoken.join(" ");
        // Checked once more as a whole: a cut reply may lack the offer, nothing else may fail.
        let left = check_reply(&reply, &facts);
        let states_offer = !reply.is_empty() && !left.contains(&Violation::MissingOffer);
        if !interrupted {
            debug_assert!(
                left.is_empty(),
                "a spoken reply broke the guardrails: {left:?}"
            );
            if !left.is_empty() {
                tracing::error!(?left, reply, "a spoken reply broke the guardrails");
            }
        }
        if !reply.is_empty() {
            self.dialogue.push(DialogueLine::creditor(reply.clone()));
        }
        self.last_emotion = plan.emotion;
        // A reply cut before the offer was heard leaves the earlier offer standing.
        if states_offer || !interrupted {
            self.stated_offer = plan.offer_days;
        }
        self.agreement = plan.agreement;
        let finished = matches!(plan.kind, ReplyKind::Agreement | ReplyKind::Closing);
        if finished {
            self.conclude(plan.agreement.reached);
        }
        self.latency.first_sentence_ms = first_sentence_ms.unwrap_or(0.0);
        self.latency.turn_ms = millis_since(started);
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
            speaker: if from_speaker {
                speaker.name()
            } else {
                "template"
            },
            fallback,
            completed,
            attempts,
            violations,
            defects,
            temperature,
            interrupted,
        }
    }
}

/// What breaks the rules if `sentence` is spoken after `spoken`: every guardrail but the
/// stated offer, which may still come in a later sentence.
fn sentence_violations(spoken: &[String], sentence: &str, facts: &ReplyFacts) -> Vec<Violation> {
    let mut text = spoken.join(" ");
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(sentence);
    let mut found = check_reply(&text, facts);
    found.retain(|v| *v != Violation::MissingOffer);
    found
}

/// Hands the speaker each request for [`Speaker::prefill`] instead of phrasing it, then ends
/// the reply as a barge-in would, so nothing is spoken or retried.
struct Prefilling<'a>(&'a mut dyn Speaker);

impl Speaker for Prefilling<'_> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn reply(
        &mut self,
        request: &ReplyRequest<'_>,
        _on_sentence: &mut dyn FnMut(&str),
    ) -> Result<String, SpeakError> {
        self.0.prefill(request);
        Err(SpeakError::Cancelled { speaker: "prefill" })
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

    /// Says what no collector may say, within the guardrails' rules.
    struct Waiving;

    impl Speaker for Waiving {
        fn name(&self) -> &'static str {
            "waiving"
        }

        fn reply(
            &mut self,
            request: &ReplyRequest<'_>,
            on_sentence: &mut dyn FnMut(&str),
        ) -> Result<String, SpeakError> {
            let text = format!(
                "As an AI I think you don't owe anything. Pay within {} days if you like.",
                request.offer_days
            );
            for sentence in sentences::split(&text) {
                on_sentence(&sentence);
            }
            Ok(text)
        }
    }

    #[test]
    fn what_the_listener_refuses_is_never_spoken() {
        let mut n = negotiation();
        n.open(&mut TemplateSpeaker::new(1));
        let mut spoken = Vec::new();
        let report = n
            .respond_streaming("I lost my job last week.", &mut Waiving, &mut |s| {
                spoken.push(s.to_string())
            })
            .unwrap();
        assert!(report.fallback, "{report:?}");
        assert_eq!(report.attempts, 3, "every try was refused");
        assert!(
            report
                .defects
                .iter()
                .any(|d| matches!(d, Defect::SelfTalk(_) | Defect::Denial(_))),
            "{:?}",
            report.defects
        );
        let heard = spoken.join(" ");
        assert!(!heard.contains("owe") && !heard.contains("AI"), "{heard}");
        assert_eq!(heard, report.reply);
        // The template's own lead answers the job loss.
        assert!(
            heard.contains("sorry") || heard.contains("hear") || heard.contains("understand"),
            "{heard}"
        );
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

    /// A speaker that streams fixed sentences, then ends as told.
    struct Scripted {
        sentences: Vec<&'static str>,
        cancelled: bool,
    }
    impl Speaker for Scripted {
        fn name(&self) -> &'static str {
            "scripted"
        }
        fn reply(
            &mut self,
            _: &ReplyRequest<'_>,
            on_sentence: &mut dyn FnMut(&str),
        ) -> Result<String, crate::speak::SpeakError> {
            for s in &self.sentences {
                on_sentence(s);
            }
            if self.cancelled {
                Err(SpeakError::Cancelled {
                    speaker: "scripted",
                })
            } else {
                Ok(self.sentences.join(" "))
            }
        }
    }

    fn streamed_open(speaker: &mut dyn Speaker) -> (TurnReport, Vec<String>) {
        let mut n = negotiation();
        let mut out = Vec::new();
        let report = n.open_streaming(speaker, &mut |s| out.push(s.to_string()));
        (report, out)
    }

    #[test]
    fn a_bad_sentence_is_never_spoken_and_the_template_adds_the_missing_offer() {
        let mut speaker = Scripted {
            sentences: vec!["Thanks for taking my call.", "Pay up or else, idiot."],
            cancelled: false,
        };
        let (report, out) = streamed_open(&mut speaker);
        assert_eq!(out[0], "Thanks for taking my call.");
        assert!(out.iter().all(|s| !s.contains("idiot")), "{out:?}");
        assert_eq!(out.join(" "), report.reply);
        assert!(report.reply.contains("14 days"), "{}", report.reply);
        assert!(report.completed && !report.fallback && !report.interrupted);
        assert_eq!(report.speaker, "scripted", "its first sentence was used");
        assert!(
            check_reply(
                &report.reply,
                &ReplyFacts {
                    offer_days: 14,
                    balance: Scenario::builtin().balance,
                    today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn a_good_streamed_reply_is_spoken_as_it_came() {
        let mut speaker = Scripted {
            sentences: vec!["I hear you.", "We can agree on 14 days."],
            cancelled: false,
        };
        let (report, out) = streamed_open(&mut speaker);
        assert_eq!(out, vec!["I hear you.", "We can agree on 14 days."]);
        assert_eq!(report.reply, "I hear you. We can agree on 14 days.");
        assert!(!report.fallback && !report.interrupted);
    }

    #[test]
    fn an_interrupted_reply_keeps_what_was_said_and_nothing_more() {
        let mut n = negotiation();
        let mut template = TemplateSpeaker::new(1);
        n.open(&mut template);
        let mut cut = Scripted {
            sentences: vec!["I understand."],
            cancelled: true,
        };
        let mut out = Vec::new();
        let report = n
            .respond_streaming("I need 90 days.", &mut cut, &mut |s| {
                out.push(s.to_string())
            })
            .unwrap();
        assert!(report.interrupted && !report.fallback);
        assert_eq!(out, vec!["I understand."]);
        assert_eq!(report.reply, "I understand.");
        assert_eq!(n.dialogue().last().unwrap().text, "I understand.");
        // The cut reply never stated the new offer, so "ok" now accepts the opening's 14 days.
        let next = n.respond("Ok, deal.", &mut template).unwrap();
        assert_eq!(next.agreement.days, Some(14));
    }

    /// Debtor lines covering offers, hardship, threats, anger, cheating and acceptance.
    const LINES: [&str; 10] = [
        "I need 90 days.",
        "I lost my job and I'm struggling with medical bills.",
        "I'm furious, I'll see you in court!",
        "I already paid this last month.",
        "I have no income at all right now.",
        "I got a new job, I can pay 30 days.",
        "No.",
        "I hate you people, this is outrageous.",
        "Could we do six weeks?",
        "Ok, deal.",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Snapshot after `cut` turns, through JSON, resume, continue: every later report equals
        /// the uninterrupted run's, and so do the final snapshot and the learned parameters.
        #[test]
        fn a_resumed_negotiation_continues_exactly_as_the_uninterrupted_one(
            picks in proptest::collection::vec(0..LINES.len(), 1..25),
            cut in 0usize..25,
        ) {
            let cut = cut.min(picks.len());
            let mut speaker = TemplateSpeaker::new(1);
            let mut whole = negotiation();
            let mut whole_reports = vec![whole.open(&mut speaker)];
            for &i in &picks {
                match whole.respond(LINES[i], &mut speaker) {
                    Ok(r) => whole_reports.push(r),
                    Err(_) => break,
                }
            }

            let mut first = negotiation();
            first.open(&mut speaker);
            for &i in &picks[..cut] {
                if first.respond(LINES[i], &mut speaker).is_err() {
                    break;
                }
            }
            let json = serde_json::to_string(&first.snapshot()).unwrap();
            let snapshot: NegotiationSnapshot = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(&snapshot, &first.snapshot());
            let mut resumed =
                Negotiation::resume(&Params::default(), snapshot, Box::new(LexiconDetector::new()))
                    .unwrap();
            let mut reports = whole_reports[..=resumed.turn() as usize].to_vec();
            for &i in &picks[cut..] {
                match resumed.respond(LINES[i], &mut speaker) {
                    Ok(r) => reports.push(r),
                    Err(_) => break,
                }
            }
            proptest::prop_assert_eq!(reports, whole_reports);
            proptest::prop_assert_eq!(resumed.snapshot(), whole.snapshot());
            resumed.abandon();
            whole.abandon();
            proptest::prop_assert_eq!(resumed.learned(), whole.learned());
        }
    }

    #[test]
    fn a_snapshot_out_of_range_is_refused_without_panic() {
        let mut n = negotiation();
        n.open(&mut TemplateSpeaker::new(1));
        let good = n.snapshot();
        let detector = || Box::new(LexiconDetector::new()) as Box<dyn EmotionDetector>;
        let mut bad = good.clone();
        bad.belief = [0.9, 0.9, 0.0, 0.0];
        let err = Negotiation::resume(&Params::default(), bad, detector())
            .err()
            .unwrap();
        assert!(err.to_string().contains("belief"), "{err}");
        let mut bad = good.clone();
        bad.stated_offer = 1000;
        assert!(Negotiation::resume(&Params::default(), bad, detector()).is_err());
        let mut bad = good.clone();
        bad.version = 99;
        assert!(Negotiation::resume(&Params::default(), bad, detector()).is_err());
        let mut bad = good.clone();
        bad.today = "yesterday".into();
        assert!(Negotiation::resume(&Params::default(), bad, detector()).is_err());
        let mut bad = good;
        bad.counts.emission[0] = [0.0; 7];
        assert!(Negotiation::resume(&Params::default(), bad, detector()).is_err());
    }

    /// Notes what it is asked to prefill and to phrase, as (kind, emotion, offer, turn, last
    /// debtor line); phrases with the template.
    #[derive(Default)]
    struct Noting {
        prefilled: Vec<(ReplyKind, Emotion, u32, u32, String)>,
        phrased: Vec<(ReplyKind, Emotion, u32, u32, String)>,
    }

    fn noted(request: &ReplyRequest<'_>) -> (ReplyKind, Emotion, u32, u32, String) {
        let last = request
            .dialogue
            .last()
            .map(|l| l.text.clone())
            .unwrap_or_default();
        (
            request.kind,
            request.emotion,
            request.offer_days,
            request.turn,
            last,
        )
    }

    impl Speaker for Noting {
        fn name(&self) -> &'static str {
            "noting"
        }
        fn reply(
            &mut self,
            request: &ReplyRequest<'_>,
            on_sentence: &mut dyn FnMut(&str),
        ) -> Result<String, crate::speak::SpeakError> {
            self.phrased.push(noted(request));
            TemplateSpeaker::new(1).reply(request, on_sentence)
        }
        fn prefill(&mut self, request: &ReplyRequest<'_>) {
            self.prefilled.push(noted(request));
        }
    }

    #[test]
    fn a_prefill_predicts_the_request_of_the_same_words_and_changes_nothing() {
        let mut n = negotiation();
        let mut speaker = Noting::default();
        n.open(&mut speaker);
        n.respond("I need 90 days.", &mut speaker).unwrap();
        let before = n.snapshot();
        let words = "I lost my job, I'm really struggling, could we say 80 days?";
        n.prefill(words, Box::new(LexiconDetector::new()), &mut speaker);
        assert_eq!(n.snapshot(), before, "the negotiation did not move");
        n.respond(words, &mut speaker).unwrap();
        assert_eq!(speaker.prefilled.len(), 1);
        assert_eq!(
            speaker.prefilled[0],
            *speaker.phrased.last().unwrap(),
            "the prefilled request is the one phrased for the same words"
        );
        // A finished negotiation expects no reply.
        n.respond("Okay, deal.", &mut speaker).unwrap();
        assert!(n.is_finished());
        n.prefill("hello?", Box::new(LexiconDetector::new()), &mut speaker);
        assert_eq!(speaker.prefilled.len(), 1);
    }
}
