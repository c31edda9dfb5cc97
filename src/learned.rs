//! What the agent learns over its lifetime, saved as a versioned JSON file between negotiations.
//!
//! [`LearnedParameters`] is the learned state a negotiation starts from: the HMM's Dirichlet
//! counts, the policy's payoff adjustments and its tone statistics. Every one of them is a sum
//! of what single negotiations added, which is what lets robots pool what they learned.
//!
//! The file is a [`Ledger`]: the state learning started from (the priors, or an older file) and,
//! per robot, the sum of everything that robot's negotiations added, with a sequence number
//! counting them. The state is the base plus every robot's contribution. Merging two ledgers
//! keeps, per robot, the contribution with the higher sequence number: it includes the lower
//! one, so merging is associative and commutative, and a file merged twice is not counted twice.
//! A node shares its own contribution the same way (see [`crate::ros`]).
//!
//! Files are written atomically (temporary file, sync, rename) so a crash never leaves half a
//! file behind. A file that cannot be read as a ledger is never overwritten: [`Ledger::open`]
//! moves it aside, names it in a warning, and starts from the priors.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::decide::{PayoffAdjustments, ToneStats};
use crate::params::HmmParams;
use crate::track::HmmCounts;

/// Version of the [`LearnedParameters`] format (also the whole file of older builds).
pub const FORMAT_VERSION: u32 = 1;

/// Version of the [`Ledger`] file format this build writes.
pub const LEDGER_VERSION: u32 = 2;

/// Errors loading or saving learned parameters.
#[derive(Debug, thiserror::Error)]
pub enum LearnedError {
    /// The file could not be read or written.
    #[error(
        "cannot {action} learned parameters at {path}: {source} (check that its directory exists and is writable: negotiation.learned_path, or record.directory when that is empty)"
    )]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a learned-parameters file this build understands.
    #[error(
        "learned parameters file {path} is invalid: {message} (move it aside to start learning afresh)"
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Two ledgers that started from different states cannot be added up.
    #[error(
        "cannot merge {path}: it started from different priors than the files before it (merge only files of robots configured with the same hmm parameters)"
    )]
    DifferentBase {
        /// The file that differs.
        path: PathBuf,
    },
    /// One robot id with two different histories of the same length: the id was copied onto
    /// two robots.
    #[error(
        "cannot merge {path}: robot {robot:?} has two different contributions numbered {sequence} (give each robot its own negotiation.robot_id)"
    )]
    Conflict {
        /// The file where the second history was found.
        path: PathBuf,
        /// The robot id.
        robot: String,
        /// The sequence number both claim.
        sequence: u64,
    },
}

/// Everything learned across negotiations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnedParameters {
    /// File format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// How many negotiations have been learned from.
    pub negotiations: u64,
    /// The HMM's pseudo-counts.
    pub hmm: HmmCounts,
    /// Learned corrections to the creditor's payoff table.
    pub payoff: PayoffAdjustments,
    /// How each of the agent's tones turned out in each debtor context (absent in older files).
    #[serde(default)]
    pub tones: ToneStats,
}

impl LearnedParameters {
    /// Nothing learned yet: counts from the priors, no payoff adjustments.
    pub fn from_prior(params: &HmmParams) -> Self {
        LearnedParameters {
            version: FORMAT_VERSION,
            negotiations: 0,
            hmm: HmmCounts::from_prior(params),
            payoff: PayoffAdjustments::default(),
            tones: ToneStats::default(),
        }
    }

    /// Checks what a negotiation could not start from: counts that are not a valid prior,
    /// numbers that are not finite.
    fn validate(&self) -> Result<(), String> {
        if self.version != FORMAT_VERSION {
            return Err(format!(
                "learned state version {} is not the supported version {FORMAT_VERSION}",
                self.version
            ));
        }
        self.hmm.validate()?;
        if self.payoff.0.iter().flatten().any(|v| !v.is_finite()) {
            return Err("payoff adjustments must be finite numbers".into());
        }
        if !self.tones.is_valid() {
            return Err("tone statistics must be finite, with non-negative weights".into());
        }
        Ok(())
    }

    /// `self + sign * other`, entry by entry (the version stays).
    fn plus(&self, other: &LearnedParameters, sign: f64) -> LearnedParameters {
        let mut out = self.clone();
        let add = |a: &mut [f64], b: &[f64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += sign * y);
        add(
            out.hmm.transition.as_flattened_mut().as_flattened_mut(),
            other.hmm.transition.as_flattened().as_flattened(),
        );
        add(
            out.hmm.emission.as_flattened_mut(),
            other.hmm.emission.as_flattened(),
        );
        add(
            out.payoff.0.as_flattened_mut(),
            other.payoff.0.as_flattened(),
        );
        add(
            out.tones.turns.as_flattened_mut(),
            other.tones.turns.as_flattened(),
        );
        add(
            out.tones.gain.as_flattened_mut(),
            other.tones.gain.as_flattened(),
        );
        add(
            out.tones.gain_squares.as_flattened_mut(),
            other.tones.gain_squares.as_flattened(),
        );
        out.negotiations = if sign >= 0.0 {
            self.negotiations + other.negotiations
        } else {
            self.negotiations.saturating_sub(other.negotiations)
        };
        out
    }

    /// Nothing at all: the zero of [`LearnedParameters::plus`].
    fn zero() -> LearnedParameters {
        LearnedParameters {
            version: FORMAT_VERSION,
            negotiations: 0,
            hmm: HmmCounts {
                transition: Default::default(),
                emission: Default::default(),
            },
            payoff: PayoffAdjustments::default(),
            tones: ToneStats::default(),
        }
    }
}

/// What one robot's negotiations added, all of them: the sum of each negotiation's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// How many negotiations this sum holds; a higher number includes every lower one.
    pub sequence: u64,
    /// The session id of the last negotiation added (so a restart can tell whether the newest
    /// record was learned from).
    pub last_session: String,
    /// The sum of what they added (counts, adjustments and statistics as differences).
    pub learned: LearnedParameters,
}

/// The learned-parameters file: where learning started, and what each robot added since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// File format version ([`LEDGER_VERSION`]).
    pub version: u32,
    /// The robot that owns this file: its negotiations are added under this id. Empty in a
    /// file made by `learned merge`; an agent gives it its own id when it first saves.
    pub robot: String,
    /// The state learning started from: the priors, or an older file's whole state.
    pub base: LearnedParameters,
    /// What each robot added, by robot id.
    pub contributions: BTreeMap<String, Contribution>,
}

/// One robot's contribution as shared between robots.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Shared {
    robot: String,
    contribution: Contribution,
}

/// A learned file that could not be read and was moved aside.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    /// Where the file was moved.
    pub moved_to: PathBuf,
    /// Why it could not be read.
    pub reason: String,
}

impl Ledger {
    /// A new ledger for `robot`, starting from `base`.
    pub fn new(robot: &str, base: LearnedParameters) -> Self {
        Ledger {
            version: LEDGER_VERSION,
            robot: robot.to_string(),
            base,
            contributions: BTreeMap::new(),
        }
    }

    /// A new ledger for `robot` from the priors.
    pub fn from_prior(robot: &str, params: &HmmParams) -> Self {
        Self::new(robot, LearnedParameters::from_prior(params))
    }

    /// A fresh robot id, for a robot that was not given one (`negotiation.robot_id`).
    pub fn new_robot_id() -> String {
        format!("robot-{:016x}", rand::random::<u64>())
    }

    /// The learned state: the base plus every robot's contribution.
    pub fn learned(&self) -> LearnedParameters {
        self.contributions
            .values()
            .fold(self.base.clone(), |sum, c| sum.plus(&c.learned, 1.0))
    }

    /// This ledger's own contribution so far, if it made one.
    pub fn own(&self) -> Option<&Contribution> {
        self.contributions.get(&self.robot)
    }

    /// Adds one negotiation of this robot: what it changed from the state it started with
    /// (`before`) to the state it ended with (`after`).
    pub fn add_negotiation(
        &mut self,
        session: &str,
        before: &LearnedParameters,
        after: &LearnedParameters,
    ) {
        let change = after.plus(before, -1.0);
        let entry = self
            .contributions
            .entry(self.robot.clone())
            .or_insert_with(|| Contribution {
                sequence: 0,
                last_session: String::new(),
                learned: LearnedParameters::zero(),
            });
        entry.sequence += 1;
        entry.last_session = session.to_string();
        entry.learned = entry.learned.plus(&change, 1.0);
    }

    /// Takes another robot's contribution when it is newer than the one held; returns whether
    /// anything changed. Equal sequence numbers with different content are a conflict.
    pub fn absorb(
        &mut self,
        robot: &str,
        contribution: &Contribution,
        source: &Path,
    ) -> Result<bool, LearnedError> {
        check_contribution(contribution).map_err(|message| LearnedError::Invalid {
            path: source.to_path_buf(),
            message: format!("contribution of robot {robot:?}: {message}"),
        })?;
        match self.contributions.get(robot) {
            Some(held) if held.sequence > contribution.sequence => Ok(false),
            Some(held) if held.sequence == contribution.sequence => {
                if held == contribution {
                    Ok(false)
                } else {
                    Err(LearnedError::Conflict {
                        path: source.to_path_buf(),
                        robot: robot.to_string(),
                        sequence: held.sequence,
                    })
                }
            }
            _ => {
                self.contributions
                    .insert(robot.to_string(), contribution.clone());
                Ok(true)
            }
        }
    }

    /// This robot's contribution as a robot shares it with others (`node.learning_topic`):
    /// `{"robot": id, "contribution": {...}}`; `None` before its first negotiation.
    pub fn shared(&self) -> Option<String> {
        self.own().map(|contribution| {
            serde_json::to_string(&Shared {
                robot: self.robot.clone(),
                contribution: contribution.clone(),
            })
            .expect("contributions serialise")
        })
    }

    /// Takes a contribution another robot shared (see [`Ledger::shared`]); `source` names
    /// where it came from in errors. Returns the robot and whether anything changed.
    pub fn absorb_shared(
        &mut self,
        text: &str,
        source: &str,
    ) -> Result<(String, bool), LearnedError> {
        let shared: Shared = serde_json::from_str(text).map_err(|e| LearnedError::Invalid {
            path: PathBuf::from(source),
            message: format!("not a shared contribution: {e}"),
        })?;
        let changed = self.absorb(&shared.robot, &shared.contribution, Path::new(source))?;
        Ok((shared.robot, changed))
    }

    /// Adds up two ledgers: per robot, the newer contribution. Both must have started from the
    /// same base. The result belongs to no robot.
    pub fn merge(&mut self, other: &Ledger, source: &Path) -> Result<(), LearnedError> {
        if other.base != self.base {
            return Err(LearnedError::DifferentBase {
                path: source.to_path_buf(),
            });
        }
        for (robot, contribution) in &other.contributions {
            self.absorb(robot, contribution, source)?;
        }
        self.robot.clear();
        Ok(())
    }

    /// Reads the file at `path`: a ledger, or an older file of one state (which becomes the
    /// base). A missing file is `Ok(None)`.
    pub fn load(path: &Path) -> Result<Option<Self>, LearnedError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(LearnedError::Io {
                    action: "read",
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Self::parse(&text)
            .map(Some)
            .map_err(|message| LearnedError::Invalid {
                path: path.to_path_buf(),
                message,
            })
    }

    fn parse(text: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let version = value.get("version").and_then(|v| v.as_u64());
        let ledger = match version {
            Some(v) if v == u64::from(FORMAT_VERSION) => {
                let state: LearnedParameters =
                    serde_json::from_value(value).map_err(|e| e.to_string())?;
                Ledger::new("", state)
            }
            Some(v) if v == u64::from(LEDGER_VERSION) => {
                serde_json::from_value(value).map_err(|e| e.to_string())?
            }
            Some(v) => {
                return Err(format!(
                    "format version {v} is not a supported version ({FORMAT_VERSION} or {LEDGER_VERSION})"
                ));
            }
            None => return Err("no format version: not a learned-parameters file".into()),
        };
        ledger.base.validate().map_err(|e| format!("base: {e}"))?;
        for (robot, contribution) in &ledger.contributions {
            check_contribution(contribution)
                .map_err(|e| format!("contribution of robot {robot:?}: {e}"))?;
        }
        ledger
            .learned()
            .validate()
            .map_err(|e| format!("the sum of the contributions: {e}"))?;
        Ok(ledger)
    }

    /// Opens the robot's file: loads it, or starts from the priors when there is none. A file
    /// that is not a valid ledger is moved aside to `<path>.bad-<time>` (never overwritten)
    /// and reported; learning starts again from the priors. A file that cannot be read at all
    /// (permissions) is an error: moving it would not help.
    pub fn open(
        path: &Path,
        robot: &str,
        params: &HmmParams,
    ) -> Result<(Self, Option<SetAside>), LearnedError> {
        let (mut ledger, set_aside) = match Self::load(path) {
            Ok(Some(ledger)) => (ledger, None),
            Ok(None) => (Ledger::from_prior("", params), None),
            Err(LearnedError::Invalid { message, .. }) => {
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ");
                let mut moved = path.as_os_str().to_owned();
                moved.push(format!(".bad-{stamp}"));
                let moved_to = PathBuf::from(moved);
                std::fs::rename(path, &moved_to).map_err(|source| LearnedError::Io {
                    action: "move aside",
                    path: path.to_path_buf(),
                    source,
                })?;
                (
                    Ledger::from_prior("", params),
                    Some(SetAside {
                        moved_to,
                        reason: message,
                    }),
                )
            }
            Err(e) => return Err(e),
        };
        if !robot.is_empty() {
            ledger.robot = robot.to_string();
        } else if ledger.robot.is_empty() {
            ledger.robot = Self::new_robot_id();
        }
        Ok((ledger, set_aside))
    }

    /// Writes the file atomically: a temporary file beside it, synced, then renamed over it.
    pub fn save(&self, path: &Path) -> Result<(), LearnedError> {
        let io = |source| LearnedError::Io {
            action: "write",
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let json = serde_json::to_string_pretty(self).expect("learned parameters serialise");
        // A name of its own: two processes saving at once must not write into one file.
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(
            ".tmp-{}-{:x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let tmp = PathBuf::from(tmp);
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        file.write_all(json.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename is durable only once the directory entry is synced.
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io)?;
        }
        Ok(())
    }
}

/// A contribution holds differences: anything finite, with counts that never go below zero
/// (every negotiation only adds to them).
fn check_contribution(c: &Contribution) -> Result<(), String> {
    let l = &c.learned;
    let counts = l
        .hmm
        .transition
        .as_flattened()
        .as_flattened()
        .iter()
        .chain(l.hmm.emission.as_flattened())
        .chain(l.tones.turns.as_flattened())
        .chain(l.tones.gain_squares.as_flattened());
    // Differences of sums carry rounding error: a hair below zero is still zero.
    if counts.clone().any(|v| !v.is_finite() || *v < -1e-9) {
        return Err("counts must be finite and not negative".into());
    }
    if l.payoff
        .0
        .iter()
        .flatten()
        .chain(l.tones.gain.as_flattened())
        .any(|v| !v.is_finite())
    {
        return Err("adjustments and gains must be finite".into());
    }
    if l.negotiations > c.sequence {
        return Err(format!(
            "{} negotiations in a contribution numbered {}",
            l.negotiations, c.sequence
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emotion::{Emotion, EmotionDistribution};
    use crate::track::DispositionTracker;

    /// The state after a tracker has seen `emotions`, starting from `start`.
    fn learn(start: &LearnedParameters, emotions: &[Emotion]) -> LearnedParameters {
        let params = HmmParams::default();
        let mut tracker = DispositionTracker::new(&params, Some(start.hmm.clone()));
        for e in emotions {
            tracker.observe(Emotion::Neutral, &EmotionDistribution::certain(*e));
        }
        let mut after = start.clone();
        after.hmm = tracker.counts().clone();
        after.payoff.0[1][2] += 0.25;
        after.tones.turns[3][4] += 1.0;
        after.tones.gain[3][4] -= 0.5;
        after.negotiations += 1;
        after
    }

    fn mass(l: &LearnedParameters) -> f64 {
        l.hmm.transition.as_flattened().as_flattened().iter().sum()
    }

    fn close(a: &LearnedParameters, b: &LearnedParameters) -> bool {
        let d = a.plus(b, -1.0);
        let all = d
            .hmm
            .transition
            .as_flattened()
            .as_flattened()
            .iter()
            .chain(d.hmm.emission.as_flattened())
            .chain(d.payoff.0.as_flattened())
            .chain(d.tones.gain.as_flattened())
            .chain(d.tones.turns.as_flattened());
        a.negotiations == b.negotiations && all.clone().all(|v| v.abs() < 1e-9)
    }

    #[test]
    fn the_ledger_adds_each_negotiation_once_and_survives_a_save() {
        let params = HmmParams::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("learned.json");
        let (mut ledger, aside) = Ledger::open(&path, "", &params).unwrap();
        assert!(aside.is_none());
        assert!(ledger.robot.starts_with("robot-"), "{}", ledger.robot);
        let prior = ledger.learned();
        let first = learn(&prior, &[Emotion::Anger, Emotion::Sadness]);
        ledger.add_negotiation("s1", &prior, &first);
        let second = learn(&ledger.learned(), &[Emotion::Joy]);
        ledger.add_negotiation("s2", &ledger.learned(), &second);
        assert!(close(&ledger.learned(), &second));
        // Three observations, each one unit of transition mass.
        assert!((mass(&ledger.learned()) - mass(&prior) - 3.0).abs() < 1e-9);
        let own = ledger.own().unwrap();
        assert_eq!((own.sequence, own.last_session.as_str()), (2, "s2"));

        ledger.save(&path).unwrap();
        let (reopened, _) = Ledger::open(&path, "", &params).unwrap();
        assert_eq!(reopened, ledger);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["learned.json"], "no temporary file left");
        // A configured id wins; what the old id added stays, under the old id.
        let (renamed, _) = Ledger::open(&path, "lobby-1", &params).unwrap();
        assert_eq!(renamed.robot, "lobby-1");
        assert!(close(&renamed.learned(), &second));
    }

    #[test]
    fn merging_is_associative_commutative_and_counts_a_file_once() {
        let params = HmmParams::default();
        let robots: Vec<Ledger> = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let mut l = Ledger::from_prior(id, &params);
                for n in 0..=i {
                    let before = l.learned();
                    let after = learn(&before, &[Emotion::ALL[n], Emotion::Fear]);
                    l.add_negotiation(&format!("{id}{n}"), &before, &after);
                }
                l
            })
            .collect();
        let p = Path::new("x.json");
        let merged = |order: &[usize]| {
            let mut m = robots[order[0]].clone();
            for &i in &order[1..] {
                m.merge(&robots[i], p).unwrap();
            }
            m
        };
        let abc = merged(&[0, 1, 2]);
        let mut ab_c = merged(&[0, 1]);
        ab_c.merge(&robots[2], p).unwrap();
        let mut a_bc = robots[0].clone();
        a_bc.merge(&merged(&[1, 2]), p).unwrap();
        assert_eq!(abc, merged(&[2, 0, 1]));
        assert_eq!(abc, ab_c);
        assert_eq!(abc, a_bc);
        // Merging a file again, or an older state of a robot, changes nothing.
        let mut twice = abc.clone();
        twice.merge(&robots[1], p).unwrap();
        twice.merge(&abc, p).unwrap();
        assert_eq!(twice, abc);
        // Six negotiations of two observations each: the prior plus twelve units, once each.
        let prior = LearnedParameters::from_prior(&params);
        assert!((mass(&abc.learned()) - mass(&prior) - 12.0).abs() < 1e-9);
        assert_eq!(abc.learned().negotiations, 6);
        assert!(abc.robot.is_empty());
    }

    #[test]
    fn a_shared_contribution_is_taken_once_and_garbage_is_refused() {
        let params = HmmParams::default();
        let mut a = Ledger::from_prior("a", &params);
        let mut b = Ledger::from_prior("b", &params);
        assert_eq!(a.shared(), None);
        let before = a.learned();
        a.add_negotiation("s1", &before, &learn(&before, &[Emotion::Anger]));
        let text = a.shared().unwrap();
        assert_eq!(b.absorb_shared(&text, "topic").unwrap(), ("a".into(), true));
        assert_eq!(
            b.absorb_shared(&text, "topic").unwrap(),
            ("a".into(), false)
        );
        assert_eq!(b.learned(), a.learned());
        // Its own echo changes nothing either.
        assert!(!a.absorb_shared(&text, "topic").unwrap().1);
        let err = b
            .absorb_shared("{\"robot\": 3}", "topic /fleet")
            .unwrap_err();
        assert!(err.to_string().contains("topic /fleet"), "{err}");
    }

    #[test]
    fn conflicting_histories_and_other_priors_are_refused() {
        let params = HmmParams::default();
        let mut one = Ledger::from_prior("a", &params);
        let mut two = one.clone();
        let before = one.learned();
        one.add_negotiation("s1", &before, &learn(&before, &[Emotion::Anger]));
        two.add_negotiation("s9", &before, &learn(&before, &[Emotion::Joy]));
        let err = one
            .merge(&two, Path::new("two.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("two.json") && err.contains("robot_id"),
            "{err}"
        );

        let other = HmmParams {
            prior_strength: params.prior_strength * 2.0,
            ..HmmParams::default()
        };
        let err = Ledger::from_prior("b", &params)
            .merge(&Ledger::from_prior("c", &other), Path::new("c.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.json") && err.contains("priors"), "{err}");
    }

    #[test]
    fn old_files_load_and_bad_files_are_moved_aside_not_overwritten() {
        let params = HmmParams::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("learned.json");
        // A file of the first format: one state, which becomes the base.
        let old = learn(&LearnedParameters::from_prior(&params), &[Emotion::Anger]);
        std::fs::write(&path, serde_json::to_string(&old).unwrap()).unwrap();
        let (ledger, aside) = Ledger::open(&path, "r", &params).unwrap();
        assert!(aside.is_none());
        assert_eq!(ledger.learned(), old);

        for bad in [
            "{\"version\": 2".to_string(),
            "{\"version\": 99}".to_string(),
            "[1, 2]".to_string(),
            {
                let mut negative = old.clone();
                negative.hmm.emission[0][0] = -1.0;
                serde_json::to_string(&negative).unwrap()
            },
        ] {
            std::fs::write(&path, &bad).unwrap();
            let (ledger, aside) = Ledger::open(&path, "r", &params).unwrap();
            let aside = aside.expect("a bad file is set aside");
            assert_eq!(std::fs::read_to_string(&aside.moved_to).unwrap(), bad);
            assert!(!path.exists());
            assert_eq!(ledger.learned(), LearnedParameters::from_prior(&params));
            std::fs::remove_file(&aside.moved_to).unwrap();
        }
    }
}
