//! The one parameters struct: defaults, YAML loading, overrides and validation.
//!
//! Every tunable number of the agent lives here, grouped as in the YAML file
//! (`policy`, `hmm`, `offer`, `negotiation`, `record`, `llm`). The CLI reads the same struct from `--params FILE`
//! plus `--set group.key=value` overrides; the ROS node maps each dotted key to a ROS parameter.
//! Unknown keys are errors, so a typo never silently falls back to a default.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::track::Disposition;

/// Errors from loading or validating parameters; each names the file or key and the fix.
#[derive(Debug, thiserror::Error)]
pub enum ParamsError {
    /// The parameters file could not be read.
    #[error(
        "cannot read parameters file {path}: {source} (check the path given to --params; config/eq_negotiator.yaml holds every key)"
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The YAML did not parse or did not match the struct (unknown key, wrong type).
    #[error(
        "invalid parameters in {origin}: {message} (see config/eq_negotiator.yaml for every key and its type)"
    )]
    Parse {
        /// The file, or "--set" for command-line overrides.
        origin: String,
        /// What the YAML parser said.
        message: String,
    },
    /// A `--set` override that is not `group.key=value` or names no parameter.
    #[error("invalid override {text:?}: {reason}")]
    Override {
        /// The override as given.
        text: String,
        /// Why it was refused.
        reason: String,
    },
    /// A rule broken by a value from a file or the overrides: the rule, with where it came from.
    #[error("invalid parameters in {origin}: {source}")]
    Rejected {
        /// The file ("defaults" when none), with "with --set overrides" when there were some.
        origin: String,
        /// The broken rule ([`ParamsError::Invalid`]).
        source: Box<ParamsError>,
    },
    /// A value that parsed but is out of range.
    #[error("invalid parameter {key} = {value}: {reason}")]
    Invalid {
        /// Dotted key, e.g. `hmm.transition_prior.distressed`.
        key: String,
        /// The offending value, as text.
        value: String,
        /// The rule it breaks.
        reason: String,
    },
}

/// The longest gate window accepted: the gate looks at recent emotions, not a lifetime.
pub const MAX_GATE_WINDOW: usize = 50;

/// All parameters of the agent. Defaults are the numbers of DESIGN.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// How the creditor's emotion is chosen and learned.
    pub policy: PolicyParams,
    /// The input-output HMM over the debtor's disposition.
    pub hmm: HmmParams,
    /// The concession curve and the agreement rule.
    pub offer: OfferParams,
    /// Turn limits and bookkeeping of one negotiation.
    pub negotiation: NegotiationParams,
    /// The negotiation record: where every turn is appended.
    pub record: RecordParams,
    /// The local language model (llama.cpp): speaker and emotion reader.
    pub llm: LlmParams,
    /// The debt the ROS node negotiates (the command line takes `--scenario` instead).
    pub scenario: ScenarioParams,
    /// The ROS 2 node: topic names, who speaks, input limits, diagnostics.
    pub node: NodeParams,
    /// The agent-to-agent evaluation (`simulate`).
    pub sim: SimParams,
}

/// Which scenario the node negotiates, and optional changes to its numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioParams {
    /// Scenario file: our YAML format or a CRAD scenarios.json; empty: the built-in scenarios
    /// (scenarios/default.yaml).
    pub file: PathBuf,
    /// The scenario's id within the file; empty: the first one.
    pub id: String,
    /// Outstanding balance; 0: the scenario's.
    pub balance: f64,
    /// The creditor's target (first offer) in days; 0: the scenario's.
    pub target_days: u32,
    /// The most days the creditor accepts; 0: the scenario's, or target x
    /// `offer.reservation_multiple` when it has none.
    pub reservation_days: u32,
}

/// Who phrases the replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    /// The language model when its file is present, else the template.
    Auto,
    /// Fixed phrasings per emotion: deterministic, always within the guardrails.
    Template,
    /// The local language model, checked by the guardrails, with the template as fallback.
    Slm,
}

/// The emotion detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DetectorKind {
    /// Keyword lists with negation and intensifiers: microseconds, deterministic.
    Lexicon,
    /// The local language model, constrained to the seven labels (needs the `llm` feature).
    Slm,
    /// The lexicon and the language model mixed by `llm.fused_lexicon_weight`.
    Fused,
}

/// What the language model writes of each reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ReplyShape {
    /// One sentence that answers the debtor in the chosen tone; the sentence that states the
    /// offer is the template's, so the decided number is always said right. For small models.
    Lead,
    /// The whole reply, offer included, shown an example reply; for models large enough to
    /// state a number as told.
    Whole,
}

/// The ROS 2 node (`eq_negotiator node`, feature `ros`). Names are relative to the node's
/// namespace unless they start with `/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NodeParams {
    /// Subscribed: one final utterance of the debtor per std_msgs/String message.
    pub transcript_topic: String,
    /// Published: the reply, one std_msgs/String message per sentence.
    pub say_topic: String,
    /// Published: an eq_negotiator/msg/NegotiationState after every turn.
    pub state_topic: String,
    /// Service (std_srvs/Trigger): start a new negotiation, keeping what was learned.
    pub reset_service: String,
    /// Published: hri_msgs/Expression of the chosen emotion at the start of every reply, for
    /// the robot's face. Empty: none.
    pub expression_topic: String,
    /// Published: eq_negotiator/msg/Sentence, every sentence of `say_topic` with the voice and
    /// session it answers, for speech stacks that serve several people.
    pub sentence_topic: String,
    /// ROS4HRI: subscribed hri_msgs/IdsList of the voices heard now (REP-155); each voice's
    /// hri_msgs/LiveSpeech is on `<this topic's folder>/<id>/speech`, and its `final` text
    /// makes a turn of that voice's own negotiation. Empty: only `transcript_topic`.
    pub voices_topic: String,
    /// ROS4HRI: how many voices negotiate at once; later ones wait for a free place.
    pub max_voices: u32,
    /// Published: diagnostic_msgs/DiagnosticArray, every `diagnostics_period_s` seconds.
    pub diagnostics_topic: String,
    /// Seconds between diagnostics messages.
    pub diagnostics_period_s: f64,
    /// Fleet learning: where robots share what they learned (std_msgs/String, JSON: this
    /// robot's id and its whole contribution, published after each negotiation, reliable and
    /// transient-local so a robot that starts late still hears it). What others publish there
    /// is added to this robot's learned file, each robot once. Empty: not shared.
    pub learning_topic: String,
    /// Who phrases the replies: auto (the model when its file exists), slm or template.
    pub speaker: SpeakerKind,
    /// The emotion detector: lexicon, slm or fused.
    pub detector: DetectorKind,
    /// Longer utterances are cut to this many characters (a transcript is speech, not a file).
    pub max_utterance_chars: u32,
    /// Configure and activate at start (lifecycle), so one command runs the node; false: wait
    /// unconfigured for a launch system's `change_state` calls.
    pub autostart: bool,
}

impl Default for NodeParams {
    fn default() -> Self {
        NodeParams {
            transcript_topic: "speech/transcript".into(),
            say_topic: "tts/say".into(),
            state_topic: "negotiation/state".into(),
            reset_service: "negotiation/reset".into(),
            expression_topic: "/robot_face/expression".into(),
            sentence_topic: "tts/sentences".into(),
            voices_topic: "/humans/voices/tracked".into(),
            max_voices: 4,
            diagnostics_topic: "/diagnostics".into(),
            diagnostics_period_s: 1.0,
            learning_topic: String::new(),
            speaker: SpeakerKind::Auto,
            detector: DetectorKind::Lexicon,
            max_utterance_chars: 2000,
            autostart: true,
        }
    }
}

/// The agent-to-agent evaluation: how its statistics are computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimParams {
    /// Bootstrap resamples behind each confidence interval.
    pub bootstrap_samples: usize,
    /// Coverage of the confidence intervals (0.95: 95% intervals).
    pub confidence: f64,
    /// Windows of consecutive negotiations in the learning curve.
    pub curve_windows: usize,
}

impl Default for SimParams {
    fn default() -> Self {
        SimParams {
            bootstrap_samples: 1000,
            confidence: 0.95,
            curve_windows: 10,
        }
    }
}

/// Emotion policy: the k-of-n gate, win-stay/lose-shift, temperature, end-of-negotiation learning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyParams {
    /// Window n: how many of the debtor's latest emotions the gate looks at.
    pub gate_window: usize,
    /// k: the HMM policy chooses when at least k of the last n debtor emotions are negative.
    pub gate_negative_count: usize,
    /// Win-stay/lose-shift keeps its emotion while the last payoff was at least this.
    pub payoff_threshold: f64,
    /// Sampling temperature at turn 0.
    pub temperature_initial: f64,
    /// Per-turn decay factor of the temperature.
    pub temperature_decay: f64,
    /// The temperature never falls below this.
    pub temperature_floor: f64,
    /// Reward added to the payoffs of the emotions used when a negotiation ends in agreement.
    pub agreement_reward: f64,
    /// Reward (negative) added when a negotiation fails.
    pub failure_reward: f64,
    /// Step size of the end-of-negotiation payoff update (shared over the turns of a negotiation).
    pub payoff_learning_rate: f64,
    /// Learned payoff adjustments are clamped to +/- this, so the paper's table stays the anchor.
    pub payoff_adjustment_limit: f64,
    /// Turn-level tone learning: each reply's tone is chosen among the seven that fit (for an
    /// upset or distressed debtor sympathy or calm only; sympathy only for such a debtor;
    /// firmness and urgency only for cheating, stonewalling, complacency or stalling) by how much
    /// more of the gap to our offer the debtor gave up after it, learned per debtor type (the emotions of its first replies, else the latest tactic
    /// seen, else its stance); the payoff table's choice is tried first. Off: the table policy
    /// alone.
    pub turn_learning: bool,
    /// Optimism of the turn-level learning (upper confidence bound): standard deviations of the
    /// concession signal, times `sqrt(ln N / n)`, added to a tone tried n of the N times in its
    /// debtor type (0: greedy once every tone has been tried). Only while the debtor's next
    /// reply can be scored (see `turn_min_gap_days`); otherwise the best-known tone is used.
    pub turn_exploration: f64,
    /// The turn-level learning scores a debtor reply only when the debtor's previous number was
    /// at least this many days above our offer (closer, one day is too large a share).
    pub turn_min_gap_days: f64,
    /// Pseudo-replies that shrink a tone's mean gain in a debtor type toward the type's mean
    /// over all tones, until it has been scored that often there.
    pub turn_prior: f64,
    /// The debtor's type (until a tactic is seen) is the mix of emotions in its first this
    /// many replies; later ones partly react to our own tones.
    pub turn_type_replies: u32,
    /// Neutral is the default stance: the turn-level learning drops another tone for the rest
    /// of a negotiation once this debtor has answered it this many times with, on average, a
    /// smaller share of the gap than before (0: never).
    pub turn_veto_replies: u32,
}

impl Default for PolicyParams {
    fn default() -> Self {
        PolicyParams {
            gate_window: 5,
            gate_negative_count: 4,
            payoff_threshold: 2.0,
            temperature_initial: 0.7,
            temperature_decay: 0.95,
            temperature_floor: 0.1,
            agreement_reward: 1.0,
            failure_reward: -0.5,
            payoff_learning_rate: 0.1,
            payoff_adjustment_limit: 1.0,
            turn_learning: true,
            turn_exploration: 0.5,
            turn_min_gap_days: 10.0,
            turn_prior: 2.0,
            turn_type_replies: 5,
            turn_veto_replies: 3,
        }
    }
}

impl PolicyParams {
    /// Sampling temperature for turn `turn`: `max(floor, initial * decay^turn)`.
    pub fn temperature(&self, turn: u32) -> f64 {
        let t = self.temperature_initial * self.temperature_decay.powi(turn.min(10_000) as i32);
        t.max(self.temperature_floor)
    }
}

/// The input-output HMM: priors, prior strength and online learning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HmmParams {
    /// Belief at the start of a negotiation (Cooperative, Confrontational, Distressed, Strategic).
    pub initial_belief: [f64; Disposition::COUNT],
    /// Prior transition matrix P(S' | S), rows From, columns To; every row sums to 1. In YAML
    /// and ROS each row is its own key named after its disposition
    /// (`hmm.transition_prior.cooperative`), since ROS parameters cannot nest lists.
    #[serde(with = "rows_by_disposition")]
    pub transition_prior: [[f64; Disposition::COUNT]; Disposition::COUNT],
    /// Prior emission matrix P(emotion | S), rows dispositions, columns the seven emotions;
    /// keyed by disposition like `transition_prior`.
    #[serde(with = "rows_by_disposition")]
    pub emission_prior: [[f64; 7]; Disposition::COUNT],
    /// Dirichlet pseudo-counts per row given to the priors: higher learns more slowly.
    pub prior_strength: f64,
    /// Accumulate the filter's responsibilities into the counts after every turn.
    pub learning: bool,
    /// Floor on every likelihood and belief entry, so a surprising utterance never zeroes a state.
    pub probability_floor: f64,
}

impl Default for HmmParams {
    fn default() -> Self {
        HmmParams {
            initial_belief: [0.4, 0.2, 0.2, 0.2],
            transition_prior: [
                [0.50, 0.15, 0.15, 0.20],
                [0.20, 0.40, 0.20, 0.20],
                [0.25, 0.15, 0.40, 0.20],
                [0.20, 0.20, 0.15, 0.45],
            ],
            emission_prior: [
                [0.35, 0.05, 0.02, 0.03, 0.25, 0.05, 0.25],
                [0.10, 0.10, 0.15, 0.10, 0.15, 0.10, 0.30],
                [0.10, 0.30, 0.05, 0.20, 0.05, 0.10, 0.20],
                [0.20, 0.10, 0.05, 0.05, 0.20, 0.10, 0.30],
            ],
            prior_strength: 20.0,
            learning: true,
            probability_floor: 1e-9,
        }
    }
}

/// The concession curve and agreement rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfferParams {
    /// Exchanges a debtor is assumed to stay, less what hostility used up; past them each
    /// exchange closes half the gap to the debtor's estimated floor (or the limit).
    pub expected_patience: f64,
    /// Exchanges of that patience one fully hostile reply (all anger and disgust) uses up.
    pub hostility_strain: f64,
    /// The firm curve the agent follows until the debtor may leave (and the vanilla baseline
    /// throughout): offer = target + (limit - target) * progress^(1/shape), progress running
    /// from 0 to 1; below 1 concedes late (firm), above 1 early.
    pub concession_shape: f64,
    /// Normal turns the curve takes from target to limit.
    pub concession_turns: u32,
    /// Speed of concession on a turn where manipulation (threat, cheating, victim play,
    /// stonewalling) was detected, relative to a normal turn: slower.
    pub manipulation_factor: f64,
    /// Speed of concession on a turn where the debtor seems genuinely distressed: faster.
    pub hardship_factor: f64,
    /// Belief in Distressed above which hardship counts as genuine (with no victim play detected).
    pub hardship_belief: f64,
    /// Agreement when the two latest offers are at most this many days apart.
    pub agreement_gap_days: u32,
    /// For scenarios that give no reservation limit (CRAD): limit = target * this multiple.
    pub reservation_multiple: f64,
}

impl Default for OfferParams {
    fn default() -> Self {
        OfferParams {
            expected_patience: 12.0,
            hostility_strain: 1.0,
            concession_shape: 0.8,
            concession_turns: 12,
            manipulation_factor: 0.5,
            hardship_factor: 1.5,
            hardship_belief: 0.3,
            agreement_gap_days: 5,
            reservation_multiple: 3.0,
        }
    }
}

/// Limits and bookkeeping of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NegotiationParams {
    /// A negotiation with no agreement after this many debtor turns fails.
    pub max_turns: u32,
    /// Seed for the choices that vary phrasing (template speaker, simulations).
    pub seed: u64,
    /// How many times a reply that fails the guardrails is regenerated before the template
    /// replaces it.
    pub regenerate_attempts: u32,
    /// The learned-parameters file (HMM counts, payoff adjustments, tone statistics), loaded at
    /// start and saved after every negotiation. Empty: `learned.json` beside the records, in
    /// `record.directory`; with no record directory either, nothing is kept.
    pub learned_path: PathBuf,
    /// This robot's id in the learned file, under which its negotiations are added up (see
    /// `learned merge`). Empty: the id kept in the file, or a new random one.
    pub robot_id: String,
}

impl Default for NegotiationParams {
    fn default() -> Self {
        NegotiationParams {
            max_turns: 30,
            seed: 7,
            regenerate_attempts: 2,
            learned_path: PathBuf::new(),
            robot_id: String::new(),
        }
    }
}

/// The negotiation record (see [`crate::record`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordParams {
    /// Directory of the records: one JSON-lines file per negotiation, `<session id>.jsonl`,
    /// created owner-only (files 0600, a directory created here 0700). A leading `$ROS_HOME` is
    /// ROS's home (`$ROS_HOME`, else `~/.ros`), not the working directory a launch system
    /// happens to start in; other relative paths are from the working directory. Empty:
    /// nothing is recorded (and nothing can be resumed).
    pub directory: PathBuf,
    /// Finished records older than this many days (by modification time) are removed after
    /// each negotiation; 0: no age limit. Unfinished records are never removed.
    pub max_age_days: u32,
    /// Finished records are removed, oldest first, while all records together take more than
    /// this many MB (10^6 bytes); 0: no size limit.
    pub max_total_mb: u64,
    /// Every this many turns a record line holds the whole negotiation snapshot; the lines
    /// between hold only what changed since the line before (a patch), so a record grows with
    /// its turns, not their square. The first line (turn 0) and the line that finishes the
    /// negotiation are always whole. Loading a line rebuilds its snapshot from the last whole
    /// one, so smaller values load faster and larger ones write less. At least 1 (1: every line
    /// whole, as records of format 1 were).
    pub snapshot_every: u32,
}

impl Default for RecordParams {
    fn default() -> Self {
        RecordParams {
            directory: PathBuf::from("$ROS_HOME/eq_negotiator"),
            max_age_days: 180,
            max_total_mb: 512,
            snapshot_every: 10,
        }
    }
}

/// The local language model that phrases replies and reads emotions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmParams {
    /// GGUF model file; relative paths are from the working directory.
    pub model_path: PathBuf,
    /// Context size in tokens (the KV cache), shared by the speaker and the emotion reader.
    pub context_tokens: u32,
    /// Tokens decoded per batch while reading a prompt.
    pub batch_tokens: u32,
    /// CPU threads for llama.cpp; 0 uses every core.
    pub threads: u32,
    /// Layers offloaded to the GPU in a `cuda` build (0: CPU only).
    pub gpu_layers: u32,
    /// Most tokens generated for one reply.
    pub max_reply_tokens: u32,
    /// Most sentences in one reply; generation stops after this many (`whole` shape).
    pub max_reply_sentences: u32,
    /// What the model writes: `lead` (one answering sentence, the offer sentence from the
    /// template) or `whole` (the whole reply).
    pub reply_shape: ReplyShape,
    /// A LoRA adapter (GGUF) trained for `model_path` by `scripts/train-voice`, applied over
    /// the model at load; relative paths are from the working directory; empty: none. The
    /// default, `voice/adapter.gguf`, belongs to the default model: set it empty with another. With an adapter the lead is not started with given
    /// words: the adapter has learned how a lead begins.
    pub adapter_path: PathBuf,
    /// How strongly the adapter applies (1: as trained).
    pub adapter_scale: f64,
    /// Seed of the sampler, for reproducible runs.
    pub seed: u32,
    /// Weight of the lexicon in the fused emotion detector (the model gets the rest).
    pub fused_lexicon_weight: f64,
    /// The model's average label distribution on ordinary text (joy, sadness, anger, fear,
    /// surprise, disgust, neutral): the emotion reader divides by it to cancel the model's bias
    /// toward some labels. Measured for the default model on the GoEmotions train split; use
    /// all ones to switch the correction off.
    pub reader_prior: [f64; 7],
}

impl LlmParams {
    /// Checks the language-model settings (also done by [`Params::validate`]).
    pub fn validate(&self) -> Result<(), ParamsError> {
        self.check(&mut Rules::default())
    }

    fn check(&self, r: &mut Rules) -> Result<(), ParamsError> {
        let l = self;
        r.note("llm.model_path", None, "a GGUF file".into());
        if l.model_path.as_os_str().is_empty() {
            return Err(invalid(
                "llm.model_path",
                "\"\"",
                "must name a GGUF file (scripts/fetch-model puts the default in models/)".into(),
            ));
        }
        r.note(
            "llm.context_tokens",
            Some(Range::Integer(512, i64::MAX)),
            "at least 512".into(),
        );
        if l.context_tokens < 512 {
            return Err(invalid(
                "llm.context_tokens",
                l.context_tokens,
                "must be at least 512 tokens: the instructions alone take about 200".into(),
            ));
        }
        r.int_range(
            "llm.batch_tokens",
            l.batch_tokens,
            1,
            i64::from(l.context_tokens),
            format!("must not exceed llm.context_tokens ({})", l.context_tokens),
        )?;
        r.int_range(
            "llm.max_reply_tokens",
            l.max_reply_tokens,
            1,
            i64::from(l.context_tokens / 4),
            format!(
                "must be at most a quarter of llm.context_tokens ({})",
                l.context_tokens
            ),
        )?;
        r.positive_int("llm.max_reply_sentences", l.max_reply_sentences as usize)?;
        r.in_range("llm.fused_lexicon_weight", l.fused_lexicon_weight, 0.0, 1.0)?;
        r.in_range("llm.adapter_scale", l.adapter_scale, 0.0, 4.0)?;
        r.note("llm.reader_prior", None, "positive numbers".into());
        if l.reader_prior.iter().any(|p| !(p.is_finite() && *p > 0.0)) {
            return Err(invalid(
                "llm.reader_prior",
                format!("{:?}", l.reader_prior),
                "every entry must be a positive number".into(),
            ));
        }
        Ok(())
    }
}

impl Default for LlmParams {
    fn default() -> Self {
        LlmParams {
            model_path: PathBuf::from("models/SmolLM2-135M-Instruct.Q4_1.gguf"),
            context_tokens: 2048,
            batch_tokens: 512,
            threads: 0,
            gpu_layers: 0,
            max_reply_tokens: 64,
            max_reply_sentences: 2,
            reply_shape: ReplyShape::Lead,
            adapter_path: PathBuf::from("voice/adapter.gguf"),
            adapter_scale: 1.0,
            seed: 1234,
            fused_lexicon_weight: 0.85,
            reader_prior: [0.130, 0.116, 0.372, 0.068, 0.110, 0.142, 0.062],
        }
    }
}

/// A path that starts with `$ROS_HOME` starts instead with the environment's `ROS_HOME`, or
/// with `$HOME/.ros` where that is unset, as ROS 2 itself resolves it. Other paths are kept.
pub fn expand_ros_home(path: &Path) -> PathBuf {
    let Ok(rest) = path.strip_prefix("$ROS_HOME") else {
        return path.to_path_buf();
    };
    let home = match std::env::var_os("ROS_HOME").filter(|v| !v.is_empty()) {
        Some(ros_home) => PathBuf::from(ros_home),
        None => {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into())).join(".ros")
        }
    };
    home.join(rest)
}

impl Params {
    /// Loads a YAML file, applies `key=value` overrides, and validates the result.
    ///
    /// `file` may be `None` (defaults only). Keys absent from the file keep their defaults.
    pub fn load(file: Option<&Path>, overrides: &[String]) -> Result<Params, ParamsError> {
        let (mut value, origin) = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ParamsError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                let value: serde_yaml_ng::Value =
                    serde_yaml_ng::from_str(&text).map_err(|e| ParamsError::Parse {
                        origin: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                (value, path.display().to_string())
            }
            None => (
                serde_yaml_ng::Value::Mapping(Default::default()),
                "defaults".into(),
            ),
        };
        if value.is_null() {
            value = serde_yaml_ng::Value::Mapping(Default::default());
        }
        Self::from_value(unwrap_ros_parameters(value), origin, overrides)
    }

    /// These parameters with `key=value` overrides applied, validated as [`Params::load`]
    /// validates a file: the ROS node's live parameter changes.
    pub fn updated(&self, overrides: &[String]) -> Result<Params, ParamsError> {
        let value = serde_yaml_ng::to_value(self).expect("parameters always serialise");
        Self::from_value(value, "the running parameters".into(), overrides)
    }

    fn from_value(
        mut value: serde_yaml_ng::Value,
        origin: String,
        overrides: &[String],
    ) -> Result<Params, ParamsError> {
        for text in overrides {
            apply_override(&mut value, text)?;
        }
        let origin = if overrides.is_empty() {
            origin
        } else {
            format!("{origin} with --set overrides")
        };
        let mut params: Params =
            serde_path_to_error::deserialize(value).map_err(|e| ParamsError::Parse {
                origin: origin.clone(),
                message: format!("at {}: {}", e.path(), e.inner()),
            })?;
        params.validate().map_err(|source| ParamsError::Rejected {
            origin,
            source: Box::new(source),
        })?;
        params.record.directory = expand_ros_home(&params.record.directory);
        params.negotiation.learned_path = expand_ros_home(&params.negotiation.learned_path);
        Ok(params)
    }

    /// Whether the parameter `key` may change while a negotiation runs, taking effect from the
    /// next turn: the policy, the offers (not the reservation limit's multiple), the turn and
    /// utterance limits, record retention and the diagnostics period. The others (the model, topics, scenario, records, HMM priors)
    /// shape what is built when the node is configured, so they change only when it is not.
    pub fn changes_live(key: &str) -> bool {
        key.starts_with("policy.")
            // The limit a negotiation opened with stays its limit: its record resumes on it.
            || (key.starts_with("offer.") && key != "offer.reservation_multiple")
            || matches!(
                key,
                "negotiation.max_turns"
                    | "negotiation.regenerate_attempts"
                    | "node.max_utterance_chars"
                    | "node.diagnostics_period_s"
                    | "record.max_age_days"
                    | "record.max_total_mb"
            )
    }

    /// The learned-parameters file: `negotiation.learned_path`, or `learned.json` in
    /// `record.directory` when that is empty; `None` when both are empty (nothing is kept).
    pub fn learned_file(&self) -> Option<PathBuf> {
        let path = &self.negotiation.learned_path;
        let records = &self.record.directory;
        if !path.as_os_str().is_empty() {
            Some(path.clone())
        } else if !records.as_os_str().is_empty() {
            Some(records.join("learned.json"))
        } else {
            None
        }
    }

    /// Checks every range rule; the first broken one is returned with its key.
    pub fn validate(&self) -> Result<(), ParamsError> {
        self.check(&mut Rules::default())
    }

    /// The rules [`Params::validate`] enforces, one or more per key, as they stand for these
    /// values (a bound may be another parameter's value, e.g. `policy.temperature_floor` is at
    /// most `policy.temperature_initial`).
    pub fn rules(&self) -> Vec<Rule> {
        let mut rules = Rules::default();
        // Invalid values stop the checks early; the node only ever holds valid ones.
        let _ = self.check(&mut rules);
        rules.noted
    }

    fn check(&self, r: &mut Rules) -> Result<(), ParamsError> {
        let p = &self.policy;
        r.int_range(
            "policy.gate_window",
            p.gate_window,
            1,
            MAX_GATE_WINDOW as i64,
            format!("must be at most {MAX_GATE_WINDOW} emotions"),
        )?;
        r.int_range(
            "policy.gate_negative_count",
            p.gate_negative_count,
            1,
            p.gate_window as i64,
            format!("must be at most policy.gate_window ({})", p.gate_window),
        )?;
        r.finite("policy.payoff_threshold", p.payoff_threshold)?;
        r.in_range(
            "policy.temperature_initial",
            p.temperature_initial,
            0.0,
            5.0,
        )?;
        r.in_range("policy.temperature_decay", p.temperature_decay, 0.0, 1.0)?;
        r.in_range(
            "policy.temperature_floor",
            p.temperature_floor,
            0.0,
            p.temperature_initial,
        )?;
        r.in_range("policy.agreement_reward", p.agreement_reward, 0.0, 100.0)?;
        r.in_range("policy.failure_reward", p.failure_reward, -100.0, 0.0)?;
        r.in_range(
            "policy.payoff_learning_rate",
            p.payoff_learning_rate,
            0.0,
            1.0,
        )?;
        r.in_range(
            "policy.payoff_adjustment_limit",
            p.payoff_adjustment_limit,
            0.0,
            10.0,
        )?;
        r.in_range("policy.turn_exploration", p.turn_exploration, 0.0, 100.0)?;
        r.in_range("policy.turn_min_gap_days", p.turn_min_gap_days, 1.0, 1e6)?;
        r.in_range("policy.turn_prior", p.turn_prior, 0.0, 1e6)?;

        let h = &self.hmm;
        r.distribution("hmm.initial_belief", &h.initial_belief)?;
        for (i, row) in h.transition_prior.iter().enumerate() {
            let name = Disposition::ALL[i].name();
            r.distribution(&format!("hmm.transition_prior.{name}"), row)?;
        }
        for (i, row) in h.emission_prior.iter().enumerate() {
            let name = Disposition::ALL[i].name();
            r.distribution(&format!("hmm.emission_prior.{name}"), row)?;
        }
        r.positive("hmm.prior_strength", h.prior_strength)?;
        r.note(
            "hmm.probability_floor",
            Some(Range::Float(f64::MIN_POSITIVE, 0.01)),
            "above 0 and at most 0.01".into(),
        );
        if !(h.probability_floor > 0.0 && h.probability_floor <= 0.01) {
            return Err(invalid(
                "hmm.probability_floor",
                h.probability_floor,
                "must be above 0 and at most 0.01".into(),
            ));
        }

        let o = &self.offer;
        r.in_range("offer.expected_patience", o.expected_patience, 1.0, 1000.0)?;
        r.in_range("offer.hostility_strain", o.hostility_strain, 0.0, 100.0)?;
        r.positive("offer.concession_shape", o.concession_shape)?;
        r.positive_int("offer.concession_turns", o.concession_turns as usize)?;
        r.in_range(
            "offer.manipulation_factor",
            o.manipulation_factor,
            0.01,
            1.0,
        )?;
        r.in_range("offer.hardship_factor", o.hardship_factor, 1.0, 100.0)?;
        r.in_range("offer.hardship_belief", o.hardship_belief, 0.0, 1.0)?;
        r.in_range(
            "offer.reservation_multiple",
            o.reservation_multiple,
            1.0,
            1000.0,
        )?;
        r.int_range(
            "offer.agreement_gap_days",
            o.agreement_gap_days,
            0,
            365,
            "must be at most 365 days".into(),
        )?;

        r.positive_int("negotiation.max_turns", self.negotiation.max_turns as usize)?;
        r.positive_int("record.snapshot_every", self.record.snapshot_every as usize)?;

        let n = &self.node;
        for (key, name) in [
            ("node.transcript_topic", &n.transcript_topic),
            ("node.say_topic", &n.say_topic),
            ("node.state_topic", &n.state_topic),
            ("node.reset_service", &n.reset_service),
            ("node.diagnostics_topic", &n.diagnostics_topic),
        ] {
            r.ros_name(key, name)?;
        }
        r.ros_name("node.sentence_topic", &n.sentence_topic)?;
        r.int_range(
            "node.max_voices",
            n.max_voices,
            1,
            16,
            "must be at most 16 voices".into(),
        )?;
        for (key, name) in [
            ("node.learning_topic", &n.learning_topic),
            ("node.expression_topic", &n.expression_topic),
            ("node.voices_topic", &n.voices_topic),
        ] {
            if !name.is_empty() {
                r.ros_name(key, name)?;
            }
        }
        r.in_range(
            "node.diagnostics_period_s",
            n.diagnostics_period_s,
            0.05,
            3600.0,
        )?;
        r.positive_int("node.max_utterance_chars", n.max_utterance_chars as usize)?;
        let sc = &self.scenario;
        if sc.balance != 0.0 {
            r.positive("scenario.balance", sc.balance)?;
        }
        let max_days = crate::perceive::offer::MAX_DAYS;
        for (key, days) in [
            ("scenario.target_days", sc.target_days),
            ("scenario.reservation_days", sc.reservation_days),
        ] {
            r.int_range(
                key,
                days,
                0,
                i64::from(max_days),
                format!("must be at most {max_days}"),
            )?;
        }
        let sim = &self.sim;
        r.int_range(
            "sim.bootstrap_samples",
            sim.bootstrap_samples,
            0,
            100_000,
            "must be at most 100000".into(),
        )?;
        r.in_range("sim.confidence", sim.confidence, 0.5, 0.999)?;
        r.int_range(
            "sim.curve_windows",
            sim.curve_windows,
            1,
            1000,
            "must be at most 1000".into(),
        )?;

        self.llm.check(r)
    }

    /// The whole struct as YAML, as written to config/eq_negotiator.yaml.
    pub fn to_yaml(&self) -> String {
        serde_yaml_ng::to_string(self).expect("parameters always serialise")
    }
}

/// Matrices with one row per disposition, written as a mapping from the disposition's name to
/// its row; every row must be present.
mod rows_by_disposition {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::track::Disposition;

    pub fn serialize<S: Serializer, const N: usize>(
        rows: &[[f64; N]; Disposition::COUNT],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let map: Vec<(&str, &[f64])> = Disposition::ALL
            .iter()
            .map(|d| d.name())
            .zip(rows.iter().map(|r| r.as_slice()))
            .collect();
        OrderedMap(map).serialize(serializer)
    }

    /// A mapping that keeps the dispositions in their table order when serialised.
    struct OrderedMap<'a, V>(Vec<(&'a str, V)>);

    impl<V: Serialize> Serialize for OrderedMap<'_, V> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (k, v) in &self.0 {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[[f64; N]; Disposition::COUNT], D::Error> {
        let map = std::collections::BTreeMap::<String, Vec<f64>>::deserialize(deserializer)?;
        let mut rows = [[0.0; N]; Disposition::COUNT];
        for key in map.keys() {
            if !Disposition::ALL.iter().any(|d| d.name() == key) {
                return Err(D::Error::custom(format!(
                    "unknown row {key:?}; the rows are cooperative, confrontational, distressed, strategic"
                )));
            }
        }
        for (row, d) in rows.iter_mut().zip(Disposition::ALL) {
            let values = map
                .get(d.name())
                .ok_or_else(|| D::Error::custom(format!("row {:?} is missing", d.name())))?;
            if values.len() != N {
                return Err(D::Error::custom(format!(
                    "row {:?} has {} numbers, expected {N}",
                    d.name(),
                    values.len()
                )));
            }
            row.copy_from_slice(values);
        }
        Ok(rows)
    }
}

/// A ROS 2 parameters file (`NODE: {ros__parameters: {...}}`, as `--params-file` takes) holds
/// our parameters under one node name; this returns them, and any other YAML unchanged.
fn unwrap_ros_parameters(value: serde_yaml_ng::Value) -> serde_yaml_ng::Value {
    if let serde_yaml_ng::Value::Mapping(map) = &value
        && map.len() == 1
        && let Some((_, node)) = map.iter().next()
        && let Some(inner) = node.get("ros__parameters")
        && node.as_mapping().is_some_and(|m| m.len() == 1)
    {
        return inner.clone();
    }
    value
}

/// Applies one `group.key=value` override to a YAML tree; the value is parsed as YAML.
fn apply_override(root: &mut serde_yaml_ng::Value, text: &str) -> Result<(), ParamsError> {
    let refuse = |reason: &str| ParamsError::Override {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    let (key, raw) = text
        .split_once('=')
        .ok_or_else(|| refuse("expected group.key=value, e.g. policy.gate_window=6"))?;
    let parts: Vec<&str> = key.trim().split('.').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return Err(refuse(
            "the key must be group.key, e.g. offer.agreement_gap_days",
        ));
    }
    let value: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(raw).map_err(|e| refuse(&format!("value is not YAML: {e}")))?;
    let (last, path) = parts.split_last().expect("at least two parts");
    let mut node = root;
    for part in path {
        node = node
            .as_mapping_mut()
            .ok_or_else(|| refuse(&format!("{part} is not a group in the file")))?
            .entry((*part).into())
            .or_insert_with(|| serde_yaml_ng::Value::Mapping(Default::default()));
    }
    node.as_mapping_mut()
        .ok_or_else(|| refuse("that group is not a mapping in the file"))?
        .insert((*last).into(), value);
    Ok(())
}

fn invalid(key: &str, value: impl std::fmt::Display, reason: String) -> ParamsError {
    ParamsError::Invalid {
        key: key.to_string(),
        value: value.to_string(),
        reason,
    }
}

/// The allowed values of one numeric parameter, as validation states them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// A real number from the first to the second, both included.
    Float(f64, f64),
    /// A whole number from the first to the second, both included.
    Integer(i64, i64),
}

/// One rule of [`Params::validate`], noted for the parameter it constrains: what the ROS node
/// shows in `describe_parameters`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Dotted key, e.g. `policy.gate_window`.
    pub key: String,
    /// The numeric range, where the rule is one.
    pub range: Option<Range>,
    /// The rule in words, e.g. "between 0 and 1".
    pub text: String,
}

/// The checks of [`Params::validate`]: each fails with the key, and notes its rule, so that the
/// rules a reader is shown are the ones enforced.
#[derive(Debug, Default)]
struct Rules {
    noted: Vec<Rule>,
}

impl Rules {
    fn note(&mut self, key: &str, range: Option<Range>, text: String) {
        self.noted.push(Rule {
            key: key.to_string(),
            range,
            text,
        });
    }

    fn finite(&mut self, key: &str, v: f64) -> Result<(), ParamsError> {
        self.note(key, None, "a finite number".into());
        if v.is_finite() {
            Ok(())
        } else {
            Err(invalid(key, v, "must be a finite number".into()))
        }
    }

    fn in_range(&mut self, key: &str, v: f64, low: f64, high: f64) -> Result<(), ParamsError> {
        let text = format!("between {low} and {high}");
        self.note(key, Some(Range::Float(low, high)), text.clone());
        if v.is_finite() && (low..=high).contains(&v) {
            Ok(())
        } else {
            Err(invalid(key, v, format!("must be {text}")))
        }
    }

    fn positive(&mut self, key: &str, v: f64) -> Result<(), ParamsError> {
        self.note(key, None, "a positive number".into());
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(invalid(key, v, "must be a positive number".into()))
        }
    }

    fn positive_int(&mut self, key: &str, v: usize) -> Result<(), ParamsError> {
        self.int_range(key, v, 1, i64::MAX, "is too large".into())
    }

    /// A whole number from `low` to `high`: below, it "must be at least `low`"; above,
    /// `too_high` says why.
    fn int_range(
        &mut self,
        key: &str,
        v: impl TryInto<i64> + std::fmt::Display + Copy,
        low: i64,
        high: i64,
        too_high: String,
    ) -> Result<(), ParamsError> {
        let text = if high == i64::MAX {
            format!("at least {low}")
        } else {
            format!("between {low} and {high}")
        };
        self.note(key, Some(Range::Integer(low, high)), text);
        match v.try_into() {
            Ok(n) if n < low => Err(invalid(key, v, format!("must be at least {low}"))),
            Ok(n) if n <= high => Ok(()),
            _ => Err(invalid(key, v, too_high)),
        }
    }

    /// A topic or service name ROS accepts: letters, digits, `_` and `/`, not starting with a
    /// digit, no `//`, not ending with `/`.
    fn ros_name(&mut self, key: &str, name: &str) -> Result<(), ParamsError> {
        self.note(key, None, "a ROS name: letters, digits, _ and /".into());
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/')
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && !name.contains("//")
            && (name.len() == 1 || !name.ends_with('/'));
        if valid {
            Ok(())
        } else {
            Err(invalid(
                key,
                format!("{name:?}"),
                "must be a ROS name: letters, digits, _ and /, e.g. speech/transcript".into(),
            ))
        }
    }

    fn distribution(&mut self, key: &str, row: &[f64]) -> Result<(), ParamsError> {
        self.note(key, None, "non-negative numbers that sum to 1".into());
        if let Some(bad) = row.iter().find(|p| !(p.is_finite() && **p >= 0.0)) {
            return Err(invalid(
                key,
                format!("{row:?}"),
                format!("entries must be non-negative numbers, found {bad}"),
            ));
        }
        let total: f64 = row.iter().sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(invalid(
                key,
                format!("{row:?}"),
                format!("must sum to 1 (sums to {total})"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_learning_default_under_ros_home_not_the_working_directory() {
        let params = Params::load(None, &[]).unwrap();
        let records = &params.record.directory;
        assert!(records.is_absolute(), "{}", records.display());
        assert!(records.ends_with("eq_negotiator"));
        let expected = std::env::var_os("ROS_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".ros"));
        assert_eq!(records, &expected.join("eq_negotiator"));
        assert_eq!(params.learned_file(), Some(records.join("learned.json")));
        assert_eq!(expand_ros_home(Path::new("records")), Path::new("records"));
        let off = Params::load(None, &["record.directory=\"\"".into()]).unwrap();
        assert_eq!(off.learned_file(), None);
        let own = Params::load(None, &["negotiation.learned_path=/x/l.json".into()]).unwrap();
        assert_eq!(own.learned_file(), Some(PathBuf::from("/x/l.json")));
    }

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("params.yaml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn defaults_are_the_design_numbers_and_valid() {
        let p = Params::default();
        p.validate().unwrap();
        assert_eq!(p.policy.gate_window, 5);
        assert_eq!(p.policy.gate_negative_count, 4);
        assert_eq!(p.policy.payoff_threshold, 2.0);
        assert_eq!(p.offer.agreement_gap_days, 5);
        assert_eq!(p.negotiation.max_turns, 30);
        assert!((p.policy.temperature(0) - 0.7).abs() < 1e-12);
        assert!((p.policy.temperature(2) - 0.7 * 0.95 * 0.95).abs() < 1e-12);
        assert_eq!(p.policy.temperature(200), 0.1);
    }

    #[test]
    fn yaml_round_trip_and_partial_files_keep_defaults() {
        let mut p = Params::default();
        let (_g, path) = write(&p.to_yaml());
        // Loading resolves `$ROS_HOME` in the paths; nothing else changes.
        p.record.directory = expand_ros_home(&p.record.directory);
        assert_eq!(Params::load(Some(&path), &[]).unwrap(), p);

        let (_g, path) = write("policy:\n  gate_window: 6\n");
        let loaded = Params::load(Some(&path), &[]).unwrap();
        assert_eq!(loaded.policy.gate_window, 6);
        assert_eq!(loaded.hmm, HmmParams::default());
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let (_g, path) = write("policy:\n  gate_windw: 6\n");
        let err = Params::load(Some(&path), &[]).unwrap_err().to_string();
        assert!(err.contains("gate_windw"), "{err}");
        assert!(err.contains("params.yaml"), "{err}");
    }

    #[test]
    fn row_that_does_not_sum_to_one_is_refused() {
        let (_g, path) = write(
            "hmm:\n  transition_prior:\n    cooperative: [0.5, 0.15, 0.15, 0.2]\n    confrontational: [0.2, 0.4, 0.2, 0.3]\n    distressed: [0.25, 0.15, 0.4, 0.2]\n    strategic: [0.2, 0.2, 0.15, 0.45]\n",
        );
        let err = Params::load(Some(&path), &[]).unwrap_err().to_string();
        assert!(
            err.contains("hmm.transition_prior.confrontational"),
            "{err}"
        );
        assert!(err.contains("sum to 1"), "{err}");
    }

    #[test]
    fn negative_days_and_wrong_types_are_refused() {
        let err = Params::load(None, &["offer.agreement_gap_days=-3".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("agreement_gap_days"), "{err}");
        let err = Params::load(None, &["negotiation.max_turns=many".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("max_turns"), "{err}");
        let err = Params::load(None, &["offer.reservation_multiple=0.5".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("offer.reservation_multiple"), "{err}");
    }

    #[test]
    fn overrides_apply_and_malformed_ones_are_explained() {
        let p = Params::load(None, &["policy.gate_negative_count=3".into()]).unwrap();
        assert_eq!(p.policy.gate_negative_count, 3);
        for bad in [
            "gate_window",
            "policy=3",
            "a.b.c=1",
            "nosuch.key=1",
            "policy.gate_window=100000000000000",
            "policy.temperature_floor=0.9",
            "policy.failure_reward=0.5",
            "hmm.probability_floor=0",
            "offer.agreement_gap_days=100000",
        ] {
            assert!(Params::load(None, &[bad.into()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = Params::load(Some(Path::new("/no/such/params.yaml")), &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("/no/such/params.yaml"), "{err}");
    }
}
