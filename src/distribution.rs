//! Probability distributions over a small fixed set of labels.
//!
//! Emotions (seven labels) and the debtor's dispositions (four) share one implementation:
//! normalisation that accepts any input, the most likely label, and JSON as a `{label: p}` map.

use std::fmt;
use std::marker::PhantomData;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A label of a fixed, ordered set: its position is the column of every table that uses it.
pub trait Label: Copy + Eq + fmt::Debug + 'static {
    /// All labels in table order.
    const ALL: &'static [Self];

    /// Position in table order.
    fn index(self) -> usize;

    /// Lower-case name used in JSON, YAML and on the command line.
    fn name(self) -> &'static str;
}

/// A probability distribution over the `N` labels of `L`: non-negative, summing to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution<L: Label, const N: usize> {
    p: [f64; N],
    label: PhantomData<L>,
}

impl<L: Label, const N: usize> Distribution<L, N> {
    /// Equal mass on every label: no evidence.
    pub fn uniform() -> Self {
        Self::new([1.0 / N as f64; N])
    }

    /// All mass on one label.
    pub fn certain(label: L) -> Self {
        let mut p = [0.0; N];
        p[label.index()] = 1.0;
        Self::new(p)
    }

    /// Normalises weights into a distribution.
    ///
    /// Negative or non-finite weights count as zero; all-zero weights give the uniform
    /// distribution, so any input yields a valid distribution.
    pub fn from_weights(weights: [f64; N]) -> Self {
        let clean = weights.map(|w| if w.is_finite() && w > 0.0 { w } else { 0.0 });
        let total: f64 = clean.iter().sum();
        if !(total.is_finite() && total > 0.0) {
            return Self::uniform();
        }
        Self::new(clean.map(|w| w / total))
    }

    /// The probabilities exactly as given, bit for bit, when they form a distribution
    /// (finite, non-negative, summing to 1 within 1e-6); `None` otherwise. Restoring a recorded
    /// belief this way keeps a resumed negotiation identical to the uninterrupted one, where
    /// [`Distribution::from_weights`] would renormalise and could change the last bits.
    pub fn from_probabilities(p: [f64; N]) -> Option<Self> {
        let valid = p.iter().all(|v| v.is_finite() && *v >= 0.0);
        let total: f64 = p.iter().sum();
        (valid && (total - 1.0).abs() <= 1e-6).then(|| Self::new(p))
    }

    fn new(p: [f64; N]) -> Self {
        Distribution {
            p,
            label: PhantomData,
        }
    }

    /// Probability of one label.
    pub fn get(&self, label: L) -> f64 {
        self.p[label.index()]
    }

    /// The probabilities in table order.
    pub fn as_array(&self) -> &[f64; N] {
        &self.p
    }

    /// The most probable label; ties go to the earlier label in table order.
    pub fn most_likely(&self) -> L {
        let mut best = 0;
        for i in 1..N {
            if self.p[i] > self.p[best] {
                best = i;
            }
        }
        L::ALL[best]
    }

    /// Mixes two distributions: `weight` of `self` and `1 - weight` of `other`.
    pub fn mix(&self, other: &Self, weight: f64) -> Self {
        let w = weight.clamp(0.0, 1.0);
        let mut p = [0.0; N];
        for (i, slot) in p.iter_mut().enumerate() {
            *slot = w * self.p[i] + (1.0 - w) * other.p[i];
        }
        Self::from_weights(p)
    }

    /// Labels with their probabilities, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (L, f64)> + '_ {
        L::ALL.iter().map(|l| (*l, self.p[l.index()]))
    }
}

impl<L: Label, const N: usize> Serialize for Distribution<L, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(N))?;
        for (label, p) in self.iter() {
            map.serialize_entry(label.name(), &p)?;
        }
        map.end()
    }
}

impl<'de, L: Label, const N: usize> Deserialize<'de> for Distribution<L, N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, f64>::deserialize(deserializer)?;
        let mut weights = [0.0; N];
        for (name, p) in map {
            let label = L::ALL
                .iter()
                .find(|l| l.name() == name.to_ascii_lowercase())
                .ok_or_else(|| D::Error::custom(format!("unknown label {name:?}")))?;
            if !(p.is_finite() && p >= 0.0) {
                return Err(D::Error::custom(format!(
                    "probability of {name} must be a finite non-negative number, got {p}"
                )));
            }
            weights[label.index()] = p;
        }
        Ok(Self::from_weights(weights))
    }
}
