//! The language-model speaker: phrases the decided reply, streaming it sentence by sentence.

use super::{GenerationEvent, GenerationStats, LlmHandle, Sampling};
use crate::params::LlmParams;
use crate::speak::prompt::build_prompt;
use crate::speak::{Interrupt, ReplyRequest, SpeakError, Speaker};

/// A [`Speaker`] backed by the llama.cpp worker.
pub struct SlmSpeaker {
    llm: LlmHandle,
    max_tokens: u32,
    max_sentences: u32,
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

    fn reply(
        &mut self,
        request: &ReplyRequest<'_>,
        on_sentence: &mut dyn FnMut(&str),
    ) -> Result<String, SpeakError> {
        let failed = |message: String| SpeakError::Failed {
            speaker: "slm",
            message,
        };
        let sampling = Sampling {
            temperature: request.temperature as f32,
            max_tokens: self.max_tokens,
            max_sentences: self.max_sentences,
        };
        let generation = self
            .llm
            .generate(build_prompt(request), sampling, self.interrupt.clone())
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
                    return Ok(sentences.join(" "));
                }
                Some(GenerationEvent::Failed(message)) => return Err(failed(message)),
                None => return Err(failed("the worker stopped".into())),
            }
        }
    }
}
