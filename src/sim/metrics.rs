//! Metrics of a simulation: per persona x policy and overall, with seeded bootstrap intervals,
//! and the learning curve over the negotiation index.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::harness::SimResult;

/// A statistic with its bootstrap confidence interval; `None` fields when there is no data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The statistic on the data.
    pub value: Option<f64>,
    /// Lower bound of the interval.
    pub low: Option<f64>,
    /// Upper bound of the interval.
    pub high: Option<f64>,
}

/// The metrics of one group of negotiations (one policy, one persona or all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The policy.
    pub policy: String,
    /// The persona, or "all".
    pub persona: String,
    /// Negotiations in the group.
    pub negotiations: usize,
    /// Agreements / negotiations.
    pub success: Estimate,
    /// Mean agreed days (agreements only).
    pub mean_days: Estimate,
    /// Median agreed days (agreements only).
    pub median_days: Estimate,
    /// Mean debt multiple (agreements only).
    pub mean_multiple: Estimate,
    /// Median debt multiple (agreements only).
    pub median_multiple: Estimate,
    /// Mean debtor turns.
    pub rounds: Estimate,
    /// Negotiations the debtor walked away from.
    pub walkaways: usize,
    /// Deals the agent declared that the debtor had not made (counted as failures).
    pub false_agreements: usize,
    /// Spoken replies that failed the guardrails (must be 0).
    pub violations: u32,
    /// Speaker replies the template replaced or completed.
    pub fallbacks: u32,
    /// Of those, replies the template only completed with its offer sentence.
    pub completions: u32,
    /// Debtor lines the SLM debtor could not phrase.
    pub debtor_fallbacks: u32,
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The median of `xs` (the mean of the two middle values for an even count); `None` when empty.
pub fn median(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

/// `stat` on `xs` with a percentile bootstrap interval at `confidence` from `samples`
/// resamples drawn with `rng`.
pub fn bootstrap(
    xs: &[f64],
    stat: fn(&[f64]) -> Option<f64>,
    samples: usize,
    confidence: f64,
    rng: &mut ChaCha8Rng,
) -> Estimate {
    let value = stat(xs);
    if xs.is_empty() || samples == 0 {
        return Estimate {
            value,
            low: value,
            high: value,
        };
    }
    let mut stats = Vec::with_capacity(samples);
    let mut resample = vec![0.0; xs.len()];
    for _ in 0..samples {
        for slot in resample.iter_mut() {
            *slot = xs[rng.random_range(0..xs.len())];
        }
        if let Some(s) = stat(&resample) {
            stats.push(s);
        }
    }
    stats.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    let at = |q: f64| {
        let i = ((stats.len() - 1) as f64 * q).round() as usize;
        stats[i.min(stats.len() - 1)]
    };
    Estimate {
        value,
        low: Some(at(tail)),
        high: Some(at(1.0 - tail)),
    }
}

/// The summary of `results` (one group), intervals drawn from `seed`.
pub fn summarise(
    policy: &str,
    persona: &str,
    results: &[&SimResult],
    samples: usize,
    confidence: f64,
    seed: u64,
) -> Summary {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let success: Vec<f64> = results
        .iter()
        .map(|r| f64::from(u8::from(r.agreed)))
        .collect();
    let days: Vec<f64> = results
        .iter()
        .filter_map(|r| r.days.map(f64::from))
        .collect();
    let multiples: Vec<f64> = results.iter().filter_map(|r| r.debt_multiple).collect();
    let rounds: Vec<f64> = results.iter().map(|r| f64::from(r.rounds)).collect();
    let mut b = |xs: &[f64], stat: fn(&[f64]) -> Option<f64>| {
        bootstrap(xs, stat, samples, confidence, &mut rng)
    };
    Summary {
        policy: policy.to_string(),
        persona: persona.to_string(),
        negotiations: results.len(),
        success: b(&success, mean),
        mean_days: b(&days, mean),
        median_days: b(&days, median),
        mean_multiple: b(&multiples, mean),
        median_multiple: b(&multiples, median),
        rounds: b(&rounds, mean),
        walkaways: results.iter().filter(|r| r.walked_away).count(),
        false_agreements: results.iter().filter(|r| r.false_agreement).count(),
        violations: results.iter().map(|r| r.violations).sum(),
        fallbacks: results.iter().map(|r| r.fallbacks).sum(),
        completions: results.iter().map(|r| r.completions).sum(),
        debtor_fallbacks: results.iter().map(|r| r.debtor_fallbacks).sum(),
    }
}

/// Summaries for every policy, overall (persona "all") first, then per persona, in the order
/// the policies and personas first appear in `results`.
pub fn summaries(
    results: &[SimResult],
    samples: usize,
    confidence: f64,
    seed: u64,
) -> Vec<Summary> {
    let mut policies: Vec<&str> = Vec::new();
    let mut personas = Vec::new();
    for r in results {
        if !policies.contains(&r.policy.as_str()) {
            policies.push(&r.policy);
        }
        if !personas.contains(&r.persona) {
            personas.push(r.persona);
        }
    }
    let mut out = Vec::new();
    let mut group_seed = seed;
    for policy in policies {
        let mine: Vec<&SimResult> = results.iter().filter(|r| r.policy == policy).collect();
        group_seed = group_seed.wrapping_add(1);
        out.push(summarise(
            policy, "all", &mine, samples, confidence, group_seed,
        ));
        for &persona in &personas {
            let group: Vec<&SimResult> = mine
                .iter()
                .copied()
                .filter(|r| r.persona == persona)
                .collect();
            group_seed = group_seed.wrapping_add(1);
            out.push(summarise(
                policy,
                persona.name(),
                &group,
                samples,
                confidence,
                group_seed,
            ));
        }
    }
    out
}

/// One point of a learning curve: a window of consecutive negotiations of one policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// The policy.
    pub policy: String,
    /// First negotiation index in the window.
    pub from: usize,
    /// Negotiations in the window.
    pub negotiations: usize,
    /// Agreements / negotiations in the window.
    pub success: f64,
    /// Mean debt multiple of the window's agreements.
    pub mean_multiple: Option<f64>,
}

/// The learning curve of `policy`: `windows` consecutive windows over the negotiation index.
pub fn learning_curve(results: &[SimResult], policy: &str, windows: usize) -> Vec<CurvePoint> {
    let mine: Vec<&SimResult> = results.iter().filter(|r| r.policy == policy).collect();
    if mine.is_empty() || windows == 0 {
        return Vec::new();
    }
    let size = mine.len().div_ceil(windows);
    mine.chunks(size)
        .map(|chunk| {
            let multiples: Vec<f64> = chunk.iter().filter_map(|r| r.debt_multiple).collect();
            CurvePoint {
                policy: policy.to_string(),
                from: chunk[0].index,
                negotiations: chunk.len(),
                success: chunk.iter().filter(|r| r.agreed).count() as f64 / chunk.len() as f64,
                mean_multiple: mean(&multiples),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_mean_of_small_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
    }

    #[test]
    fn bootstrap_interval_holds_the_value_and_is_seeded() {
        let xs: Vec<f64> = (0..100).map(|i| f64::from(i % 7)).collect();
        let e = bootstrap(&xs, mean, 500, 0.95, &mut ChaCha8Rng::seed_from_u64(1));
        let (v, lo, hi) = (e.value.unwrap(), e.low.unwrap(), e.high.unwrap());
        assert!(lo < v && v < hi, "{e:?}");
        assert!(hi - lo < 1.5, "{e:?}");
        let again = bootstrap(&xs, mean, 500, 0.95, &mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(e, again);
        // A constant sample has a zero-width interval.
        let c = bootstrap(
            &[2.0; 10],
            median,
            100,
            0.95,
            &mut ChaCha8Rng::seed_from_u64(1),
        );
        assert_eq!((c.low, c.high), (Some(2.0), Some(2.0)));
    }
}
