//! The llama.cpp adapter (feature `llm`): one worker thread owns the model and its context.
//!
//! [`LlmHandle::start`] checks the model file, loads it on a dedicated OS thread and returns a
//! cheap, cloneable handle. Requests go to the worker over a channel, cancellations over a
//! second channel, and generated sentences come back over a per-request channel, so nothing
//! blocks an async runtime. On top of the handle sit [`SlmSpeaker`] (phrases replies, streaming
//! sentence by sentence) and [`SlmDetector`] (reads emotions with a grammar-constrained label).

mod engine;
mod speaker;

pub mod detector;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use crate::emotion::EmotionDistribution;
use crate::params::LlmParams;
use crate::speak::Interrupt;
use crate::speak::prompt::Prompt;

pub use detector::SlmDetector;
pub use engine::{BareCache, BareStats, bare_decode_loop, bare_prompt_texts};
pub use speaker::SlmSpeaker;

/// The script that puts the default model in place.
pub const FETCH_SCRIPT: &str = "scripts/fetch-model";

/// Errors of the language-model adapter; each names the file or setting and the fix.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The model file does not exist.
    #[error(
        "model file {path} not found: run {FETCH_SCRIPT} for the default model, or set llm.model_path to a GGUF file"
    )]
    ModelMissing {
        /// The configured path.
        path: PathBuf,
    },
    /// The file exists but is not a usable GGUF model.
    #[error(
        "model file {path} is not a usable GGUF model ({reason}): run {FETCH_SCRIPT} again, or set llm.model_path to another GGUF file"
    )]
    ModelCorrupt {
        /// The configured path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The adapter file is missing or does not fit the model.
    #[error(
        "adapter {path} cannot be applied to the model ({reason}): set llm.adapter_path to the adapter scripts/train-voice made for llm.model_path, or to \"\" for none"
    )]
    AdapterInvalid {
        /// The configured path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// llama.cpp failed while setting up (backend, context).
    #[error("llama.cpp could not start: {0}")]
    Setup(String),
    /// A request failed inside the worker.
    #[error("language model request failed: {0}")]
    Request(String),
    /// The language-model settings are inconsistent.
    #[error(transparent)]
    Params(#[from] crate::params::ParamsError),
    /// The worker thread is gone (it panicked or was shut down).
    #[error("the language-model worker has stopped")]
    WorkerStopped,
}

/// What the worker reports about one generation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GenerationStats {
    /// Tokens in the rendered prompt.
    pub prompt_tokens: usize,
    /// Prompt tokens already in the KV cache from earlier turns (not decoded again).
    pub reused_tokens: usize,
    /// Prompt tokens decoded for this request: `prompt_tokens - reused_tokens`.
    pub decoded_prompt_tokens: usize,
    /// Dialogue messages left out because the context would have overflowed.
    pub dropped_messages: usize,
    /// Tokens generated (and decoded) for the reply.
    pub generated_tokens: usize,
    /// True when a cancel request stopped the generation.
    pub cancelled: bool,
    /// Milliseconds spent decoding the prompt.
    pub prompt_ms: f64,
    /// Milliseconds spent generating.
    pub generate_ms: f64,
    /// Milliseconds from the request reaching the worker to the first complete sentence.
    pub first_sentence_ms: Option<f64>,
}

/// One event of a streamed generation.
#[derive(Debug, Clone, PartialEq)]
pub enum GenerationEvent {
    /// A complete sentence, with the number of tokens generated so far.
    Sentence {
        /// The sentence.
        text: String,
        /// Tokens generated when it completed.
        tokens_so_far: usize,
    },
    /// Generation ended (normally, by cancellation, or at a limit).
    Done(GenerationStats),
    /// Generation failed.
    Failed(String),
}

/// Sampling settings of one generation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sampling {
    /// Temperature; at or below 0.01 decoding is greedy.
    pub temperature: f32,
    /// Most tokens to generate.
    pub max_tokens: u32,
    /// Stop after this many sentences.
    pub max_sentences: u32,
}

/// Facts about the loaded model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// The model file.
    pub path: PathBuf,
    /// File size in bytes.
    pub file_bytes: u64,
    /// Size of the KV cache in bytes (keys and values, 16-bit, all layers).
    pub kv_cache_bytes: u64,
    /// Context size in tokens.
    pub context_tokens: u32,
    /// Threads used.
    pub threads: u32,
    /// Whether the GGUF carried a chat template (else chatml is used).
    pub has_chat_template: bool,
    /// Milliseconds to load the model and create the context.
    pub load_ms: f64,
}

enum Request {
    Generate {
        id: u64,
        prompt: Prompt,
        sampling: Sampling,
        interrupt: Option<Interrupt>,
        events: mpsc::Sender<GenerationEvent>,
    },
    Classify {
        text: String,
        reply: mpsc::Sender<Result<EmotionDistribution, String>>,
    },
    CountPromptTokens {
        prompt: Prompt,
        reply: mpsc::Sender<Result<usize, String>>,
    },
    Prefill {
        prompt: Prompt,
        sampling: Sampling,
        done: mpsc::Sender<bool>,
    },
}

/// A reply asked for ahead ([`LlmHandle::prefill`]).
pub struct Prefill(mpsc::Receiver<bool>);

impl Prefill {
    /// Waits until the worker is done with it: true when the reply is ready, false when it
    /// gave way to another request or failed.
    pub fn wait(self) -> bool {
        self.0.recv().unwrap_or(false)
    }
}

/// A handle to the worker thread; clones share the one model. When the last clone is dropped,
/// the worker finishes and frees the model before the drop returns.
#[derive(Clone)]
pub struct LlmHandle {
    // Dropped before `_worker` (fields drop in order): the worker stops once every handle's
    // sender is gone, and the last `_worker` waits for that.
    requests: mpsc::Sender<Request>,
    /// Triggered by every request sent: a speculative reply in progress gives way to it.
    arrivals: Interrupt,
    cancels: mpsc::Sender<u64>,
    next_id: Arc<AtomicU64>,
    info: Arc<ModelInfo>,
    _worker: Arc<Worker>,
}

/// The worker thread, joined when the last handle goes. Its model and context (GPU buffers in a
/// `cuda` build) must be freed before the process exits: CUDA shuts its runtime down at exit,
/// and a buffer freed after that aborts the process (seen on an H200 before this join).
struct Worker(Option<std::thread::JoinHandle<()>>);

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            // A worker that panicked has nothing left to free; its panic was already reported.
            let _ = thread.join();
        }
    }
}

/// A generation in progress: its events, and the means to cancel it.
pub struct Generation {
    id: u64,
    events: mpsc::Receiver<GenerationEvent>,
    cancels: mpsc::Sender<u64>,
}

impl Generation {
    /// The next event; `None` when the worker is gone.
    pub fn next_event(&self) -> Option<GenerationEvent> {
        self.events.recv().ok()
    }

    /// Asks the worker to stop this generation at the next token.
    pub fn cancel(&self) {
        let _ = self.cancels.send(self.id);
    }
}

impl LlmHandle {
    /// Checks the model file, then loads it on a new worker thread.
    ///
    /// Fails before any thread starts when the settings are inconsistent, or the file is missing
    /// or is not a GGUF file.
    pub fn start(params: &LlmParams) -> Result<LlmHandle, LlmError> {
        params.validate()?;
        let file_bytes = check_model_file(&params.model_path)?;
        let (requests, request_rx) = mpsc::channel();
        let (cancels, cancel_rx) = mpsc::channel();
        let (ready_tx, ready_rx) = mpsc::channel();
        let config = params.clone();
        let arrivals = Interrupt::new();
        let arrived = arrivals.clone();
        let thread = std::thread::Builder::new()
            .name("llm-worker".into())
            .spawn(move || {
                engine::run(config, file_bytes, ready_tx, request_rx, cancel_rx, arrived)
            })
            .map_err(|e| LlmError::Setup(format!("cannot start the worker thread: {e}")))?;
        // On a setup failure the worker has already ended; joining it here keeps that true.
        let worker = Worker(Some(thread));
        let info = ready_rx.recv().map_err(|_| LlmError::WorkerStopped)??;
        Ok(LlmHandle {
            requests,
            arrivals,
            cancels,
            next_id: Arc::new(AtomicU64::new(1)),
            info: Arc::new(info),
            _worker: Arc::new(worker),
        })
    }

    /// Facts about the loaded model.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Starts generating a reply to `prompt`; sentences stream back as they complete.
    ///
    /// `interrupt`, when given and triggered, stops the generation at its next token like
    /// [`Generation::cancel`] (barge-in from another thread).
    pub fn generate(
        &self,
        prompt: Prompt,
        sampling: Sampling,
        interrupt: Option<Interrupt>,
    ) -> Result<Generation, LlmError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (events, events_rx) = mpsc::channel();
        self.send(Request::Generate {
            id,
            prompt,
            sampling,
            interrupt,
            events,
        })?;
        Ok(Generation {
            id,
            events: events_rx,
            cancels: self.cancels.clone(),
        })
    }

    /// The emotion distribution the model gives `text` (see [`SlmDetector`]).
    pub fn classify(&self, text: &str) -> Result<EmotionDistribution, LlmError> {
        self.ask(|reply| Request::Classify {
            text: text.to_string(),
            reply,
        })
    }

    /// How many tokens `prompt` makes once rendered with the chat template (assistant cue
    /// included), with no dialogue dropped.
    pub fn count_prompt_tokens(&self, prompt: &Prompt) -> Result<usize, LlmError> {
        self.ask(|reply| Request::CountPromptTokens {
            prompt: prompt.clone(),
            reply,
        })
    }

    /// Gets the worker ready for the reply expected next, without waiting: it decodes `prompt`
    /// into the speaker's cache and generates the reply with `sampling` ahead, while nothing
    /// else is asked of it. A [`LlmHandle::generate`] of the same prompt and sampling then
    /// streams that reply at once; of another prompt, decodes only where the prompts differ.
    /// Any request sent meanwhile stops the reply ahead at its next token.
    pub fn prefill(&self, prompt: Prompt, sampling: Sampling) -> Result<Prefill, LlmError> {
        let (done, finished) = mpsc::channel();
        self.send(Request::Prefill {
            prompt,
            sampling,
            done,
        })?;
        Ok(Prefill(finished))
    }

    /// Sends a request, first telling a reply ahead to give way (before, so that the worker,
    /// which clears the signal when it takes a prefill, never stops a prefill for itself).
    fn send(&self, request: Request) -> Result<(), LlmError> {
        self.arrivals.trigger();
        self.requests
            .send(request)
            .map_err(|_| LlmError::WorkerStopped)
    }

    /// Sends a request that answers once, and waits for the answer.
    fn ask<T>(
        &self,
        request: impl FnOnce(mpsc::Sender<Result<T, String>>) -> Request,
    ) -> Result<T, LlmError> {
        let (reply, reply_rx) = mpsc::channel();
        self.send(request(reply))?;
        reply_rx
            .recv()
            .map_err(|_| LlmError::WorkerStopped)?
            .map_err(LlmError::Request)
    }
}

/// Size of the model file, after checking that it exists and starts like a GGUF file.
pub fn check_model_file(path: &Path) -> Result<u64, LlmError> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|_| LlmError::ModelMissing {
        path: path.to_path_buf(),
    })?;
    let corrupt = |reason: String| LlmError::ModelCorrupt {
        path: path.to_path_buf(),
        reason,
    };
    if !metadata.is_file() {
        return Err(corrupt("it is not a file".into()));
    }
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map_err(|e| corrupt(format!("cannot read its header: {e}")))?;
    if &magic != b"GGUF" {
        return Err(corrupt(
            "it does not start with the GGUF magic bytes".into(),
        ));
    }
    Ok(metadata.len())
}

/// Peak resident memory of this process (VmHWM), in bytes, where the OS reports it.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn dropping_the_worker_waits_for_its_thread_to_finish() {
        let (requests, requests_rx) = mpsc::channel::<()>();
        let freed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&freed);
        // Like the engine: serve until every sender is gone, then take a while to free.
        let thread = std::thread::spawn(move || {
            for () in requests_rx {}
            std::thread::sleep(std::time::Duration::from_millis(200));
            flag.store(true, Ordering::SeqCst);
        });
        let worker = Arc::new(Worker(Some(thread)));
        let clone = Arc::clone(&worker);
        drop(worker);
        assert!(
            !freed.load(Ordering::SeqCst),
            "a clone still holds the worker"
        );
        drop(requests);
        drop(clone);
        assert!(
            freed.load(Ordering::SeqCst),
            "the last drop returned before the thread ended"
        );
    }
}
