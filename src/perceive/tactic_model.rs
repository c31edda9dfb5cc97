//! A learned reader of tactics beside the rules: naive Bayes over words and word pairs.
//!
//! The rules in [`super::tactics`] name kinds of expression one by one, so a paraphrase in words
//! they do not list slips through. This model reads the same line as a bag of features and says
//! how much more often each tactic's labelled lines hold them than the other lines do:
//! - the text is lower-cased, apostrophes inside words dropped ("won't" is "wont"), and split into
//!   ASCII letters and digits; each word is stemmed crudely (a final "ing", "ed", "es", "s" or
//!   "ly" dropped from a word long enough to keep three letters more), and numbers (digits or
//!   number words) read as one word, `NUM`;
//! - the features are the words, the pairs of neighbouring words (with the start and the end of
//!   the line as words), and a word class for a few families whose members are interchangeable
//!   (the law, authorities, the press and platforms, family, payment verbs, agreement verbs, the
//!   creditor's staff), so that "litigator" counts a little as "lawyer" does;
//! - for each tactic, a Bernoulli-style multinomial naive Bayes over the presence of each feature
//!   (smoothing [`ALPHA`]) gives the log-odds that the line shows the tactic; the tactic is
//!   reported when the log-odds reach its threshold ([`TacticModel::threshold`]).
//!
//! It reads one line alone: contradictions with earlier turns and reneging stay with the rules.
//! [`TacticModel::builtin`] is trained, once per process and deterministically, from the labelled
//! lines committed in `tests/data/tactics` (`set_a.jsonl`, `set_b.jsonl`, `own_paraphrases.jsonl`
//! and `own_after_b.jsonl`, embedded in the binary; never the held-out `set_c.jsonl`);
//! [`TacticModel::train`] trains one on any lines, which is how cross-validation keeps a set out
//! of training. Training takes milliseconds;
//! reading a line costs one pass over its words and a hash lookup per feature.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::tactic_eval::TACTIC_KINDS;
use super::tactics::{MAX_INPUT, TacticKind};

/// Additive smoothing of the feature counts.
pub const ALPHA: f64 = 0.1;

/// Words of a line that are read; the rest is ignored (bounds time on pathological input).
pub const MAX_WORDS: usize = 1_000;

/// Log-odds a tactic must reach, in [`TACTIC_KINDS`] order (threat, playing the victim, cheating,
/// stonewalling): probabilities 0.99, 0.99, 0.999 and 0.9. Cheating asks for more because talk of
/// paying ("I get paid on the 15th") shares its words; stonewalling for less because its lines are
/// short and its words rarely appear elsewhere. Chosen by training on one labelled set and reading
/// the other (see `tests/tactics.rs`).
pub const THRESHOLDS: [f64; 4] = [4.595, 4.595, 6.907, 2.197];

/// The labelled lines the built-in model is trained on.
const TRAINING: [&str; 4] = [
    include_str!("../../tests/data/tactics/set_a.jsonl"),
    include_str!("../../tests/data/tactics/set_b.jsonl"),
    include_str!("../../tests/data/tactics/own_paraphrases.jsonl"),
    include_str!("../../tests/data/tactics/own_after_b.jsonl"),
];

/// Word classes: members read as interchangeable, each adds the class as a feature.
const CLASSES: [(&str, &[&str]); 7] = [
    (
        "LAW",
        &[
            "lawyer",
            "lawyers",
            "attorney",
            "attorneys",
            "solicitor",
            "solicitors",
            "barrister",
            "litigator",
            "counsel",
            "legal",
            "judge",
            "judges",
            "court",
            "courts",
            "sue",
            "suing",
            "sued",
            "lawsuit",
            "lawsuits",
            "tribunal",
            "magistrate",
            "small",
            "claims",
        ],
    ),
    (
        "AUTH",
        &[
            "police",
            "cops",
            "cop",
            "sheriff",
            "regulator",
            "regulators",
            "ombudsman",
            "bureau",
            "cfpb",
            "ftc",
            "fca",
            "bbb",
            "authorities",
            "board",
            "licensing",
            "senator",
            "congressman",
            "mp",
            "watchdog",
        ],
    ),
    (
        "MEDIA",
        &[
            "facebook",
            "twitter",
            "tiktok",
            "youtube",
            "reddit",
            "instagram",
            "insta",
            "nextdoor",
            "yelp",
            "trustpilot",
            "google",
            "news",
            "newspaper",
            "paper",
            "press",
            "reporter",
            "reporters",
            "journalist",
            "journalists",
            "channel",
            "radio",
            "tv",
            "online",
            "internet",
            "viral",
            "review",
            "reviews",
            "post",
            "posting",
            "followers",
            "group",
            "members",
        ],
    ),
    (
        "FAM",
        &[
            "kids",
            "children",
            "son",
            "daughter",
            "wife",
            "husband",
            "mother",
            "mom",
            "mum",
            "dad",
            "father",
            "family",
            "grandson",
            "granddaughter",
            "baby",
        ],
    ),
    (
        "PAYV",
        &[
            "paid",
            "pay",
            "payed",
            "sent",
            "transferred",
            "wired",
            "mailed",
            "deposited",
            "debited",
            "cleared",
            "settled",
            "venmo",
            "zelle",
            "check",
            "cheque",
            "transfer",
            "payment",
            "receipt",
            "confirmation",
        ],
    ),
    (
        "AGREE",
        &[
            "agreed",
            "promised",
            "said",
            "told",
            "offered",
            "approved",
            "confirmed",
            "deal",
            "arrangement",
            "agreement",
            "plan",
            "contract",
            "signed",
        ],
    ),
    (
        "STAFF",
        &[
            "agent",
            "guy",
            "lady",
            "colleague",
            "manager",
            "supervisor",
            "rep",
            "representative",
            "woman",
            "man",
            "person",
            "boss",
            "predecessor",
        ],
    ),
];

/// Number words read as `NUM`, like digits.
const NUMBER_WORDS: [&str; 31] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "half",
    "dozen",
];

/// One tactic the model reads in a line.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFinding {
    /// The tactic.
    pub kind: TacticKind,
    /// The probability the model gives it (from the log-odds).
    pub probability: f64,
    /// The features of the line that weigh most for it, readable (`pay you`, `[LAW]`).
    pub features: Vec<String>,
}

/// Naive Bayes weights per feature and tactic; see the [module](self) docs.
#[derive(Debug, Clone, PartialEq)]
pub struct TacticModel {
    /// Log-ratio of each feature's smoothed likelihood, with and without each tactic.
    weights: HashMap<u64, [f32; 4]>,
    /// Log prior odds of each tactic.
    bias: [f64; 4],
    /// Lines trained on.
    lines: usize,
}

#[derive(Deserialize)]
struct Labelled {
    text: String,
    tactics: Vec<TacticKind>,
}

static BUILTIN: LazyLock<TacticModel> = LazyLock::new(|| {
    let items: Vec<(String, Vec<TacticKind>)> =
        TRAINING.iter().flat_map(|file| parse_lines(file)).collect();
    TacticModel::train(items.iter().map(|(t, k)| (t.as_str(), k.as_slice())))
});

/// The labelled lines of a JSON lines text (`text` and `tactics` of each line); lines that are
/// blank or not such an object are skipped.
pub fn parse_lines(jsonl: &str) -> Vec<(String, Vec<TacticKind>)> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<Labelled>(l).ok())
        .map(|l| (l.text, l.tactics))
        .collect()
}

/// 64-bit FNV-1a over the pieces, in order.
fn fnv(pieces: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in pieces {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The crude stem of a word (see the [module](self) docs).
fn stem(w: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s", "ly"] {
        if w.len() > suffix.len() + 2 && w.ends_with(suffix) {
            return &w[..w.len() - suffix.len()];
        }
    }
    w
}

/// The line lower-cased to ASCII letters, digits and spaces, apostrophes inside words dropped
/// ("won't" is "wont"); its words are what `split_ascii_whitespace` gives, at most [`MAX_WORDS`].
fn lowered(text: &str) -> String {
    let mut end = text.len().min(MAX_INPUT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end);
    let mut chars = text[..end].chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(c, '\'' | '’' | '‘')
            && out.ends_with(|p: char| p.is_ascii_alphabetic())
            && chars.peek().is_some_and(|n| n.is_ascii_alphabetic())
        {
            // "won't" -> "wont"
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// The words of a line (see [`lowered`]).
#[cfg(test)]
fn words(text: &str) -> Vec<String> {
    lowered(text)
        .split_ascii_whitespace()
        .take(MAX_WORDS)
        .map(str::to_string)
        .collect()
}

/// One feature of a line: its hash and, when asked for, a readable form.
struct Feature {
    hash: u64,
    text: String,
}

/// The distinct features of a line (see the [module](self) docs), in order of first appearance;
/// their readable forms only when `readable` (evidence needs them, scores do not).
fn features(text: &str, readable: bool) -> Vec<Feature> {
    let lower = lowered(text);
    let raw: Vec<&str> = lower.split_ascii_whitespace().take(MAX_WORDS).collect();
    let tokens: Vec<&str> = raw
        .iter()
        .map(|w| {
            if w.bytes().all(|b| b.is_ascii_digit()) || NUMBER_WORDS.contains(w) {
                "NUM"
            } else {
                stem(w)
            }
        })
        .collect();
    let mut out: Vec<Feature> = Vec::with_capacity(2 * tokens.len() + 4);
    let mut push = |hash: u64, text: &dyn Fn() -> String| {
        out.push(Feature {
            hash,
            text: if readable { text() } else { String::new() },
        });
    };
    for t in &tokens {
        push(fnv(&[b"u:", t.as_bytes()]), &|| (*t).to_string());
    }
    let n = tokens.len();
    for i in 0..=n {
        let a = if i == 0 { "<s>" } else { tokens[i - 1] };
        let b = if i == n { "</s>" } else { tokens[i] };
        push(fnv(&[b"b:", a.as_bytes(), b"_", b.as_bytes()]), &|| {
            format!("{a} {b}")
        });
    }
    for w in &raw {
        if let Some((class, _)) = CLASSES.iter().find(|(_, ws)| ws.contains(w)) {
            push(fnv(&[b"c:", class.as_bytes()]), &|| format!("[{class}]"));
        }
    }
    // Keep the first of each feature.
    let mut hashes: Vec<u64> = out.iter().map(|f| f.hash).collect();
    hashes.sort_unstable();
    hashes.dedup();
    if hashes.len() == out.len() {
        return out;
    }
    let mut taken = vec![false; hashes.len()];
    out.into_iter()
        .filter(|f| {
            hashes
                .binary_search(&f.hash)
                .is_ok_and(|i| !std::mem::replace(&mut taken[i], true))
        })
        .collect()
}

/// The index of a tactic in [`TACTIC_KINDS`].
fn index(kind: TacticKind) -> usize {
    TACTIC_KINDS
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

impl TacticModel {
    /// The model trained on the committed labelled lines (`tests/data/tactics`: set A, set B and
    /// the rule author's two files of paraphrases), trained at the first call in a process.
    pub fn builtin() -> &'static TacticModel {
        &BUILTIN
    }

    /// Trains a model on labelled lines (a text and the tactics it shows). Deterministic: the same
    /// lines, in any order, give the same model.
    pub fn train<'a>(items: impl IntoIterator<Item = (&'a str, &'a [TacticKind])>) -> Self {
        // Per feature: in how many lines with (index 0..4) and without (4..8) each tactic.
        let mut counts: HashMap<u64, [u32; 8]> = HashMap::new();
        let mut with = [0usize; 4];
        let mut lines = 0usize;
        let mut per_line: Vec<(Vec<u64>, [bool; 4])> = Vec::new();
        for (text, kinds) in items {
            let mut gold = [false; 4];
            for k in kinds {
                gold[index(*k)] = true;
            }
            lines += 1;
            for (i, g) in gold.iter().enumerate() {
                with[i] += usize::from(*g);
            }
            per_line.push((
                features(text, false).into_iter().map(|f| f.hash).collect(),
                gold,
            ));
        }
        // Totals of feature occurrences in lines with and without each tactic.
        let mut totals = [0u64; 8];
        for (feats, gold) in &per_line {
            for h in feats {
                let c = counts.entry(*h).or_insert([0; 8]);
                for (i, g) in gold.iter().enumerate() {
                    let slot = if *g { i } else { 4 + i };
                    c[slot] += 1;
                    totals[slot] += 1;
                }
            }
        }
        let vocabulary = counts.len() as f64;
        let weights = counts
            .into_iter()
            .map(|(h, c)| {
                let mut w = [0f32; 4];
                for (i, wi) in w.iter_mut().enumerate() {
                    let p_with =
                        (f64::from(c[i]) + ALPHA) / (totals[i] as f64 + ALPHA * vocabulary);
                    let p_without =
                        (f64::from(c[4 + i]) + ALPHA) / (totals[4 + i] as f64 + ALPHA * vocabulary);
                    *wi = (p_with / p_without).ln() as f32;
                }
                (h, w)
            })
            .collect();
        let mut bias = [0f64; 4];
        for (i, b) in bias.iter_mut().enumerate() {
            let without = lines - with[i];
            *b = ((with[i] as f64 + 1.0) / (without as f64 + 1.0)).ln();
        }
        TacticModel {
            weights,
            bias,
            lines,
        }
    }

    /// Trains a model on the labelled lines of JSON lines texts (see [`parse_lines`]).
    pub fn train_on_jsonl(files: &[&str]) -> Self {
        let items: Vec<(String, Vec<TacticKind>)> =
            files.iter().flat_map(|f| parse_lines(f)).collect();
        Self::train(items.iter().map(|(t, k)| (t.as_str(), k.as_slice())))
    }

    /// How many lines it was trained on.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// The log-odds a tactic must reach to be reported ([`THRESHOLDS`]).
    pub fn threshold(kind: TacticKind) -> f64 {
        THRESHOLDS[index(kind)]
    }

    /// The log-odds of each tactic for a line, in [`TACTIC_KINDS`] order.
    pub fn log_odds(&self, text: &str) -> [f64; 4] {
        let mut z = self.bias;
        for f in features(text, false) {
            if let Some(w) = self.weights.get(&f.hash) {
                for (zi, wi) in z.iter_mut().zip(w) {
                    *zi += f64::from(*wi);
                }
            }
        }
        z
    }

    /// The tactics whose log-odds reach their thresholds, with the three features weighing most.
    pub fn read(&self, text: &str) -> Vec<ModelFinding> {
        let z = self.log_odds(text);
        if !z.iter().zip(THRESHOLDS).any(|(zi, t)| *zi >= t) {
            return Vec::new();
        }
        // Something to report: the features again, readable this time, for the evidence.
        let feats = features(text, true);
        let known: Vec<(&Feature, &[f32; 4])> = feats
            .iter()
            .filter_map(|f| self.weights.get(&f.hash).map(|w| (f, w)))
            .collect();
        TACTIC_KINDS
            .iter()
            .enumerate()
            .filter(|(i, _)| z[*i] >= THRESHOLDS[*i])
            .map(|(i, kind)| {
                let mut top: Vec<(&Feature, f32)> = known
                    .iter()
                    .map(|(f, w)| (*f, w[i]))
                    .filter(|(_, w)| *w > 0.0)
                    .collect();
                top.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.text.cmp(&b.0.text)));
                ModelFinding {
                    kind: *kind,
                    probability: 1.0 / (1.0 + (-z[i]).exp()),
                    features: top.iter().take(3).map(|(f, _)| f.text.clone()).collect(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_training_line_parses() {
        let counts: Vec<usize> = TRAINING.iter().map(|f| parse_lines(f).len()).collect();
        let lines: Vec<usize> = TRAINING
            .iter()
            .map(|f| f.lines().filter(|l| !l.trim().is_empty()).count())
            .collect();
        assert_eq!(counts, lines);
        assert_eq!(TacticModel::builtin().lines(), lines.iter().sum::<usize>());
    }

    #[test]
    fn words_features_and_stems() {
        assert_eq!(words("I won't PAY, ok?"), ["i", "wont", "pay", "ok"]);
        assert_eq!(words("café ünd 30"), ["caf", "nd", "30"]);
        assert_eq!(stem("calling"), "call");
        assert_eq!(stem("sing"), "sing");
        assert_eq!(stem("lawyers"), "lawyer");
        assert_eq!(
            features("go go go", false).len(),
            4,
            "go, <s> go, go go, go </s>"
        );
        let texts: Vec<String> = features("My litigator, 30 days", true)
            .into_iter()
            .map(|f| f.text)
            .collect();
        for t in [
            "my",
            "litigator",
            "NUM",
            "day",
            "<s> my",
            "NUM day",
            "day </s>",
            "[LAW]",
        ] {
            assert!(texts.iter().any(|x| x == t), "{t}: {texts:?}");
        }
    }

    #[test]
    fn training_is_deterministic_and_order_free() {
        let items = parse_lines(TRAINING[0]);
        let forward = TacticModel::train(items.iter().map(|(t, k)| (t.as_str(), k.as_slice())));
        let backward =
            TacticModel::train(items.iter().rev().map(|(t, k)| (t.as_str(), k.as_slice())));
        assert_eq!(forward, backward);
        let line = "I'll see you in court.";
        assert_eq!(forward.log_odds(line), backward.log_odds(line));
    }

    #[test]
    fn the_builtin_model_reads_paraphrases_and_leaves_plain_lines() {
        let model = TacticModel::builtin();
        let kinds = |t: &str| model.read(t).iter().map(|f| f.kind).collect::<Vec<_>>();
        assert!(kinds("I'll be seeing you in court, pal.").contains(&TacticKind::Threat));
        assert!(kinds("I already paid this last month.").contains(&TacticKind::Cheating));
        for plain in [
            "Could we do 45 days? I get paid on the 15th.",
            "Thank you, I'd like to sort this out.",
            "OK, 30 days works. Deal.",
        ] {
            assert!(kinds(plain).is_empty(), "{plain}: {:?}", model.read(plain));
        }
        let found = model.read("See you in court.");
        assert!(
            found
                .iter()
                .all(|f| f.features.len() <= 3 && f.probability > 0.5)
        );
    }

    #[test]
    fn empty_and_huge_lines_are_read() {
        let model = TacticModel::builtin();
        assert!(model.log_odds("").iter().all(|z| z.is_finite()));
        let huge = "you will regret this ".repeat(20_000);
        assert!(model.log_odds(&huge).iter().all(|z| z.is_finite()));
        assert!(words(&huge).len() <= MAX_WORDS);
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*") {
            let model = TacticModel::builtin();
            prop_assert!(model.log_odds(&text).iter().all(|z| z.is_finite()));
            prop_assert!(model.read(&text).len() <= 4);
        }
    }
}
