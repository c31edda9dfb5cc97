//! What the agent learns over its lifetime, saved as a versioned JSON file between negotiations.
//!
//! The file holds the HMM's Dirichlet counts and the policy's payoff adjustments. It is written
//! atomically (temporary file, sync, rename) so a crash never leaves half a file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::decide::{PayoffAdjustments, ToneStats};
use crate::params::HmmParams;
use crate::track::HmmCounts;

/// Version of the learned-parameters file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Errors loading or saving learned parameters.
#[derive(Debug, thiserror::Error)]
pub enum LearnedError {
    /// The file could not be read or written.
    #[error(
        "cannot {action} learned parameters at {path}: {source} (check the directory in negotiation.learned_path exists and is writable)"
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
        "learned parameters file {path} is invalid: {message} (delete it to start learning afresh)"
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
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

    /// Loads the file at `path`, or starts from the prior when it does not exist yet.
    pub fn load_or_prior(path: &Path, params: &HmmParams) -> Result<Self, LearnedError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::from_prior(params)),
            Err(source) => Err(LearnedError::Io {
                action: "read",
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    fn parse(text: &str, path: &Path) -> Result<Self, LearnedError> {
        let invalid = |message: String| LearnedError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let learned: LearnedParameters =
            serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if learned.version != FORMAT_VERSION {
            return Err(invalid(format!(
                "format version {} is not the supported version {FORMAT_VERSION}",
                learned.version
            )));
        }
        learned.hmm.validate().map_err(invalid)?;
        if learned.payoff.0.iter().flatten().any(|v| !v.is_finite()) {
            return Err(invalid("payoff adjustments must be finite numbers".into()));
        }
        if !learned.tones.is_valid() {
            return Err(invalid(
                "tone statistics must be finite, with non-negative weights".into(),
            ));
        }
        Ok(learned)
    }

    /// Writes the file atomically: a temporary file beside it, synced, then renamed over it.
    pub fn save(&self, path: &Path) -> Result<(), LearnedError> {
        let io = |source| LearnedError::Io {
            action: "write",
            path: path.to_path_buf(),
            source,
        };
        let json = serde_json::to_string_pretty(self).expect("learned parameters serialise");
        let tmp = path.with_extension("json.tmp");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emotion::{Emotion, EmotionDistribution};
    use crate::track::DispositionTracker;

    #[test]
    fn save_then_load_gives_identical_forecasts() {
        let params = HmmParams::default();
        let mut tracker = DispositionTracker::new(&params, None);
        for e in [
            Emotion::Anger,
            Emotion::Sadness,
            Emotion::Joy,
            Emotion::Anger,
        ] {
            tracker.observe(Emotion::Neutral, &EmotionDistribution::certain(e));
        }
        let mut learned = LearnedParameters::from_prior(&params);
        learned.hmm = tracker.counts().clone();
        learned.payoff.0[1][2] = 0.25;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("learned.json");
        learned.save(&path).unwrap();
        let loaded = LearnedParameters::load_or_prior(&path, &params).unwrap();
        assert_eq!(loaded, learned);

        let restored = DispositionTracker::new(&params, Some(loaded.hmm));
        for c in Emotion::ALL {
            assert_eq!(tracker.forecast(c).debtor_emotion, {
                let mut t = restored.clone();
                t.restore_belief(tracker.belief());
                t.forecast(c).debtor_emotion
            });
        }
        assert!(!dir.path().join("learned.json.tmp").exists());
    }

    #[test]
    fn missing_file_starts_from_the_prior_and_bad_files_are_refused() {
        let params = HmmParams::default();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("learned.json");
        assert_eq!(
            LearnedParameters::load_or_prior(&path, &params).unwrap(),
            LearnedParameters::from_prior(&params)
        );

        std::fs::write(&path, "{\"version\": 1").unwrap();
        let err = LearnedParameters::load_or_prior(&path, &params)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("learned.json") && err.contains("delete it"),
            "{err}"
        );

        let mut future = serde_json::to_value(LearnedParameters::from_prior(&params)).unwrap();
        future["version"] = 99.into();
        std::fs::write(&path, future.to_string()).unwrap();
        let err = LearnedParameters::load_or_prior(&path, &params)
            .unwrap_err()
            .to_string();
        assert!(err.contains("version 99"), "{err}");

        let mut negative = LearnedParameters::from_prior(&params);
        negative.hmm.emission[0][0] = -1.0;
        std::fs::write(&path, serde_json::to_string(&negative).unwrap()).unwrap();
        assert!(LearnedParameters::load_or_prior(&path, &params).is_err());
    }
}
