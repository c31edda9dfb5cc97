//! The lexicon emotion detector (placeholder: being written).

use super::EmotionDetector;
use crate::emotion::{Emotion, EmotionDistribution};

/// Keyword-list emotion detector.
#[derive(Debug, Default, Clone)]
pub struct LexiconDetector;

impl LexiconDetector {
    /// A detector with the built-in keyword lists.
    pub fn new() -> Self {
        LexiconDetector
    }
}

impl EmotionDetector for LexiconDetector {
    fn name(&self) -> &'static str {
        "lexicon"
    }

    fn detect(&self, text: &str) -> EmotionDistribution {
        let lower = text.to_lowercase();
        let mut w = [0.1; Emotion::COUNT];
        w[Emotion::Neutral.index()] = 0.5;
        if lower.contains("angry") || lower.contains("sue") {
            w[Emotion::Anger.index()] += 2.0;
        }
        if lower.contains("lost my job") || lower.contains("hardship") {
            w[Emotion::Sadness.index()] += 2.0;
        }
        EmotionDistribution::from_weights(w)
    }
}
