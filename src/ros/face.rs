//! The robot's face: the chosen emotion as an hri_msgs/Expression (ROS4HRI, REP-155).
//!
//! The agent's emotions are stances of a civil collector, so the face shows the stance, not
//! the raw emotion: polite firmness (anger) looks annoyed, firmness at excuses (disgust) looks
//! skeptical, concern about consequences (fear) looks scared but calm. Valence and arousal are
//! the stance's place on Russell's circumplex, in [-1, 1], kept moderate for the same reason.

use crate::emotion::Emotion;

/// How `emotion` shows on the face: hri_msgs/Expression's expression name, valence, arousal.
pub fn expression(emotion: Emotion) -> (&'static str, f32, f32) {
    match emotion {
        Emotion::Joy => ("happy", 0.7, 0.4),
        Emotion::Sadness => ("sad", -0.5, -0.3),
        Emotion::Anger => ("annoyed", -0.4, 0.4),
        Emotion::Fear => ("scared", -0.4, 0.3),
        Emotion::Surprise => ("surprised", 0.2, 0.6),
        Emotion::Disgust => ("skeptical", -0.3, 0.1),
        Emotion::Neutral => ("neutral", 0.0, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_emotion_is_a_listed_expression_within_the_circumplex() {
        // hri_msgs/Expression's constants that a stance may use.
        let listed = [
            "neutral",
            "angry",
            "sad",
            "happy",
            "surprised",
            "disgusted",
            "scared",
            "annoyed",
            "skeptical",
        ];
        for emotion in Emotion::ALL {
            let (name, valence, arousal) = expression(emotion);
            assert!(listed.contains(&name), "{name}");
            assert!((-1.0..=1.0).contains(&valence) && (-1.0..=1.0).contains(&arousal));
            // Pleasant stances look pleasant, unpleasant ones do not.
            match emotion {
                Emotion::Joy | Emotion::Surprise => assert!(valence > 0.0),
                Emotion::Neutral => assert_eq!((valence, arousal), (0.0, 0.0)),
                _ => assert!(valence < 0.0, "{name}"),
            }
        }
    }
}
