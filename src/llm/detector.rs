//! The language model as an emotion reader.

use super::LlmHandle;
use crate::emotion::EmotionDistribution;
use crate::perceive::EmotionDetector;

/// Asks the loaded model for one of the seven labels (a GBNF grammar allows nothing else) and
/// turns the label tokens' probabilities into a distribution.
///
/// The 135M default model is a weak reader on its own (see DESIGN.md); the fused detector
/// ([`crate::perceive::FusedDetector`]) combines it with the lexicon.
pub struct SlmDetector {
    llm: LlmHandle,
}

impl SlmDetector {
    /// A detector on a started worker.
    pub fn new(llm: LlmHandle) -> Self {
        SlmDetector { llm }
    }
}

impl EmotionDetector for SlmDetector {
    fn name(&self) -> &'static str {
        "slm"
    }

    fn detect(&self, text: &str) -> EmotionDistribution {
        self.llm.classify(text).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the model could not read the emotion; no evidence used");
            EmotionDistribution::uniform()
        })
    }
}
