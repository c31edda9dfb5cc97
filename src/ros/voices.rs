//! ROS4HRI voices (REP-155): one negotiation per person the robot hears.
//!
//! The node follows `node.voices_topic` (hri_msgs/IdsList, `/humans/voices/tracked`) while it
//! is active. A voice that appears is followed, up to `node.max_voices` at once (later ones wait
//! for a free place, taken in the list's order): the node subscribes to its
//! hri_msgs/LiveSpeech on `<folder>/<id>/speech` and asks the agent to open its negotiation (or
//! resume it from its record). Only a non-empty `final` makes a turn; `incremental` text is
//! partial recognition, which the language model decodes into its cache while the person is
//! still speaking, so that on `final` only what changed and the instruction remain. A voice
//! that disappears is no longer heard, and its negotiation waits
//! in its record for it to come back.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures::StreamExt;
use r2r::QosProfile;
use r2r::hri_msgs::msg::{IdsList, LiveSpeech};

use super::worker::{Shared, SharedInbox};
use super::{NodeError, lock, ros};
use crate::agent::{Arrival, valid_voice};

/// Who leaves and who joins when the tracked list becomes `tracked`, with `following` followed
/// now and at most `max` at once: (left, joined). Joiners are taken in the list's order; ids
/// that cannot name a record folder are skipped.
pub fn plan(following: &[String], tracked: &[String], max: usize) -> (Vec<String>, Vec<String>) {
    let left: Vec<String> = following
        .iter()
        .filter(|v| !tracked.contains(v))
        .cloned()
        .collect();
    let staying = following.len() - left.len();
    let mut joined = Vec::new();
    for id in tracked {
        if staying + joined.len() >= max {
            break;
        }
        if !id.is_empty() && valid_voice(id) && !following.contains(id) && !joined.contains(id) {
            joined.push(id.clone());
        }
    }
    (left, joined)
}

/// The speech topic of voice `id` next to the tracked list `voices_topic`.
pub fn speech_topic(voices_topic: &str, id: &str) -> String {
    let folder = voices_topic
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    format!("{folder}/{id}/speech")
}

/// Follows the tracked voices until the task is aborted (cleanup); dropping it stops every
/// voice's subscription task with it.
pub async fn follow(
    node: Arc<Mutex<r2r::Node>>,
    voices_topic: String,
    max: usize,
    inbox: SharedInbox,
    active: Arc<Mutex<Option<SharedInbox>>>,
    shared: Arc<Shared>,
) -> Result<(), NodeError> {
    let mut tracked = lock(&node)
        .subscribe::<IdsList>(&voices_topic, QosProfile::default())
        .map_err(ros(format!("subscribing to {voices_topic}")))?;
    let mut listening = tokio::task::JoinSet::new();
    let mut following: HashMap<String, tokio::task::AbortHandle> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    while let Some(list) = tracked.next().await {
        if lock(&active).is_none() {
            // Followed while active only; ROS4HRI republishes the list, so the next one after
            // activation brings the node up to date.
            continue;
        }
        let (left, joined) = plan(&order, &list.ids, max);
        for id in left {
            if let Some(task) = following.remove(&id) {
                task.abort();
            }
            while listening.try_join_next().is_some() {}
            order.retain(|v| *v != id);
            inbox.push_leave(&id);
            tracing::info!(voice = %id, "voice no longer tracked");
        }
        for id in joined {
            let topic = speech_topic(&voices_topic, &id);
            let speech = match lock(&node).subscribe::<LiveSpeech>(&topic, QosProfile::default()) {
                Ok(stream) => stream,
                Err(e) => {
                    tracing::error!(voice = %id, %topic, error = %e, "cannot hear the voice");
                    continue;
                }
            };
            let task = listening.spawn(hear(speech, id.clone(), active.clone(), shared.clone()));
            following.insert(id.clone(), task);
            order.push(id.clone());
            inbox.push_join(&id);
            tracing::info!(voice = %id, %topic, "voice tracked: negotiating with it");
        }
        let waiting = list.ids.iter().filter(|v| !order.contains(v)).count();
        shared
            .voices_waiting
            .store(waiting as u64, Ordering::SeqCst);
    }
    Ok(())
}

/// Hands each final recognition of voice `id` to its negotiation, while the node is active.
async fn hear(
    mut speech: impl futures::Stream<Item = LiveSpeech> + Unpin,
    id: String,
    active: Arc<Mutex<Option<SharedInbox>>>,
    shared: Arc<Shared>,
) {
    while let Some(message) = speech.next().await {
        let text = message.final_.trim();
        if text.is_empty() {
            // Partial words: the model's cache gets ready for the reply meanwhile.
            let partial = message.incremental.trim();
            if let (false, Some(inbox)) = (partial.is_empty(), lock(&active).as_ref()) {
                inbox.push_partial(&id, partial.to_string());
            }
            continue;
        }
        let arrival = Arrival {
            text: text.to_string(),
            at: Instant::now(),
        };
        match lock(&active).as_ref() {
            Some(inbox) => {
                inbox.push_utterance(&id, arrival);
            }
            None => {
                shared.unheard.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn voices_join_up_to_the_limit_in_order_and_leave_when_untracked() {
        let (left, joined) = plan(&[], &ids(&["a", "b", "c"]), 2);
        assert_eq!((left, joined), (ids(&[]), ids(&["a", "b"])));
        // b leaves: c, waiting, takes its place.
        let (left, joined) = plan(&ids(&["a", "b"]), &ids(&["a", "c"]), 2);
        assert_eq!((left, joined), (ids(&["b"]), ids(&["c"])));
        // Repeated and unusable ids are skipped.
        let (_, joined) = plan(&[], &ids(&["x", "x", "../up", "", "y-1", "y"]), 4);
        assert_eq!(joined, ids(&["x", "y"]));
    }

    #[test]
    fn speech_is_next_to_the_tracked_list() {
        assert_eq!(
            speech_topic("/humans/voices/tracked", "anonymous_speaker"),
            "/humans/voices/anonymous_speaker/speech"
        );
    }
}
