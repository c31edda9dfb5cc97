//! The long-running agent behind the ROS node: one negotiation after another.
//!
//! [`Agent`] owns the speaker, the [`Ledger`] of what was learned and the current
//! [`Negotiation`]. It cleans each utterance as it arrives (control characters, length, blank
//! input), starts a new session on request, and adds what each negotiation changed to the
//! ledger, saved whenever a negotiation ends. [`Inbox`] is the hand-over
//! between whoever hears the debtor and the agent's thread, with the burst policy: the newest
//! utterance wins, older waiting ones are dropped and counted, and a new utterance interrupts the
//! reply being spoken (barge-in).

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use chrono::NaiveDate;

use crate::learned::{LearnedError, LearnedParameters, Ledger};
use crate::negotiation::{Negotiation, TurnReport};
use crate::params::Params;
use crate::perceive::EmotionDetector;
use crate::record::{RecordError, RecordWriter};
use crate::scenario::Scenario;
use crate::speak::{Interrupt, Speaker};

/// Makes the emotion detector of each new negotiation.
pub type DetectorFactory = Box<dyn FnMut() -> Box<dyn EmotionDetector>>;

/// Why an utterance made no turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// Nothing but whitespace or control characters.
    Blank,
    /// The negotiation already ended; a reset starts the next one.
    Finished,
    /// The voice has no negotiation (it was never tracked, or it left).
    NoNegotiation,
}

/// What became of one utterance.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// It made a turn.
    Turn(Box<TurnReport>),
    /// It was ignored, and why.
    Ignored(Ignored),
}

/// Counters of the agent's life, for diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AgentStats {
    /// Sessions started (each reset starts one).
    pub sessions: u64,
    /// Debtor turns answered, over all sessions.
    pub turns: u64,
    /// Replies the template replaced or completed, over all sessions.
    pub fallbacks: u64,
    /// Utterances ignored (blank, or after the end of a negotiation).
    pub ignored: u64,
    /// Utterances cut to `node.max_utterance_chars`.
    pub truncated: u64,
    /// Replies cut short by a newer utterance.
    pub interrupted: u64,
    /// Times saving the learned parameters failed (the agent goes on; see the log).
    pub save_failures: u64,
    /// Turns that could not be written to the record (the agent goes on; see the log).
    pub record_failures: u64,
}

/// The voice of the plain transcript topic (`node.transcript_topic`): whoever speaks there.
pub const PLAIN_VOICE: &str = "";

/// One voice's negotiation in progress.
struct Session {
    negotiation: Negotiation,
    id: String,
    record: Option<RecordWriter>,
    /// The learned state the negotiation started from.
    start: LearnedParameters,
}

/// One negotiation after another for each voice, with one speaker and one growing memory.
///
/// Each voice (a person the robot hears, by its ROS4HRI voice id; [`PLAIN_VOICE`] for the
/// plain transcript topic) has its own negotiation, session id and record: the plain voice's
/// records are in `record.directory`, a voice's in `record.directory/voices/<id>`. All share the
/// speaker, the detector factory and the ledger, and learn into it as each negotiation ends.
pub struct Agent {
    params: Params,
    scenario: Scenario,
    new_detector: DetectorFactory,
    speaker: Box<dyn Speaker>,
    sessions: BTreeMap<String, Session>,
    stats: AgentStats,
    ledger: Ledger,
}

/// Whether `voice` can name both a folder of records and a ROS topic: the plain voice, or up
/// to 64 letters, digits and `_`, not starting with a digit (ROS4HRI ids are short random
/// strings such as `anonymous_speaker`).
pub fn valid_voice(voice: &str) -> bool {
    voice.len() <= 64
        && !voice.starts_with(|c: char| c.is_ascii_digit())
        && voice.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Agent {
    /// An agent for `scenario`, learning into `ledger` (see [`open_ledger`]); call
    /// [`Agent::start_session`] (or [`Agent::resume_latest`]) to open a voice's negotiation.
    pub fn new(
        params: &Params,
        scenario: Scenario,
        new_detector: DetectorFactory,
        speaker: Box<dyn Speaker>,
        ledger: Ledger,
    ) -> Agent {
        Agent {
            ledger,
            params: params.clone(),
            scenario,
            new_detector,
            speaker,
            sessions: BTreeMap::new(),
            stats: AgentStats::default(),
        }
    }

    /// Where `voice`'s records are (empty: none are kept).
    pub fn records(&self, voice: &str) -> PathBuf {
        let directory = &self.params.record.directory;
        if directory.as_os_str().is_empty() || voice == PLAIN_VOICE {
            directory.clone()
        } else {
            directory.join("voices").join(voice)
        }
    }

    /// Continues `voice`'s latest negotiation when it was left unfinished (a crash, a power
    /// cut, the voice gone for a while): the same session, turn, belief and dialogue. Returns
    /// its session id, or `None` when there is nothing to resume. A torn last line is reported
    /// and left out.
    ///
    /// A finished latest negotiation whose learning never reached the ledger (a kill between
    /// the record's last line and the save) is learned from its record instead: its first
    /// line holds the state it started from, its last the state it ended with.
    pub fn resume_latest(&mut self, voice: &str) -> Result<Option<String>, RecordError> {
        let directory = self.records(voice);
        if directory.as_os_str().is_empty() {
            return Ok(None);
        }
        let Some(path) = crate::record::latest(&directory)? else {
            return Ok(None);
        };
        let loaded = crate::record::load(&path)?;
        if let Some(torn) = loaded.torn_error() {
            tracing::warn!(error = %torn, "the record's last line was torn; resuming from the line before");
        }
        let (Some(first), Some(last)) = (loaded.lines.first(), loaded.lines.last()) else {
            return Ok(None);
        };
        if loaded.is_finished() {
            // Only the plain voice's, at configure: with several voices sessions end in any
            // order, so a voice's finished record may be older than the last one learned.
            if voice != PLAIN_VOICE {
                return Ok(None);
            }
            let learned_up_to = self.ledger.own().map_or("", |c| c.last_session.as_str());
            // Session ids sort by creation time: only a newer record can be missing.
            if last.session.as_str() > learned_up_to {
                self.ledger.add_negotiation(
                    &last.session,
                    &first.snapshot.learned(),
                    &last.snapshot.learned(),
                );
                tracing::warn!(session = %last.session, "the last negotiation was recorded but not learned from; learned it from its record");
                self.save_learned();
            }
            return Ok(None);
        }
        let negotiation = loaded.resume(&self.params, (self.new_detector)())?;
        let record =
            Some(RecordWriter::reopen(&loaded)?.snapshot_every(self.params.record.snapshot_every));
        let id = loaded.session().unwrap_or_default().to_string();
        self.stats.sessions += 1;
        tracing::info!(session = %id, voice, turn = negotiation.turn(), "resumed an unfinished negotiation");
        self.sessions.insert(
            voice.to_string(),
            Session {
                negotiation,
                id: id.clone(),
                record,
                start: first.snapshot.learned(),
            },
        );
        Ok(Some(id))
    }

    /// `voice`'s current session id (empty when it has no negotiation).
    pub fn session_id(&self, voice: &str) -> &str {
        self.sessions.get(voice).map_or("", |s| s.id.as_str())
    }

    /// The voices with a negotiation, in order.
    pub fn voices(&self) -> impl Iterator<Item = &str> {
        self.sessions.keys().map(String::as_str)
    }

    /// The counters so far.
    pub fn stats(&self) -> AgentStats {
        self.stats
    }

    /// The speaker's name ("slm", "template").
    pub fn speaker_name(&self) -> &'static str {
        self.speaker.name()
    }

    /// Decode speed of the speaker's last reply, for speakers that decode tokens.
    pub fn speaker_tokens_per_second(&self) -> Option<f64> {
        self.speaker.last_tokens_per_second()
    }

    /// Takes new parameters between turns (the ROS node's live parameters, already
    /// validated): the negotiations in progress and the ones after them use them.
    pub fn update_params(&mut self, params: &Params) {
        for session in self.sessions.values_mut() {
            session.negotiation.update_params(params);
        }
        self.params = params.clone();
    }

    /// `voice`'s current negotiation, if it has one.
    pub fn negotiation(&self, voice: &str) -> Option<&Negotiation> {
        self.sessions.get(voice).map(|s| &s.negotiation)
    }

    /// What was learned: this robot's contributions and those heard from other robots.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Takes a contribution another robot shared ([`Ledger::shared`]) when it is newer than
    /// the one held, and saves; it counts from the next negotiation on. Returns the robot and
    /// whether anything changed.
    pub fn absorb(&mut self, shared: &str, source: &str) -> Result<(String, bool), LearnedError> {
        let (robot, changed) = self.ledger.absorb_shared(shared, source)?;
        if changed {
            self.save_learned();
        }
        Ok((robot, changed))
    }

    /// Ends `voice`'s current negotiation (an unfinished one the debtor answered counts as
    /// failed for learning), saves what was learned, and opens a new one with the session id
    /// `id` (from [`crate::record::new_session_id`], chosen by the caller so that it can label
    /// the opening while it is spoken); the opening goes to `on_sentence`.
    pub fn start_session(
        &mut self,
        voice: &str,
        id: String,
        on_sentence: &mut dyn FnMut(&str),
    ) -> TurnReport {
        if let Some(mut old) = self.sessions.remove(voice) {
            // A negotiation the debtor never answered taught nothing: it is not counted.
            if !old.negotiation.is_finished() && old.negotiation.turn() > 0 {
                old.negotiation.abandon();
                self.learn_from(&old, voice);
            }
        }
        let start = self.ledger.learned();
        let negotiation = Negotiation::new(
            &self.params,
            self.scenario.clone(),
            &start,
            (self.new_detector)(),
            today(),
        );
        self.stats.sessions += 1;
        let directory = self.records(voice);
        let record = if directory.as_os_str().is_empty() {
            None
        } else {
            match RecordWriter::create(&directory, &id)
                .map(|w| w.snapshot_every(self.params.record.snapshot_every))
            {
                Ok(writer) => Some(writer),
                Err(e) => {
                    self.stats.record_failures += 1;
                    tracing::error!(error = %e, "cannot start the record of this negotiation");
                    None
                }
            }
        };
        let mut session = Session {
            negotiation,
            id,
            record,
            start,
        };
        let report = session
            .negotiation
            .open_streaming(self.speaker.as_mut(), on_sentence);
        self.finish_turn(&mut session, None, &report);
        self.sessions.insert(voice.to_string(), session);
        report
    }

    /// `voice` is gone: its negotiation leaves memory, unfinished and not learned from; its
    /// record stays, so it resumes if that voice comes back. Returns whether it had one.
    pub fn leave(&mut self, voice: &str) -> bool {
        self.sessions.remove(voice).is_some()
    }

    /// One utterance of `voice`, as transcribed: cleaned, then answered sentence by sentence
    /// through `on_sentence`, or ignored.
    pub fn hear(&mut self, voice: &str, raw: &str, on_sentence: &mut dyn FnMut(&str)) -> Heard {
        let max = self.params.node.max_utterance_chars as usize;
        let Some(utterance) = clean_utterance(raw, max) else {
            self.stats.ignored += 1;
            return Heard::Ignored(Ignored::Blank);
        };
        let Some(mut session) = self.sessions.remove(voice) else {
            self.stats.ignored += 1;
            return Heard::Ignored(Ignored::NoNegotiation);
        };
        if utterance.truncated {
            self.stats.truncated += 1;
            tracing::warn!(
                chars = raw.chars().count(),
                max,
                "utterance cut to node.max_utterance_chars"
            );
        }
        let heard = match session.negotiation.respond_streaming(
            &utterance.text,
            self.speaker.as_mut(),
            on_sentence,
        ) {
            Ok(report) => {
                self.finish_turn(&mut session, Some(&utterance.text), &report);
                if report.finished {
                    self.learn_from(&session, voice);
                    session.start = self.ledger.learned();
                }
                Heard::Turn(Box::new(report))
            }
            Err(_) => {
                self.stats.ignored += 1;
                Heard::Ignored(Ignored::Finished)
            }
        };
        self.sessions.insert(voice.to_string(), session);
        heard
    }

    /// Partial words of `voice` (incremental speech recognition), cleaned as an utterance
    /// is: the speaker gets ready for the reply while the debtor is still speaking.
    pub fn prefill(&mut self, voice: &str, partial: &str) {
        let max = self.params.node.max_utterance_chars as usize;
        if let (Some(session), Some(partial)) =
            (self.sessions.get(voice), clean_utterance(partial, max))
        {
            session.negotiation.prefill(
                &partial.text,
                (self.new_detector)(),
                self.speaker.as_mut(),
            );
        }
    }

    /// Counts the turn and appends it to the record (synced before this returns, so before
    /// the caller publishes the turn's state).
    fn finish_turn(&mut self, session: &mut Session, utterance: Option<&str>, report: &TurnReport) {
        if report.turn > 0 {
            self.stats.turns += 1;
        }
        self.stats.fallbacks += u64::from(report.fallback || report.completed);
        self.stats.interrupted += u64::from(report.interrupted);
        if let Some(record) = &mut session.record
            && let Err(e) = record.record_turn(utterance, report, &session.negotiation)
        {
            self.stats.record_failures += 1;
            tracing::error!(error = %e, "cannot record this turn");
        }
    }

    /// Adds what the ended negotiation of `session` changed to the ledger, once, saves it, and
    /// applies the retention of its records.
    fn learn_from(&mut self, session: &Session, voice: &str) {
        self.ledger
            .add_negotiation(&session.id, &session.start, &session.negotiation.learned());
        self.save_learned();
        prune_records(&self.params, &self.records(voice));
    }

    /// Saves the ledger (see [`Params::learned_file`]); a failure is logged and counted, never
    /// fatal: the negotiation itself is unaffected.
    fn save_learned(&mut self) {
        if let Err(e) = save_ledger(&self.params, &self.ledger) {
            self.stats.save_failures += 1;
            tracing::error!(error = %e, "cannot save the learned parameters");
        }
    }
}

/// Applies the records' retention (`record.max_age_days`, `record.max_total_mb`) to the records
/// in `directory`; a failure is logged, never fatal.
pub fn prune_records(params: &Params, directory: &Path) {
    let r = &params.record;
    match crate::record::prune(directory, r.max_age_days, r.max_total_mb) {
        Ok(report) if !report.removed.is_empty() => tracing::info!(
            records = report.removed.len(),
            bytes = report.bytes,
            "removed finished records past record.max_age_days or record.max_total_mb"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot apply the records' retention"),
    }
}

/// Opens the ledger of [`Params::learned_file`] for `negotiation.robot_id`, or one from the
/// priors when nothing is kept. A file that cannot be read is moved aside, with a warning.
pub fn open_ledger(params: &Params) -> Result<Ledger, LearnedError> {
    let robot = &params.negotiation.robot_id;
    let Some(path) = params.learned_file() else {
        tracing::warn!(
            "negotiation.learned_path and record.directory are empty: what is learned is forgotten at exit"
        );
        let id = if robot.is_empty() {
            Ledger::new_robot_id()
        } else {
            robot.clone()
        };
        return Ok(Ledger::from_prior(&id, &params.hmm));
    };
    let (ledger, set_aside) = Ledger::open(&path, robot, &params.hmm)?;
    if let Some(aside) = set_aside {
        tracing::warn!(
            file = %path.display(),
            moved_to = %aside.moved_to.display(),
            reason = %aside.reason,
            "the learned-parameters file could not be read: moved it aside and started from the priors"
        );
    }
    Ok(ledger)
}

/// Saves the ledger to [`Params::learned_file`], when there is one.
pub fn save_ledger(params: &Params, ledger: &Ledger) -> Result<(), LearnedError> {
    match params.learned_file() {
        Some(path) => ledger.save(&path),
        None => Ok(()),
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// An utterance ready for the negotiation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanUtterance {
    /// The text: control characters replaced by spaces, whitespace runs collapsed, trimmed.
    pub text: String,
    /// True when it was cut to the length limit.
    pub truncated: bool,
}

/// Cleans a transcribed utterance; `None` when nothing is left to answer.
pub fn clean_utterance(raw: &str, max_chars: usize) -> Option<CleanUtterance> {
    let mut text = String::new();
    let mut chars = 0;
    let mut truncated = false;
    for word in raw
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        let extra = usize::from(!text.is_empty()) + word.chars().count();
        if chars + extra > max_chars {
            truncated = true;
            if text.is_empty() {
                // One enormous "word": keep its first characters.
                text.extend(word.chars().take(max_chars));
            }
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
        chars += extra;
    }
    (!text.is_empty()).then_some(CleanUtterance { text, truncated })
}

/// A debtor utterance waiting for the agent, stamped when it arrived.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// The utterance as received.
    pub text: String,
    /// When it arrived, for latency figures.
    pub at: Instant,
}

/// The next thing for the agent to do.
#[derive(Debug)]
pub enum Work<R> {
    /// Start a new session for a voice; `R` answers the requester.
    Reset(String, R),
    /// A voice is heard from now on: resume its negotiation or open one.
    Join(String),
    /// A voice is gone: its negotiation leaves memory (its record stays).
    Leave(String),
    /// Answer a voice's utterance.
    Utterance(String, Arrival),
    /// A voice's words so far (incremental recognition): get ready for the reply.
    Partial(String, String),
    /// Take what another robot learned (its published contribution, as JSON).
    Learning(String),
    /// Stop the agent's thread.
    Stop,
}

/// Counters of the inbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxStats {
    /// Utterances received.
    pub received: u64,
    /// Utterances dropped because a newer one of the same voice arrived before the agent got
    /// to them, or a reset or the voice's leaving came first.
    pub dropped: u64,
    /// Barge-ins: utterances that arrived while a reply to the same voice was being spoken.
    pub barge_ins: u64,
}

struct InboxState<R> {
    /// The newest utterance waiting, per voice, and since when the voice has been waiting
    /// (kept when a newer utterance replaces an older one).
    utterances: BTreeMap<String, (Arrival, Instant)>,
    resets: VecDeque<(String, R)>,
    /// Joins and leaves, in the order they happened.
    voices: VecDeque<Work<R>>,
    learning: VecDeque<String>,
    /// The newest partial words per voice, until its utterance arrives.
    partials: BTreeMap<String, String>,
    stop: bool,
    /// The voice whose work the agent is doing.
    busy: Option<String>,
    stats: InboxStats,
}

/// The hand-over from the listeners to the agent's thread. Per voice at most one utterance
/// waits: the newest wins and older ones are dropped and counted. An utterance arriving while
/// the agent answers the same voice triggers the [`Interrupt`], so the reply in progress stops
/// (barge-in); another voice's utterance waits its turn. Resets come first and drop their
/// voice's waiting utterance, which belonged to the old session; then joins and leaves in
/// order; then utterances, of the voice that has waited longest, so that under a burst the
/// voices take turns and none starves another.
pub struct Inbox<R> {
    state: Mutex<InboxState<R>>,
    ready: Condvar,
    interrupt: Interrupt,
}

impl<R> Inbox<R> {
    /// An empty inbox that triggers `interrupt` on barge-in.
    pub fn new(interrupt: Interrupt) -> Self {
        Inbox {
            state: Mutex::new(InboxState {
                utterances: BTreeMap::new(),
                resets: VecDeque::new(),
                voices: VecDeque::new(),
                learning: VecDeque::new(),
                partials: BTreeMap::new(),
                stop: false,
                busy: None,
                stats: InboxStats::default(),
            }),
            ready: Condvar::new(),
            interrupt,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, InboxState<R>> {
        // A panic elsewhere while holding the lock leaves plain data behind; keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stops the reply in progress when it answers `voice`.
    fn interrupt_if_busy_with(&self, state: &InboxState<R>, voice: &str) -> bool {
        let busy = state.busy.as_deref() == Some(voice);
        if busy {
            self.interrupt.trigger();
        }
        busy
    }

    /// Hands over partial words of `voice`; they are taken only when nothing else waits, and
    /// forgotten once the voice's utterance arrives.
    pub fn push_partial(&self, voice: &str, text: String) {
        let mut state = self.state();
        state.partials.insert(voice.to_string(), text);
        self.ready.notify_one();
    }

    /// Hands over an utterance of `voice`; returns the one of that voice it replaced, if any.
    pub fn push_utterance(&self, voice: &str, arrival: Arrival) -> Option<Arrival> {
        let mut state = self.state();
        state.stats.received += 1;
        state.partials.remove(voice);
        if self.interrupt_if_busy_with(&state, voice) {
            state.stats.barge_ins += 1;
        }
        let since = state
            .utterances
            .get(voice)
            .map_or(arrival.at, |(_, since)| *since);
        let replaced = state
            .utterances
            .insert(voice.to_string(), (arrival, since))
            .map(|(old, _)| old);
        state.stats.dropped += u64::from(replaced.is_some());
        self.ready.notify_one();
        replaced
    }

    /// Asks for a new session of `voice`; interrupts the reply to it in progress.
    pub fn push_reset(&self, voice: &str, requester: R) {
        let mut state = self.state();
        self.interrupt_if_busy_with(&state, voice);
        state.resets.push_back((voice.to_string(), requester));
        self.ready.notify_one();
    }

    /// `voice` is heard from now on.
    pub fn push_join(&self, voice: &str) {
        let mut state = self.state();
        state.voices.push_back(Work::Join(voice.to_string()));
        self.ready.notify_one();
    }

    /// `voice` is gone: its waiting utterance is dropped and a reply to it stops.
    pub fn push_leave(&self, voice: &str) {
        let mut state = self.state();
        self.interrupt_if_busy_with(&state, voice);
        if state.utterances.remove(voice).is_some() {
            state.stats.dropped += 1;
        }
        state.partials.remove(voice);
        state.voices.push_back(Work::Leave(voice.to_string()));
        self.ready.notify_one();
    }

    /// Hands over another robot's published contribution; it waits behind the debtors' turns
    /// and never interrupts a reply.
    pub fn push_learning(&self, text: String) {
        let mut state = self.state();
        state.learning.push_back(text);
        self.ready.notify_one();
    }

    /// Asks the agent's thread to stop; resets still waiting are dropped, so their requesters
    /// hear that no new session opened.
    pub fn stop(&self) {
        let mut state = self.state();
        state.stop = true;
        state.resets.clear();
        self.interrupt.trigger();
        self.ready.notify_one();
    }

    /// The counters so far.
    pub fn stats(&self) -> InboxStats {
        self.state().stats
    }

    /// Waits for the next work and marks the agent busy with its voice; clears the interrupt,
    /// so only arrivals after this point cut the coming reply.
    pub fn next(&self) -> Work<R> {
        let mut state = self.state();
        state.busy = None;
        loop {
            if state.stop {
                return Work::Stop;
            }
            if let Some((voice, requester)) = state.resets.pop_front() {
                if state.utterances.remove(&voice).is_some() {
                    state.stats.dropped += 1;
                }
                state.busy = Some(voice.clone());
                self.interrupt.clear();
                return Work::Reset(voice, requester);
            }
            if let Some(change) = state.voices.pop_front() {
                if let Work::Join(voice) = &change {
                    state.busy = Some(voice.clone());
                    self.interrupt.clear();
                }
                return change;
            }
            let longest_waiting = state
                .utterances
                .iter()
                .min_by_key(|(_, (_, since))| *since)
                .map(|(voice, _)| voice.clone());
            if let Some(voice) = longest_waiting {
                let (arrival, _) = state.utterances.remove(&voice).expect("just found");
                state.busy = Some(voice.clone());
                self.interrupt.clear();
                return Work::Utterance(voice, arrival);
            }
            if let Some(text) = state.learning.pop_front() {
                return Work::Learning(text);
            }
            if let Some((voice, text)) = state.partials.pop_first() {
                return Work::Partial(voice, text);
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Marks the agent idle (its work is done and nothing new was taken).
    pub fn done(&self) {
        self.state().busy = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceive::LexiconDetector;
    use crate::speak::TemplateSpeaker;

    /// An agent with the template speaker, recording into `records` (empty: no record).
    fn agent_recording(records: &std::path::Path) -> Agent {
        let mut params = Params::default();
        params.record.directory = records.to_path_buf();
        Agent::new(
            &params,
            Scenario::builtin(),
            Box::new(|| Box::new(LexiconDetector::new()) as Box<dyn EmotionDetector>),
            Box::new(TemplateSpeaker::new(1)),
            open_ledger(&params).unwrap(),
        )
    }

    fn agent() -> Agent {
        agent_recording(std::path::Path::new(""))
    }

    fn arrival(text: &str) -> Arrival {
        Arrival {
            text: text.into(),
            at: Instant::now(),
        }
    }

    #[test]
    fn utterances_are_cleaned_and_blank_ones_refused() {
        assert_eq!(clean_utterance(" \t\n\u{0}\u{7} ", 100), None);
        let c = clean_utterance("I can\u{1b}[31m pay\r\nin  60 days\u{0}", 100).unwrap();
        assert_eq!(c.text, "I can [31m pay in 60 days");
        assert!(!c.truncated);
        let long = "word ".repeat(30_000);
        let c = clean_utterance(&long, 2000).unwrap();
        assert!(c.truncated && c.text.chars().count() <= 2000 && c.text.ends_with("word"));
        let blob = "x".repeat(100_000);
        let c = clean_utterance(&blob, 50).unwrap();
        assert_eq!(c.text.len(), 50);
        assert!(c.truncated);
    }

    #[test]
    fn sessions_negotiate_stream_and_restart_keeping_what_was_learned() {
        let mut agent = agent();
        let mut said = Vec::new();
        let open = agent.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |s| {
            said.push(s.to_string())
        });
        let first_session = agent.session_id(PLAIN_VOICE).to_string();
        assert_eq!(open.turn, 0);
        assert_eq!(said.join(" "), open.reply, "the opening is streamed whole");

        said.clear();
        assert_eq!(
            agent.hear(PLAIN_VOICE, "   ", &mut |s| said.push(s.into())),
            Heard::Ignored(Ignored::Blank)
        );
        let Heard::Turn(t1) =
            agent.hear(PLAIN_VOICE, "I need 90 days.", &mut |s| said.push(s.into()))
        else {
            panic!("a turn")
        };
        assert_eq!(said.join(" "), t1.reply);
        let Heard::Turn(t2) = agent.hear(PLAIN_VOICE, "Ok, deal.", &mut |_| {}) else {
            panic!("a turn")
        };
        assert!(t2.finished && t2.agreement.reached);
        assert_eq!(
            agent.hear(PLAIN_VOICE, "hello?", &mut |_| {}),
            Heard::Ignored(Ignored::Finished)
        );
        let learned = agent
            .negotiation(PLAIN_VOICE)
            .unwrap()
            .learned()
            .negotiations;
        assert_eq!(learned, 1);

        agent.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        assert_ne!(agent.session_id(PLAIN_VOICE), first_session);
        assert_eq!(agent.negotiation(PLAIN_VOICE).unwrap().turn(), 0);
        assert_eq!(
            agent
                .negotiation(PLAIN_VOICE)
                .unwrap()
                .learned()
                .negotiations,
            1
        );
        let stats = agent.stats();
        assert_eq!((stats.sessions, stats.turns, stats.ignored), (2, 2, 2));
    }

    #[test]
    fn an_unfinished_session_is_learned_as_a_failure_on_reset() {
        let mut agent = agent();
        agent.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        agent.hear(PLAIN_VOICE, "I need 90 days.", &mut |_| {});
        agent.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        assert_eq!(
            agent
                .negotiation(PLAIN_VOICE)
                .unwrap()
                .learned()
                .negotiations,
            1
        );
    }

    #[test]
    fn learning_is_kept_beside_the_records_and_a_kill_before_the_save_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let learned_file = dir.path().join("learned.json");
        let mut first = agent_recording(dir.path());
        first.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        first.hear(PLAIN_VOICE, "I need 90 days.", &mut |_| {});
        first.hear(PLAIN_VOICE, "Ok, deal.", &mut |_| {});
        let after_one = std::fs::read(&learned_file).expect("saved beside the records");
        let robot = first.ledger().robot.clone();
        first.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        first.hear(PLAIN_VOICE, "I can do 60 days, no more.", &mut |_| {});
        first.hear(PLAIN_VOICE, "Fine, deal.", &mut |_| {});
        let learned = first.ledger().learned();
        assert_eq!(learned.negotiations, 2);
        // As if killed after the record's last line, before the ledger was saved.
        std::fs::write(&learned_file, &after_one).unwrap();
        drop(first);

        let mut second = agent_recording(dir.path());
        assert_eq!(second.ledger().robot, robot, "the id is kept in the file");
        assert_eq!(second.ledger().learned().negotiations, 1);
        assert_eq!(
            second.resume_latest(PLAIN_VOICE).unwrap(),
            None,
            "nothing unfinished"
        );
        let recovered = second.ledger().learned();
        assert_eq!(recovered.negotiations, 2);
        let diff: f64 = recovered
            .hmm
            .emission
            .as_flattened()
            .iter()
            .zip(learned.hmm.emission.as_flattened())
            .map(|(a, b)| (a - b).abs())
            .sum();
        assert!(diff < 1e-9, "{diff}");
        second.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        assert_eq!(
            second
                .negotiation(PLAIN_VOICE)
                .unwrap()
                .learned()
                .negotiations,
            2
        );
        // Saved, and learned once: a third start adds nothing more.
        drop(second);
        let mut third = agent_recording(dir.path());
        third.resume_latest(PLAIN_VOICE).unwrap();
        assert_eq!(third.ledger().learned().negotiations, 2);
    }

    #[test]
    fn the_newest_utterance_wins_and_a_busy_agent_is_interrupted() {
        let interrupt = Interrupt::new();
        let inbox: Inbox<()> = Inbox::new(interrupt.clone());
        assert!(inbox.push_utterance(PLAIN_VOICE, arrival("one")).is_none());
        let Work::Utterance(_, a) = inbox.next() else {
            panic!("an utterance")
        };
        assert_eq!(a.text, "one");
        assert!(!interrupt.is_triggered());
        // While busy with "one", a burst arrives.
        for i in 0..1000 {
            inbox.push_utterance(PLAIN_VOICE, arrival(&format!("burst {i}")));
        }
        assert!(interrupt.is_triggered(), "barge-in");
        let Work::Utterance(_, b) = inbox.next() else {
            panic!("an utterance")
        };
        assert_eq!(b.text, "burst 999");
        assert!(!interrupt.is_triggered(), "cleared for the new reply");
        let stats = inbox.stats();
        assert_eq!(
            stats,
            InboxStats {
                received: 1001,
                dropped: 999,
                barge_ins: 1000
            }
        );
    }

    #[test]
    fn resets_come_first_and_drop_the_old_sessions_utterance() {
        let inbox: Inbox<u8> = Inbox::new(Interrupt::new());
        inbox.push_utterance(PLAIN_VOICE, arrival("old"));
        inbox.push_reset(PLAIN_VOICE, 7);
        assert!(matches!(inbox.next(), Work::Reset(_, 7)));
        inbox.done();
        inbox.stop();
        assert!(matches!(inbox.next(), Work::Stop));
        assert_eq!(inbox.stats().dropped, 1);
    }

    #[test]
    fn the_agent_thread_wakes_for_work_from_another_thread() {
        let inbox = std::sync::Arc::new(Inbox::<()>::new(Interrupt::new()));
        let sender = inbox.clone();
        let listener = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            sender.push_utterance(PLAIN_VOICE, arrival("late"));
        });
        let Work::Utterance(_, a) = inbox.next() else {
            panic!("an utterance")
        };
        assert_eq!(a.text, "late");
        listener.join().unwrap();
    }

    #[test]
    fn a_restarted_agent_resumes_the_unfinished_negotiation_from_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let make = || agent_recording(dir.path());
        let mut first = make();
        assert_eq!(
            first.resume_latest(PLAIN_VOICE).unwrap(),
            None,
            "nothing to resume yet"
        );
        first.start_session(PLAIN_VOICE, crate::record::new_session_id(), &mut |_| {});
        let Heard::Turn(t1) = first.hear(PLAIN_VOICE, "I'm furious, I need 90 days.", &mut |_| {})
        else {
            panic!("a turn")
        };
        let session = first.session_id(PLAIN_VOICE).to_string();
        drop(first); // as if killed: nothing else is written

        let mut second = make();
        assert_eq!(
            second.resume_latest(PLAIN_VOICE).unwrap(),
            Some(session.clone())
        );
        assert_eq!(second.negotiation(PLAIN_VOICE).unwrap().turn(), 1);
        assert_eq!(
            &second.negotiation(PLAIN_VOICE).unwrap().snapshot().belief,
            t1.belief.as_array()
        );
        let Heard::Turn(t2) = second.hear(PLAIN_VOICE, "Ok, deal.", &mut |_| {}) else {
            panic!("a turn")
        };
        assert_eq!(t2.turn, 2);
        let record =
            crate::record::load(&crate::record::session_path(dir.path(), &session)).unwrap();
        assert_eq!(record.lines.len(), 3, "opening and two turns, none twice");
        assert!(record.is_finished());
    }

    #[test]
    fn two_voices_negotiate_side_by_side_each_with_its_own_session_and_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut agent = agent_recording(dir.path());
        agent.start_session("alice", crate::record::new_session_id(), &mut |_| {});
        agent.start_session("bob", crate::record::new_session_id(), &mut |_| {});
        assert_ne!(agent.session_id("alice"), agent.session_id("bob"));
        agent.hear("alice", "I need 90 days.", &mut |_| {});
        agent.hear("bob", "I can't pay, I need 200 days.", &mut |_| {});
        agent.hear("alice", "Could we say 60 days?", &mut |_| {});
        let alice = agent.negotiation("alice").unwrap();
        let bob = agent.negotiation("bob").unwrap();
        assert_eq!((alice.turn(), bob.turn()), (2, 1));
        let said = |n: &Negotiation| {
            n.dialogue()
                .iter()
                .filter(|l| l.side == crate::speak::Side::Debtor)
                .map(|l| l.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(said(alice), ["I need 90 days.", "Could we say 60 days?"]);
        assert_eq!(said(bob), ["I can't pay, I need 200 days."]);
        // Each voice's record is in its own folder; the plain voice has none.
        let voice_dir = |v: &str| dir.path().join("voices").join(v);
        for (voice, lines) in [("alice", 3), ("bob", 2)] {
            let path = crate::record::session_path(&voice_dir(voice), agent.session_id(voice));
            assert_eq!(crate::record::load(&path).unwrap().lines.len(), lines);
        }
        assert_eq!(crate::record::latest(dir.path()).unwrap(), None);
        assert_eq!(
            agent.hear("carol", "Hello?", &mut |_| {}),
            Heard::Ignored(Ignored::NoNegotiation)
        );
    }

    #[test]
    fn a_voice_that_leaves_resumes_from_its_record_when_it_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut agent = agent_recording(dir.path());
        agent.start_session("alice", crate::record::new_session_id(), &mut |_| {});
        agent.hear("alice", "I need 90 days.", &mut |_| {});
        let session = agent.session_id("alice").to_string();
        assert!(agent.leave("alice"));
        assert!(agent.negotiation("alice").is_none());
        assert_eq!(
            agent.ledger().learned().negotiations,
            0,
            "leaving is not an end"
        );
        assert_eq!(agent.resume_latest("alice").unwrap(), Some(session));
        assert_eq!(agent.negotiation("alice").unwrap().turn(), 1);
        assert_eq!(agent.resume_latest("bob").unwrap(), None);
        assert!(!valid_voice("../etc") && !valid_voice("a b") && !valid_voice("9lives"));
        assert!(valid_voice("anonymous_speaker"));
    }

    #[test]
    fn each_voice_keeps_its_newest_utterance_and_only_its_own_reply_is_interrupted() {
        let interrupt = Interrupt::new();
        let inbox: Inbox<()> = Inbox::new(interrupt.clone());
        inbox.push_utterance("alice", arrival("alice one"));
        let Work::Utterance(voice, _) = inbox.next() else {
            panic!("an utterance")
        };
        assert_eq!(voice, "alice");
        // While answering alice: bob speaks (waits), then alice again (barge-in).
        inbox.push_utterance("bob", arrival("bob one"));
        assert!(
            !interrupt.is_triggered(),
            "another voice does not cut the reply"
        );
        inbox.push_utterance("bob", arrival("bob two"));
        inbox.push_utterance("alice", arrival("alice two"));
        assert!(interrupt.is_triggered());
        inbox.push_join("carol");
        // Joins first; then the voice waiting longest (bob, with his newest).
        assert!(matches!(inbox.next(), Work::Join(v) if v == "carol"));
        let Work::Utterance(voice, a) = inbox.next() else {
            panic!("an utterance")
        };
        assert_eq!((voice.as_str(), a.text.as_str()), ("bob", "bob two"));
        inbox.push_leave("alice");
        assert!(matches!(inbox.next(), Work::Leave(v) if v == "alice"));
        let stats = inbox.stats();
        assert_eq!((stats.received, stats.dropped, stats.barge_ins), (4, 2, 1));
    }

    #[test]
    fn under_a_burst_from_two_voices_they_take_turns() {
        let inbox: Inbox<()> = Inbox::new(Interrupt::new());
        let mut served = Vec::new();
        for round in 0..4 {
            // Both speak again while the agent answers; alice always a moment first.
            inbox.push_utterance("alice", arrival(&format!("alice {round}")));
            inbox.push_utterance("bob", arrival(&format!("bob {round}")));
            let Work::Utterance(voice, _) = inbox.next() else {
                panic!("an utterance")
            };
            served.push(voice);
        }
        assert_eq!(served, ["alice", "bob", "alice", "bob"]);
    }
}
