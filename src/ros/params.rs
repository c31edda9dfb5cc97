//! ROS parameters (`--ros-args -p`, `--params-file`) as overrides of the one [`Params`] struct.
//!
//! Every dotted key of the struct is a ROS parameter of the same name (`policy.gate_window`,
//! `hmm.transition_prior.cooperative`); the values are checked by the same loader as the YAML
//! file and `--set`, so a wrong type or an invalid value fails the same way, with the key.
//!
//! [`Params`]: crate::params::Params

use r2r::{Parameter, ParameterValue};

use super::NodeError;

/// Parameters ROS gives every node, which are not ours.
const ROS_OWN: &[&str] = &["use_sim_time"];

/// The node's ROS parameters as `key=value` overrides (values in YAML flow syntax).
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
        let text = serde_yaml_ng::to_string(&value).map_err(|e| NodeError::Parameter {
            name: name.to_string(),
            reason: e.to_string(),
        })?;
        overrides.push(format!("{name}={text}"));
    }
    Ok(overrides)
}

fn yaml_value(value: &ParameterValue) -> Option<serde_yaml_ng::Value> {
    use serde_yaml_ng::Value;
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
