//! The agent's thread and what it publishes: built at configure, stopped at cleanup.
//!
//! The language model belongs to one OS thread, so the agent lives there, away from the tokio
//! runtime. It takes work from its [`Inbox`] one item at a time (an utterance, a reset, another
//! robot's learning), takes any live parameter change before it, publishes each sentence on
//! `tts/say` as soon as it passed the guardrails (while the node is active), records the turn,
//! then publishes the turn's `negotiation/state`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use r2r::diagnostic_msgs::msg::{DiagnosticArray, DiagnosticStatus, KeyValue};
use r2r::eq_negotiator::msg::{NegotiationState, Sentence};
use r2r::hri_msgs::msg::Expression;
use tokio::sync::oneshot;

use super::lifecycle::State;
use super::params::ParameterState;
use super::{ComponentsFactory, NodeError, lock, state};
use crate::agent::{Agent, AgentStats, DetectorFactory, Heard, Inbox, PLAIN_VOICE, Work};
use crate::emotion::Emotion;
use crate::learned::Ledger;
use crate::params::Params;
use crate::scenario::Scenario;
use crate::speak::{Interrupt, ReplyRequest, SpeakError, Speaker};

/// Who asked for a reset, to be told the new session's id; `None` for the opening the node
/// speaks itself at its first activation.
pub type Resetter = Option<oneshot::Sender<String>>;

/// The agent's inbox as the node's parts share it.
pub type SharedInbox = Arc<Inbox<Resetter>>;

/// What the agent thread shares with the diagnostics task.
#[derive(Debug, Clone, Default)]
pub struct Health {
    model_loaded: bool,
    speaker: &'static str,
    session: String,
    voices: usize,
    stats: AgentStats,
    last_turn_ms: f64,
    tokens_per_second: Option<f64>,
}

/// The state of the agent that the node's async side reads: its health, whether it may speak,
/// and what it did not hear.
#[derive(Default)]
pub struct Shared {
    /// For the diagnostics.
    pub health: Mutex<Health>,
    /// Whether replies reach `tts/say` (the node is active).
    pub speaking: AtomicBool,
    /// Utterances that arrived while the node was inactive, and were not heard.
    pub unheard: AtomicU64,
    /// ROS4HRI voices tracked but waiting for a free place (`node.max_voices`).
    pub voices_waiting: AtomicU64,
}

/// Where the agent thread publishes.
pub struct Publish {
    /// `tts/say`.
    pub say: r2r::Publisher<r2r::std_msgs::msg::String>,
    /// `tts/sentences`.
    pub sentences: r2r::Publisher<Sentence>,
    /// `negotiation/state`.
    pub state: r2r::Publisher<NegotiationState>,
    /// Fleet learning, when on.
    pub learning: Option<r2r::Publisher<r2r::std_msgs::msg::String>>,
    /// The robot's face, when `node.expression_topic` is set.
    pub face: Option<r2r::Publisher<Expression>>,
}

impl Publish {
    fn sentence(&self, shared: &Shared, text: &str, to: &Voice<'_>) {
        if !shared.speaking.load(Ordering::SeqCst) {
            tracing::info!(sentence = %text, "inactive: sentence not spoken");
            return;
        }
        let message = r2r::std_msgs::msg::String {
            data: text.to_string(),
        };
        if let Err(e) = self.say.publish(&message) {
            tracing::error!(error = %e, "cannot publish a sentence");
        }
        let labelled = Sentence {
            header: r2r::std_msgs::msg::Header::default(),
            voice_id: to.voice.clone(),
            session_id: to.session.clone(),
            turn: to.turn,
            text: text.to_string(),
        };
        if let Err(e) = self.sentences.publish(&labelled) {
            tracing::error!(error = %e, "cannot publish a labelled sentence");
        }
    }

    /// Shows the reply's emotion on the face, before its first sentence is spoken.
    fn expression(&self, shared: &Shared, emotion: Emotion) {
        let Some(face) = &self.face else {
            return;
        };
        if !shared.speaking.load(Ordering::SeqCst) {
            return;
        }
        let (expression, valence, arousal) = super::face::expression(emotion);
        let message = Expression {
            header: r2r::std_msgs::msg::Header::default(),
            expression: expression.into(),
            valence,
            arousal,
            confidence: 1.0,
        };
        if let Err(e) = face.publish(&message) {
            tracing::error!(error = %e, "cannot publish the expression");
        }
    }

    /// Shares this robot's contribution, when fleet learning is on and it has one.
    fn learning(&self, agent: &Agent) {
        if let (Some(publisher), Some(data)) = (&self.learning, agent.ledger().shared())
            && let Err(e) = publisher.publish(&r2r::std_msgs::msg::String { data })
        {
            tracing::error!(error = %e, "cannot share what was learned");
        }
    }

    fn state(&self, message: &NegotiationState) {
        if let Err(e) = self.state.publish(message) {
            tracing::error!(error = %e, "cannot publish the negotiation state");
        }
    }
}

/// What the speaker wrapper notes of the reply in progress.
#[derive(Debug, Default)]
struct ReplyNote {
    /// The speaker's own time to its first sentence.
    first_sentence_ms: Option<f64>,
    /// The reply's emotion, for the face.
    emotion: Option<Emotion>,
}

/// Wraps the speaker to note each reply's emotion and time its own first sentence.
struct TimedSpeaker {
    inner: Box<dyn Speaker>,
    note: Arc<Mutex<ReplyNote>>,
}

impl Speaker for TimedSpeaker {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn reply(
        &mut self,
        request: &ReplyRequest<'_>,
        on_sentence: &mut dyn FnMut(&str),
    ) -> Result<String, SpeakError> {
        let started = Instant::now();
        lock(&self.note).emotion = Some(request.emotion);
        let note = self.note.clone();
        self.inner.reply(request, &mut |sentence| {
            let mut note = lock(&note);
            if note.first_sentence_ms.is_none() {
                note.first_sentence_ms = Some(started.elapsed().as_secs_f64() * 1e3);
            }
            drop(note);
            on_sentence(sentence);
        })
    }

    fn last_tokens_per_second(&self) -> Option<f64> {
        self.inner.last_tokens_per_second()
    }

    fn prefill(&mut self, request: &ReplyRequest<'_>) {
        self.inner.prefill(request);
    }
}

/// Tells the node when the agent thread ends without being asked to (a bug: the node exits so
/// a supervisor restarts it, and the record resumes the negotiation).
struct EndWatch(Option<tokio::sync::mpsc::UnboundedSender<()>>);

impl Drop for EndWatch {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

/// The running agent thread.
pub struct Worker {
    /// Its inbox.
    pub inbox: SharedInbox,
    /// Stops the reply in progress (deactivate).
    pub interrupt: Interrupt,
    /// Whether it continues a negotiation from the record (so it has no opening to speak).
    pub resumed: bool,
    thread: std::thread::JoinHandle<Option<Publish>>,
    publish: std::sync::mpsc::Sender<Publish>,
}

/// What the agent is built from at configure.
pub struct Setup {
    /// The parameters in force.
    pub params: Params,
    /// The scenario they name.
    pub scenario: Scenario,
    /// The learned parameters.
    pub ledger: Ledger,
    /// Builds the detector and speaker.
    pub components: ComponentsFactory,
}

impl Worker {
    /// Starts the thread, which builds the detector, the speaker (the model) and the agent, and
    /// resumes the latest negotiation; returns once that is done, or why it failed.
    pub async fn start(
        setup: Setup,
        shared: Arc<Shared>,
        parameters: Arc<Mutex<ParameterState>>,
        ended: tokio::sync::mpsc::UnboundedSender<()>,
    ) -> Result<Worker, NodeError> {
        let interrupt = Interrupt::new();
        let inbox: SharedInbox = Arc::new(Inbox::new(interrupt.clone()));
        let (ready_tx, ready_rx) = oneshot::channel::<Result<bool, NodeError>>();
        let (publish_tx, publish_rx) = std::sync::mpsc::channel::<Publish>();
        let thread = {
            let inbox = inbox.clone();
            let interrupt = interrupt.clone();
            std::thread::Builder::new()
                .name("agent".into())
                .spawn(move || {
                    let mut watch = EndWatch(Some(ended));
                    let Setup {
                        params,
                        scenario,
                        ledger,
                        components,
                    } = setup;
                    let built = components(&params, interrupt)
                        .map_err(NodeError::Components)
                        .and_then(
                            |(detectors, speaker): (DetectorFactory, Box<dyn Speaker>)| {
                                let timing = Arc::new(Mutex::new(ReplyNote::default()));
                                let speaker = TimedSpeaker {
                                    inner: speaker,
                                    note: timing.clone(),
                                };
                                let mut agent = Agent::new(
                                    &params,
                                    scenario,
                                    detectors,
                                    Box::new(speaker),
                                    ledger,
                                );
                                let resumed = agent.resume_latest(PLAIN_VOICE)?;
                                Ok((agent, timing, resumed.is_some()))
                            },
                        );
                    let (agent, timing, resumed) = match built {
                        Ok(built) => built,
                        Err(e) => {
                            watch.0 = None;
                            let _ = ready_tx.send(Err(e));
                            return None;
                        }
                    };
                    let _ = ready_tx.send(Ok(resumed));
                    // The publishers come once the node has advertised them (or never, when it
                    // could not).
                    let Ok(publish) = publish_rx.recv() else {
                        watch.0 = None;
                        return None;
                    };
                    let run = Run {
                        agent,
                        timing,
                        inbox: &inbox,
                        publish: &publish,
                        shared: &shared,
                        parameters: &parameters,
                    };
                    run.work();
                    watch.0 = None;
                    Some(publish)
                })
                .map_err(|e| NodeError::Components(format!("cannot start the agent thread: {e}")))?
        };
        let resumed = ready_rx.await.map_err(|_| {
            NodeError::Components("the agent thread stopped while starting".into())
        })??;
        Ok(Worker {
            inbox,
            interrupt,
            resumed,
            thread,
            publish: publish_tx,
        })
    }

    /// Hands the thread its publishers; it starts working.
    pub fn publish_with(&self, publish: Publish) {
        let _ = self.publish.send(publish);
    }

    /// Stops the thread after the turn in progress (which is recorded) and returns its
    /// publishers, to be withdrawn.
    pub async fn stop(self) -> Option<Publish> {
        self.inbox.stop();
        // A thread still waiting for its publishers stops waiting.
        drop(self.publish);
        let thread = self.thread;
        tokio::task::spawn_blocking(move || thread.join().ok().flatten())
            .await
            .ok()
            .flatten()
    }
}

/// Where a reply's sentences go: the face first, then `tts/say` and `tts/sentences`, labelled
/// with the voice, session and turn they answer.
struct Voice<'a> {
    note: &'a Mutex<ReplyNote>,
    publish: &'a Publish,
    shared: &'a Shared,
    voice: String,
    session: String,
    turn: u32,
}

impl Voice<'_> {
    /// Publishes a sentence of the reply; the first comes after the face shows the reply's
    /// emotion. `first` is when the first was published.
    fn speak(&self, first: &mut Option<Instant>, sentence: &str) {
        if first.is_none()
            && let Some(emotion) = lock(self.note).emotion
        {
            self.publish.expression(self.shared, emotion);
        }
        first.get_or_insert_with(Instant::now);
        self.publish.sentence(self.shared, sentence, self);
    }
}

/// The thread's work loop over the agent.
struct Run<'a> {
    agent: Agent,
    timing: Arc<Mutex<ReplyNote>>,
    inbox: &'a Inbox<Resetter>,
    publish: &'a Publish,
    shared: &'a Shared,
    parameters: &'a Mutex<ParameterState>,
}

impl Run<'_> {
    /// The speaker's time to its first sentence in the turn just over; clears the note.
    fn speaker_ms(&self) -> Option<f64> {
        std::mem::take(&mut *lock(&self.timing)).first_sentence_ms
    }

    /// The agent, and the voice that speaks its reply to `voice` in `session`, turn `turn`.
    fn split(&mut self, voice: &str, session: String, turn: u32) -> (&mut Agent, Voice<'_>) {
        let speaking = Voice {
            note: &self.timing,
            publish: self.publish,
            shared: self.shared,
            voice: voice.to_string(),
            session,
            turn,
        };
        (&mut self.agent, speaking)
    }

    fn update_health(&self, voice: &str, last_turn_ms: f64) {
        let agent = &self.agent;
        let mut h = lock(&self.shared.health);
        h.model_loaded = agent.speaker_name() == "slm";
        h.speaker = agent.speaker_name();
        h.session = agent.session_id(voice).to_string();
        h.voices = agent.voices().filter(|v| *v != PLAIN_VOICE).count();
        h.stats = agent.stats();
        h.last_turn_ms = last_turn_ms;
        h.tokens_per_second = agent.speaker_tokens_per_second();
    }

    fn work(mut self) {
        // Others hear what this robot learned before it stopped.
        self.publish.learning(&self.agent);
        self.update_health(PLAIN_VOICE, 0.0);
        loop {
            let work = self.inbox.next();
            if let Some(params) = lock(self.parameters).pending.take() {
                self.agent.update_params(&params);
                tracing::info!("live parameters applied from this turn");
            }
            match work {
                Work::Stop => return,
                Work::Reset(voice, answer) => self.reset(&voice, answer),
                Work::Join(voice) => self.join(&voice),
                Work::Leave(voice) => {
                    if self.agent.leave(&voice) {
                        tracing::info!(%voice, "the voice left: its negotiation waits in its record");
                    }
                    self.update_health(&voice, 0.0);
                }
                // Deactivated since it was queued: not heard, as it would not be now.
                Work::Utterance(..) | Work::Partial(..)
                    if !self.shared.speaking.load(Ordering::SeqCst) =>
                {
                    self.shared.unheard.fetch_add(1, Ordering::SeqCst);
                }
                Work::Utterance(voice, arrival) => self.hear(&voice, &arrival.text, arrival.at),
                Work::Partial(voice, text) => self.agent.prefill(&voice, &text),
                Work::Learning(text) => {
                    let source = "a contribution heard on node.learning_topic";
                    match self.agent.absorb(&text, source) {
                        Ok((robot, true)) => {
                            tracing::info!(%robot, "added what another robot learned")
                        }
                        Ok((_, false)) => {}
                        Err(e) => tracing::warn!(error = %e, "ignored what another robot shared"),
                    }
                }
            }
            self.inbox.done();
        }
    }

    /// A voice is heard: its unfinished negotiation resumes from its record, or a new one opens.
    fn join(&mut self, voice: &str) {
        if self.agent.negotiation(voice).is_some() {
            return;
        }
        match self.agent.resume_latest(voice) {
            Ok(Some(session)) => {
                tracing::info!(%voice, %session, "a voice came back: its negotiation resumes");
                self.update_health(voice, 0.0);
            }
            Ok(None) => self.reset(voice, None),
            Err(e) => {
                tracing::error!(%voice, error = %e, "cannot resume the voice's negotiation; opening a new one");
                self.reset(voice, None);
            }
        }
    }

    fn reset(&mut self, voice: &str, answer: Resetter) {
        let started = Instant::now();
        let learned = self.agent.ledger().learned().negotiations;
        let publish = self.publish;
        let mut first = None;
        let session = crate::record::new_session_id();
        let report = {
            let (agent, speaking) = self.split(voice, session.clone(), 0);
            agent.start_session(voice, session, &mut |s| speaking.speak(&mut first, s))
        };
        let timing = state::Timing::since(started, None, self.speaker_ms());
        publish.state(&state::message(
            &self.agent,
            voice,
            &report,
            "",
            timing,
            self.inbox.stats(),
        ));
        if let Some(answer) = answer {
            let _ = answer.send(self.agent.session_id(voice).to_string());
        }
        if self.agent.ledger().learned().negotiations != learned {
            publish.learning(&self.agent);
        }
        self.update_health(voice, timing.turn_ms);
    }

    fn hear(&mut self, voice: &str, text: &str, at: Instant) {
        let mut first_sentence = None;
        let publish = self.publish;
        let session = self.agent.session_id(voice).to_string();
        let turn = self.agent.negotiation(voice).map_or(0, |n| n.turn() + 1);
        let heard = {
            let (agent, speaking) = self.split(voice, session, turn);
            agent.hear(voice, text, &mut |s| speaking.speak(&mut first_sentence, s))
        };
        match heard {
            Heard::Turn(report) => {
                let timing = state::Timing::since(at, first_sentence, self.speaker_ms());
                let utterance = self
                    .agent
                    .negotiation(voice)
                    .and_then(|n| {
                        n.dialogue()
                            .iter()
                            .rev()
                            .find(|l| l.side == crate::speak::Side::Debtor)
                    })
                    .map(|l| l.text.clone())
                    .unwrap_or_default();
                if report.finished {
                    publish.learning(&self.agent);
                }
                publish.state(&state::message(
                    &self.agent,
                    voice,
                    &report,
                    &utterance,
                    timing,
                    self.inbox.stats(),
                ));
                self.update_health(voice, timing.turn_ms);
            }
            Heard::Ignored(why) => {
                self.speaker_ms();
                tracing::warn!(?why, %voice, "utterance ignored");
                self.update_health(voice, 0.0);
            }
        }
    }
}

/// Publishes a DiagnosticArray every `node.diagnostics_period_s` (read again at each tick, so
/// a change takes effect at the next).
pub async fn diagnostics_loop(
    publisher: r2r::Publisher<DiagnosticArray>,
    shared: Arc<Shared>,
    inbox: SharedInbox,
    parameters: Arc<Mutex<ParameterState>>,
    lifecycle: Arc<Mutex<State>>,
) {
    let mut clock = r2r::Clock::create(r2r::ClockType::SystemTime).ok();
    loop {
        let period = lock(&parameters).params.node.diagnostics_period_s;
        tokio::time::sleep(Duration::from_secs_f64(period)).await;
        let change = lock(&parameters).change.clone();
        let h = lock(&shared.health).clone();
        let queue = inbox.stats();
        let stamp = clock
            .as_mut()
            .and_then(|c| c.get_now().ok())
            .map(|now| r2r::Clock::to_builtin_time(&now))
            .unwrap_or_default();
        let problems = h.stats.record_failures + h.stats.save_failures;
        let value = |key: &str, value: String| KeyValue {
            key: key.into(),
            value,
        };
        let status = DiagnosticStatus {
            level: if problems > 0 { 1 } else { 0 },
            name: "eq_negotiator: negotiation".into(),
            message: if problems > 0 {
                "running; some turns or learned parameters could not be saved (see the log)".into()
            } else {
                "running".into()
            },
            hardware_id: String::new(),
            values: vec![
                value("lifecycle_state", lock(&lifecycle).label().to_string()),
                value("model_loaded", h.model_loaded.to_string()),
                value("speaker", h.speaker.to_string()),
                value("session", h.session.clone()),
                value("voices", h.voices.to_string()),
                value(
                    "voices_waiting",
                    shared.voices_waiting.load(Ordering::SeqCst).to_string(),
                ),
                value("sessions", h.stats.sessions.to_string()),
                value("turns", h.stats.turns.to_string()),
                value("last_turn_latency_ms", format!("{:.1}", h.last_turn_ms)),
                value(
                    "tokens_per_second",
                    h.tokens_per_second
                        .map(|t| format!("{t:.1}"))
                        .unwrap_or_default(),
                ),
                value("fallbacks", h.stats.fallbacks.to_string()),
                value("interrupted", h.stats.interrupted.to_string()),
                value("ignored_utterances", h.stats.ignored.to_string()),
                value("truncated_utterances", h.stats.truncated.to_string()),
                value("received_utterances", queue.received.to_string()),
                value("dropped_utterances", queue.dropped.to_string()),
                value(
                    "unheard_while_inactive",
                    shared.unheard.load(Ordering::SeqCst).to_string(),
                ),
                value("record_failures", h.stats.record_failures.to_string()),
                value("save_failures", h.stats.save_failures.to_string()),
                value("parameter_changes", change.count.to_string()),
                value("last_parameter_change", change.last),
            ],
        };
        let message = DiagnosticArray {
            header: r2r::std_msgs::msg::Header {
                stamp,
                frame_id: String::new(),
            },
            status: vec![status],
        };
        if let Err(e) = publisher.publish(&message) {
            tracing::warn!(error = %e, "cannot publish diagnostics");
        }
    }
}
