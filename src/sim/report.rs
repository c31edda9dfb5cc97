//! The outputs of a simulation: report.md (tables) and results.json (every negotiation).
//!
//! Neither holds a wall-clock time, so two runs with one seed write byte-identical files.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::harness::Opponent;
use super::harness::{SimError, SimResult};
use super::metrics::{CurvePoint, Estimate, Summary};

/// What a run was asked to do, as written into both outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// The scenario file as given.
    pub scenarios: String,
    /// Scenarios used.
    pub scenario_count: usize,
    /// The personas, by name.
    pub personas: Vec<String>,
    /// The policies, by name.
    pub policies: Vec<String>,
    /// "template" or "slm".
    pub speaker: String,
    /// "scripted" or "slm".
    pub debtor: String,
    /// The half of the family its debtors were drawn from, when any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_half: Option<String>,
    /// The run's seed.
    pub seed: u64,
    /// Bootstrap resamples per interval.
    pub bootstrap_samples: usize,
    /// Interval coverage.
    pub confidence: f64,
}

/// Everything written to results.json.
#[derive(Debug, Clone, Serialize)]
pub struct Results<'a> {
    /// The run.
    pub run: &'a RunInfo,
    /// Metrics per policy, overall and per persona.
    pub summaries: &'a [Summary],
    /// Learning curves (EQ learning and frozen).
    pub learning_curve: &'a [CurvePoint],
    /// Every negotiation.
    pub negotiations: &'a [SimResult],
}

/// Writes `text` to `path`, naming the file on failure.
pub fn write_file(path: &Path, text: &str) -> Result<(), SimError> {
    std::fs::write(path, text).map_err(|e| SimError::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// results.json as text.
pub fn results_json(results: &Results<'_>) -> String {
    let mut text = serde_json::to_string_pretty(results).expect("results serialise");
    text.push('\n');
    text
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.digits$}"))
}

/// "0.97 [0.95, 0.99]".
fn est(e: &Estimate, digits: usize) -> String {
    match e.value {
        None => "-".into(),
        Some(_) => format!(
            "{} [{}, {}]",
            num(e.value, digits),
            num(e.low, digits),
            num(e.high, digits)
        ),
    }
}

/// One Markdown table of summaries.
pub fn summary_table(rows: &[&Summary], first: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "| {first} | n | success | median multiple | mean multiple | median days | mean days | rounds | walk-aways | false agreements | violations | fallbacks (of them completed) |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    for s in rows {
        let label = if first == "policy" {
            &s.policy
        } else {
            &s.persona
        };
        let mut fallbacks = s.fallbacks.to_string();
        if s.completions > 0 {
            let _ = write!(fallbacks, " ({} completed)", s.completions);
        }
        if s.debtor_fallbacks > 0 {
            let _ = write!(fallbacks, " (+{} debtor)", s.debtor_fallbacks);
        }
        let _ = writeln!(
            t,
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.negotiations,
            est(&s.success, 3),
            est(&s.median_multiple, 2),
            est(&s.mean_multiple, 2),
            est(&s.median_days, 1),
            est(&s.mean_days, 1),
            est(&s.rounds, 1),
            s.walkaways,
            s.false_agreements,
            s.violations,
            fallbacks,
        );
    }
    t
}

/// How `eq` compares with `other` for one persona (or overall): it wins when its median debt
/// multiple is lower and its success at least as high, or when it closed some negotiations and
/// the other none.
pub fn eq_wins(eq: &Summary, other: &Summary) -> bool {
    let (sa, sb) = (
        eq.success.value.unwrap_or(0.0),
        other.success.value.unwrap_or(0.0),
    );
    match (eq.median_multiple.value, other.median_multiple.value) {
        (Some(a), Some(b)) => {
            (a < b || (a <= b && eq.mean_multiple.value < other.mean_multiple.value)) && sa >= sb
        }
        (Some(_), None) => true,
        _ => false,
    }
}

/// Why EQ does not win against `other` for `persona` (whose summaries are `eq` and `them`), in
/// words: it closed fewer negotiations; or the other policy closed fewer, and only its easier
/// ones, while on the debtors both closed EQ collects sooner (a selection effect); or on the
/// same debtors EQ collects later, or the same (a tie).
pub fn why_eq_does_not_win(
    eq: &Summary,
    them: &Summary,
    results: &[SimResult],
    persona: Option<Opponent>,
) -> String {
    let agreements =
        |s: &Summary| (s.success.value.unwrap_or(0.0) * s.negotiations as f64).round() as i64;
    let (ours, theirs) = (agreements(eq), agreements(them));
    let (both, difference, _) = paired(results, &them.policy, persona);
    let difference = difference.unwrap_or(0.0);
    if ours < theirs {
        format!(
            "EQ closed fewer negotiations ({ours} against {theirs} of {})",
            eq.negotiations
        )
    } else if difference < 0.0 && ours > theirs {
        format!(
            "selection: {} closed only {theirs} of {} (EQ {ours}), and its median is over those; \
             on the {both} debtors both closed, EQ's multiple is {:.2} lower",
            them.policy, them.negotiations, -difference
        )
    } else if difference.abs() < 0.005 {
        format!("on the {both} debtors both closed, EQ's multiple is the same: a tie is no win")
    } else {
        format!(
            "on the {both} debtors both closed, EQ's multiple is {difference:+.2}: EQ collects later"
        )
    }
}

/// EQ against `other` on the same debtors: (negotiations both agreed, mean of EQ's debt
/// multiple minus the other's over them, EQ's agreements minus the other's), for one persona or
/// all (`None`).
pub fn paired(
    results: &[SimResult],
    other: &str,
    persona: Option<Opponent>,
) -> (usize, Option<f64>, i64) {
    let pick = |policy: &str| -> Vec<&SimResult> {
        results
            .iter()
            .filter(|r| r.policy == policy && persona.is_none_or(|p| r.persona == p))
            .collect()
    };
    let (eq, them) = (pick("eq"), pick(other));
    let mut both = 0usize;
    let mut difference = 0.0;
    let mut agreements = 0i64;
    for a in &eq {
        let Some(b) = them
            .iter()
            .find(|b| b.scenario == a.scenario && b.persona == a.persona)
        else {
            continue;
        };
        agreements += i64::from(a.agreed) - i64::from(b.agreed);
        if let (Some(x), Some(y)) = (a.debt_multiple, b.debt_multiple) {
            both += 1;
            difference += x - y;
        }
    }
    (
        both,
        (both > 0).then(|| difference / both as f64),
        agreements,
    )
}

/// report.md: the run, the overall table, one table per persona, the comparison of EQ with
/// each baseline, and the learning curve.
pub fn report_markdown(
    info: &RunInfo,
    summaries: &[Summary],
    curve: &[CurvePoint],
    results: &[SimResult],
) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "# Agent-to-agent evaluation\n");
    let _ = writeln!(
        r,
        "Scenarios: `{}` ({} scenarios) x {} personas; speaker `{}`, debtor `{}`, seed {}. \
         Intervals: {:.0}% percentile bootstrap, {} resamples. Debt multiple = agreed days / \
         creditor target (agreements only; lower is better).{}\n",
        info.scenarios,
        info.scenario_count,
        info.personas.len(),
        info.speaker,
        info.debtor,
        info.seed,
        info.confidence * 100.0,
        info.bootstrap_samples,
        info.family_half
            .as_deref()
            .map(|h| format!(" Family debtors drawn from the {h} half."))
            .unwrap_or_default()
    );
    let overall: Vec<&Summary> = summaries.iter().filter(|s| s.persona == "all").collect();
    let mut personas: Vec<&str> = Vec::new();
    for s in summaries.iter().filter(|s| s.persona != "all") {
        if !personas.contains(&s.persona.as_str()) {
            personas.push(&s.persona);
        }
    }
    let _ = writeln!(r, "## Overall\n\n{}", summary_table(&overall, "policy"));

    if let Some(eq) = overall.iter().find(|s| s.policy == "eq") {
        let _ = writeln!(r, "## EQ against each policy\n");
        let _ = writeln!(
            r,
            "EQ wins against a policy for a persona when its median debt multiple is lower (or \
             equal with a lower mean) at equal or better success.\n"
        );
        let _ = writeln!(
            r,
            "The paired columns compare the same debtors: the mean difference of debt multiple \
             (EQ minus the policy) over the negotiations both closed, and how many more \
             negotiations EQ closed; they are free of the selection effect of a policy that \
             closes only its easy cases.\n"
        );
        let _ = writeln!(
            r,
            "| policy | EQ wins overall | personas where EQ wins | where EQ does not win | paired multiple difference (n both agreed) | EQ agreements minus policy's |"
        );
        let _ = writeln!(r, "|---|---|---|---|---|---|");
        let mut reasons = Vec::new();
        for other in overall.iter().filter(|s| s.policy != "eq") {
            let mut won = Vec::new();
            let mut lost = Vec::new();
            for s in summaries
                .iter()
                .filter(|s| s.policy == eq.policy && s.persona != "all")
            {
                let Some(o) = summaries
                    .iter()
                    .find(|o| o.policy == other.policy && o.persona == s.persona)
                else {
                    continue;
                };
                if eq_wins(s, o) {
                    won.push(s.persona.clone());
                } else {
                    lost.push(s.persona.clone());
                    reasons.push(format!(
                        "- against {}, {}: {}",
                        other.policy,
                        s.persona,
                        why_eq_does_not_win(s, o, results, Opponent::from_name(&s.persona))
                    ));
                }
            }
            let (both, difference, agreements) = paired(results, &other.policy, None);
            let _ = writeln!(
                r,
                "| {} | {} | {} of {} | {} | {} ({both}) | {agreements:+} |",
                other.policy,
                if eq_wins(eq, other) { "yes" } else { "no" },
                won.len(),
                won.len() + lost.len(),
                if lost.is_empty() {
                    "-".to_string()
                } else {
                    lost.join(", ")
                },
                difference.map_or_else(|| "-".into(), |d| format!("{d:+.3}")),
            );
            if !eq_wins(eq, other) {
                reasons.push(format!(
                    "- against {}, overall: {}",
                    other.policy,
                    why_eq_does_not_win(eq, other, results, None)
                ));
            }
        }
        let _ = writeln!(r);
        if !reasons.is_empty() {
            let _ = writeln!(
                r,
                "### Where EQ does not win, and why

{}
",
                reasons.join("\n")
            );
        }
    }

    if overall.iter().any(|s| s.policy == "eq") {
        let others: Vec<&str> = overall
            .iter()
            .filter(|s| s.policy != "eq")
            .map(|s| s.policy.as_str())
            .collect();
        let _ = writeln!(
            r,
            "### Paired per persona\n\nMean debt multiple difference, EQ minus the policy, over the \
             negotiations both closed (negative: EQ collects sooner), then EQ's agreements minus \
             the policy's.\n"
        );
        let _ = writeln!(r, "| persona | {} |", others.join(" | "));
        let _ = writeln!(r, "|---|{}", "---|".repeat(others.len()));
        for persona in personas.iter().filter_map(|p| Opponent::from_name(p)) {
            let cells: Vec<String> = others
                .iter()
                .map(|o| {
                    let (_, d, a) = paired(results, o, Some(persona));
                    format!(
                        "{} / {a:+}",
                        d.map_or_else(|| "-".into(), |d| format!("{d:+.2}"))
                    )
                })
                .collect();
            let _ = writeln!(r, "| {} | {} |", persona.name(), cells.join(" | "));
        }
        let _ = writeln!(r);
    }
    let _ = writeln!(r, "## Per persona\n");
    for persona in personas {
        let rows: Vec<&Summary> = summaries.iter().filter(|s| s.persona == persona).collect();
        let _ = writeln!(r, "### {persona}\n\n{}", summary_table(&rows, "policy"));
    }

    if !curve.is_empty() {
        let _ = writeln!(r, "## Learning curve\n");
        let _ = writeln!(
            r,
            "Windows of consecutive negotiations; learning carries the HMM counts and payoff \
             adjustments from one negotiation to the next, frozen starts each from the prior.\n"
        );
        let _ = writeln!(r, "| policy | from | n | success | mean multiple |");
        let _ = writeln!(r, "|---|---|---|---|---|");
        for p in curve {
            let _ = writeln!(
                r,
                "| {} | {} | {} | {:.3} | {} |",
                p.policy,
                p.from,
                p.negotiations,
                p.success,
                num(p.mean_multiple, 2)
            );
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emotion::Emotion;
    use crate::sim::metrics::summarise;

    /// One negotiation of `persona` on scenario `s`: agreed at `multiple` x a 10-day target,
    /// or failed.
    fn result(policy: &str, s: usize, multiple: Option<f64>) -> SimResult {
        SimResult {
            index: s,
            scenario: format!("s{s}"),
            persona: Opponent::Persona(crate::sim::Persona::Angry),
            policy: policy.to_string(),
            agreed: multiple.is_some(),
            days: multiple.map(|m| (m * 10.0) as u32),
            target_days: 10,
            limit_days: 30,
            floor_days: 15,
            debt_multiple: multiple,
            rounds: 10,
            walked_away: multiple.is_none(),
            false_agreement: false,
            violations: 0,
            fallbacks: 0,
            completions: 0,
            debtor_fallbacks: 0,
            emotions: [0; Emotion::COUNT],
            transcript: Vec::new(),
        }
    }

    fn summary(results: &[SimResult], policy: &str) -> Summary {
        let mine: Vec<&SimResult> = results.iter().filter(|r| r.policy == policy).collect();
        summarise(policy, "angry", &mine, 200, 0.95, 1)
    }

    #[test]
    fn a_policy_that_closes_only_easy_cases_does_not_hide_that_eq_collects_sooner() {
        // EQ closes all ten, at 2.4 on the easy five and 2.6 on the hard five; the other
        // policy closes only the easy five, at 2.5: a lower median than EQ's, over fewer.
        let mut results = Vec::new();
        for s in 0..10 {
            let easy = s < 5;
            results.push(result("eq", s, Some(if easy { 2.4 } else { 2.6 })));
            results.push(result("random", s, easy.then_some(2.5)));
        }
        let (eq, random) = (summary(&results, "eq"), summary(&results, "random"));
        assert!(!eq_wins(&eq, &random));
        // A policy that closed nothing has no multiple to compare: EQ wins on success.
        let none: Vec<SimResult> = (0..10).map(|s| result("random", s, None)).collect();
        assert!(eq_wins(&eq, &summary(&none, "random")));
        assert!(!eq_wins(&summary(&none, "random"), &eq));
        assert_eq!(paired(&results, "random", None), (5, Some(2.4 - 2.5), 5));
        let why = why_eq_does_not_win(
            &eq,
            &random,
            &results,
            Some(Opponent::Persona(crate::sim::Persona::Angry)),
        );
        assert!(
            why.starts_with("selection: random closed only 5 of 10 (EQ 10)"),
            "{why}"
        );
        assert!(why.contains("on the 5 debtors both closed, EQ's multiple is 0.10 lower"));
    }

    #[test]
    fn eq_wins_only_at_equal_or_better_success_and_says_why_not() {
        let mut results = Vec::new();
        for s in 0..10 {
            results.push(result("eq", s, (s != 0).then_some(2.0)));
            results.push(result("vanilla", s, Some(2.5)));
        }
        let (eq, vanilla) = (summary(&results, "eq"), summary(&results, "vanilla"));
        // A lower multiple, but one agreement fewer: no win.
        assert!(!eq_wins(&eq, &vanilla));
        assert_eq!(
            why_eq_does_not_win(&eq, &vanilla, &results, None),
            "EQ closed fewer negotiations (9 against 10 of 10)"
        );
        // The same success and a higher multiple on the same debtors: EQ collects later.
        let later: Vec<SimResult> = (0..10)
            .flat_map(|s| [result("eq", s, Some(2.6)), result("vanilla", s, Some(2.5))])
            .collect();
        let (eq, vanilla) = (summary(&later, "eq"), summary(&later, "vanilla"));
        assert!(!eq_wins(&eq, &vanilla) && eq_wins(&vanilla, &eq));
        assert!(
            why_eq_does_not_win(&eq, &vanilla, &later, None).ends_with("+0.10: EQ collects later")
        );
        // The same multiples on the same debtors: a tie, not "later".
        let tie: Vec<SimResult> = (0..10)
            .flat_map(|s| [result("eq", s, Some(2.5)), result("vanilla", s, Some(2.5))])
            .collect();
        let (eq, vanilla) = (summary(&tie, "eq"), summary(&tie, "vanilla"));
        assert!(!eq_wins(&eq, &vanilla));
        assert!(why_eq_does_not_win(&eq, &vanilla, &tie, None).ends_with("a tie is no win"));
    }
}
