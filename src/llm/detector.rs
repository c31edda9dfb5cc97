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
    prior: [f64; 7],
}

impl SlmDetector {
    /// A detector on a started worker; `prior` is the model's average label distribution
    /// (`llm.reader_prior`), divided out of every reading.
    pub fn new(llm: LlmHandle, prior: [f64; 7]) -> Self {
        SlmDetector { llm, prior }
    }
}

impl EmotionDetector for SlmDetector {
    fn name(&self) -> &'static str {
        "slm"
    }

    fn detect(&self, text: &str) -> EmotionDistribution {
        match self.llm.classify(text) {
            Ok(raw) => {
                let mut weights = *raw.as_array();
                for (w, p) in weights.iter_mut().zip(self.prior) {
                    *w /= p;
                }
                EmotionDistribution::from_weights(weights)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the model could not read the emotion; no evidence used");
                EmotionDistribution::uniform()
            }
        }
    }
}
