//! The ROS 2 node (feature `ros`): speech in, emotional negotiation, speech out, over r2r.
//!
//! Thin glue around [`crate::agent::Agent`], as a managed (lifecycle) node on a tokio runtime.
//! At start the node checks its parameters and offers the parameter services
//! (`params`), the lifecycle services (`lifecycle`) and the reset service. *Configure*
//! resolves the scenario, opens the learned file and the record directory, and builds the agent
//! on its own thread with the model (`worker`); then it advertises `tts/say`,
//! `negotiation/state`, the robot's face (`face`), the diagnostics and, with
//! `node.learning_topic` set, fleet learning.
//! *Activate* lets replies reach `tts/say`, hears `speech/transcript` (newest wins, barge-in
//! interrupts the reply) and opens a negotiation unless one was resumed from the record.
//! *Deactivate* stops hearing and speaking and keeps the negotiation; *cleanup* stops the agent
//! thread, which releases the model; *shutdown* ends the process. With `node.autostart` (the
//! default) the node configures and activates itself, and a configure error ends the process,
//! so one command still runs it; without, a configure error goes through error processing back
//! to unconfigured, where any parameter may be fixed before configuring again.

mod face;
mod lifecycle;
mod params;
mod state;
mod voices;
mod worker;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use r2r::QosProfile;
use r2r::diagnostic_msgs::msg::DiagnosticArray;
use r2r::eq_negotiator::msg::NegotiationState;
use r2r::lifecycle_msgs::msg::TransitionEvent;
use r2r::lifecycle_msgs::srv::{
    ChangeState, GetAvailableStates, GetAvailableTransitions, GetState,
};
use r2r::std_srvs::srv::Trigger;

use crate::agent::{Arrival, DetectorFactory, PLAIN_VOICE};
use crate::learned::LearnedError;
use crate::params::{Params, ParamsError};
use crate::record::RecordError;
use crate::scenario::ScenarioError;
use crate::speak::{Interrupt, Speaker};
use lifecycle::{Outcome, State, Step, Transition};
use params::{ParameterServer, ParameterState};
use worker::{Publish, Shared, SharedInbox, Worker};

/// Locks `m`; a panic elsewhere while holding it leaves plain data behind, so go on.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub use params::ros_overrides;

/// Errors that stop the node at start-up or fail a lifecycle transition; each names what to fix.
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
/// that thread); given by the command line, which knows the features built in. Called at every
/// configure.
pub type ComponentsFactory = Arc<
    dyn Fn(&Params, Interrupt) -> Result<(DetectorFactory, Box<dyn Speaker>), String> + Send + Sync,
>;

/// What configure built, torn down by cleanup.
struct Configured {
    worker: Worker,
    diagnostics: tokio::task::JoinHandle<()>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    diagnostics_publisher: Option<r2r::Publisher<DiagnosticArray>>,
    /// Whether a negotiation is open (resumed, or opened at an activation).
    opened: bool,
    /// Whether the transcript subscription exists (made at the first activation).
    hearing: bool,
}

/// The node's side of the lifecycle: the callbacks of each transition, over what they build.
struct Managed {
    node: Arc<Mutex<r2r::Node>>,
    runtime: tokio::runtime::Handle,
    components: ComponentsFactory,
    parameters: Arc<Mutex<ParameterState>>,
    shared: Arc<Shared>,
    /// The inbox while active: transcripts and resets reach the agent only then.
    active: Arc<Mutex<Option<SharedInbox>>>,
    /// The lifecycle state, read by get_state and the diagnostics while a transition runs.
    state: Arc<Mutex<State>>,
    configured: Option<Configured>,
    events: r2r::Publisher<TransitionEvent>,
    clock: Option<r2r::Clock>,
    agent_ended: tokio::sync::mpsc::UnboundedSender<()>,
}

impl Managed {
    /// Runs `transition` from the current state: its events, its callback, and where it ends.
    async fn run(&mut self, transition: &Transition) -> Outcome {
        let requested = r2r::lifecycle_msgs::msg::Transition {
            id: transition.id,
            label: transition.label.into(),
        };
        self.enter(requested, transition.start, transition.during);
        let outcome = match transition.step {
            Step::Configure => self.configure().await,
            Step::Activate => self.activate(),
            Step::Deactivate => self.deactivate(),
            Step::Cleanup | Step::Shutdown => {
                self.cleanup().await;
                Outcome::Success
            }
        };
        let cleaned = if let Outcome::Error(reason) = &outcome {
            tracing::error!(transition = transition.label, %reason, "lifecycle transition failed; cleaning up");
            self.cleanup().await;
            true
        } else {
            false
        };
        for (step, from, to) in lifecycle::events(transition, &outcome, cleaned)
            .into_iter()
            .skip(1)
        {
            self.enter(step, from, to);
        }
        tracing::info!(
            transition = transition.label,
            state = self.state().label(),
            "lifecycle"
        );
        outcome
    }

    /// The state now.
    fn state(&self) -> State {
        *lock(&self.state)
    }

    /// Moves to `to` and says so on the transition event topic.
    fn enter(&mut self, transition: r2r::lifecycle_msgs::msg::Transition, from: State, to: State) {
        *lock(&self.state) = to;
        let timestamp = self
            .clock
            .as_mut()
            .and_then(|c| c.get_now().ok())
            .map_or(0, |t| t.as_nanos() as u64);
        let event = TransitionEvent {
            timestamp,
            transition,
            start_state: from.msg(),
            goal_state: to.msg(),
        };
        if let Err(e) = self.events.publish(&event) {
            tracing::warn!(error = %e, "cannot publish a transition event");
        }
    }

    fn with_node<T>(&self, f: impl FnOnce(&mut r2r::Node) -> T) -> T {
        f(&mut lock(&self.node))
    }

    /// Parameters, scenario, learned file and records checked; the agent and its model built;
    /// the outputs advertised.
    async fn configure(&mut self) -> Outcome {
        match self.try_configure().await {
            Ok(()) => {
                lock(&self.parameters).configured = true;
                Outcome::Success
            }
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    async fn try_configure(&mut self) -> Result<(), NodeError> {
        // From here only live keys change, and a change waits in `pending` for the agent's
        // first turn; a failure's cleanup opens the others again.
        let params = {
            let mut parameters = lock(&self.parameters);
            parameters.configured = true;
            parameters.params.clone()
        };
        let scenario = params.scenario.resolve()?;
        let ledger = crate::agent::open_ledger(&params)?;
        if !params.record.directory.as_os_str().is_empty() {
            crate::record::ensure_directory(&params.record.directory)?;
        }
        let setup = worker::Setup {
            params: params.clone(),
            scenario,
            ledger,
            components: self.components.clone(),
        };
        let worker = Worker::start(
            setup,
            self.shared.clone(),
            self.parameters.clone(),
            self.agent_ended.clone(),
        )
        .await?;
        let np = &params.node;
        let reliable = |depth| QosProfile::default().reliable().keep_last(depth);
        let advertised = self.with_node(|node| -> Result<_, NodeError> {
            let say = node
                .create_publisher::<r2r::std_msgs::msg::String>(&np.say_topic, reliable(100))
                .map_err(ros(format!("advertising {}", np.say_topic)))?;
            let sentences = node
                .create_publisher::<r2r::eq_negotiator::msg::Sentence>(
                    &np.sentence_topic,
                    reliable(100),
                )
                .map_err(ros(format!("advertising {}", np.sentence_topic)))?;
            let state = node
                .create_publisher::<NegotiationState>(
                    &np.state_topic,
                    reliable(10).transient_local(),
                )
                .map_err(ros(format!("advertising {}", np.state_topic)))?;
            let diagnostics = node
                .create_publisher::<DiagnosticArray>(&np.diagnostics_topic, reliable(10))
                .map_err(ros(format!("advertising {}", np.diagnostics_topic)))?;
            // Reliable and transient-local: a robot that starts later still hears each robot's
            // newest.
            let (learning, shared) = if np.learning_topic.is_empty() {
                (None, None)
            } else {
                let qos = || reliable(100).transient_local();
                let publisher = node
                    .create_publisher::<r2r::std_msgs::msg::String>(&np.learning_topic, qos())
                    .map_err(ros(format!("advertising {}", np.learning_topic)))?;
                let heard = node
                    .subscribe::<r2r::std_msgs::msg::String>(&np.learning_topic, qos())
                    .map_err(ros(format!("subscribing to {}", np.learning_topic)))?;
                (Some(publisher), Some(heard))
            };
            let face = if np.expression_topic.is_empty() {
                None
            } else {
                Some(
                    node.create_publisher::<r2r::hri_msgs::msg::Expression>(
                        &np.expression_topic,
                        reliable(10),
                    )
                    .map_err(ros(format!("advertising {}", np.expression_topic)))?,
                )
            };
            Ok((
                Publish {
                    say,
                    sentences,
                    state,
                    learning,
                    face,
                },
                diagnostics,
                shared,
            ))
        });
        let (publish, diagnostics, shared) = match advertised {
            Ok(parts) => parts,
            Err(e) => {
                worker.stop().await;
                return Err(e);
            }
        };
        worker.publish_with(publish);
        let mut tasks = Vec::new();
        if let Some(mut heard) = shared {
            let inbox = worker.inbox.clone();
            tasks.push(self.runtime.spawn(async move {
                while let Some(message) = heard.next().await {
                    inbox.push_learning(message.data);
                }
            }));
        }
        let diagnostics_task = self.runtime.spawn(worker::diagnostics_loop(
            diagnostics.clone(),
            self.shared.clone(),
            worker.inbox.clone(),
            self.parameters.clone(),
            self.state.clone(),
        ));
        self.configured = Some(Configured {
            opened: worker.resumed,
            worker,
            diagnostics: diagnostics_task,
            tasks,
            diagnostics_publisher: Some(diagnostics),
            hearing: false,
        });
        tracing::info!(
            say = %np.say_topic,
            state = %np.state_topic,
            "configured: the model is loaded and the outputs are advertised"
        );
        Ok(())
    }

    /// Speaking and hearing on; the opening, unless a negotiation is open.
    fn activate(&mut self) -> Outcome {
        let transcript_topic = lock(&self.parameters).params.node.transcript_topic.clone();
        let Some(configured) = self.configured.as_mut() else {
            return Outcome::Error("activate without a configured agent".into());
        };
        let inbox = configured.worker.inbox.clone();
        self.shared.speaking.store(true, Ordering::SeqCst);
        *lock(&self.active) = Some(inbox.clone());
        if !configured.opened {
            inbox.push_reset(PLAIN_VOICE, None);
            configured.opened = true;
        }
        // Subscribed last, so a peer that sees the subscription finds the node active.
        if !configured.hearing {
            let reliable = QosProfile::default().reliable().keep_last(1000);
            let subscribed = lock(&self.node)
                .subscribe::<r2r::std_msgs::msg::String>(&transcript_topic, reliable)
                .map_err(ros(format!("subscribing to {transcript_topic}")));
            let mut transcripts = match subscribed {
                Ok(stream) => stream,
                Err(e) => return Outcome::Error(e.to_string()),
            };
            let active = self.active.clone();
            let shared = self.shared.clone();
            configured.tasks.push(self.runtime.spawn(async move {
                while let Some(message) = transcripts.next().await {
                    let arrival = Arrival {
                        text: message.data,
                        at: Instant::now(),
                    };
                    match lock(&active).as_ref() {
                        Some(inbox) => {
                            inbox.push_utterance(PLAIN_VOICE, arrival);
                        }
                        None => {
                            shared.unheard.fetch_add(1, Ordering::SeqCst);
                            tracing::warn!("inactive: utterance not heard (activate the node)");
                        }
                    }
                }
            }));
            let np = lock(&self.parameters).params.node.clone();
            if !np.voices_topic.is_empty() {
                let following = voices::follow(
                    self.node.clone(),
                    np.voices_topic.clone(),
                    np.max_voices as usize,
                    inbox.clone(),
                    self.active.clone(),
                    self.shared.clone(),
                );
                configured.tasks.push(self.runtime.spawn(async move {
                    if let Err(e) = following.await {
                        tracing::error!(error = %e, "cannot follow the ROS4HRI voices");
                    }
                }));
            }
            configured.hearing = true;
            tracing::info!(
                transcript = %transcript_topic,
                voices = %np.voices_topic,
                "active: hearing and speaking"
            );
        }
        Outcome::Success
    }

    /// Hearing and speaking off; the reply in progress stops; the negotiation stays.
    fn deactivate(&mut self) -> Outcome {
        *lock(&self.active) = None;
        self.shared.speaking.store(false, Ordering::SeqCst);
        if let Some(configured) = &self.configured {
            configured.worker.interrupt.trigger();
        }
        Outcome::Success
    }

    /// Everything configure built is released: the agent thread ends (its model with it) and
    /// the outputs are withdrawn.
    async fn cleanup(&mut self) {
        self.deactivate();
        let Some(configured) = self.configured.take() else {
            lock(&self.parameters).configured = false;
            return;
        };
        configured.diagnostics.abort();
        for task in &configured.tasks {
            task.abort();
        }
        let publish = configured.worker.stop().await;
        let diagnostics = configured.diagnostics_publisher;
        self.with_node(|node| {
            if let Some(publish) = publish {
                node.destroy_publisher(publish.say);
                node.destroy_publisher(publish.sentences);
                node.destroy_publisher(publish.state);
                if let Some(learning) = publish.learning {
                    node.destroy_publisher(learning);
                }
                if let Some(face) = publish.face {
                    node.destroy_publisher(face);
                }
            }
            if let Some(diagnostics) = diagnostics {
                node.destroy_publisher(diagnostics);
            }
        });
        let mut parameters = lock(&self.parameters);
        parameters.configured = false;
        parameters.pending = None;
    }
}

/// Runs the node until it is shut down (lifecycle) or the process is stopped. `base_file` and
/// `base_overrides` are the command line's `--params` and `--set`; ROS parameters
/// (`--ros-args -p`, `--params-file`) override them.
pub fn run(
    base_file: Option<&std::path::Path>,
    base_overrides: &[String],
    components: ComponentsFactory,
) -> Result<(), NodeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("ros-io")
        .enable_all()
        .build()
        .map_err(|e| NodeError::Components(format!("cannot start the tokio runtime: {e}")))?;
    runtime.block_on(serve(base_file, base_overrides, components))
}

async fn serve(
    base_file: Option<&std::path::Path>,
    base_overrides: &[String],
    components: ComponentsFactory,
) -> Result<(), NodeError> {
    // Registered first, so that a signal during the start is one the node handles.
    let handle = |kind: tokio::signal::unix::SignalKind, name: &str| {
        tokio::signal::unix::signal(kind)
            .map_err(|e| NodeError::Components(format!("cannot handle {name}: {e}")))
    };
    let mut interrupt = handle(tokio::signal::unix::SignalKind::interrupt(), "SIGINT")?;
    let mut terminate = handle(tokio::signal::unix::SignalKind::terminate(), "SIGTERM")?;
    let ctx = create_context()?;
    let mut node = r2r::Node::create(ctx, "eq_negotiator", "").map_err(ros("creating the node"))?;
    let mut overrides = base_overrides.to_vec();
    overrides.extend(ros_overrides(lock(&node.params).iter())?);
    let params = Params::load(base_file, &overrides).map_err(name_ros_origin)?;
    let runtime = tokio::runtime::Handle::current();
    let parameters = Arc::new(Mutex::new(ParameterState {
        params: params.clone(),
        configured: false,
        pending: None,
        change: Default::default(),
    }));
    ParameterServer::start(&mut node, parameters.clone(), &runtime)?;
    let name = node.name().map_err(ros("reading the node's name"))?;
    let events = node
        .create_publisher::<TransitionEvent>(
            &format!("{name}/transition_event"),
            QosProfile::default().reliable().keep_last(10),
        )
        .map_err(ros("advertising the transition events"))?;
    let services = QosProfile::services_default;
    let mut change_state = node
        .create_service::<ChangeState::Service>(&format!("{name}/change_state"), services())
        .map_err(ros("offering change_state"))?;
    let mut get_state = node
        .create_service::<GetState::Service>(&format!("{name}/get_state"), services())
        .map_err(ros("offering get_state"))?;
    let mut get_states = node
        .create_service::<GetAvailableStates::Service>(
            &format!("{name}/get_available_states"),
            services(),
        )
        .map_err(ros("offering get_available_states"))?;
    let mut get_transitions = node
        .create_service::<GetAvailableTransitions::Service>(
            &format!("{name}/get_available_transitions"),
            services(),
        )
        .map_err(ros("offering get_available_transitions"))?;
    let mut get_graph = node
        .create_service::<GetAvailableTransitions::Service>(
            &format!("{name}/get_transition_graph"),
            services(),
        )
        .map_err(ros("offering get_transition_graph"))?;
    let reset_service = params.node.reset_service.clone();
    let mut resets = node
        .create_service::<Trigger::Service>(&reset_service, services())
        .map_err(ros(format!("offering {reset_service}")))?;

    // The node spins on its own thread; the others lock it briefly to advertise or withdraw.
    let node = Arc::new(Mutex::new(node));
    let spinning = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let spinner = {
        let node = node.clone();
        let spinning = spinning.clone();
        std::thread::Builder::new()
            .name("ros-spin".into())
            .spawn(move || {
                while spinning.load(Ordering::SeqCst) {
                    lock(&node).spin_once(Duration::from_millis(10));
                    std::thread::yield_now();
                }
            })
            .map_err(|e| NodeError::Components(format!("cannot start spinning: {e}")))?
    };

    let (agent_ended, mut agent_ended_rx) = tokio::sync::mpsc::unbounded_channel();
    let active = Arc::new(Mutex::new(None::<SharedInbox>));
    let state = Arc::new(Mutex::new(State::Unconfigured));
    let managed = Arc::new(tokio::sync::Mutex::new(Managed {
        node: node.clone(),
        runtime: runtime.clone(),
        components,
        parameters: parameters.clone(),
        shared: Arc::new(Shared::default()),
        active: active.clone(),
        state: state.clone(),
        configured: None,
        events,
        clock: r2r::Clock::create(r2r::ClockType::SystemTime).ok(),
        agent_ended,
    }));
    let finalized = Arc::new(tokio::sync::Notify::new());

    // The lifecycle services.
    {
        let managed = managed.clone();
        let finalized = finalized.clone();
        runtime.spawn(async move {
            while let Some(request) = change_state.next().await {
                let mut m = managed.lock().await;
                let asked = &request.message.transition;
                let response = match lifecycle::find(m.state(), asked.id, &asked.label) {
                    Some(transition) => {
                        let outcome = m.run(transition).await;
                        ChangeState::Response {
                            success: outcome == Outcome::Success,
                        }
                    }
                    None => {
                        tracing::warn!(
                            id = asked.id,
                            label = %asked.label,
                            state = m.state().label(),
                            "lifecycle transition not available in this state"
                        );
                        ChangeState::Response { success: false }
                    }
                };
                let ended = m.state() == State::Finalized;
                drop(m);
                if let Err(e) = request.respond(response) {
                    tracing::warn!(error = %e, "cannot answer change_state");
                }
                if ended {
                    finalized.notify_one();
                }
            }
        });
    }
    {
        let state = state.clone();
        runtime.spawn(async move {
            while let Some(request) = get_state.next().await {
                let current_state = lock(&state).msg();
                let _ = request.respond(GetState::Response { current_state });
            }
        });
    }
    runtime.spawn(async move {
        while let Some(request) = get_states.next().await {
            let available_states = State::PRIMARY
                .iter()
                .chain(&State::TRANSITIONAL)
                .map(|s| s.msg())
                .collect();
            let _ = request.respond(GetAvailableStates::Response { available_states });
        }
    });
    {
        let state = state.clone();
        runtime.spawn(async move {
            while let Some(request) = get_transitions.next().await {
                let now = *lock(&state);
                let available_transitions = lifecycle::available(now)
                    .map(lifecycle::description)
                    .collect();
                let _ = request.respond(GetAvailableTransitions::Response {
                    available_transitions,
                });
            }
        });
    }
    runtime.spawn(async move {
        while let Some(request) = get_graph.next().await {
            let _ = request.respond(GetAvailableTransitions::Response {
                available_transitions: lifecycle::graph(),
            });
        }
    });
    // The reset service: a new negotiation while active; otherwise a refusal that says why.
    {
        let active = active.clone();
        let state = state.clone();
        runtime.spawn(async move {
            while let Some(request) = resets.next().await {
                let inbox = lock(&active).clone();
                let response = match inbox {
                    Some(inbox) => {
                        let (answer, session) = tokio::sync::oneshot::channel();
                        inbox.push_reset(PLAIN_VOICE, Some(answer));
                        match session.await {
                            Ok(id) => Trigger::Response {
                                success: true,
                                message: id,
                            },
                            Err(_) => Trigger::Response {
                                success: false,
                                message: "the agent stopped before the new negotiation opened"
                                    .into(),
                            },
                        }
                    }
                    None => Trigger::Response {
                        success: false,
                        message: format!(
                            "the node is {}: activate it (lifecycle change_state) to negotiate",
                            lock(&state).label()
                        ),
                    },
                };
                if let Err(e) = request.respond(response) {
                    tracing::warn!(error = %e, "cannot answer a reset request");
                }
            }
        });
    }
    tracing::info!(
        reset = %reset_service,
        autostart = params.node.autostart,
        "eq_negotiator node started (lifecycle: unconfigured)"
    );

    // SIGINT and SIGTERM end the node cleanly, from now on (during autostart too, once the
    // start is done): the reply in progress stops, the agent thread finishes its turn (which
    // is recorded), and the process exits 0.
    let signalled = async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    };
    tokio::pin!(signalled);
    let started = async {
        if !params.node.autostart {
            return Ok(());
        }
        let mut m = managed.lock().await;
        for id in [1, 3] {
            let transition = lifecycle::find(m.state(), id, "").expect("configure, then activate");
            if let Outcome::Error(reason) | Outcome::Failure(reason) = m.run(transition).await {
                return Err(NodeError::Components(reason));
            }
        }
        Ok(())
    };
    tokio::pin!(started);
    let running = tokio::select! {
        result = &mut started => match result {
            Ok(()) => true,
            Err(e) => {
                stop_spinning(&spinning, spinner);
                return Err(e);
            }
        },
        _ = &mut signalled => {
            // The model's thread cannot be abandoned mid-load (llama.cpp would be torn down
            // under it at exit): the start finishes, then the node stops.
            tracing::info!("stopping once the start is done");
            let _ = started.await;
            false
        }
    };
    let outcome = if running {
        tokio::select! {
            _ = &mut signalled => Ok(()),
            _ = finalized.notified() => Ok(()),
            // Only a bug ends the agent thread early; exit so a supervisor restarts the node,
            // which resumes the negotiation from its record.
            Some(()) = agent_ended_rx.recv() => Err(NodeError::Components(
                "the agent thread stopped unexpectedly (see the log); restart the node to resume from the record".into(),
            )),
        }
    } else {
        Ok(())
    };
    tracing::info!("stopping");
    managed.lock().await.cleanup().await;
    stop_spinning(&spinning, spinner);
    outcome
}

fn stop_spinning(spinning: &std::sync::atomic::AtomicBool, spinner: std::thread::JoinHandle<()>) {
    spinning.store(false, Ordering::SeqCst);
    let _ = spinner.join();
}
