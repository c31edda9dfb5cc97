//! The seven emotion labels and probability distributions over them.
//!
//! The label order is the column order of every table in DESIGN.md (Joy, Sadness, Anger, Fear,
//! Surprise, Disgust, Neutral); [`Emotion::index`] is that position, so tables indexed by it can be
//! copied from the design notes without reordering.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::distribution::{Distribution, Label};

/// One of the seven emotions the agent reads from the debtor and chooses for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Emotion {
    /// Pleasure, gratitude, cooperation.
    Joy,
    /// Grief, hardship, pleading.
    Sadness,
    /// Irritation, hostility, threats.
    Anger,
    /// Worry about consequences.
    Fear,
    /// Astonishment, disbelief.
    Surprise,
    /// Contempt, distrust, manipulation.
    Disgust,
    /// Plain statements of fact.
    Neutral,
}

impl Emotion {
    /// Number of labels.
    pub const COUNT: usize = 7;

    /// All labels in table order.
    pub const ALL: [Emotion; Emotion::COUNT] = [
        Emotion::Joy,
        Emotion::Sadness,
        Emotion::Anger,
        Emotion::Fear,
        Emotion::Surprise,
        Emotion::Disgust,
        Emotion::Neutral,
    ];

    /// Position in the tables of DESIGN.md.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name used in JSON, YAML and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Emotion::Joy => "joy",
            Emotion::Sadness => "sadness",
            Emotion::Anger => "anger",
            Emotion::Fear => "fear",
            Emotion::Surprise => "surprise",
            Emotion::Disgust => "disgust",
            Emotion::Neutral => "neutral",
        }
    }

    /// The label at a table position, if it is one.
    pub fn from_index(index: usize) -> Option<Emotion> {
        Emotion::ALL.get(index).copied()
    }

    /// True for the negative set (Sadness, Anger, Fear, Disgust) that the policy gate counts.
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            Emotion::Sadness | Emotion::Anger | Emotion::Fear | Emotion::Disgust
        )
    }
}

impl Label for Emotion {
    const ALL: &'static [Emotion] = &Emotion::ALL;

    fn index(self) -> usize {
        Emotion::index(self)
    }

    fn name(self) -> &'static str {
        Emotion::name(self)
    }
}

impl fmt::Display for Emotion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A label name that is not one of the seven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown emotion {0:?}: expected one of joy, sadness, anger, fear, surprise, disgust, neutral"
)]
pub struct UnknownEmotion(pub String);

impl FromStr for Emotion {
    type Err = UnknownEmotion;

    /// Accepts the seven names in any case, plus "happiness" (the CRAD files' word for joy).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        if lower == "happiness" {
            return Ok(Emotion::Joy);
        }
        Emotion::ALL
            .into_iter()
            .find(|e| e.name() == lower)
            .ok_or_else(|| UnknownEmotion(s.to_string()))
    }
}

impl Serialize for Emotion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Emotion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(D::Error::custom)
    }
}

/// A probability distribution over the seven emotions; serialises as `{label: p}`.
pub type EmotionDistribution = Distribution<Emotion, { Emotion::COUNT }>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_happiness_is_joy() {
        for e in Emotion::ALL {
            assert_eq!(e.name().parse::<Emotion>().unwrap(), e);
            assert_eq!(Emotion::from_index(e.index()), Some(e));
        }
        assert_eq!("Happiness".parse::<Emotion>().unwrap(), Emotion::Joy);
        assert!("rage".parse::<Emotion>().is_err());
    }

    #[test]
    fn negative_set_is_the_four_from_the_design() {
        let negative: Vec<_> = Emotion::ALL
            .into_iter()
            .filter(|e| e.is_negative())
            .collect();
        assert_eq!(
            negative,
            [
                Emotion::Sadness,
                Emotion::Anger,
                Emotion::Fear,
                Emotion::Disgust
            ]
        );
    }

    #[test]
    fn bad_weights_still_give_a_distribution() {
        let d = EmotionDistribution::from_weights([f64::NAN, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(d, EmotionDistribution::uniform());
        let d = EmotionDistribution::from_weights([0.0, 3.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        assert!((d.get(Emotion::Sadness) - 0.75).abs() < 1e-12);
        assert_eq!(d.most_likely(), Emotion::Sadness);
    }

    #[test]
    fn distribution_serialises_as_a_label_map() {
        let d = EmotionDistribution::certain(Emotion::Fear);
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.starts_with("{\"joy\":0.0,"));
        let back: EmotionDistribution = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }
}
