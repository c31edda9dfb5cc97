//! The managed-node state machine (ROS 2 lifecycle, as rcl_lifecycle defines it), which the
//! node serves itself because r2r has none.
//!
//! Four primary states (unconfigured, inactive, active, finalized) and the transition states
//! between them. A transition requested through `change_state` enters its transition state,
//! runs the node's callback, and ends in the goal state on success, back in the start state on
//! failure, or in `errorprocessing` on an error, from which the node cleans up into
//! `unconfigured`. Ids and labels are lifecycle_msgs' and rcl_lifecycle's, so `ros2 lifecycle`
//! and launch systems read them as they read any managed node's.

use r2r::lifecycle_msgs::msg::{
    State as StateMsg, Transition as TransitionMsg, TransitionDescription,
};

/// A lifecycle state, primary or transitional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Created, nothing built: parameters may change freely.
    Unconfigured,
    /// Configured (model loaded, topics advertised), not hearing or speaking.
    Inactive,
    /// Hearing and speaking.
    Active,
    /// Shut down; the process ends.
    Finalized,
    /// Running configure.
    Configuring,
    /// Running cleanup.
    CleaningUp,
    /// Running shutdown.
    ShuttingDown,
    /// Running activate.
    Activating,
    /// Running deactivate.
    Deactivating,
    /// Cleaning up after an error in a transition.
    ErrorProcessing,
}

impl State {
    /// lifecycle_msgs/State's id.
    pub fn id(self) -> u8 {
        match self {
            State::Unconfigured => 1,
            State::Inactive => 2,
            State::Active => 3,
            State::Finalized => 4,
            State::Configuring => 10,
            State::CleaningUp => 11,
            State::ShuttingDown => 12,
            State::Activating => 13,
            State::Deactivating => 14,
            State::ErrorProcessing => 15,
        }
    }

    /// rcl_lifecycle's label.
    pub fn label(self) -> &'static str {
        match self {
            State::Unconfigured => "unconfigured",
            State::Inactive => "inactive",
            State::Active => "active",
            State::Finalized => "finalized",
            State::Configuring => "configuring",
            State::CleaningUp => "cleaningup",
            State::ShuttingDown => "shuttingdown",
            State::Activating => "activating",
            State::Deactivating => "deactivating",
            State::ErrorProcessing => "errorprocessing",
        }
    }

    /// As a message.
    pub fn msg(self) -> StateMsg {
        StateMsg {
            id: self.id(),
            label: self.label().into(),
        }
    }

    /// The primary states, in id order.
    pub const PRIMARY: [State; 4] = [
        State::Unconfigured,
        State::Inactive,
        State::Active,
        State::Finalized,
    ];

    /// The transition states, in id order.
    pub const TRANSITIONAL: [State; 6] = [
        State::Configuring,
        State::CleaningUp,
        State::ShuttingDown,
        State::Activating,
        State::Deactivating,
        State::ErrorProcessing,
    ];
}

/// What a transition asks the node to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Check parameters, scenario and records, load the model, advertise the topics.
    Configure,
    /// Release what configure built.
    Cleanup,
    /// Start hearing and speaking.
    Activate,
    /// Stop hearing and speaking, keeping the negotiation.
    Deactivate,
    /// Release everything and end.
    Shutdown,
}

/// A transition that `change_state` can request: its id and label, where it starts, the
/// transition state it runs in, and where it ends on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// lifecycle_msgs/Transition's id.
    pub id: u8,
    /// Its label.
    pub label: &'static str,
    /// The state it starts from.
    pub start: State,
    /// The transition state it runs in.
    pub during: State,
    /// The state it ends in on success.
    pub goal: State,
    /// The node's callback.
    pub step: Step,
}

/// The transitions a caller can request, as rcl_lifecycle numbers them.
pub const REQUESTABLE: [Transition; 7] = [
    Transition {
        id: 1,
        label: "configure",
        start: State::Unconfigured,
        during: State::Configuring,
        goal: State::Inactive,
        step: Step::Configure,
    },
    Transition {
        id: 2,
        label: "cleanup",
        start: State::Inactive,
        during: State::CleaningUp,
        goal: State::Unconfigured,
        step: Step::Cleanup,
    },
    Transition {
        id: 3,
        label: "activate",
        start: State::Inactive,
        during: State::Activating,
        goal: State::Active,
        step: Step::Activate,
    },
    Transition {
        id: 4,
        label: "deactivate",
        start: State::Active,
        during: State::Deactivating,
        goal: State::Inactive,
        step: Step::Deactivate,
    },
    Transition {
        id: 5,
        label: "shutdown",
        start: State::Unconfigured,
        during: State::ShuttingDown,
        goal: State::Finalized,
        step: Step::Shutdown,
    },
    Transition {
        id: 6,
        label: "shutdown",
        start: State::Inactive,
        during: State::ShuttingDown,
        goal: State::Finalized,
        step: Step::Shutdown,
    },
    Transition {
        id: 7,
        label: "shutdown",
        start: State::Active,
        during: State::ShuttingDown,
        goal: State::Finalized,
        step: Step::Shutdown,
    },
];

/// How a callback ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: the goal state.
    Success,
    /// Refused without harm (e.g. nothing to do): back to the start state.
    Failure(String),
    /// Went wrong: error processing, then unconfigured.
    Error(String),
}

/// The transitions that may be requested in `state`.
pub fn available(state: State) -> impl Iterator<Item = &'static Transition> {
    REQUESTABLE.iter().filter(move |t| t.start == state)
}

/// The transition a `change_state` request names in `state`: by id, or by label when the id
/// is 0 (`ros2 lifecycle set NODE configure`).
pub fn find(state: State, id: u8, label: &str) -> Option<&'static Transition> {
    available(state).find(|t| {
        if id != 0 {
            t.id == id
        } else {
            t.label == label
        }
    })
}

/// The id and label of the internal transition out of a transition state for `outcome`
/// (lifecycle_msgs' TRANSITION_ON_<STEP>_<OUTCOME>).
fn completion(during: State, outcome: &Outcome) -> TransitionMsg {
    let base: u8 = match during {
        State::Configuring => 10,
        State::CleaningUp => 20,
        State::Activating => 30,
        State::Deactivating => 40,
        State::ShuttingDown => 50,
        _ => 60,
    };
    let (offset, label) = match outcome {
        Outcome::Success => (0, "transition_success"),
        Outcome::Failure(_) => (1, "transition_failure"),
        Outcome::Error(_) => (2, "transition_error"),
    };
    TransitionMsg {
        id: base + offset,
        label: label.into(),
    }
}

/// Where a transition that failed harmlessly ends: where it started, except shutdown, which
/// ends the node whatever happens.
fn failed(transition: &Transition) -> State {
    if transition.step == Step::Shutdown {
        State::Finalized
    } else {
        transition.start
    }
}

/// The events of one requested transition that ended with `outcome`, in order: (transition,
/// from, to). The last `to` is where the node is now. An error adds the way out of error
/// processing (`cleaned` says whether that cleanup succeeded: if not, the node is finalized).
pub fn events(
    transition: &Transition,
    outcome: &Outcome,
    cleaned: bool,
) -> Vec<(TransitionMsg, State, State)> {
    let requested = TransitionMsg {
        id: transition.id,
        label: transition.label.into(),
    };
    let mut steps = vec![(requested, transition.start, transition.during)];
    let done = completion(transition.during, outcome);
    match outcome {
        Outcome::Success => steps.push((done, transition.during, transition.goal)),
        Outcome::Failure(_) => steps.push((done, transition.during, failed(transition))),
        Outcome::Error(_) => {
            steps.push((done, transition.during, State::ErrorProcessing));
            let recovered = if cleaned {
                Outcome::Success
            } else {
                Outcome::Error(String::new())
            };
            let end = if cleaned {
                State::Unconfigured
            } else {
                State::Finalized
            };
            steps.push((
                completion(State::ErrorProcessing, &recovered),
                State::ErrorProcessing,
                end,
            ));
        }
    }
    steps
}

/// A transition as lifecycle_msgs/TransitionDescription.
pub fn description(transition: &Transition) -> TransitionDescription {
    TransitionDescription {
        transition: TransitionMsg {
            id: transition.id,
            label: transition.label.into(),
        },
        start_state: transition.start.msg(),
        goal_state: transition.during.msg(),
    }
}

/// The whole graph: each requestable transition, then each transition state's ways out.
pub fn graph() -> Vec<TransitionDescription> {
    let mut all: Vec<TransitionDescription> = REQUESTABLE.iter().map(description).collect();
    // Shutdown runs in one transition state from any primary one; its ways out are listed once.
    for t in REQUESTABLE.iter().filter(|t| t.id <= 5) {
        let outcomes = [
            (Outcome::Success, t.goal),
            (Outcome::Failure(String::new()), failed(t)),
            (Outcome::Error(String::new()), State::ErrorProcessing),
        ];
        for (outcome, to) in outcomes {
            all.push(TransitionDescription {
                transition: completion(t.during, &outcome),
                start_state: t.during.msg(),
                goal_state: to.msg(),
            });
        }
    }
    for (outcome, to) in [
        (Outcome::Success, State::Unconfigured),
        (Outcome::Failure(String::new()), State::Finalized),
        (Outcome::Error(String::new()), State::Finalized),
    ] {
        all.push(TransitionDescription {
            transition: completion(State::ErrorProcessing, &outcome),
            start_state: State::ErrorProcessing.msg(),
            goal_state: to.msg(),
        });
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_primary_state_offers_rcl_lifecycles_transitions() {
        let ids = |s: State| available(s).map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(State::Unconfigured), [1, 5]);
        assert_eq!(ids(State::Inactive), [2, 3, 6]);
        assert_eq!(ids(State::Active), [4, 7]);
        assert!(ids(State::Finalized).is_empty());
        // By label when the id is 0; shutdown is the current state's.
        assert_eq!(find(State::Active, 0, "shutdown").map(|t| t.id), Some(7));
        assert_eq!(
            find(State::Inactive, 3, "").map(|t| t.label),
            Some("activate")
        );
        assert!(
            find(State::Unconfigured, 3, "").is_none(),
            "activate before configure"
        );
    }

    #[test]
    fn an_error_goes_through_error_processing_back_to_unconfigured() {
        let configure = find(State::Unconfigured, 1, "").unwrap();
        let steps = events(configure, &Outcome::Error("no model".into()), true);
        let path: Vec<(u8, &str, &str)> = steps
            .iter()
            .map(|(t, from, to)| (t.id, from.label(), to.label()))
            .collect();
        assert_eq!(
            path,
            [
                (1, "unconfigured", "configuring"),
                (12, "configuring", "errorprocessing"),
                (60, "errorprocessing", "unconfigured"),
            ]
        );
        let ok = events(configure, &Outcome::Success, true);
        assert_eq!(ok.last().unwrap().2, State::Inactive);
        let refused = events(configure, &Outcome::Failure("busy".into()), true);
        assert_eq!(refused.last().unwrap().2, State::Unconfigured);
    }

    #[test]
    fn the_graph_holds_every_requestable_and_internal_transition_once() {
        let graph = graph();
        let mut ids: Vec<u8> = graph.iter().map(|d| d.transition.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), graph.len(), "each transition once");
        for id in [1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 20, 30, 40, 50, 60, 61, 62] {
            assert!(ids.contains(&id), "{id} missing");
        }
    }
}
