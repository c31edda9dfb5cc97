//! The worker thread: owns the llama.cpp model and context and serves requests one at a time.
//!
//! Two sequences share one KV cache: sequence 0 holds the speaker's dialogue, sequence 1 the
//! emotion reader's prompt. Each keeps the tokens it already decoded; a new prompt only decodes
//! what follows the longest common prefix, so a growing dialogue costs only its new tokens.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::{OnceLock, mpsc};
use std::time::Instant;

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaLoraAdapter, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token::data::LlamaTokenData;
use llama_cpp_2::token::data_array::LlamaTokenDataArray;

use super::{GenerationEvent, GenerationStats, LlmError, ModelInfo, Request, Sampling};
use crate::emotion::{Emotion, EmotionDistribution};
use crate::params::LlmParams;
use crate::speak::Interrupt;
use crate::speak::prompt::{ChatMessage, Prompt, Role, sanitize};
use crate::speak::sentences::SentenceSplitter;

const SPEAKER_SEQ: i32 = 0;
const READER_SEQ: i32 = 1;

/// Dialogue messages dropped at a time when a prompt would overflow the context.
const DROP_BLOCK: usize = 16;

/// Share of the context kept for the emotion reader's prompt (1/READER_SHARE), so the reader
/// and the speaker never evict each other's cache in normal operation.
const READER_SHARE: u32 = 8;

/// Tokens the emotion reader's prompt may use; the speaker's prompts leave them free.
fn reader_budget(params: &LlmParams) -> usize {
    (params.context_tokens / READER_SHARE) as usize
}

/// llama.cpp's backend may be initialised once per process.
fn backend() -> Result<&'static LlamaBackend, LlmError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp logs thousands of lines per load; route them to tracing's filter.
            llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default());
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| LlmError::Setup(e.clone()))
}

fn thread_count(configured: u32) -> u32 {
    if configured > 0 {
        configured
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get() as u32)
    }
}

fn load_model(params: &LlmParams) -> Result<LlamaModel, LlmError> {
    let model_params = LlamaModelParams::default().with_n_gpu_layers(params.gpu_layers);
    LlamaModel::load_from_file(backend()?, &params.model_path, &model_params).map_err(|e| {
        LlmError::ModelCorrupt {
            path: params.model_path.clone(),
            reason: format!("llama.cpp could not load it: {e}"),
        }
    })
}

/// How many leading `tokens` the KV cache holding `cached` can keep: their common prefix, less
/// the last token of `tokens`, which must be decoded again for fresh logits to sample from.
fn reusable_prefix(cached: &[LlamaToken], tokens: &[LlamaToken]) -> usize {
    cached
        .iter()
        .zip(tokens)
        .take_while(|(a, b)| a == b)
        .count()
        .min(tokens.len().saturating_sub(1))
}

/// The configured LoRA adapter, checked against the model; `None` when none is configured.
fn load_adapter(
    model: &mut LlamaModel,
    params: &LlmParams,
) -> Result<Option<LlamaLoraAdapter>, LlmError> {
    if params.adapter_path.as_os_str().is_empty() {
        return Ok(None);
    }
    let invalid = |reason: String| LlmError::AdapterInvalid {
        path: params.adapter_path.clone(),
        reason,
    };
    if !params.adapter_path.is_file() {
        return Err(invalid("no such file".into()));
    }
    // llama.cpp checks the adapter's architecture and every tensor's name and shape against the
    // model, and logs which one failed.
    model
        .lora_adapter_init(&params.adapter_path)
        .map(Some)
        .map_err(|e| {
            invalid(format!(
                "llama.cpp refused it: {e}; it belongs to another base model or is not a LoRA GGUF"
            ))
        })
}

/// Applies the adapter, if any, to every later decode of `context`.
fn set_adapter(
    context: &mut LlamaContext<'_>,
    adapter: Option<&mut LlamaLoraAdapter>,
    params: &LlmParams,
) -> Result<(), LlmError> {
    let Some(adapter) = adapter else {
        return Ok(());
    };
    context
        .lora_adapter_set(adapter, params.adapter_scale as f32)
        .map_err(|e| LlmError::AdapterInvalid {
            path: params.adapter_path.clone(),
            reason: format!("llama.cpp could not set it: {e}"),
        })
}

/// The model's own chat template, or chatml when the GGUF carries none.
fn chat_template(model: &LlamaModel) -> Result<(LlamaChatTemplate, bool), LlmError> {
    match model.chat_template(None) {
        Ok(template) => Ok((template, true)),
        Err(_) => LlamaChatTemplate::new("chatml")
            .map(|t| (t, false))
            .map_err(|e| LlmError::Setup(e.to_string())),
    }
}

/// Messages rendered with the chat template, ending with the assistant's cue.
fn render(
    model: &LlamaModel,
    template: &LlamaChatTemplate,
    messages: &[ChatMessage],
) -> Result<String, String> {
    let chat = messages
        .iter()
        .map(|m| LlamaChatMessage::new(m.role.name().to_string(), m.content.replace('\0', "")))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    model
        .apply_chat_template(template, &chat, true)
        .map_err(|e| format!("chat template failed: {e}"))
}

/// The texts of the model's control tokens that could appear in typed text ("<|im_start|>",
/// "<filename>"): at least two characters, one of them not a letter or digit.
fn control_texts(model: &LlamaModel) -> Vec<String> {
    let vocab = model.vocab();
    let mut texts: Vec<String> = (0..model.n_vocab())
        .map(LlamaToken)
        .filter(|t| vocab.is_control(*t))
        .map(|t| String::from_utf8_lossy(&vocab.token_to_piece(t, true, None)).into_owned())
        .filter(|text| text.chars().count() >= 2 && text.chars().any(|c| !c.is_alphanumeric()))
        .collect();
    texts.sort();
    texts.dedup();
    texts
}

/// `text` with every occurrence of a control-token text broken by a space after its first
/// character.
fn defang(text: &str, control_texts: &[String]) -> String {
    let mut out = text.to_string();
    for control in control_texts {
        if out.contains(control.as_str()) {
            let mut chars = control.chars();
            let first = chars.next().expect("at least two characters");
            out = out.replace(control.as_str(), &format!("{first} {}", chars.as_str()));
        }
    }
    out
}

/// Bytes of the KV cache for `context_tokens` (keys and values, 16-bit).
fn kv_cache_bytes(model: &LlamaModel, context_tokens: u32) -> u64 {
    let head_dim = u64::from(model.n_embd() as u32 / model.n_head().max(1));
    u64::from(context_tokens)
        * u64::from(model.n_layer())
        * head_dim
        * u64::from(model.n_head_kv())
        * 2
        * 2
}

fn context_params(params: &LlmParams, sequences: u32) -> LlamaContextParams {
    let threads = thread_count(params.threads) as i32;
    LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(params.context_tokens))
        .with_n_batch(params.batch_tokens)
        .with_n_ubatch(params.batch_tokens)
        .with_n_threads(threads)
        .with_n_threads_batch(threads)
        .with_n_seq_max(sequences)
        .with_kv_unified(true)
        .with_no_perf(false)
}

/// The worker's body: load, report ready (or why not), then serve until every handle is gone.
pub(super) fn run(
    params: LlmParams,
    file_bytes: u64,
    ready: mpsc::Sender<Result<ModelInfo, LlmError>>,
    requests: mpsc::Receiver<Request>,
    cancels: mpsc::Receiver<u64>,
    arrivals: Interrupt,
) {
    if let Err(e) = serve(params, file_bytes, &ready, requests, cancels, arrivals) {
        let _ = ready.send(Err(e));
    }
}

/// Sets up model and context; any setup failure is returned before `ready` is sent.
fn serve(
    params: LlmParams,
    file_bytes: u64,
    ready: &mpsc::Sender<Result<ModelInfo, LlmError>>,
    requests: mpsc::Receiver<Request>,
    cancels: mpsc::Receiver<u64>,
    arrivals: Interrupt,
) -> Result<(), LlmError> {
    let started = Instant::now();
    let mut model = load_model(&params)?;
    let mut adapter = load_adapter(&mut model, &params)?;
    let model = model;
    let mut context = model
        .new_context(backend()?, context_params(&params, 2))
        .map_err(|e| {
            LlmError::Setup(format!(
                "cannot create a {}-token context: {e}",
                params.context_tokens
            ))
        })?;
    set_adapter(&mut context, adapter.as_mut(), &params)?;
    let (template, has_chat_template) = chat_template(&model)?;
    let label_starts = Engine::label_starts(&model)?;
    let info = ModelInfo {
        path: params.model_path.clone(),
        file_bytes,
        kv_cache_bytes: kv_cache_bytes(&model, params.context_tokens),
        context_tokens: params.context_tokens,
        threads: thread_count(params.threads),
        has_chat_template,
        load_ms: started.elapsed().as_secs_f64() * 1e3,
    };
    let mut engine = Engine {
        model: &model,
        context,
        template,
        batch: LlamaBatch::new(params.batch_tokens as usize, 2),
        cached: [Vec::new(), Vec::new()],
        params,
        cancels,
        pending_cancels: Vec::new(),
        requests_served: 0,
        label_starts,
        control_texts: control_texts(&model),
        ahead: None,
    };
    if ready.send(Ok(info)).is_err() {
        return Ok(());
    }
    // Requests that arrived behind a prefill, taken to see whether it is still wanted.
    let mut backlog: VecDeque<Request> = VecDeque::new();
    while let Some(request) = backlog.pop_front().or_else(|| requests.recv().ok()) {
        match request {
            Request::Generate {
                id,
                prompt,
                sampling,
                interrupt,
                events,
            } => {
                let outcome = engine.generate(id, &prompt, sampling, interrupt.as_ref(), &events);
                let _ = events.send(match outcome {
                    Ok(stats) => GenerationEvent::Done(stats),
                    Err(e) => GenerationEvent::Failed(e),
                });
            }
            Request::Classify { text, reply } => {
                let _ = reply.send(engine.classify(&text));
            }
            Request::CountPromptTokens { prompt, reply } => {
                let count = engine
                    .render(&prompt.messages(0))
                    .map(|t| engine.tokenize(&t).len());
                let _ = reply.send(count);
            }
            Request::Prefill {
                prompt,
                sampling,
                done,
            } => {
                // Any request already waiting goes first, and a newer prefill makes this one
                // stale: partial words arrive faster than their replies generate. Cleared
                // first, so a request sent from here on stops the reply ahead.
                arrivals.clear();
                backlog.extend(requests.try_iter());
                let stale = !backlog.is_empty();
                if stale {
                    let _ = done.send(false);
                    continue;
                }
                let started = Instant::now();
                let ready = engine
                    .reply_ahead(&prompt, sampling, &arrivals)
                    .unwrap_or_else(|e| {
                        tracing::debug!(error = %e, "prefill failed");
                        false
                    });
                tracing::debug!(
                    ready,
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "prefilled the speaker's cache and replied ahead"
                );
                let _ = done.send(ready);
            }
        }
    }
    Ok(())
}

struct Engine<'m> {
    model: &'m LlamaModel,
    context: LlamaContext<'m>,
    template: LlamaChatTemplate,
    batch: LlamaBatch<'static>,
    /// Tokens held in the KV cache, per sequence, from position 0.
    cached: [Vec<LlamaToken>; 2],
    params: LlmParams,
    cancels: mpsc::Receiver<u64>,
    pending_cancels: Vec<u64>,
    requests_served: u64,
    /// The tokens the label grammar allows first, with the labels each begins.
    label_starts: Vec<(LlamaToken, Vec<Emotion>)>,
    /// Texts of the vocabulary's control tokens, broken up wherever a message contains them.
    control_texts: Vec<String>,
    /// A reply generated ahead ([`Engine::reply_ahead`]), for the prompt tokens and sampling it
    /// was made for; the speaker's cache holds those tokens and the reply's.
    ahead: Option<Ahead>,
}

/// A reply generated before it was asked for.
struct Ahead {
    tokens: Vec<LlamaToken>,
    sampling: Sampling,
    events: Vec<GenerationEvent>,
    stats: GenerationStats,
}

impl Engine<'_> {
    fn tokenize(&self, text: &str) -> Vec<LlamaToken> {
        self.model.vocab().tokenize(text.as_bytes(), false, true)
    }

    /// Renders messages after breaking up any of this model's control-token texts inside them,
    /// so no message can produce a special token (`<filename>`, `<start_of_turn>`, ...) when the
    /// rendered prompt is tokenized with special-token parsing on.
    fn render(&self, messages: &[ChatMessage]) -> Result<String, String> {
        let safe: Vec<ChatMessage> = messages
            .iter()
            .map(|m| ChatMessage {
                role: m.role,
                content: defang(&m.content, &self.control_texts),
            })
            .collect();
        render(self.model, &self.template, &safe)
    }

    /// Makes the KV cache of `seq` hold exactly `tokens`, decoding only what follows the longest
    /// common prefix with what it already holds. Returns (reused, decoded); the logits of the
    /// last token are at batch index `self.batch.n_tokens() - 1`.
    fn sync_sequence(
        &mut self,
        seq: i32,
        tokens: &[LlamaToken],
        reserve: usize,
    ) -> Result<(usize, usize), String> {
        if tokens.is_empty() {
            return Err("empty prompt".into());
        }
        let s = seq as usize;
        let keep = reusable_prefix(&self.cached[s], tokens);
        // Both sequences share the cells: make room by dropping the other one if needed.
        let other = 1 - s;
        if tokens.len() + self.cached[other].len() + reserve > self.params.context_tokens as usize {
            self.context
                .clear_kv_cache_seq(Some(other as u32), None, None)
                .map_err(|e| e.to_string())?;
            self.cached[other].clear();
        }
        self.context
            .clear_kv_cache_seq(Some(s as u32), Some(keep as u32), None)
            .map_err(|e| e.to_string())?;
        self.cached[s].truncate(keep);
        self.decode(seq, &tokens[keep..], keep, true)?;
        Ok((keep, tokens.len() - keep))
    }

    /// Decodes `tokens` into `seq` from position `start`, in batches; with `last_logits`, the
    /// final token's logits are kept (index `self.batch.n_tokens() - 1`).
    fn decode(
        &mut self,
        seq: i32,
        tokens: &[LlamaToken],
        start: usize,
        last_logits: bool,
    ) -> Result<(), String> {
        let chunk = self.params.batch_tokens as usize;
        for (c, part) in tokens.chunks(chunk).enumerate() {
            self.batch.clear();
            for (j, token) in part.iter().enumerate() {
                let index = c * chunk + j;
                let logits = last_logits && index + 1 == tokens.len();
                self.batch
                    .add(*token, (start + index) as i32, &[seq], logits)
                    .map_err(|e| e.to_string())?;
            }
            self.context
                .decode(&mut self.batch)
                .map_err(|e| format!("decode failed: {e}"))?;
        }
        self.cached[seq as usize].extend_from_slice(tokens);
        Ok(())
    }

    /// Renders the prompt with as much dialogue as fits beside the reply's token budget.
    ///
    /// Dialogue is dropped from the front in blocks of [`DROP_BLOCK`] messages, so the kept
    /// prefix stays the same for several turns after an overflow and the cache keeps serving.
    fn fit_prompt(&self, prompt: &Prompt) -> Result<(Vec<LlamaToken>, usize), String> {
        let budget = (self.params.context_tokens as usize)
            .saturating_sub(self.params.max_reply_tokens as usize + reader_budget(&self.params));
        let mut skip = 0;
        loop {
            let mut text = self.render(&prompt.messages(skip))?;
            text.push_str(&defang(&prompt.reply_start, &self.control_texts));
            let tokens = self.tokenize(&text);
            if tokens.len() <= budget {
                return Ok((tokens, skip));
            }
            // Always keep this turn's instruction and the debtor line it answers.
            let most = prompt.dialogue.len().saturating_sub(2);
            if skip >= most {
                return Err(format!(
                    "the system prompt and the latest message do not fit in {} tokens; raise llm.context_tokens",
                    self.params.context_tokens
                ));
            }
            skip = (skip + DROP_BLOCK).min(most);
        }
    }

    /// Decodes `prompt` and generates its reply with `sampling` before it is asked for, until
    /// `arrivals` says another request came. Returns whether the reply is ready; it is kept for
    /// a [`Engine::generate`] of the same prompt and sampling.
    fn reply_ahead(
        &mut self,
        prompt: &Prompt,
        sampling: Sampling,
        arrivals: &Interrupt,
    ) -> Result<bool, String> {
        let (events, received) = mpsc::channel();
        self.ahead = None;
        let stats = self.generate(0, prompt, sampling, Some(arrivals), &events)?;
        if stats.cancelled {
            return Ok(false);
        }
        let (tokens, _) = self.fit_prompt(prompt)?;
        self.ahead = Some(Ahead {
            tokens,
            sampling,
            events: received.try_iter().collect(),
            stats,
        });
        Ok(true)
    }

    /// True once a cancel for generation `id` has arrived or its interrupt was triggered.
    /// Cancels for later generations are kept until those start; earlier ones are forgotten
    /// when a later generation starts.
    fn cancelled(&mut self, id: u64, interrupt: Option<&Interrupt>) -> bool {
        self.pending_cancels.extend(self.cancels.try_iter());
        self.pending_cancels.contains(&id) || interrupt.is_some_and(Interrupt::is_triggered)
    }

    fn sampler(&mut self, temperature: f32) -> LlamaSampler {
        self.requests_served += 1;
        if temperature <= 0.01 {
            return LlamaSampler::greedy();
        }
        let seed = self.params.seed.wrapping_add(self.requests_served as u32);
        LlamaSampler::chain_simple([
            LlamaSampler::top_k(40),
            LlamaSampler::top_p(0.95, 1),
            LlamaSampler::temp(temperature),
            LlamaSampler::dist(seed),
        ])
    }

    fn generate(
        &mut self,
        id: u64,
        prompt: &Prompt,
        sampling: Sampling,
        interrupt: Option<&Interrupt>,
        events: &mpsc::Sender<GenerationEvent>,
    ) -> Result<GenerationStats, String> {
        let received = Instant::now();
        self.pending_cancels.retain(|c| *c >= id);
        // A cancel that arrived before the request started still counts.
        let mut stats = GenerationStats {
            cancelled: self.cancelled(id, interrupt),
            ..Default::default()
        };
        if stats.cancelled {
            return Ok(stats);
        }
        let (tokens, dropped) = self.fit_prompt(prompt)?;
        // The reply was generated ahead for exactly this: it is streamed at once.
        if let Some(ahead) = self.ahead.take()
            && ahead.tokens == tokens
            && ahead.sampling == sampling
            && id != 0
        {
            for event in ahead.events {
                let _ = events.send(event);
            }
            return Ok(GenerationStats {
                reused_tokens: tokens.len(),
                decoded_prompt_tokens: 0,
                prompt_ms: 0.0,
                first_sentence_ms: Some(received.elapsed().as_secs_f64() * 1e3),
                ..ahead.stats
            });
        }
        stats.prompt_tokens = tokens.len();
        stats.dropped_messages = dropped;
        let (reused, decoded) =
            self.sync_sequence(SPEAKER_SEQ, &tokens, self.params.max_reply_tokens as usize)?;
        stats.reused_tokens = reused;
        stats.decoded_prompt_tokens = decoded;
        tracing::debug!(reused, decoded, "reply prompt decoded");
        stats.prompt_ms = received.elapsed().as_secs_f64() * 1e3;

        let generating = Instant::now();
        let mut sampler = self.sampler(sampling.temperature);
        let mut splitter = SentenceSplitter::new();
        // The reply's given first words are part of its first sentence.
        let mut pending_bytes = prompt.reply_start.as_bytes().to_vec();
        let mut sentences = 0;
        let mut natural_end = false;
        // Never more tokens than the cache has free cells: a full cache fails mid-reply.
        let free = (self.params.context_tokens as usize).saturating_sub(
            self.cached[SPEAKER_SEQ as usize].len() + self.cached[READER_SEQ as usize].len(),
        );
        let max_tokens = (sampling.max_tokens as usize).min(free);
        // Hands a sentence on; false when nobody is listening any more (the generation was
        // dropped), which stops the work like a cancel.
        let emit = |text: String, tokens_so_far: usize, stats: &mut GenerationStats| {
            if stats.first_sentence_ms.is_none() {
                stats.first_sentence_ms = Some(received.elapsed().as_secs_f64() * 1e3);
            }
            events
                .send(GenerationEvent::Sentence {
                    text,
                    tokens_so_far,
                })
                .is_ok()
        };
        while stats.generated_tokens < max_tokens {
            if self.cancelled(id, interrupt) {
                stats.cancelled = true;
                break;
            }
            let token = sampler.sample(&self.context, self.batch.n_tokens() - 1);
            sampler.accept(token);
            if self.model.vocab().is_eog(token) {
                natural_end = true;
                break;
            }
            let position = self.cached[0].len();
            self.decode(SPEAKER_SEQ, &[token], position, true)?;
            stats.generated_tokens += 1;
            pending_bytes.extend(self.model.vocab().token_to_piece(token, false, None));
            let text = take_utf8(&mut pending_bytes);
            for sentence in splitter.push(&text) {
                sentences += 1;
                if !emit(sentence, stats.generated_tokens, &mut stats) {
                    stats.cancelled = true;
                }
            }
            if stats.cancelled || sentences >= sampling.max_sentences {
                break;
            }
        }
        // A reply that simply ended without a full stop keeps its last words; a reply cut at the
        // token or sentence limit drops its unfinished tail unless the tail is all there is.
        if !stats.cancelled && (natural_end || sentences == 0) {
            let rest = String::from_utf8_lossy(&pending_bytes).into_owned();
            splitter.push(&rest);
            if let Some(last) = splitter.finish() {
                emit(last, stats.generated_tokens, &mut stats);
            }
        }
        stats.generate_ms = generating.elapsed().as_secs_f64() * 1e3;
        Ok(stats)
    }

    /// The tokens that may begin a label, each with the labels it begins.
    ///
    /// A GBNF grammar that allows exactly the seven labels (lower-case or capitalised) is applied
    /// once to the whole vocabulary; what it leaves are the allowed first tokens. Reading only
    /// their logits later is the same as applying the grammar to every step, minus its cost.
    fn label_starts(model: &LlamaModel) -> Result<Vec<(LlamaToken, Vec<Emotion>)>, LlmError> {
        let alternatives = Emotion::ALL
            .iter()
            .flat_map(|e| [e.name().to_string(), capitalised(e.name())])
            .map(|label| format!("\"{label}\""))
            .collect::<Vec<_>>()
            .join(" | ");
        let mut grammar = LlamaSampler::grammar(model, &format!("root ::= {alternatives}"), "root")
            .map_err(|e| LlmError::Setup(format!("the label grammar was refused: {e}")))?;
        let mut everything = LlamaTokenDataArray::from_iter(
            (0..model.n_vocab()).map(|id| LlamaTokenData::new(LlamaToken(id), 0.0, 0.0)),
            false,
        );
        everything.apply_sampler(&mut grammar);
        let mut starts = Vec::new();
        for data in everything.data.iter().filter(|d| d.logit().is_finite()) {
            let piece = model.vocab().token_to_piece(data.id(), false, None);
            let piece = String::from_utf8_lossy(&piece).to_lowercase();
            let begins: Vec<Emotion> = Emotion::ALL
                .into_iter()
                .filter(|e| !piece.is_empty() && e.name().starts_with(piece.as_str()))
                .collect();
            if !begins.is_empty() {
                starts.push((data.id(), begins));
            }
        }
        if starts.is_empty() {
            return Err(LlmError::Setup(
                "no token of this model can begin an emotion label".into(),
            ));
        }
        Ok(starts)
    }

    /// The label distribution for `text`.
    ///
    /// The model's next-token distribution after the prompt, restricted to the tokens the label
    /// grammar allows first ([`Engine::label_starts`]). Once the first token is chosen the grammar
    /// fixes the rest of the label, so a label's probability is the mass of the allowed first
    /// tokens that begin it. One decode per utterance, no sampling: sampling a label would throw
    /// the distribution away.
    fn classify(&mut self, text: &str) -> Result<EmotionDistribution, String> {
        let messages = [
            ChatMessage {
                role: Role::System,
                content: "You read the emotion of a message from a person who owes money. Answer \
                          with exactly one word: joy, sadness, anger, fear, surprise, disgust or \
                          neutral."
                    .into(),
            },
            ChatMessage {
                role: Role::User,
                content: sanitize(text),
            },
        ];
        let tokens = self.tokenize(&self.render(&messages)?);
        let budget = reader_budget(&self.params);
        let tokens = if tokens.len() > budget {
            // Keep the start of the system message and the template's end (the assistant cue).
            let mut cut = tokens[..budget / 2].to_vec();
            cut.extend_from_slice(&tokens[tokens.len() - budget / 2..]);
            cut
        } else {
            tokens
        };
        let t0 = Instant::now();
        let (reused, decoded) = self.sync_sequence(READER_SEQ, &tokens, 0)?;
        tracing::debug!(
            reused,
            decoded,
            ms = t0.elapsed().as_secs_f64() * 1e3,
            "reader prompt"
        );
        let logits = self.context.get_logits_ith(self.batch.n_tokens() - 1);
        let logit = |token: LlamaToken| {
            logits
                .get(token.0 as usize)
                .copied()
                .unwrap_or(f32::NEG_INFINITY)
        };
        let max = self
            .label_starts
            .iter()
            .map(|(t, _)| logit(*t))
            .fold(f32::NEG_INFINITY, f32::max);
        let mut weights = [0.0f64; Emotion::COUNT];
        for (token, begins) in &self.label_starts {
            // A token that begins several labels ("s": sadness, surprise) is shared equally.
            let mass = f64::from(logit(*token) - max).exp() / begins.len() as f64;
            for emotion in begins {
                weights[emotion.index()] += mass;
            }
        }
        Ok(EmotionDistribution::from_weights(weights))
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Takes the longest valid UTF-8 prefix out of `bytes`, leaving an incomplete tail for later;
/// invalid bytes are replaced.
fn take_utf8(bytes: &mut Vec<u8>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.to_string();
            bytes.clear();
            text
        }
        Err(e) if e.error_len().is_none() => {
            let valid = e.valid_up_to();
            let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            bytes.drain(..valid);
            text
        }
        Err(_) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            bytes.clear();
            text
        }
    }
}

/// Figures of the bare decode loop.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct BareStats {
    /// Prompt tokens.
    pub prompt_tokens: usize,
    /// Prompt tokens decoded (all of them with a fresh cache; what follows the cached prefix
    /// when reusing it).
    pub decoded_prompt_tokens: usize,
    /// Milliseconds to render, tokenize and decode the prompt.
    pub prompt_ms: f64,
    /// Tokens generated.
    pub generated_tokens: usize,
    /// Milliseconds to generate them.
    pub generate_ms: f64,
    /// Milliseconds from the start of the prompt to the first complete sentence (0 from a
    /// peer that does not measure it).
    #[serde(default)]
    pub first_sentence_ms: f64,
}

/// A prompt as the bare loop reads it: all its messages rendered with the chat template, then
/// the reply's given first words.
fn bare_text(
    model: &LlamaModel,
    template: &LlamaChatTemplate,
    prompt: &Prompt,
) -> Result<String, LlmError> {
    let mut text = render(model, template, &prompt.messages(0)).map_err(LlmError::Request)?;
    text.push_str(&prompt.reply_start);
    Ok(text)
}

/// The texts the bare loop reads for `prompts`, for a peer (another llama.cpp binding) to read
/// the same tokens.
pub fn bare_prompt_texts(params: &LlmParams, prompts: &[Prompt]) -> Result<Vec<String>, LlmError> {
    super::check_model_file(&params.model_path)?;
    let model = load_model(params)?;
    let (template, _) = chat_template(&model)?;
    prompts
        .iter()
        .map(|prompt| bare_text(&model, &template, prompt))
        .collect()
}

/// What the bare loop keeps in the KV cache from one prompt to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BareCache {
    /// Nothing: every prompt is decoded whole.
    Fresh,
    /// The longest common prefix with what it holds, as the pipeline does, so both decode the
    /// same tokens.
    Reuse,
}

/// The baseline for `bench llm`: plain llama-cpp-2 in one sequence with greedy decoding, over
/// the same model and adapter, with no pipeline around it: no worker thread, no second
/// sequence, no sentence streaming, no cancellation. Generation stops at an end-of-generation
/// token or after `generate` tokens; the prompt time and the time to the first sentence end are
/// measured from the start of rendering, as the pipeline's are.
pub fn bare_decode_loop(
    params: &LlmParams,
    prompts: &[Prompt],
    generate: usize,
    cache: BareCache,
) -> Result<Vec<BareStats>, LlmError> {
    super::check_model_file(&params.model_path)?;
    let mut model = load_model(params)?;
    let mut adapter = load_adapter(&mut model, params)?;
    let model = model;
    let (template, _) = chat_template(&model)?;
    let mut context = model
        .new_context(backend()?, context_params(params, 1))
        .map_err(|e| LlmError::Setup(e.to_string()))?;
    set_adapter(&mut context, adapter.as_mut(), params)?;
    let failed = |e: &dyn std::fmt::Display| LlmError::Request(e.to_string());
    let mut batch = LlamaBatch::new(params.batch_tokens as usize, 1);
    let mut cached: Vec<LlamaToken> = Vec::new();
    let mut results = Vec::new();
    for prompt in prompts {
        let prompt_started = Instant::now();
        let text = bare_text(&model, &template, prompt)?;
        let tokens = model.vocab().tokenize(text.as_bytes(), false, true);
        if tokens.len() + generate > params.context_tokens as usize {
            return Err(LlmError::Request(format!(
                "a {}-token prompt plus {generate} generated tokens does not fit the bare loop's {}-token context; raise llm.context_tokens",
                tokens.len(),
                params.context_tokens
            )));
        }
        let keep = match cache {
            BareCache::Fresh => 0,
            BareCache::Reuse => reusable_prefix(&cached, &tokens),
        };
        context
            .clear_kv_cache_seq(Some(0), Some(keep as u32), None)
            .map_err(|e| failed(&e))?;
        cached.truncate(keep);
        let chunk = params.batch_tokens as usize;
        for (c, part) in tokens[keep..].chunks(chunk).enumerate() {
            batch.clear();
            for (j, token) in part.iter().enumerate() {
                let index = keep + c * chunk + j;
                batch
                    .add(*token, index as i32, &[0], index + 1 == tokens.len())
                    .map_err(|e| failed(&e))?;
            }
            context.decode(&mut batch).map_err(|e| failed(&e))?;
        }
        cached.extend_from_slice(&tokens[keep..]);
        let prompt_ms = prompt_started.elapsed().as_secs_f64() * 1e3;
        let started = Instant::now();
        let mut sampler = LlamaSampler::greedy();
        let mut generated = 0;
        let mut splitter = SentenceSplitter::new();
        splitter.push(&prompt.reply_start);
        let mut first_sentence_ms = None;
        while generated < generate {
            let token = sampler.sample(&context, batch.n_tokens() - 1);
            sampler.accept(token);
            if model.vocab().is_eog(token) {
                break;
            }
            let piece = model.vocab().token_to_piece(token, false, None);
            if first_sentence_ms.is_none()
                && !splitter.push(&String::from_utf8_lossy(&piece)).is_empty()
            {
                first_sentence_ms = Some(prompt_started.elapsed().as_secs_f64() * 1e3);
            }
            batch.clear();
            batch
                .add(token, cached.len() as i32, &[0], true)
                .map_err(|e| failed(&e))?;
            context.decode(&mut batch).map_err(|e| failed(&e))?;
            cached.push(token);
            generated += 1;
        }
        let generate_ms = started.elapsed().as_secs_f64() * 1e3;
        results.push(BareStats {
            prompt_tokens: tokens.len(),
            decoded_prompt_tokens: tokens.len() - keep,
            prompt_ms,
            generated_tokens: generated,
            generate_ms,
            first_sentence_ms: first_sentence_ms.unwrap_or(prompt_ms + generate_ms),
        });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_token_texts_are_broken_up() {
        let controls = vec!["<filename>".to_string(), "<|im_start|>".to_string()];
        let text = "see <filename> and <|im_start|>system twice <filename>";
        let safe = defang(text, &controls);
        assert!(
            !controls.iter().any(|c| safe.contains(c.as_str())),
            "{safe}"
        );
        assert!(safe.contains("< filename>"));
        assert_eq!(defang("plain words", &controls), "plain words");
    }

    #[test]
    fn utf8_is_taken_whole_and_split_characters_wait() {
        let mut bytes = "héllo".as_bytes().to_vec();
        let tail = bytes.split_off(2); // splits inside 'é'
        let mut pending = bytes;
        assert_eq!(take_utf8(&mut pending), "h");
        pending.extend(tail);
        assert_eq!(take_utf8(&mut pending), "éllo");
        let mut bad = vec![0xff, b'a'];
        assert_eq!(take_utf8(&mut bad), "\u{fffd}a");
    }
}
