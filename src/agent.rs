//! The long-running agent behind the ROS node: one negotiation after another.
//!
//! [`Agent`] owns the speaker, the [`Ledger`] of what was learned and the current
//! [`Negotiation`]. It cleans each utterance as it arrives (control characters, length, blank
//! input), starts a new session on request, and adds what each negotiation changed to the
//! ledger, saved whenever a negotiation ends. [`Inbox`] is the hand-over
//! between whoever hears the debtor and the agent's thread, with the burst policy: the newest
//! utterance wins, older waiting ones are dropped and counted, and a new utterance interrupts the
//! reply being spoken (barge-in).

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

/// One negotiation after another with the same speaker and a growing memory.
pub struct Agent {
    params: Params,
    scenario: Scenario,
    new_detector: DetectorFactory,
    speaker: Box<dyn Speaker>,
    negotiation: Negotiation,
    session_id: String,
    record: Option<RecordWriter>,
    stats: AgentStats,
    ledger: Ledger,
    /// The learned state the current negotiation started from.
    start: LearnedParameters,
}

impl Agent {
    /// An agent for `scenario`, learning into `ledger` (see [`open_ledger`]); call
    /// [`Agent::start_session`] to open.
    pub fn new(
        params: &Params,
        scenario: Scenario,
        mut new_detector: DetectorFactory,
        speaker: Box<dyn Speaker>,
        ledger: Ledger,
    ) -> Agent {
        let start = ledger.learned();
        let negotiation =
            Negotiation::new(params, scenario.clone(), &start, new_detector(), today());
        Agent {
            ledger,
            start,
            params: params.clone(),
            scenario,
            new_detector,
            speaker,
            negotiation,
            session_id: String::new(),
            record: None,
            stats: AgentStats::default(),
        }
    }

    /// Continues the latest negotiation of `record.directory` when it was left unfinished
    /// (a crash, a power cut): the same session, turn, belief and dialogue. Returns its session
    /// id, or `None` when there is nothing to resume. A torn last line is reported and left out.
    ///
    /// A finished latest negotiation whose learning never reached the ledger (a kill between
    /// the record's last line and the save) is learned from its record instead: its first
    /// line holds the state it started from, its last the state it ended with.
    pub fn resume_latest(&mut self) -> Result<Option<String>, RecordError> {
        let directory = &self.params.record.directory;
        if directory.as_os_str().is_empty() {
            return Ok(None);
        }
        let Some(path) = crate::record::latest(directory)? else {
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
            let learned_up_to = self.ledger.own().map_or("", |c| c.last_session.as_str());
            // Session ids sort by creation time: only a newer record can be missing.
            if last.session.as_str() > learned_up_to {
                self.ledger.add_negotiation(
                    &last.session,
                    &first.snapshot.learned(),
                    &last.snapshot.learned(),
                );
                self.renew_from_ledger();
                tracing::warn!(session = %last.session, "the last negotiation was recorded but not learned from; learned it from its record");
                self.save_learned();
            }
            return Ok(None);
        }
        self.start = first.snapshot.learned();
        self.negotiation = loaded.resume(&self.params, (self.new_detector)())?;
        self.record =
            Some(RecordWriter::reopen(&loaded)?.snapshot_every(self.params.record.snapshot_every));
        self.session_id = loaded.session().unwrap_or_default().to_string();
        self.stats.sessions += 1;
        tracing::info!(session = %self.session_id, turn = self.negotiation.turn(), "resumed an unfinished negotiation");
        Ok(Some(self.session_id.clone()))
    }

    /// The current session's id (empty before the first session).
    pub fn session_id(&self) -> &str {
        &self.session_id
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
    /// validated): the negotiation in progress and the ones after it use them.
    pub fn update_params(&mut self, params: &Params) {
        self.negotiation.update_params(params);
        self.params = params.clone();
    }

    /// The current negotiation.
    pub fn negotiation(&self) -> &Negotiation {
        &self.negotiation
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

    /// Ends the current negotiation (an unfinished one the debtor answered counts as failed for
    /// learning), saves what was learned, and opens a new one; its opening goes to
    /// `on_sentence`.
    pub fn start_session(&mut self, on_sentence: &mut dyn FnMut(&str)) -> TurnReport {
        // A negotiation the debtor never answered taught nothing: it is not counted.
        if !self.session_id.is_empty()
            && !self.negotiation.is_finished()
            && self.negotiation.turn() > 0
        {
            self.negotiation.abandon();
            self.learn_from_negotiation();
        }
        self.renew_from_ledger();
        self.stats.sessions += 1;
        self.session_id = crate::record::new_session_id();
        let directory = &self.params.record.directory;
        self.record = if directory.as_os_str().is_empty() {
            None
        } else {
            match RecordWriter::create(directory, &self.session_id)
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
        let report = self
            .negotiation
            .open_streaming(self.speaker.as_mut(), on_sentence);
        self.finish_turn(None, &report);
        report
    }

    /// One utterance of the debtor, as transcribed: cleaned, then answered sentence by sentence
    /// through `on_sentence`, or ignored.
    pub fn hear(&mut self, raw: &str, on_sentence: &mut dyn FnMut(&str)) -> Heard {
        let max = self.params.node.max_utterance_chars as usize;
        let Some(utterance) = clean_utterance(raw, max) else {
            self.stats.ignored += 1;
            return Heard::Ignored(Ignored::Blank);
        };
        if utterance.truncated {
            self.stats.truncated += 1;
            tracing::warn!(
                chars = raw.chars().count(),
                max,
                "utterance cut to node.max_utterance_chars"
            );
        }
        let Ok(report) =
            self.negotiation
                .respond_streaming(&utterance.text, self.speaker.as_mut(), on_sentence)
        else {
            self.stats.ignored += 1;
            return Heard::Ignored(Ignored::Finished);
        };
        self.finish_turn(Some(&utterance.text), &report);
        if report.finished {
            self.learn_from_negotiation();
        }
        Heard::Turn(Box::new(report))
    }

    /// Counts the turn and appends it to the record (synced before this returns, so before
    /// the caller publishes the turn's state).
    fn finish_turn(&mut self, utterance: Option<&str>, report: &TurnReport) {
        if report.turn > 0 {
            self.stats.turns += 1;
        }
        self.stats.fallbacks += u64::from(report.fallback || report.completed);
        self.stats.interrupted += u64::from(report.interrupted);
        if let Some(record) = &mut self.record
            && let Err(e) = record.record_turn(utterance, report, &self.negotiation)
        {
            self.stats.record_failures += 1;
            tracing::error!(error = %e, "cannot record this turn");
        }
    }

    /// A fresh negotiation from what the ledger holds now (its starting state kept to learn
    /// from when it ends).
    fn renew_from_ledger(&mut self) {
        self.start = self.ledger.learned();
        self.negotiation = Negotiation::new(
            &self.params,
            self.scenario.clone(),
            &self.start,
            (self.new_detector)(),
            today(),
        );
    }

    /// Adds what the ended negotiation changed to the ledger, once, and saves it.
    fn learn_from_negotiation(&mut self) {
        self.ledger
            .add_negotiation(&self.session_id, &self.start, &self.negotiation.learned());
        self.start = self.ledger.learned();
        self.save_learned();
        prune_records(&self.params);
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

/// Applies the records' retention (`record.max_age_days`, `record.max_total_mb`); a failure
/// is logged, never fatal.
pub fn prune_records(params: &Params) {
    let r = &params.record;
    match crate::record::prune(&r.directory, r.max_age_days, r.max_total_mb) {
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
    /// Start a new session; `R` answers the requester.
    Reset(R),
    /// Answer an utterance.
    Utterance(Arrival),
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
    /// Utterances dropped because a newer one arrived before the agent got to them, or a reset
    /// came first.
    pub dropped: u64,
    /// Barge-ins: utterances that arrived while a reply was being spoken.
    pub barge_ins: u64,
}

struct InboxState<R> {
    utterance: Option<Arrival>,
    resets: Vec<R>,
    learning: Vec<String>,
    stop: bool,
    busy: bool,
    stats: InboxStats,
}

/// The hand-over from the listener to the agent's thread. At most one utterance waits: the
/// newest wins and older ones are dropped and counted. An utterance arriving while the agent is
/// answering triggers the [`Interrupt`], so the reply in progress stops (barge-in). Resets come
/// before utterances and drop the utterance waiting, which belonged to the old session.
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
                utterance: None,
                resets: Vec::new(),
                learning: Vec::new(),
                stop: false,
                busy: false,
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

    /// Hands over an utterance; returns the one it replaced, if any.
    pub fn push_utterance(&self, arrival: Arrival) -> Option<Arrival> {
        let mut state = self.state();
        state.stats.received += 1;
        if state.busy {
            state.stats.barge_ins += 1;
            self.interrupt.trigger();
        }
        let replaced = state.utterance.replace(arrival);
        state.stats.dropped += u64::from(replaced.is_some());
        self.ready.notify_one();
        replaced
    }

    /// Asks for a new session; interrupts the reply in progress.
    pub fn push_reset(&self, requester: R) {
        let mut state = self.state();
        if state.busy {
            self.interrupt.trigger();
        }
        state.resets.push(requester);
        self.ready.notify_one();
    }

    /// Hands over another robot's published contribution; it waits behind the debtor's turns
    /// and never interrupts a reply.
    pub fn push_learning(&self, text: String) {
        let mut state = self.state();
        state.learning.push(text);
        self.ready.notify_one();
    }

    /// Asks the agent's thread to stop.
    pub fn stop(&self) {
        let mut state = self.state();
        state.stop = true;
        self.interrupt.trigger();
        self.ready.notify_one();
    }

    /// The counters so far.
    pub fn stats(&self) -> InboxStats {
        self.state().stats
    }

    /// Waits for the next work and marks the agent busy with it; clears the interrupt, so only
    /// arrivals after this point cut the coming reply.
    pub fn next(&self) -> Work<R> {
        let mut state = self.state();
        state.busy = false;
        loop {
            if state.stop {
                return Work::Stop;
            }
            if !state.resets.is_empty() {
                let requester = state.resets.remove(0);
                if state.utterance.take().is_some() {
                    state.stats.dropped += 1;
                }
                state.busy = true;
                self.interrupt.clear();
                return Work::Reset(requester);
            }
            if let Some(arrival) = state.utterance.take() {
                state.busy = true;
                self.interrupt.clear();
                return Work::Utterance(arrival);
            }
            if !state.learning.is_empty() {
                return Work::Learning(state.learning.remove(0));
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Marks the agent idle (its work is done and nothing new was taken).
    pub fn done(&self) {
        self.state().busy = false;
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
        let open = agent.start_session(&mut |s| said.push(s.to_string()));
        let first_session = agent.session_id().to_string();
        assert_eq!(open.turn, 0);
        assert_eq!(said.join(" "), open.reply, "the opening is streamed whole");

        said.clear();
        assert_eq!(
            agent.hear("   ", &mut |s| said.push(s.into())),
            Heard::Ignored(Ignored::Blank)
        );
        let Heard::Turn(t1) = agent.hear("I need 90 days.", &mut |s| said.push(s.into())) else {
            panic!("a turn")
        };
        assert_eq!(said.join(" "), t1.reply);
        let Heard::Turn(t2) = agent.hear("Ok, deal.", &mut |_| {}) else {
            panic!("a turn")
        };
        assert!(t2.finished && t2.agreement.reached);
        assert_eq!(
            agent.hear("hello?", &mut |_| {}),
            Heard::Ignored(Ignored::Finished)
        );
        let learned = agent.negotiation().learned().negotiations;
        assert_eq!(learned, 1);

        agent.start_session(&mut |_| {});
        assert_ne!(agent.session_id(), first_session);
        assert_eq!(agent.negotiation().turn(), 0);
        assert_eq!(agent.negotiation().learned().negotiations, 1);
        let stats = agent.stats();
        assert_eq!((stats.sessions, stats.turns, stats.ignored), (2, 2, 2));
    }

    #[test]
    fn an_unfinished_session_is_learned_as_a_failure_on_reset() {
        let mut agent = agent();
        agent.start_session(&mut |_| {});
        agent.hear("I need 90 days.", &mut |_| {});
        agent.start_session(&mut |_| {});
        assert_eq!(agent.negotiation().learned().negotiations, 1);
    }

    #[test]
    fn learning_is_kept_beside_the_records_and_a_kill_before_the_save_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let learned_file = dir.path().join("learned.json");
        let mut first = agent_recording(dir.path());
        first.start_session(&mut |_| {});
        first.hear("I need 90 days.", &mut |_| {});
        first.hear("Ok, deal.", &mut |_| {});
        let after_one = std::fs::read(&learned_file).expect("saved beside the records");
        let robot = first.ledger().robot.clone();
        first.start_session(&mut |_| {});
        first.hear("I can do 60 days, no more.", &mut |_| {});
        first.hear("Fine, deal.", &mut |_| {});
        let learned = first.ledger().learned();
        assert_eq!(learned.negotiations, 2);
        // As if killed after the record's last line, before the ledger was saved.
        std::fs::write(&learned_file, &after_one).unwrap();
        drop(first);

        let mut second = agent_recording(dir.path());
        assert_eq!(second.ledger().robot, robot, "the id is kept in the file");
        assert_eq!(second.ledger().learned().negotiations, 1);
        assert_eq!(second.resume_latest().unwrap(), None, "nothing unfinished");
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
        assert_eq!(second.negotiation().learned().negotiations, 2);
        // Saved, and learned once: a third start adds nothing more.
        drop(second);
        let mut third = agent_recording(dir.path());
        third.resume_latest().unwrap();
        assert_eq!(third.ledger().learned().negotiations, 2);
    }

    #[test]
    fn the_newest_utterance_wins_and_a_busy_agent_is_interrupted() {
        let interrupt = Interrupt::new();
        let inbox: Inbox<()> = Inbox::new(interrupt.clone());
        assert!(inbox.push_utterance(arrival("one")).is_none());
        let Work::Utterance(a) = inbox.next() else {
            panic!("an utterance")
        };
        assert_eq!(a.text, "one");
        assert!(!interrupt.is_triggered());
        // While busy with "one", a burst arrives.
        for i in 0..1000 {
            inbox.push_utterance(arrival(&format!("burst {i}")));
        }
        assert!(interrupt.is_triggered(), "barge-in");
        let Work::Utterance(b) = inbox.next() else {
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
        inbox.push_utterance(arrival("old"));
        inbox.push_reset(7);
        assert!(matches!(inbox.next(), Work::Reset(7)));
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
            sender.push_utterance(arrival("late"));
        });
        let Work::Utterance(a) = inbox.next() else {
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
            first.resume_latest().unwrap(),
            None,
            "nothing to resume yet"
        );
        first.start_session(&mut |_| {});
        let Heard::Turn(t1) = first.hear("I'm furious, I need 90 days.", &mut |_| {}) else {
            panic!("a turn")
        };
        let session = first.session_id().to_string();
        drop(first); // as if killed: nothing else is written

        let mut second = make();
        assert_eq!(second.resume_latest().unwrap(), Some(session.clone()));
        assert_eq!(second.negotiation().turn(), 1);
        assert_eq!(
            &second.negotiation().snapshot().belief,
            t1.belief.as_array()
        );
        let Heard::Turn(t2) = second.hear("Ok, deal.", &mut |_| {}) else {
            panic!("a turn")
        };
        assert_eq!(t2.turn, 2);
        let record =
            crate::record::load(&crate::record::session_path(dir.path(), &session)).unwrap();
        assert_eq!(record.lines.len(), 3, "opening and two turns, none twice");
        assert!(record.is_finished());
    }
}
