//! Two detectors combined: a weighted mixture of their distributions.

use super::EmotionDetector;
use crate::emotion::EmotionDistribution;

/// Mixes a primary detector (weight `w`) with a secondary one (weight `1 - w`).
pub struct FusedDetector {
    primary: Box<dyn EmotionDetector>,
    secondary: Box<dyn EmotionDetector>,
    primary_weight: f64,
}

impl FusedDetector {
    /// A fused detector; `primary_weight` is clamped to [0, 1].
    pub fn new(
        primary: Box<dyn EmotionDetector>,
        secondary: Box<dyn EmotionDetector>,
        primary_weight: f64,
    ) -> Self {
        FusedDetector {
            primary,
            secondary,
            primary_weight: primary_weight.clamp(0.0, 1.0),
        }
    }
}

impl EmotionDetector for FusedDetector {
    fn name(&self) -> &'static str {
        "fused"
    }

    fn detect(&self, text: &str) -> EmotionDistribution {
        self.primary
            .detect(text)
            .mix(&self.secondary.detect(text), self.primary_weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emotion::Emotion;

    struct Fixed(Emotion);
    impl EmotionDetector for Fixed {
        fn name(&self) -> &'static str {
            "fixed"
        }
        fn detect(&self, _: &str) -> EmotionDistribution {
            EmotionDistribution::certain(self.0)
        }
    }

    #[test]
    fn mixes_by_weight() {
        let fused = FusedDetector::new(
            Box::new(Fixed(Emotion::Joy)),
            Box::new(Fixed(Emotion::Fear)),
            0.7,
        );
        let d = fused.detect("anything");
        assert!((d.get(Emotion::Joy) - 0.7).abs() < 1e-12);
        assert!((d.get(Emotion::Fear) - 0.3).abs() < 1e-12);
        assert_eq!(fused.name(), "fused");
    }
}
