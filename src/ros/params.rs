//! ROS parameters: the one [`Params`] struct, served through the standard parameter services.
//!
//! Every dotted key of the struct is a ROS parameter of the same name (`policy.gate_window`,
//! `hmm.transition_prior.cooperative`). At start the node's `--ros-args -p` and
//! `--params-file` values become overrides, checked by the same loader as the YAML file and
//! `--set`. While it runs, [`ParameterServer`] answers `list_parameters`,
//! `describe_parameters`, `get_parameters`, `get_parameter_types`, `set_parameters` and
//! `set_parameters_atomically` (what `ros2 param` calls), and announces changes on
//! `/parameter_events`. A description is the comment of the key's line in
//! config/eq_negotiator.yaml; a range is the rule [`Params::validate`] enforces. A new value goes
//! through [`Params::updated`], the same validation as at start-up; keys that
//! [`Params::changes_live`] names take effect from the next turn, the others only while the node
//! is unconfigured (they shape what configure builds).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use r2r::rcl_interfaces::msg::{
    FloatingPointRange, IntegerRange, Parameter as ParameterMsg, ParameterDescriptor,
    ParameterEvent, ParameterType, ParameterValue as ValueMsg, SetParametersResult,
};
use r2r::rcl_interfaces::srv::{
    DescribeParameters, GetParameterTypes, GetParameters, ListParameters, SetParameters,
    SetParametersAtomically,
};
use r2r::{Parameter, ParameterValue, QosProfile};
use serde_yaml_ng::Value;

use super::{NodeError, lock};
use crate::params::{Params, ParamsError, Range};

/// Parameters ROS gives every node, which are not ours.
const ROS_OWN: &[&str] = &["use_sim_time"];

/// The parameters file whose comments describe every key.
const DOCUMENTED: &str = include_str!("../../config/eq_negotiator.yaml");

/// The node's start-up ROS parameters as `key=value` overrides (values in YAML flow syntax).
pub fn ros_overrides<'a>(
    parameters: impl IntoIterator<Item = (&'a String, &'a Parameter)>,
) -> Result<Vec<String>, NodeError> {
    let mut overrides = Vec::new();
    for (name, parameter) in parameters {
        if ROS_OWN.contains(&name.as_str()) || name.starts_with("qos_overrides.") {
            continue;
        }
        let value = yaml_value(&parameter.value).ok_or_else(|| NodeError::Parameter {
            name: name.to_string(),
            reason: "has no value or a byte array; see config/eq_negotiator.yaml for its type"
                .into(),
        })?;
        overrides.push(override_text(name, &value)?);
    }
    Ok(overrides)
}

fn override_text(name: &str, value: &Value) -> Result<String, NodeError> {
    let text = serde_yaml_ng::to_string(value).map_err(|e| NodeError::Parameter {
        name: name.to_string(),
        reason: e.to_string(),
    })?;
    Ok(format!("{name}={text}"))
}

fn yaml_value(value: &ParameterValue) -> Option<Value> {
    let seq = |items: Vec<Value>| Some(Value::Sequence(items));
    match value {
        ParameterValue::NotSet | ParameterValue::ByteArray(_) => None,
        ParameterValue::Bool(b) => Some(Value::Bool(*b)),
        ParameterValue::Integer(i) => Some(Value::Number((*i).into())),
        ParameterValue::Double(d) => Some(Value::Number((*d).into())),
        ParameterValue::String(s) => Some(Value::String(s.clone())),
        ParameterValue::BoolArray(v) => seq(v.iter().map(|b| Value::Bool(*b)).collect()),
        ParameterValue::IntegerArray(v) => {
            seq(v.iter().map(|i| Value::Number((*i).into())).collect())
        }
        ParameterValue::DoubleArray(v) => {
            seq(v.iter().map(|d| Value::Number((*d).into())).collect())
        }
        ParameterValue::StringArray(v) => seq(v.iter().map(|s| Value::String(s.clone())).collect()),
    }
}

/// A parameter value as it travels in rcl_interfaces messages, read as YAML.
fn yaml_from_msg(value: &ValueMsg) -> Option<Value> {
    let seq = |items: Vec<Value>| Some(Value::Sequence(items));
    match value.type_ {
        t if t == ParameterType::PARAMETER_BOOL as u8 => Some(Value::Bool(value.bool_value)),
        t if t == ParameterType::PARAMETER_INTEGER as u8 => {
            Some(Value::Number(value.integer_value.into()))
        }
        t if t == ParameterType::PARAMETER_DOUBLE as u8 => {
            Some(Value::Number(value.double_value.into()))
        }
        t if t == ParameterType::PARAMETER_STRING as u8 => {
            Some(Value::String(value.string_value.clone()))
        }
        t if t == ParameterType::PARAMETER_BOOL_ARRAY as u8 => seq(value
            .bool_array_value
            .iter()
            .map(|b| Value::Bool(*b))
            .collect()),
        t if t == ParameterType::PARAMETER_INTEGER_ARRAY as u8 => seq(value
            .integer_array_value
            .iter()
            .map(|i| Value::Number((*i).into()))
            .collect()),
        t if t == ParameterType::PARAMETER_DOUBLE_ARRAY as u8 => seq(value
            .double_array_value
            .iter()
            .map(|d| Value::Number((*d).into()))
            .collect()),
        t if t == ParameterType::PARAMETER_STRING_ARRAY as u8 => seq(value
            .string_array_value
            .iter()
            .map(|s| Value::String(s.clone()))
            .collect()),
        _ => None,
    }
}

/// A leaf of the parameters' YAML as an rcl_interfaces value (numbers keep their kind: a
/// whole-number field is an integer, a real one a double).
fn msg_from_yaml(value: &Value) -> ValueMsg {
    let mut msg = ValueMsg::default();
    match value {
        Value::Bool(b) => {
            msg.type_ = ParameterType::PARAMETER_BOOL as u8;
            msg.bool_value = *b;
        }
        Value::Number(n) if n.is_f64() => {
            msg.type_ = ParameterType::PARAMETER_DOUBLE as u8;
            msg.double_value = n.as_f64().unwrap_or_default();
        }
        Value::Number(n) => {
            msg.type_ = ParameterType::PARAMETER_INTEGER as u8;
            msg.integer_value = n.as_i64().unwrap_or(i64::MAX);
        }
        Value::String(s) => {
            msg.type_ = ParameterType::PARAMETER_STRING as u8;
            msg.string_value = s.clone();
        }
        Value::Sequence(items) if items.iter().all(Value::is_bool) => {
            msg.type_ = ParameterType::PARAMETER_BOOL_ARRAY as u8;
            msg.bool_array_value = items.iter().filter_map(Value::as_bool).collect();
        }
        Value::Sequence(items) if items.iter().all(|v| v.is_i64() || v.is_u64()) => {
            msg.type_ = ParameterType::PARAMETER_INTEGER_ARRAY as u8;
            msg.integer_array_value = items.iter().filter_map(Value::as_i64).collect();
        }
        Value::Sequence(items) if items.iter().all(Value::is_number) => {
            msg.type_ = ParameterType::PARAMETER_DOUBLE_ARRAY as u8;
            msg.double_array_value = items.iter().filter_map(Value::as_f64).collect();
        }
        Value::Sequence(items) => {
            msg.type_ = ParameterType::PARAMETER_STRING_ARRAY as u8;
            msg.string_array_value = items
                .iter()
                .map(|v| v.as_str().map_or_else(|| format!("{v:?}"), str::to_string))
                .collect();
        }
        _ => msg.type_ = ParameterType::PARAMETER_NOT_SET as u8,
    }
    msg
}

/// Every parameter of `params` as (dotted key, value), in the struct's order.
pub fn flatten(params: &Params) -> Vec<(String, ValueMsg)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, ValueMsg)>) {
        match value {
            Value::Mapping(map) => {
                for (key, inner) in map {
                    let key = key.as_str().unwrap_or_default();
                    let path = if prefix.is_empty() {
                        key.to_string()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&path, inner, out);
                }
            }
            leaf => out.push((prefix.to_string(), msg_from_yaml(leaf))),
        }
    }
    let mut out = Vec::new();
    let value = serde_yaml_ng::to_value(params).expect("parameters always serialise");
    walk("", &value, &mut out);
    out
}

/// The comment of each key's line in config/eq_negotiator.yaml, by dotted key; a key with no
/// comment of its own (a row of a matrix) takes its group's.
fn descriptions() -> HashMap<String, String> {
    let mut found = HashMap::new();
    let mut path: Vec<(usize, String, String)> = Vec::new();
    let mut inside = false;
    for line in DOCUMENTED.lines() {
        let code = line.split_once(" #").map_or(line, |(code, _)| code);
        let Some((key, _)) = code.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.starts_with('#') || key.is_empty() || key.contains(' ') {
            continue;
        }
        if key == "ros__parameters" {
            inside = true;
            continue;
        }
        if !inside {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        while path.last().is_some_and(|(i, _, _)| *i >= indent) {
            path.pop();
        }
        let comment = line
            .split_once(" #")
            .map(|(_, c)| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .or_else(|| path.last().map(|(_, _, c)| c.clone()))
            .unwrap_or_default();
        let dotted = path
            .iter()
            .map(|(_, k, _)| k.as_str())
            .chain([key])
            .collect::<Vec<_>>()
            .join(".");
        found.insert(dotted, comment.clone());
        path.push((indent, key.to_string(), comment));
    }
    found
}

/// Whether a parameter may be set now, and why not.
pub fn settable(key: &str, configured: bool) -> Result<(), String> {
    if key == "node.reset_service" {
        return Err(format!(
            "{key} is read when the node starts (a ROS service cannot be withdrawn): change it in the parameters file and restart the node"
        ));
    }
    if configured && !Params::changes_live(key) {
        return Err(format!(
            "{key} is read at configure: deactivate and clean up the node (lifecycle), set it, then configure again, or restart the node with the new value"
        ));
    }
    Ok(())
}

/// One accepted change, for the log and the diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// How many parameters were changed since the node started.
    pub count: u64,
    /// The latest, as `key=value`.
    pub last: String,
}

/// What the parameter services read and change: the running parameters, whether the node is
/// configured, and where a live change goes.
pub struct ParameterState {
    /// The parameters in force (validated).
    pub params: Params,
    /// Whether configure has built the agent (only live keys change then).
    pub configured: bool,
    /// A live change waiting for the agent's next turn.
    pub pending: Option<Params>,
    /// The changes so far.
    pub change: Change,
}

/// Serves the standard parameter services over a shared [`ParameterState`].
pub struct ParameterServer {
    state: Arc<Mutex<ParameterState>>,
    descriptions: HashMap<String, String>,
    // A publisher is Send, not Sync: the services share it through the lock.
    events: Mutex<r2r::Publisher<ParameterEvent>>,
    node_name: String,
    clock: Mutex<Option<r2r::Clock>>,
}

impl ParameterServer {
    /// Advertises the six services under the node's name and `/parameter_events`, and spawns
    /// their tasks on the runtime.
    pub fn start(
        node: &mut r2r::Node,
        state: Arc<Mutex<ParameterState>>,
        runtime: &tokio::runtime::Handle,
    ) -> Result<(), NodeError> {
        use futures::StreamExt;
        let name = node.name().map_err(super::ros("reading the node's name"))?;
        let node_name = node
            .fully_qualified_name()
            .map_err(super::ros("reading the node's name"))?;
        let events = node
            .create_publisher::<ParameterEvent>("/parameter_events", QosProfile::default())
            .map_err(super::ros("advertising /parameter_events"))?;
        let server = Arc::new(ParameterServer {
            state,
            descriptions: descriptions(),
            events: Mutex::new(events),
            node_name,
            clock: Mutex::new(r2r::Clock::create(r2r::ClockType::SystemTime).ok()),
        });
        let services = QosProfile::services_default();
        macro_rules! serve {
            ($srv:ty, $suffix:literal, $handler:ident) => {{
                let service_name = format!("{name}/{}", $suffix);
                let mut requests = node
                    .create_service::<$srv>(
                        &service_name,
                        services.clone(),
                    )
                    .map_err(super::ros(format!("offering {service_name}")))?;
                let server = server.clone();
                runtime.spawn(async move {
                    while let Some(request) = requests.next().await {
                        let response = server.$handler(&request.message);
                        if let Err(e) = request.respond(response) {
                            tracing::warn!(error = %e, service = $suffix, "cannot answer");
                        }
                    }
                });
            }};
        }
        serve!(ListParameters::Service, "list_parameters", list);
        serve!(DescribeParameters::Service, "describe_parameters", describe);
        serve!(GetParameters::Service, "get_parameters", get);
        serve!(GetParameterTypes::Service, "get_parameter_types", types);
        serve!(SetParameters::Service, "set_parameters", set);
        serve!(
            SetParametersAtomically::Service,
            "set_parameters_atomically",
            set_atomically
        );
        Ok(())
    }

    fn values(&self) -> Vec<(String, ValueMsg)> {
        flatten(&lock(&self.state).params)
    }

    fn list(&self, request: &ListParameters::Request) -> ListParameters::Response {
        let recursive = request.depth == ListParameters::Request::DEPTH_RECURSIVE as u64;
        let deep_enough =
            |rest: &str| recursive || (rest.matches('.').count() as u64) < request.depth;
        let mut result = r2r::rcl_interfaces::msg::ListParametersResult::default();
        for (name, _) in self.values() {
            let wanted = if request.prefixes.is_empty() {
                deep_enough(&name)
            } else {
                request.prefixes.iter().any(|prefix| {
                    name == *prefix
                        || name
                            .strip_prefix(prefix.as_str())
                            .and_then(|rest| rest.strip_prefix('.'))
                            .is_some_and(deep_enough)
                })
            };
            if !wanted {
                continue;
            }
            if let Some((prefix, _)) = name.rsplit_once('.')
                && !result.prefixes.iter().any(|p| p == prefix)
            {
                result.prefixes.push(prefix.to_string());
            }
            result.names.push(name);
        }
        ListParameters::Response { result }
    }

    fn describe(&self, request: &DescribeParameters::Request) -> DescribeParameters::Response {
        let state = lock(&self.state);
        let values: HashMap<String, ValueMsg> = flatten(&state.params).into_iter().collect();
        let mut rules: HashMap<String, Vec<crate::params::Rule>> = HashMap::new();
        for rule in state.params.rules() {
            rules.entry(rule.key.clone()).or_default().push(rule);
        }
        let descriptors = request
            .names
            .iter()
            .map(|name| {
                let Some(value) = values.get(name) else {
                    return ParameterDescriptor {
                        name: name.clone(),
                        description: "no such parameter (list_parameters names them all)".into(),
                        ..Default::default()
                    };
                };
                let own = rules.get(name).map(Vec::as_slice).unwrap_or_default();
                let mut constraints: Vec<String> = own.iter().map(|r| r.text.clone()).collect();
                constraints.push(if Params::changes_live(name) {
                    "changes take effect from the next turn".into()
                } else {
                    "changes only while the node is unconfigured".into()
                });
                let range = own.iter().find_map(|r| r.range);
                ParameterDescriptor {
                    name: name.clone(),
                    type_: value.type_,
                    description: self.descriptions.get(name).cloned().unwrap_or_default(),
                    additional_constraints: constraints.join("; "),
                    // rcl_interfaces' read-only: not settable even while unconfigured.
                    read_only: settable(name, false).is_err(),
                    dynamic_typing: false,
                    floating_point_range: match range {
                        Some(Range::Float(from_value, to_value)) => vec![FloatingPointRange {
                            from_value,
                            to_value,
                            step: 0.0,
                        }],
                        _ => Vec::new(),
                    },
                    integer_range: match range {
                        Some(Range::Integer(from_value, to_value)) => vec![IntegerRange {
                            from_value,
                            to_value,
                            step: 0,
                        }],
                        _ => Vec::new(),
                    },
                }
            })
            .collect();
        DescribeParameters::Response { descriptors }
    }

    fn get(&self, request: &GetParameters::Request) -> GetParameters::Response {
        let values: HashMap<String, ValueMsg> = self.values().into_iter().collect();
        GetParameters::Response {
            values: request
                .names
                .iter()
                .map(|name| values.get(name).cloned().unwrap_or_default())
                .collect(),
        }
    }

    fn types(&self, request: &GetParameterTypes::Request) -> GetParameterTypes::Response {
        let values: HashMap<String, ValueMsg> = self.values().into_iter().collect();
        GetParameterTypes::Response {
            types: request
                .names
                .iter()
                .map(|name| values.get(name).map_or(0, |v| v.type_))
                .collect(),
        }
    }

    fn set(&self, request: &SetParameters::Request) -> SetParameters::Response {
        SetParameters::Response {
            results: request
                .parameters
                .iter()
                .map(|p| self.apply(std::slice::from_ref(p)))
                .collect(),
        }
    }

    fn set_atomically(
        &self,
        request: &SetParametersAtomically::Request,
    ) -> SetParametersAtomically::Response {
        SetParametersAtomically::Response {
            result: self.apply(&request.parameters),
        }
    }

    /// Sets `parameters` together, or none of them, with the reason.
    fn apply(&self, parameters: &[ParameterMsg]) -> SetParametersResult {
        let refused = |reason: String| {
            tracing::warn!(%reason, "parameter change refused");
            SetParametersResult {
                successful: false,
                reason,
            }
        };
        let mut state = lock(&self.state);
        let known: HashMap<String, ValueMsg> = flatten(&state.params).into_iter().collect();
        let mut overrides = Vec::new();
        for p in parameters {
            if !known.contains_key(&p.name) {
                return refused(format!(
                    "no parameter {} (list_parameters names them all)",
                    p.name
                ));
            }
            if let Err(reason) = settable(&p.name, state.configured) {
                return refused(reason);
            }
            let Some(value) = yaml_from_msg(&p.value) else {
                return refused(format!("{}: no value, or a byte array", p.name));
            };
            match override_text(&p.name, &value) {
                Ok(text) => overrides.push(text),
                Err(e) => return refused(e.to_string()),
            }
        }
        let updated = match state.params.updated(&overrides) {
            Ok(updated) => updated,
            Err(e) => return refused(describe_error(e)),
        };
        let changed: Vec<ParameterMsg> = flatten(&updated)
            .into_iter()
            .filter(|(name, value)| known.get(name) != Some(value))
            .map(|(name, value)| ParameterMsg { name, value })
            .collect();
        for p in &changed {
            let text = overrides
                .iter()
                .find(|o| o.starts_with(&format!("{}=", p.name)))
                .map_or_else(|| p.name.clone(), |o| o.trim_end().to_string());
            tracing::info!(change = %text, "parameter changed");
            state.change.count += 1;
            state.change.last = text;
        }
        if state.configured {
            state.pending = Some(updated.clone());
        }
        state.params = updated;
        drop(state);
        if !changed.is_empty() {
            self.announce(changed);
        }
        SetParametersResult {
            successful: true,
            reason: String::new(),
        }
    }

    fn announce(&self, changed: Vec<ParameterMsg>) {
        let stamp = lock(&self.clock)
            .as_mut()
            .and_then(|c| c.get_now().ok())
            .map(|now| r2r::Clock::to_builtin_time(&now))
            .unwrap_or_default();
        let event = ParameterEvent {
            stamp,
            node: self.node_name.clone(),
            new_parameters: Vec::new(),
            changed_parameters: changed,
            deleted_parameters: Vec::new(),
        };
        if let Err(e) = lock(&self.events).publish(&event) {
            tracing::warn!(error = %e, "cannot announce a parameter change");
        }
    }
}

/// A refused value's reason: the key and the rule it breaks.
fn describe_error(error: ParamsError) -> String {
    match error {
        ParamsError::Rejected { source, .. } => source.to_string(),
        ParamsError::Parse { message, .. } => format!(
            "invalid value {message} (config/eq_negotiator.yaml shows every key and its type)"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_is_described_by_the_parameters_file() {
        let described = descriptions();
        for (name, _) in flatten(&Params::default()) {
            let text = described.get(&name);
            assert!(
                text.is_some_and(|t| !t.is_empty()),
                "{name} has no comment in config/eq_negotiator.yaml"
            );
        }
        assert_eq!(
            described["policy.gate_window"],
            "n: debtor emotions the gate looks back on"
        );
        // A row of a matrix takes its group's comment.
        assert!(described["hmm.transition_prior.strategic"].starts_with("P(to | from)"));
    }

    #[test]
    fn values_keep_their_kind_and_round_trip() {
        let values: HashMap<String, ValueMsg> = flatten(&Params::default()).into_iter().collect();
        let kind = |name: &str| values[name].type_;
        assert_eq!(
            kind("policy.gate_window"),
            ParameterType::PARAMETER_INTEGER as u8
        );
        assert_eq!(
            kind("policy.temperature_decay"),
            ParameterType::PARAMETER_DOUBLE as u8
        );
        assert_eq!(
            kind("policy.turn_learning"),
            ParameterType::PARAMETER_BOOL as u8
        );
        assert_eq!(kind("node.speaker"), ParameterType::PARAMETER_STRING as u8);
        assert_eq!(
            kind("llm.reader_prior"),
            ParameterType::PARAMETER_DOUBLE_ARRAY as u8
        );
        assert_eq!(
            kind("hmm.transition_prior.cooperative"),
            ParameterType::PARAMETER_DOUBLE_ARRAY as u8
        );
        // Each value, set back as an override, leaves the parameters as they were.
        let defaults = Params::default();
        let unchanged = defaults.updated(&[]).unwrap();
        for (name, value) in flatten(&defaults) {
            let text = override_text(&name, &yaml_from_msg(&value).unwrap()).unwrap();
            assert_eq!(defaults.updated(&[text]).unwrap(), unchanged, "{name}");
        }
    }

    #[test]
    fn live_keys_change_while_configured_and_the_others_only_before() {
        assert!(settable("policy.turn_exploration", true).is_ok());
        assert!(settable("offer.concession_turns", true).is_ok());
        assert!(settable("node.max_utterance_chars", true).is_ok());
        let refused = settable("llm.model_path", true).unwrap_err();
        assert!(refused.contains("read at configure") && refused.contains("clean up"));
        assert!(settable("llm.model_path", false).is_ok());
        assert!(settable("node.say_topic", true).is_err());
        assert!(
            settable("node.reset_service", false)
                .unwrap_err()
                .contains("restart")
        );
    }

    #[test]
    fn ranges_are_the_rules_validation_enforces() {
        let params = Params::default();
        let rules = params.rules();
        let range = |key: &str| rules.iter().find(|r| r.key == key).and_then(|r| r.range);
        assert_eq!(
            range("policy.temperature_decay"),
            Some(Range::Float(0.0, 1.0))
        );
        assert_eq!(range("policy.gate_window"), Some(Range::Integer(1, 50)));
        // A bound that is another parameter's value follows it.
        assert_eq!(
            range("policy.gate_negative_count"),
            Some(Range::Integer(1, params.policy.gate_window as i64))
        );
        // Each range's ends are accepted and the values just outside refused.
        for rule in &rules {
            let (low, high, outside) = match rule.range {
                Some(Range::Float(l, h)) => (l.to_string(), h.to_string(), None),
                Some(Range::Integer(l, h)) => (
                    l.to_string(),
                    h.min(1_000_000).to_string(),
                    (h < 1_000_000).then(|| (h + 1).to_string()),
                ),
                None => continue,
            };
            let key = &rule.key;
            // An end may break another key's rule (gate_window 1 under gate_negative_count 4),
            // never this key's own.
            let own_rule = format!("invalid parameter {key} =");
            for end in [&low, &high] {
                if let Err(e) = params.updated(&[format!("{key}={end}")]) {
                    assert!(!e.to_string().contains(&own_rule), "{key}={end}: {e}");
                }
            }
            if let Some(beyond) = outside {
                let refused = params.updated(&[format!("{key}={beyond}")]).unwrap_err();
                assert!(
                    refused.to_string().contains(&own_rule),
                    "{key}={beyond}: {refused}"
                );
            }
        }
    }
}
