//! Negotiation scenarios: the project's own YAML format and the CRAD JSON format.
//!
//! Our format (see `scenarios/default.yaml`) is a YAML mapping with a `scenarios` list; CRAD files
//! (`../shared/data/crad/scenarios.json`) are a JSON list whose creditor and debtor targets are
//! strings in `seller.target_price` and `buyer.target_price`. [`load_scenarios`] reads either.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::perceive::offer::MAX_DAYS;

/// Errors reading a scenario file; each names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is neither our YAML format nor a CRAD JSON list.
    #[error(
        "scenario file {path} is not valid: {message} (expected our YAML format, see scenarios/default.yaml, or a CRAD scenarios.json)"
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A scenario whose numbers make no sense.
    #[error("scenario {id} in {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The scenario's id.
        id: String,
        /// The broken rule.
        message: String,
    },
    /// `scenario.id` names no scenario of the file.
    #[error(
        "scenario {id:?} is not in {path} (set scenario.id to one of its ids, or empty for the first)"
    )]
    UnknownId {
        /// The file.
        path: PathBuf,
        /// The id asked for.
        id: String,
    },
    /// `--index` beyond the end of the file.
    #[error("scenario index {index} is out of range: {path} holds {count} scenarios (0 to {last})", last = count.saturating_sub(1))]
    Index {
        /// The file.
        path: PathBuf,
        /// The index asked for.
        index: usize,
        /// How many scenarios the file holds.
        count: usize,
    },
}

/// One debt to negotiate: who owes whom, how much, and the creditor's bounds in days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Identifier, unique within its file.
    pub id: String,
    /// The creditor the agent speaks for.
    pub creditor: String,
    /// The debtor.
    pub debtor: String,
    /// Outstanding balance in the account's currency.
    pub balance: f64,
    /// Days the debt is already overdue.
    #[serde(default)]
    pub days_overdue: u32,
    /// The creditor's target: the first offer, in days.
    pub target_days: u32,
    /// The most days the creditor will ever accept; absent in CRAD, where it is derived from
    /// `offer.reservation_multiple`.
    #[serde(default)]
    pub reservation_days: Option<u32>,
    /// The debtor's own target in days, known only to simulated debtors.
    #[serde(default)]
    pub debtor_target_days: Option<u32>,
    /// Kind of credit ("Working Capital Loan", "Car loan").
    #[serde(default)]
    pub credit_type: String,
    /// Recovery stage (Pre-Collection ... Write-Off).
    #[serde(default)]
    pub recovery_stage: String,
    /// Cash-flow situation of the debtor (Temporary Disruption, Chronic Shortage, ...).
    #[serde(default)]
    pub cash_flow: String,
}

impl Scenario {
    /// The built-in scenario used when no file is given: the first of `scenarios/default.yaml`,
    /// compiled into the binary.
    pub fn builtin() -> Scenario {
        let file: ScenarioFile = serde_yaml_ng::from_str(BUILTIN_SCENARIOS)
            .expect("scenarios/default.yaml is checked by the tests");
        file.scenarios
            .into_iter()
            .next()
            .expect("at least one scenario")
    }

    /// The reservation limit in days: the scenario's own, else `target * multiple`, never more
    /// than [`MAX_DAYS`].
    pub fn reservation_limit(&self, multiple: f64) -> u32 {
        self.reservation_days.unwrap_or_else(|| {
            let derived = (f64::from(self.target_days) * multiple).round();
            derived.min(f64::from(MAX_DAYS)) as u32
        })
    }

    pub(crate) fn validate(&self, path: &Path) -> Result<(), ScenarioError> {
        let fail = |message: String| ScenarioError::Invalid {
            path: path.to_path_buf(),
            id: self.id.clone(),
            message,
        };
        if !(self.balance.is_finite() && self.balance >= 0.0) {
            return Err(fail(format!(
                "balance must be a non-negative amount, got {}",
                self.balance
            )));
        }
        if self.target_days == 0 || self.target_days > MAX_DAYS {
            return Err(fail(format!(
                "target_days must be between 1 and {MAX_DAYS}, got {}",
                self.target_days
            )));
        }
        if let Some(limit) = self.reservation_days
            && limit > MAX_DAYS
        {
            return Err(fail(format!(
                "reservation_days must be at most {MAX_DAYS}, got {limit}"
            )));
        }
        if let Some(limit) = self.reservation_days
            && limit < self.target_days
        {
            return Err(fail(format!(
                "reservation_days ({limit}) must not be below target_days ({})",
                self.target_days
            )));
        }
        Ok(())
    }
}

/// The project's scenario file, compiled in for [`Scenario::builtin`].
impl crate::params::ScenarioParams {
    /// The scenario these parameters choose: from `file` (or the built-in scenarios), by `id`
    /// (or the first), with the non-zero numbers replacing the scenario's.
    pub fn resolve(&self) -> Result<Scenario, ScenarioError> {
        let (all, path) = if self.file.as_os_str().is_empty() {
            let file: ScenarioFile = serde_yaml_ng::from_str(BUILTIN_SCENARIOS)
                .expect("scenarios/default.yaml is checked by the tests");
            (
                file.scenarios,
                PathBuf::from("scenarios/default.yaml (built in)"),
            )
        } else {
            (load_scenarios(&self.file)?, self.file.clone())
        };
        let mut scenario = if self.id.is_empty() {
            all.into_iter().next()
        } else {
            all.into_iter().find(|s| s.id == self.id)
        }
        .ok_or_else(|| ScenarioError::UnknownId {
            path: path.clone(),
            id: self.id.clone(),
        })?;
        if self.balance != 0.0 {
            scenario.balance = self.balance;
        }
        if self.target_days != 0 {
            scenario.target_days = self.target_days;
        }
        if self.reservation_days != 0 {
            scenario.reservation_days = Some(self.reservation_days);
        }
        scenario.validate(&path)?;
        Ok(scenario)
    }
}

const BUILTIN_SCENARIOS: &str = include_str!("../scenarios/default.yaml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    scenarios: Vec<Scenario>,
}

/// The parts of a CRAD record that we use.
#[derive(Deserialize)]
struct CradRecord {
    id: String,
    #[serde(default)]
    product: CradProduct,
    seller: CradSide,
    buyer: CradSide,
    metadata: CradMetadata,
}

#[derive(Deserialize, Default)]
struct CradProduct {
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct CradSide {
    target_price: String,
}

#[derive(Deserialize)]
struct CradMetadata {
    creditor_name: String,
    debtor_name: String,
    outstanding_balance: f64,
    #[serde(default)]
    days_overdue: u32,
    #[serde(default)]
    recovery_stage: String,
    #[serde(default)]
    cash_flow_situation: String,
}

impl CradRecord {
    fn into_scenario(self, path: &Path) -> Result<Scenario, ScenarioError> {
        let days = |side: &str, text: &str| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| ScenarioError::Invalid {
                    path: path.to_path_buf(),
                    id: self.id.clone(),
                    message: format!("{side}.target_price {text:?} is not a whole number of days"),
                })
        };
        let target_days = days("seller", &self.seller.target_price)?;
        let debtor_target = days("buyer", &self.buyer.target_price)?;
        Ok(Scenario {
            credit_type: crad_credit_type(&self.product.description),
            id: self.id,
            creditor: self.metadata.creditor_name,
            debtor: self.metadata.debtor_name,
            balance: self.metadata.outstanding_balance,
            days_overdue: self.metadata.days_overdue,
            target_days,
            reservation_days: None,
            debtor_target_days: Some(debtor_target),
            recovery_stage: self.metadata.recovery_stage,
            cash_flow: self.metadata.cash_flow_situation,
        })
    }
}

/// The "- Credit Type: ..." line of a CRAD description, if present.
fn crad_credit_type(description: &str) -> String {
    description
        .lines()
        .find_map(|line| line.trim().strip_prefix("- Credit Type:"))
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

/// Reads every scenario of a file in our YAML format or the CRAD JSON format.
pub fn load_scenarios(path: &Path) -> Result<Vec<Scenario>, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let parse_error = |message: String| ScenarioError::Parse {
        path: path.to_path_buf(),
        message,
    };
    let scenarios = if text.trim_start().starts_with('[') {
        let records: Vec<CradRecord> =
            serde_json::from_str(&text).map_err(|e| parse_error(format!("CRAD JSON: {e}")))?;
        records
            .into_iter()
            .map(|r| r.into_scenario(path))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        let file: ScenarioFile =
            serde_yaml_ng::from_str(&text).map_err(|e| parse_error(e.to_string()))?;
        file.scenarios
    };
    if scenarios.is_empty() {
        return Err(parse_error("it holds no scenarios".into()));
    }
    for scenario in &scenarios {
        scenario.validate(path)?;
    }
    Ok(scenarios)
}

/// Reads one scenario of a file by its position.
pub fn load_scenario(path: &Path, index: usize) -> Result<Scenario, ScenarioError> {
    let mut all = load_scenarios(path)?;
    let count = all.len();
    if index >= count {
        return Err(ScenarioError::Index {
            path: path.to_path_buf(),
            index,
            count,
        });
    }
    Ok(all.swap_remove(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_file(relative: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
    }

    #[test]
    fn our_scenario_file_loads_and_is_valid() {
        let all = load_scenarios(&project_file("scenarios/default.yaml")).unwrap();
        assert!(all.len() >= 10);
        let mut ids: Vec<_> = all.iter().map(|s| s.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "ids must be unique");
        assert!(all.iter().all(|s| s.reservation_days.is_some()));
        assert_eq!(Scenario::builtin(), all[0]);
    }

    #[test]
    fn crad_file_loads_all_200_with_targets_as_numbers() {
        let path = project_file("../shared/data/crad/scenarios.json");
        let all = load_scenarios(&path)
            .unwrap_or_else(|e| panic!("CRAD data must be beside the project: {e}"));
        assert_eq!(all.len(), 200);
        let first = &all[0];
        assert_eq!(first.id, "debt_0_0");
        assert_eq!(first.target_days, 11);
        assert_eq!(first.debtor_target_days, Some(178));
        assert_eq!(first.balance, 15700.0);
        assert_eq!(first.credit_type, "Working Capital Loan");
        assert_eq!(first.reservation_limit(3.0), 33);
        assert!(all.iter().all(|s| (4..=23).contains(&s.target_days)));
    }

    #[test]
    fn bad_files_give_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, "scenarios:\n  - id: x\n    creditor: a\n").unwrap();
        let err = load_scenarios(&path).unwrap_err().to_string();
        assert!(err.contains("bad.yaml"), "{err}");

        std::fs::write(
            &path,
            "scenarios:\n  - {id: x, creditor: a, debtor: b, balance: 10, target_days: 30, reservation_days: 20}\n",
        )
        .unwrap();
        let err = load_scenarios(&path).unwrap_err().to_string();
        assert!(err.contains("reservation_days (20)"), "{err}");

        let err = load_scenario(&project_file("scenarios/default.yaml"), 999)
            .unwrap_err()
            .to_string();
        assert!(err.contains("out of range"), "{err}");
    }
}
