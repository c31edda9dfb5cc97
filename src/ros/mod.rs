//! The ROS 2 node (feature `ros`): speech in, emotional negotiation, speech out, over r2r.
//!
//! Thin glue around [`Agent`]. The main thread spins the r2r node and runs three small tasks:
//! transcripts go into the [`Inbox`] (newest wins, barge-in interrupts the reply), reset requests
//! go into it too, and a timer publishes diagnostics. One agent thread takes work from the inbox,
//! negotiates, publishes each sentence on `tts/say` as soon as it passed the guardrails, records
//! the turn, then publishes its `negotiation/state`. With `node.learning_topic` set, the node
//! shares its robot's learned contribution there after every negotiation and hands what other
//! robots share to the agent, which keeps each robot's newest ([`crate::learned::Ledger`]). Configuration errors (parameters, scenario,
//! model, record directory) end the process before anything is advertised.

mod params;
mod state;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::channel::oneshot;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use futures::{FutureExt, StreamExt};
use r2r::QosProfile;
use r2r::diagnostic_msgs::msg::{DiagnosticArray, DiagnosticStatus, KeyValue};
use r2r::eq_negotiator::msg::NegotiationState;
use r2r::std_srvs::srv::Trigger;

use crate::agent::{Agent, AgentStats, Arrival, DetectorFactory, Heard, Inbox, Work};
use crate::learned::LearnedError;
use crate::params::{Params, ParamsError};
use crate::record::RecordError;
use crate::scenario::ScenarioError;
use crate::speak::{Interrupt, ReplyRequest, SpeakError, Speaker};

pub use params::ros_overrides;

/// Errors that stop the node at start-up; each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// ROS itself (context, node, topics).
    #[error("ROS 2: {what}: {source} (is the environment set? `source scripts/ros-env`)")]
    Ros {
        /// What was being done.
        what: String,
        /// r2r's error.
        source: r2r::Error,
    },
    /// ROS arguments that ROS itself cannot parse.
    #[error(
        "invalid ROS arguments: {0} (write -p group.key:=value, e.g. -p node.speaker:=template; an empty string is -p 'group.key:=\"\"')"
    )]
    Arguments(String),
    /// A ROS parameter that is not one of ours or has the wrong type.
    #[error("ROS parameter {name}: {reason}")]
    Parameter {
        /// The parameter's name.
        name: String,
        /// Why it was refused.
        reason: String,
    },
    /// The parameters as a whole (file, overrides, ROS parameters) are invalid.
    #[error("{0} (ROS parameters come from --ros-args -p and --params-file)")]
    Params(#[from] ParamsError),
    /// The scenario file or id.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The learned-parameters file.
    #[error(transparent)]
    Learned(#[from] LearnedError),
    /// The record directory or the record to resume.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The detector or speaker could not be built (the model, usually).
    #[error("{0}")]
    Components(String),
}

/// Creates the ROS context from the process arguments. r2r panics on arguments ROS cannot parse
/// (`-p key:=` with no value, say); that becomes an error naming the argument.
fn create_context() -> Result<r2r::Context, NodeError> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let created = std::panic::catch_unwind(r2r::Context::create);
    std::panic::set_hook(previous);
    match created {
        Ok(context) => context.map_err(ros("creating the context")),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "ROS could not parse them".into());
            Err(NodeError::Arguments(message))
        }
    }
}

/// Says "ROS parameters" where the loader says "--set overrides": here the overrides came from
/// `--ros-args`.
fn name_ros_origin(error: ParamsError) -> ParamsError {
    let rename = |origin: String| origin.replace("--set overrides", "ROS parameters");
    match error {
        ParamsError::Parse { origin, message } => ParamsError::Parse {
            origin: rename(origin),
            message,
        },
        ParamsError::Rejected { origin, source } => ParamsError::Rejected {
            origin: rename(origin),
            source,
        },
        other => other,
    }
}

fn ros(what: impl Into<String>) -> impl FnOnce(r2r::Error) -> NodeError {
    let what = what.into();
    move |source| NodeError::Ros { what, source }
}

/// Builds the agent's detector and speaker inside its thread (the language model belongs to
/// that thread); given by the command line, which knows the features built in.
pub type ComponentsFactory = Box<
    dyn FnOnce(&Params, Interrupt) -> Result<(DetectorFactory, Box<dyn Speaker>), String> + Send,
>;

/// What the agent thread shares with the diagnostics timer.
#[derive(Debug, Clone, Default)]
struct Health {
    model_loaded: bool,
    speaker: &'static str,
    session: String,
    stats: AgentStats,
    last_turn_ms: f64,
    tokens_per_second: Option<f64>,
}

/// Wraps the speaker to time its own first sentence of each reply.
struct TimedSpeaker {
    inner: Box<dyn Speaker>,
    first_sentence_ms: Arc<Mutex<Option<f64>>>,
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
        let slot = self.first_sentence_ms.clone();
        self.inner.reply(request, &mut |sentence| {
            let mut first = slot.lock().unwrap_or_else(|e| e.into_inner());
            if first.is_none() {
                *first = Some(started.elapsed().as_secs_f64() * 1e3);
            }
            drop(first);
            on_sentence(sentence);
        })
    }

    fn last_tokens_per_second(&self) -> Option<f64> {
        self.inner.last_tokens_per_second()
    }
}

/// Runs the node until the process is stopped. `base_file` and `base_overrides` are the
/// command line's `--params` and `--set`; ROS parameters (`--ros-args -p`, `--params-file`)
/// override them. Nothing is advertised before the agent (and its model) is ready.
pub fn run(
    base_file: Option<&std::path::Path>,
    base_overrides: &[String],
    components: ComponentsFactory,
) -> Result<(), NodeError> {
    let ctx = create_context()?;
    let mut node = r2r::Node::create(ctx, "eq_negotiator", "").map_err(ros("creating the node"))?;
    let mut overrides = base_overrides.to_vec();
    overrides.extend(ros_overrides(
        node.params.lock().unwrap_or_else(|e| e.into_inner()).iter(),
    )?);
    let params = Params::load(base_file, &overrides).map_err(name_ros_origin)?;
    let scenario = params.scenario.resolve()?;
    let ledger = crate::agent::open_ledger(&params)?;
    if !params.record.directory.as_os_str().is_empty() {
        crate::record::ensure_directory(&params.record.directory)?;
    }
    let np = &params.node;

    // The agent thread: builds the model and the agent, reports ready (or why not), then works.
    let interrupt = Interrupt::new();
    let inbox = Arc::new(Inbox::<oneshot::Sender<String>>::new(interrupt.clone()));
    let health = Arc::new(Mutex::new(Health::default()));
    let agent_thread;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), NodeError>>();
    let (publish_tx, publish_rx) = std::sync::mpsc::channel::<Publish>();
    {
        let params = params.clone();
        let inbox = inbox.clone();
        let health = health.clone();
        agent_thread = std::thread::Builder::new()
            .name("agent".into())
            .spawn(move || {
                let setup = components(&params, interrupt)
                    .map_err(NodeError::Components)
                    .map(|(detectors, speaker)| {
                        let first_sentence_ms = Arc::new(Mutex::new(None));
                        let speaker = TimedSpeaker {
                            inner: speaker,
                            first_sentence_ms: first_sentence_ms.clone(),
                        };
                        let agent =
                            Agent::new(&params, scenario, detectors, Box::new(speaker), ledger);
                        (agent, first_sentence_ms)
                    })
                    .and_then(|(mut agent, timing)| {
                        let resumed = agent.resume_latest()?;
                        Ok((agent, timing, resumed))
                    });
                match setup {
                    Ok((agent, timing, resumed)) => {
                        let _ = ready_tx.send(Ok(()));
                        // The publishers come once the main thread has advertised them.
                        if let Ok(publish) = publish_rx.recv() {
                            agent_loop(agent, resumed, timing, &inbox, &publish, &health);
                        }
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                    }
                }
            })
            .map_err(|e| NodeError::Components(format!("cannot start the agent thread: {e}")))?;
    }
    ready_rx
        .recv()
        .map_err(|_| NodeError::Components("the agent thread stopped while starting".into()))??;

    let reliable = |depth| QosProfile::default().reliable().keep_last(depth);
    let say = node
        .create_publisher::<r2r::std_msgs::msg::String>(&np.say_topic, reliable(100))
        .map_err(ros(format!("advertising {}", np.say_topic)))?;
    let state = node
        .create_publisher::<NegotiationState>(&np.state_topic, reliable(10).transient_local())
        .map_err(ros(format!("advertising {}", np.state_topic)))?;
    let diagnostics = node
        .create_publisher::<DiagnosticArray>(&np.diagnostics_topic, reliable(10))
        .map_err(ros(format!("advertising {}", np.diagnostics_topic)))?;

    // Reliable and transient-local: a robot that starts later still hears each robot's newest.
    let learning = if np.learning_topic.is_empty() {
        None
    } else {
        Some(
            node.create_publisher::<r2r::std_msgs::msg::String>(
                &np.learning_topic,
                reliable(1).transient_local(),
            )
            .map_err(ros(format!("advertising {}", np.learning_topic)))?,
        )
    };
    let _ = publish_tx.send(Publish {
        say,
        state,
        learning,
    });

    let transcripts = node
        .subscribe::<r2r::std_msgs::msg::String>(&np.transcript_topic, reliable(1000))
        .map_err(ros(format!("subscribing to {}", np.transcript_topic)))?;
    let resets = node
        .create_service::<Trigger::Service>(&np.reset_service, QosProfile::services_default())
        .map_err(ros(format!("offering {}", np.reset_service)))?;
    let timer = node
        .create_wall_timer(Duration::from_secs_f64(np.diagnostics_period_s))
        .map_err(ros("creating the diagnostics timer"))?;
    tracing::info!(
        transcript = %np.transcript_topic,
        say = %np.say_topic,
        state = %np.state_topic,
        reset = %np.reset_service,
        "eq_negotiator node ready"
    );

    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    if !np.learning_topic.is_empty() {
        let shared = node
            .subscribe::<r2r::std_msgs::msg::String>(
                &np.learning_topic,
                reliable(100).transient_local(),
            )
            .map_err(ros(format!("subscribing to {}", np.learning_topic)))?;
        let learning = inbox.clone();
        spawner
            .spawn_local(shared.for_each(move |message| {
                learning.push_learning(message.data);
                futures::future::ready(())
            }))
            .map_err(|e| NodeError::Components(format!("cannot hear other robots: {e}")))?;
    }
    let listening = inbox.clone();
    spawner
        .spawn_local(transcripts.for_each(move |message| {
            listening.push_utterance(Arrival {
                text: message.data,
                at: Instant::now(),
            });
            futures::future::ready(())
        }))
        .map_err(|e| NodeError::Components(format!("cannot start listening: {e}")))?;
    let resetting = inbox.clone();
    spawner
        .spawn_local(resets.for_each(move |request| {
            let (answer, session) = oneshot::channel();
            resetting.push_reset(answer);
            session.map(move |session| {
                let response = match session {
                    Ok(id) => Trigger::Response {
                        success: true,
                        message: id,
                    },
                    Err(_) => Trigger::Response {
                        success: false,
                        message: "the agent stopped".into(),
                    },
                };
                if let Err(e) = request.respond(response) {
                    tracing::warn!(error = %e, "cannot answer a reset request");
                }
            })
        }))
        .map_err(|e| NodeError::Components(format!("cannot offer the reset service: {e}")))?;
    let reporting = inbox.clone();
    spawner
        .spawn_local(diagnostics_loop(timer, diagnostics, health, reporting))
        .map_err(|e| NodeError::Components(format!("cannot start diagnostics: {e}")))?;

    // SIGINT and SIGTERM end the node cleanly: the reply in progress stops, the agent thread
    // finishes its turn (which is recorded), and the process exits 0.
    let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stopping.clone();
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .map_err(|e| NodeError::Components(format!("cannot handle SIGINT/SIGTERM: {e}")))?;
    while !stopping.load(std::sync::atomic::Ordering::SeqCst) {
        node.spin_once(Duration::from_millis(20));
        pool.run_until_stalled();
        if agent_thread.is_finished() {
            // Only a bug ends the agent thread early; exit so a supervisor restarts the node,
            // which resumes the negotiation from its record.
            return Err(NodeError::Components(
                "the agent thread stopped unexpectedly (see the log); restart the node to resume from the record".into(),
            ));
        }
    }
    tracing::info!("stopping");
    inbox.stop();
    if agent_thread.join().is_err() {
        tracing::error!("the agent thread panicked");
    }
    Ok(())
}

/// Where the agent thread publishes.
struct Publish {
    say: r2r::Publisher<r2r::std_msgs::msg::String>,
    state: r2r::Publisher<NegotiationState>,
    learning: Option<r2r::Publisher<r2r::std_msgs::msg::String>>,
}

impl Publish {
    fn sentence(&self, text: &str) {
        let message = r2r::std_msgs::msg::String {
            data: text.to_string(),
        };
        if let Err(e) = self.say.publish(&message) {
            tracing::error!(error = %e, "cannot publish a sentence");
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

/// The agent thread's work loop: one item of the inbox at a time.
fn agent_loop(
    mut agent: Agent,
    resumed: Option<String>,
    speaker_first_sentence_ms: Arc<Mutex<Option<f64>>>,
    inbox: &Inbox<oneshot::Sender<String>>,
    publish: &Publish,
    health: &Mutex<Health>,
) {
    let update_health = |agent: &Agent, last_turn_ms: f64| {
        let mut h = health.lock().unwrap_or_else(|e| e.into_inner());
        h.model_loaded = agent.speaker_name() == "slm";
        h.speaker = agent.speaker_name();
        h.session = agent.session_id().to_string();
        h.stats = agent.stats();
        h.last_turn_ms = last_turn_ms;
        h.tokens_per_second = agent.speaker_tokens_per_second();
    };
    let take_speaker_ms = || {
        speaker_first_sentence_ms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    };
    // Others hear what this robot learned before it stopped.
    publish.learning(&agent);
    // A negotiation resumed from the record continues; otherwise the agent opens a new one.
    if resumed.is_none() {
        let started = Instant::now();
        let report = agent.start_session(&mut |s| publish.sentence(s));
        let timing = state::Timing::since(started, None, take_speaker_ms());
        publish.state(&state::message(&agent, &report, "", timing, inbox.stats()));
    }
    update_health(&agent, 0.0);
    loop {
        match inbox.next() {
            Work::Stop => return,
            Work::Reset(answer) => {
                let started = Instant::now();
                let learned = agent.ledger().learned().negotiations;
                let report = agent.start_session(&mut |s| publish.sentence(s));
                let timing = state::Timing::since(started, None, take_speaker_ms());
                publish.state(&state::message(&agent, &report, "", timing, inbox.stats()));
                let _ = answer.send(agent.session_id().to_string());
                if agent.ledger().learned().negotiations != learned {
                    publish.learning(&agent);
                }
                update_health(&agent, timing.turn_ms);
            }
            Work::Utterance(arrival) => {
                let mut first_sentence = None;
                let heard = agent.hear(&arrival.text, &mut |s| {
                    first_sentence.get_or_insert_with(Instant::now);
                    publish.sentence(s);
                });
                match heard {
                    Heard::Turn(report) => {
                        let timing =
                            state::Timing::since(arrival.at, first_sentence, take_speaker_ms());
                        let utterance = agent
                            .negotiation()
                            .dialogue()
                            .iter()
                            .rev()
                            .find(|l| l.side == crate::speak::Side::Debtor)
                            .map(|l| l.text.clone())
                            .unwrap_or_default();
                        if report.finished {
                            publish.learning(&agent);
                        }
                        publish.state(&state::message(
                            &agent,
                            &report,
                            &utterance,
                            timing,
                            inbox.stats(),
                        ));
                        update_health(&agent, timing.turn_ms);
                    }
                    Heard::Ignored(why) => {
                        take_speaker_ms();
                        tracing::warn!(?why, "utterance ignored");
                        update_health(&agent, 0.0);
                    }
                }
            }
            Work::Learning(text) => {
                let source = "a contribution heard on node.learning_topic";
                match agent.absorb(&text, source) {
                    Ok((robot, true)) => tracing::info!(%robot, "added what another robot learned"),
                    Ok((_, false)) => {}
                    Err(e) => tracing::warn!(error = %e, "ignored what another robot shared"),
                }
            }
        }
        inbox.done();
    }
}

/// Publishes a DiagnosticArray at every tick of the timer.
async fn diagnostics_loop(
    mut timer: r2r::Timer,
    publisher: r2r::Publisher<DiagnosticArray>,
    health: Arc<Mutex<Health>>,
    inbox: Arc<Inbox<oneshot::Sender<String>>>,
) {
    let mut clock = r2r::Clock::create(r2r::ClockType::SystemTime).ok();
    while timer.tick().await.is_ok() {
        let h = health.lock().unwrap_or_else(|e| e.into_inner()).clone();
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
                value("model_loaded", h.model_loaded.to_string()),
                value("speaker", h.speaker.to_string()),
                value("session", h.session.clone()),
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
                value("record_failures", h.stats.record_failures.to_string()),
                value("save_failures", h.stats.save_failures.to_string()),
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
