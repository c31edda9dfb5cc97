//! The lexicon emotion detector: our own cue lists with negation, intensifiers and
//! debt-collection rules.
//!
//! How an utterance is read:
//!
//! 1. **Tokens.** The text is lower-cased and cut into words (letters, digits and inner
//!    apostrophes, so "don't" is one word; curly apostrophes count as straight ones), the marks
//!    `!` and `?`, and clause boundaries (`.`, `,`, `;`, `:`). Common spellings without an
//!    apostrophe ("dont", "cant", "im") are mapped to the apostrophe form. At most
//!    [`MAX_TOKENS`] tokens are read, so very long text costs bounded time.
//! 2. **Cues.** The cue table (`lexicon_words.txt`, embedded at compile time) maps phrases of one
//!    to six tokens to evidence for one or more labels. At each position the longest phrase
//!    wins, so "can't afford" (Sadness) and "don't worry" (Joy) are read as phrases before
//!    "can't" and "don't" act as negations. A single word not in the table is retried without a
//!    plain suffix (`-s`, `-ed`, `-ing`, `-ly`).
//! 3. **Negation.** A negation word ("not", "never", "no", "don't", ...) and a phrase ending in
//!    one open a window of [`NEGATION_WINDOW`] tokens, closed early by a clause boundary. A cue
//!    inside the window does not count for its own label; a small share goes to the label its
//!    denial suggests instead ("not happy" leans to Anger and Sadness, "not angry" to Neutral).
//! 4. **Intensity.** An intensifier ("very", "so", "really", "extremely", ...) scales the next
//!    cue within two tokens up, a diminisher ("slightly", "a bit", "kinda", ...) scales it down;
//!    a cue written in capitals ("ANGRY") counts 1.5 times; two or more `!` raise all
//!    non-neutral evidence by a fifth.
//! 5. **Distribution.** Per-label prior weights (Neutral the largest) plus the evidence, through
//!    [`EmotionDistribution::from_weights`]. No evidence gives a Neutral-leaning distribution.
//!
//! The priors were calibrated for macro-F1 on the GoEmotions (Ekman) dev split. Measured once on
//! its test split (5,427 Reddit comments): macro-F1 0.572, accuracy 0.642 (dev: 0.585 and 0.649).

use std::collections::HashMap;
use std::sync::LazyLock;

use super::EmotionDetector;
use crate::emotion::{Emotion, EmotionDistribution};

/// The cue table, embedded at compile time (see the file's header for its format).
const LEXICON_TEXT: &str = include_str!("lexicon_words.txt");

/// Most tokens read from one utterance; the rest of a longer text is ignored.
pub const MAX_TOKENS: usize = 2_000;

/// Tokens after a negation word in which cues count as denied.
pub const NEGATION_WINDOW: usize = 3;

/// Longest phrase, in tokens, that the cue table may hold.
const MAX_PHRASE_TOKENS: usize = 6;

/// Tokens after an intensifier or diminisher in which it still scales a cue.
const INTENSITY_WINDOW: usize = 2;

/// Factor for a cue written in capitals ("ANGRY").
const CAPS_FACTOR: f64 = 1.5;

/// Factor for non-neutral evidence when the text has two or more exclamation marks.
const EXCLAMATION_FACTOR: f64 = 1.2;

/// Prior weight per label in table order (Joy, Sadness, Anger, Fear, Surprise, Disgust,
/// Neutral), added to the evidence. Calibrated for macro-F1 on the GoEmotions dev split; the
/// evidence scale is that of the cue table (a strong cue weighs about 0.8).
pub const PRIOR_WEIGHTS: [f64; Emotion::COUNT] = [0.10, 0.035, 0.23, 0.115, 0.057, 0.10, 0.345];

/// Where the evidence of a denied cue goes, as (label, share) pairs, indexed by the cue's label.
const NEGATION_SHIFT: [&[(Emotion, f64)]; Emotion::COUNT] = [
    // Joy: "not happy", "never good" read as dissatisfaction.
    &[(Emotion::Anger, 0.3), (Emotion::Sadness, 0.2)],
    // Sadness: "not sad".
    &[(Emotion::Neutral, 0.3)],
    // Anger: "not angry".
    &[(Emotion::Neutral, 0.3)],
    // Fear: "not worried" reads as relief.
    &[(Emotion::Joy, 0.3)],
    // Surprise: "not surprised".
    &[(Emotion::Neutral, 0.3)],
    // Disgust: "not a scam".
    &[(Emotion::Neutral, 0.3)],
    // Neutral stays neutral.
    &[(Emotion::Neutral, 1.0)],
];

/// Words that deny what follows.
fn is_negator(word: &str) -> bool {
    matches!(
        word,
        "not"
            | "no"
            | "never"
            | "don't"
            | "can't"
            | "cannot"
            | "won't"
            | "isn't"
            | "aren't"
            | "wasn't"
            | "weren't"
            | "didn't"
            | "doesn't"
            | "couldn't"
            | "shouldn't"
            | "wouldn't"
            | "haven't"
            | "hasn't"
            | "hadn't"
            | "ain't"
            | "nothing"
            | "nobody"
            | "neither"
            | "nor"
            | "without"
            | "hardly"
            | "nope"
    )
}

/// Scale factor of an intensifier (above 1) or diminisher (below 1).
fn intensity(word: &str) -> Option<f64> {
    Some(match word {
        "extremely" | "incredibly" | "utterly" => 1.8,
        "absolutely" => 1.6,
        "very" | "so" | "totally" | "completely" | "super" | "fucking" => 1.5,
        "really" | "truly" | "highly" | "freaking" | "terribly" | "deeply" => 1.4,
        "too" | "such" | "seriously" => 1.3,
        "barely" => 0.4,
        "slightly" | "mildly" => 0.5,
        "somewhat" | "bit" | "kinda" | "partly" | "sorta" => 0.6,
        "little" => 0.7,
        "fairly" | "quite" => 0.8,
        _ => return None,
    })
}

/// Apostrophe-less spellings mapped to the form the cue table uses.
fn canonical(word: &str) -> &str {
    match word {
        "dont" => "don't",
        "cant" => "can't",
        "wont" => "won't",
        "im" => "i'm",
        "ive" => "i've",
        "id" => "i'd",
        "didnt" => "didn't",
        "doesnt" => "doesn't",
        "isnt" => "isn't",
        "arent" => "aren't",
        "wasnt" => "wasn't",
        "werent" => "weren't",
        "couldnt" => "couldn't",
        "shouldnt" => "shouldn't",
        "wouldnt" => "wouldn't",
        "havent" => "haven't",
        "hasnt" => "hasn't",
        "youre" => "you're",
        "thats" => "that's",
        "whats" => "what's",
        "ain" => "ain't",
        other => other,
    }
}

/// The parsed cue table.
struct Lexicon {
    /// Phrase (tokens joined by one space) to evidence per label.
    phrases: HashMap<Box<str>, [f64; Emotion::COUNT]>,
    /// First token of a multi-word phrase to the longest such phrase's length in tokens.
    starts: HashMap<Box<str>, usize>,
    /// Lines of the table that could not be read (a unit test keeps this at zero).
    #[cfg_attr(not(test), allow(dead_code))]
    bad_lines: usize,
}

impl Lexicon {
    /// Parses the table text; unreadable lines are counted and skipped, never fatal.
    fn parse(text: &str) -> Lexicon {
        let mut phrases: HashMap<Box<str>, [f64; Emotion::COUNT]> = HashMap::new();
        let mut starts: HashMap<Box<str>, usize> = HashMap::new();
        let mut bad_lines = 0;
        let mut label: Option<Emotion> = None;
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                label = name.parse().ok();
                if label.is_none() {
                    bad_lines += 1;
                }
                continue;
            }
            let parsed = line
                .split_once(char::is_whitespace)
                .and_then(|(w, p)| Some((w.parse::<f64>().ok()?, p.trim())));
            let (Some(emotion), Some((weight, phrase))) = (label, parsed) else {
                bad_lines += 1;
                continue;
            };
            let words: Vec<&str> = phrase.split_whitespace().collect();
            if !weight.is_finite()
                || weight < 0.0
                || words.is_empty()
                || words.len() > MAX_PHRASE_TOKENS
            {
                bad_lines += 1;
                continue;
            }
            let key = words.join(" ");
            if words.len() > 1 {
                let longest = starts.entry(words[0].into()).or_insert(0);
                *longest = (*longest).max(words.len());
            }
            phrases.entry(key.into()).or_insert([0.0; Emotion::COUNT])[emotion.index()] = weight;
        }
        Lexicon {
            phrases,
            starts,
            bad_lines,
        }
    }

    /// Evidence of a single word, retrying without a plain suffix when the word is unknown.
    fn word(&self, word: &str) -> Option<&[f64; Emotion::COUNT]> {
        if let Some(w) = self.phrases.get(word) {
            return Some(w);
        }
        if word.len() < 5 || !word.is_ascii() {
            return None;
        }
        for suffix in ["'s", "ing", "ed", "ly", "s"] {
            if let Some(stem) = word.strip_suffix(suffix)
                && stem.len() >= 3
                && !stem.ends_with('s')
                && let Some(w) = self.phrases.get(stem)
            {
                return Some(w);
            }
        }
        None
    }
}

/// The cue table, parsed once on first use.
static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::parse(LEXICON_TEXT));

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A word, `!` or `?`.
    Word,
    /// A clause boundary: ends negation and intensity windows.
    Boundary,
}

/// One token: its text is `buf[start..end]` of the tokeniser's lower-case buffer.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
    /// Written in capitals (at least two letters, none lower-case).
    caps: bool,
}

/// Lower-cases and cuts `text` into at most [`MAX_TOKENS`] tokens, writing their text to `buf`.
fn tokenize(text: &str, buf: &mut String, tokens: &mut Vec<Token>) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if tokens.len() >= MAX_TOKENS {
            break;
        }
        if c.is_alphanumeric() {
            let start = buf.len();
            let mut letters = 0usize;
            let mut upper = 0usize;
            let mut push = |ch: char, buf: &mut String| {
                if ch.is_alphabetic() {
                    letters += 1;
                    if ch.is_uppercase() {
                        upper += 1;
                    }
                }
                buf.extend(ch.to_lowercase());
            };
            push(c, buf);
            loop {
                match chars.peek() {
                    Some(&n) if n.is_alphanumeric() => {
                        push(n, buf);
                        chars.next();
                    }
                    Some(&('\'' | '\u{2019}' | '\u{2018}')) => {
                        // An apostrophe belongs to the word only between two letters or digits.
                        let mut ahead = chars.clone();
                        ahead.next();
                        if ahead.peek().is_some_and(|n| n.is_alphanumeric()) {
                            buf.push('\'');
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            let canon = canonical(&buf[start..]);
            if canon.len() != buf.len() - start {
                let canon = canon.to_string();
                buf.truncate(start);
                buf.push_str(&canon);
            }
            tokens.push(Token {
                start,
                end: buf.len(),
                kind: Kind::Word,
                caps: letters >= 2 && upper == letters,
            });
        } else {
            let kind = match c {
                '!' | '?' => Kind::Word,
                '.' | ',' | ';' | ':' => Kind::Boundary,
                _ => continue,
            };
            let start = buf.len();
            buf.push(c);
            tokens.push(Token {
                start,
                end: buf.len(),
                kind,
                caps: false,
            });
        }
    }
}

/// Keyword-list emotion detector (the default detector; see the module documentation).
///
/// Deterministic, allocation-light and fast: a typical 20-word utterance takes a few
/// microseconds. The cue table is parsed once, on first use, and shared by all detectors.
#[derive(Debug, Default, Clone)]
pub struct LexiconDetector;

impl LexiconDetector {
    /// A detector with the built-in cue table.
    pub fn new() -> Self {
        LexiconDetector
    }

    /// The raw evidence per label (table order) that the cues in `text` add to
    /// [`PRIOR_WEIGHTS`]; all zeros when the text holds no cue.
    pub fn evidence(&self, text: &str) -> [f64; Emotion::COUNT] {
        let lexicon = &*LEXICON;
        let mut buf = String::with_capacity(text.len().min(16 * MAX_TOKENS) + 16);
        let mut tokens = Vec::with_capacity(64);
        tokenize(text, &mut buf, &mut tokens);

        let mut evidence = [0.0; Emotion::COUNT];
        let mut key = String::with_capacity(64);
        let mut negation_left = 0usize;
        let mut scale = 1.0;
        let mut scale_left = 0usize;
        let mut exclamations = 0usize;
        let text_of = |t: &Token| &buf[t.start..t.end];

        let mut i = 0;
        while i < tokens.len() {
            let token = tokens[i];
            if token.kind == Kind::Boundary {
                negation_left = 0;
                scale_left = 0;
                i += 1;
                continue;
            }
            let word = text_of(&token);
            if word == "!" {
                exclamations += 1;
            }

            // Longest phrase starting here, then the single word.
            let mut hit: Option<(usize, &[f64; Emotion::COUNT])> = None;
            if let Some(&longest) = lexicon.starts.get(word) {
                let max_len = longest.min(tokens.len() - i);
                for len in (2..=max_len).rev() {
                    let span = &tokens[i..i + len];
                    if span.iter().any(|t| t.kind == Kind::Boundary) {
                        continue;
                    }
                    key.clear();
                    for (k, t) in span.iter().enumerate() {
                        if k > 0 {
                            key.push(' ');
                        }
                        key.push_str(text_of(t));
                    }
                    if let Some(w) = lexicon.phrases.get(key.as_str()) {
                        hit = Some((len, w));
                        break;
                    }
                }
            }
            if hit.is_none() {
                hit = lexicon.word(word).map(|w| (1, w));
            }

            if let Some((len, weights)) = hit {
                let span = &tokens[i..i + len];
                let last = text_of(&span[len - 1]);
                let mut factor = if scale_left > 0 { scale } else { 1.0 };
                if span.iter().any(|t| t.caps) {
                    factor *= CAPS_FACTOR;
                }
                let denied = negation_left > 0 && !(len == 1 && is_negator(word));
                for (label, &w) in weights.iter().enumerate() {
                    if w == 0.0 {
                        continue;
                    }
                    if denied {
                        for &(to, share) in NEGATION_SHIFT[label] {
                            evidence[to.index()] += w * share * factor;
                        }
                    } else {
                        evidence[label] += w * factor;
                    }
                }
                scale_left = 0;
                negation_left = if is_negator(last) {
                    NEGATION_WINDOW
                } else {
                    negation_left.saturating_sub(len)
                };
                i += len;
                continue;
            }

            if is_negator(word) {
                negation_left = NEGATION_WINDOW;
            } else {
                negation_left = negation_left.saturating_sub(1);
                if let Some(f) = intensity(word) {
                    scale = f;
                    scale_left = INTENSITY_WINDOW;
                } else {
                    scale_left = scale_left.saturating_sub(1);
                }
            }
            i += 1;
        }

        if exclamations >= 2 {
            for (label, e) in evidence.iter_mut().enumerate() {
                if label != Emotion::Neutral.index() {
                    *e *= EXCLAMATION_FACTOR;
                }
            }
        }
        evidence
    }
}

impl EmotionDetector for LexiconDetector {
    fn name(&self) -> &'static str {
        "lexicon"
    }

    fn detect(&self, text: &str) -> EmotionDistribution {
        let evidence = self.evidence(text);
        let mut weights = PRIOR_WEIGHTS;
        for (w, e) in weights.iter_mut().zip(evidence) {
            *w += e;
        }
        EmotionDistribution::from_weights(weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn top(text: &str) -> Emotion {
        LexiconDetector::new().detect(text).most_likely()
    }

    fn p(text: &str, emotion: Emotion) -> f64 {
        LexiconDetector::new().detect(text).get(emotion)
    }

    fn assert_valid(d: &EmotionDistribution) {
        let sum: f64 = d.as_array().iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "sum {sum}");
        assert!(
            d.as_array()
                .iter()
                .all(|p| p.is_finite() && (0.0..=1.0).contains(p))
        );
    }

    #[test]
    fn cue_table_parses_cleanly_and_is_reviewable() {
        assert_eq!(
            LEXICON.bad_lines, 0,
            "unreadable lines in lexicon_words.txt"
        );
        for emotion in Emotion::ALL {
            let n = LEXICON
                .phrases
                .values()
                .filter(|w| w[emotion.index()] > 0.0)
                .count();
            assert!(n > 0 && n <= 300, "{emotion}: {n} cues");
        }
    }

    #[test]
    fn plain_anger_and_its_negation() {
        assert_eq!(top("I am so angry"), Emotion::Anger);
        assert_ne!(top("I am not angry"), Emotion::Anger);
        assert!(p("I am not angry", Emotion::Anger) < p("I am angry", Emotion::Anger));
    }

    #[test]
    fn negated_joy_is_not_joy() {
        assert_ne!(top("I am not happy with this"), Emotion::Joy);
        assert_ne!(top("never happy with you people"), Emotion::Joy);
        assert!(p("I'm not happy", Emotion::Joy) < p("I'm happy", Emotion::Joy));
    }

    #[test]
    fn negation_stops_at_a_clause_boundary() {
        assert_eq!(top("No, I am happy"), Emotion::Joy);
    }

    #[test]
    fn reassuring_phrases_are_not_negations() {
        assert_eq!(top("don't worry, no problem"), Emotion::Joy);
    }

    #[test]
    fn hardship_is_sadness() {
        assert_eq!(top("I lost my job and can't afford this"), Emotion::Sadness);
        assert_eq!(
            top("Please give me more time, the medical bills are crushing me"),
            Emotion::Sadness
        );
        assert_eq!(top("I'm struggling"), Emotion::Sadness);
    }

    #[test]
    fn threats_are_anger() {
        assert_eq!(top("I'll see you in court"), Emotion::Anger);
        assert_eq!(top("My lawyer will sue you"), Emotion::Anger);
        assert_eq!(
            top("I will report you and file a complaint"),
            Emotion::Anger
        );
    }

    #[test]
    fn worry_about_consequences_is_fear() {
        assert_eq!(top("I'm worried about my credit score"), Emotion::Fear);
        assert_eq!(top("What happens if I miss a payment?"), Emotion::Fear);
    }

    #[test]
    fn distrust_is_disgust() {
        assert_eq!(top("this is a scam"), Emotion::Disgust);
        assert_eq!(top("you people are crooks"), Emotion::Disgust);
        assert_eq!(top("what a rip-off"), Emotion::Disgust);
    }

    #[test]
    fn cooperation_is_joy() {
        assert_eq!(top("thank you, that works for me"), Emotion::Joy);
        assert_eq!(top("Sounds good, happy to pay"), Emotion::Joy);
    }

    #[test]
    fn plain_facts_are_neutral() {
        assert_eq!(top("The invoice was sent on Monday."), Emotion::Neutral);
        assert_eq!(top("My account number is 12345"), Emotion::Neutral);
    }

    #[test]
    fn surprise_from_questions_and_disbelief() {
        assert_eq!(top("Wait what? I had no idea"), Emotion::Surprise);
    }

    #[test]
    fn intensifiers_raise_and_diminishers_lower() {
        let plain = p("I am angry", Emotion::Anger);
        assert!(p("I am very angry", Emotion::Anger) > plain);
        assert!(p("I am extremely angry", Emotion::Anger) > p("I am very angry", Emotion::Anger));
        assert!(p("I am ANGRY", Emotion::Anger) > plain);
        assert!(p("I am angry!!", Emotion::Anger) > plain);
        assert!(p("I am slightly angry", Emotion::Anger) < plain);
    }

    #[test]
    fn apostrophe_variants_agree() {
        let d = LexiconDetector::new();
        assert_eq!(d.detect("I can't afford it"), d.detect("I cant afford it"));
        assert_eq!(
            d.detect("I can't afford it"),
            d.detect("I can\u{2019}t afford it")
        );
    }

    #[test]
    fn suffixes_are_normalised() {
        assert!(p("they run scams", Emotion::Disgust) > p("they run", Emotion::Disgust));
    }

    #[test]
    fn no_evidence_leans_neutral() {
        let d = LexiconDetector::new();
        for text in [
            "",
            "   \t\n ",
            "\u{0}\u{7}\u{1b}[0m",
            "日本語のテキスト",
            "12345",
        ] {
            let dist = d.detect(text);
            assert_valid(&dist);
            assert_eq!(dist.most_likely(), Emotion::Neutral, "{text:?}");
        }
    }

    #[test]
    fn very_long_text_is_bounded_and_valid() {
        let text = "I am angry and I lost my job. ".repeat(3_500);
        assert!(text.len() > 100_000);
        let dist = LexiconDetector::new().detect(&text);
        assert_valid(&dist);
        // Generous even for debug builds on a loaded machine.
        let no_spaces = "a".repeat(100_000);
        assert_valid(&LexiconDetector::new().detect(&no_spaces));
    }

    proptest! {
        #[test]
        fn any_text_gives_a_valid_distribution(text in any::<String>()) {
            let dist = LexiconDetector::new().detect(&text);
            let sum: f64 = dist.as_array().iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-9);
            prop_assert!(dist.as_array().iter().all(|p| p.is_finite() && (0.0..=1.0).contains(p)));
        }

        #[test]
        fn wordy_text_gives_a_valid_distribution(
            words in proptest::collection::vec(
                "(not|very|so|angry|happy|can't|afford|!|\\?|,|SCAM|don't|worry|[a-z]{1,8})", 0..40)
        ) {
            let dist = LexiconDetector::new().detect(&words.join(" "));
            let sum: f64 = dist.as_array().iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-9);
        }
    }
}
