//! The language-model speaker: phrases the decided reply, streaming it sentence by sentence.
//!
//! With [`ReplyShape::Lead`] (the default) the model writes one sentence that answers the
//! debtor, started by a few words in the chosen tone, and the template's sentence that states
//! the offer follows it: a 135M model does not reliably say a number as told, and the decided
//! offer must be heard exactly. Each try starts from other first words.

use super::{GenerationEvent, GenerationStats, LlmHandle, Sampling};
use crate::params::{LlmParams, ReplyShape};
use crate::speak::prompt::build_prompt;
use crate::speak::{Interrupt, ReplyRequest, SpeakError, Speaker, TemplateSpeaker};

/// Most tokens of a lead: one spoken sentence.
const LEAD_TOKENS: u32 = 40;

/// A [`Speaker`] backed by the llama.cpp worker.
pub struct SlmSpeaker {
    llm: LlmHandle,
    max_tokens: u32,
    max_sentences: u32,
    shape: ReplyShape,
    /// True with an adapter: the lead is not started with given words.
    adapted: bool,
    /// Replies asked for so far: picks the lead's first words and the offer's phrasing.
    calls: u64,
    last_stats: Option<GenerationStats>,
    interrupt: Option<Interrupt>,
}

impl SlmSpeaker {
    /// A speaker on a started worker.
    pub fn new(llm: LlmHandle, params: &LlmParams) -> Self {
        SlmSpeaker {
            llm,
            max_tokens: params.max_reply_tokens,
            max_sentences: params.max_reply_sentences,
            shape: params.reply_shape,
            adapted: !params.adapter_path.as_os_str().is_empty(),
            calls: 0,
            last_stats: None,
            interrupt: None,
        }
    }

    /// Lets `interrupt` stop a reply in progress at its next token (barge-in); the reply then
    /// returns [`SpeakError::Cancelled`] after the sentences already streamed.
    pub fn with_interrupt(mut self, interrupt: Interrupt) -> Self {
        self.interrupt = Some(interrupt);
        self
    }

    /// How `request`'s reply is sampled.
    fn sampling(&self, request: &ReplyRequest<'_>) -> Sampling {
        Sampling {
            temperature: request.temperature as f32,
            // One sentence of a lead is short; a longer one is a model going round in circles.
            max_tokens: match self.shape {
                ReplyShape::Lead => self.max_tokens.min(LEAD_TOKENS),
                ReplyShape::Whole => self.max_tokens,
            },
            max_sentences: match self.shape {
                ReplyShape::Lead => 1,
                ReplyShape::Whole => self.max_sentences,
            },
        }
    }

    /// The prompt for `request` with the first words of `variant`.
    fn prompt(&self, request: &ReplyRequest<'_>, variant: u64) -> crate::speak::prompt::Prompt {
        let mut prompt = build_prompt(request, self.shape, variant as usize);
        // The adapter learned how an answer begins; the opening keeps its given words.
        if self.adapted && request.kind != crate::speak::ReplyKind::Opening {
            prompt.reply_start.clear();
        }
        prompt
    }

    /// Figures of the last generation (tokens reused and decoded, timings).
    pub fn last_stats(&self) -> Option<GenerationStats> {
        self.last_stats
    }
}

impl Speaker for SlmSpeaker {
    fn name(&self) -> &'static str {
        "slm"
    }

    fn last_tokens_per_second(&self) -> Option<f64> {
        let stats = self.last_stats?;
        (stats.generate_ms > 0.0).then(|| stats.generated_tokens as f64 * 1e3 / stats.generate_ms)
    }

    fn prefill(&mut self, request: &ReplyRequest<'_>) {
        // The next reply's variant, so the prompt is the one that reply will build.
        let prompt = self.prompt(request, self.calls);
        // Not waited for: the reply is being made while the debtor speaks.
        if let Err(e) = self.llm.prefill(prompt, self.sampling(request)) {
            tracing::warn!(error = %e, "cannot prefill the model's cache");
        }
    }

    fn reply(
        &mut self,
        request: &ReplyRequest<'_>,
        on_sentence: &mut dyn FnMut(&str),
    ) -> Result<String, SpeakError> {
        let failed = |message: String| SpeakError::Failed {
            speaker: "slm",
            message,
        };
        let variant = self.calls;
        self.calls += 1;
        let prompt = self.prompt(request, variant);
        let generation = self
            .llm
            .generate(prompt, self.sampling(request), self.interrupt.clone())
            .map_err(|e| failed(e.to_string()))?;
        let mut sentences: Vec<String> = Vec::new();
        loop {
            match generation.next_event() {
                Some(GenerationEvent::Sentence { text, .. }) => {
                    on_sentence(&text);
                    sentences.push(text);
                }
                Some(GenerationEvent::Done(stats)) => {
                    self.last_stats = Some(stats);
                    if stats.cancelled {
                        return Err(SpeakError::Cancelled { speaker: "slm" });
                    }
                    if self.shape == ReplyShape::Lead && !sentences.is_empty() {
                        let offer = TemplateSpeaker::new(variant).offer_sentence(request);
                        on_sentence(&offer);
                        sentences.push(offer);
                    }
                    return Ok(sentences.join(" "));
                }
                Some(GenerationEvent::Failed(message)) => return Err(failed(message)),
                None => return Err(failed("the worker stopped".into())),
            }
        }
    }
}
