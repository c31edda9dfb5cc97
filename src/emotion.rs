//! The seven emotion labels and probability distributions over them.
//!
//! The label order is the column order of every table in DESIGN.md (Joy, Sadness, Anger, Fear,
//! Surprise, Disgust, Neutral); [`Emotion::index`] is that position, so tables indexed by it can be
//! copied from the design notes without reordering.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

    /// Position of this label in the tables of DESIGN.md.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The label at a table position, if it is one.
    pub fn from_index(index: usize) -> Option<Emotion> {
        Emotion::ALL.get(index).copied()
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

    /// True for the negative set (Sadness, Anger, Fear, Disgust) that the policy gate counts.
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            Emotion::Sadness | Emotion::Anger | Emotion::Fear | Emotion::Disgust
        )
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

/// A probability distribution over the seven emotions: non-negative, summing to 1.
///
/// Serialises as a map `{label: probability}` in table order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmotionDistribution([f64; Emotion::COUNT]);

impl EmotionDistribution {
    /// Equal mass on every label: "no evidence".
    pub fn uniform() -> Self {
        EmotionDistribution([1.0 / Emotion::COUNT as f64; Emotion::COUNT])
    }

    /// All mass on one label.
    pub fn certain(emotion: Emotion) -> Self {
        let mut p = [0.0; Emotion::COUNT];
        p[emotion.index()] = 1.0;
        EmotionDistribution(p)
    }

    /// Normalises non-negative weights into a distribution.
    ///
    /// Negative or non-finite weights count as zero; all-zero weights give the uniform
    /// distribution, so any input yields a valid distribution.
    pub fn from_weights(weights: [f64; Emotion::COUNT]) -> Self {
        let clean = weights.map(|w| if w.is_finite() && w > 0.0 { w } else { 0.0 });
        let total: f64 = clean.iter().sum();
        if total <= 0.0 || !total.is_finite() {
            return Self::uniform();
        }
        EmotionDistribution(clean.map(|w| w / total))
    }

    /// Probability of one label.
    pub fn get(&self, emotion: Emotion) -> f64 {
        self.0[emotion.index()]
    }

    /// The probabilities in table order.
    pub fn as_array(&self) -> &[f64; Emotion::COUNT] {
        &self.0
    }

    /// The most probable label; ties go to the earlier label in table order.
    pub fn most_likely(&self) -> Emotion {
        let mut best = 0;
        for i in 1..Emotion::COUNT {
            if self.0[i] > self.0[best] {
                best = i;
            }
        }
        Emotion::ALL[best]
    }

    /// Mixes two distributions: `weight` of `self` and `1 - weight` of `other`.
    pub fn mix(&self, other: &EmotionDistribution, weight: f64) -> Self {
        let w = weight.clamp(0.0, 1.0);
        let mut p = [0.0; Emotion::COUNT];
        for (i, slot) in p.iter_mut().enumerate() {
            *slot = w * self.0[i] + (1.0 - w) * other.0[i];
        }
        Self::from_weights(p)
    }

    /// Labels with their probabilities, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (Emotion, f64)> + '_ {
        Emotion::ALL.into_iter().map(|e| (e, self.0[e.index()]))
    }
}

impl Serialize for EmotionDistribution {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Emotion::COUNT))?;
        for (emotion, p) in self.iter() {
            map.serialize_entry(emotion.name(), &p)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for EmotionDistribution {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<Emotion, f64>::deserialize(deserializer)?;
        let mut weights = [0.0; Emotion::COUNT];
        for (emotion, p) in map {
            if !(p.is_finite() && p >= 0.0) {
                return Err(D::Error::custom(format!(
                    "probability of {emotion} must be a finite non-negative number, got {p}"
                )));
            }
            weights[emotion.index()] = p;
        }
        Ok(Self::from_weights(weights))
    }
}

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
