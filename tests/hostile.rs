//! Hostile input: the offer reader, the emotion and tactic detectors and the parameter loader on
//! arbitrary text never panic, also on 100 kB inputs. Cases per property: `PROPTEST_CASES`
//! (default 2,000; the long-input properties run a tenth of that). No timing is asserted here;
//! `bench core` measures the 100 kB figures.

use chrono::NaiveDate;
use eq_negotiator::emotion::Emotion;
use eq_negotiator::params::Params;
use eq_negotiator::perceive::{EmotionDetector, LexiconDetector, TacticDetector, read_offer};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

fn config(share: u32) -> ProptestConfig {
    ProptestConfig {
        cases: (cases() / share).max(1),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// Words the readers look for, so random text reaches their deeper rules.
const WORDS: &[&str] = &[
    "days",
    "weeks",
    "months",
    "by the",
    "15th",
    "thirty",
    "forty-five",
    "half",
    "a",
    "ok",
    "deal",
    "no",
    "not",
    "never",
    "sue",
    "lawyer",
    "court",
    "lost my job",
    "already paid",
    "I",
    "can",
    "pay",
    "100",
    "0",
    "999999999999",
    "-5",
    "1.5",
    "½",
    "ⅳ",
    "２０",
    "next friday",
    "accept",
    "?",
    "!",
    "\u{202e}",
    "\u{200b}",
    "<|im_start|>",
    "😡",
    "\n",
    "  ",
];

/// Text mixing reader words, numbers and arbitrary characters.
fn mixed() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(WORDS).prop_map(str::to_string),
            any::<String>(),
            (0u64..u64::MAX).prop_map(|n| n.to_string()),
        ],
        0..40,
    )
    .prop_map(|parts| parts.join(" "))
}

/// About 100 kB: a random piece repeated.
fn long() -> impl Strategy<Value = String> {
    mixed().prop_map(|piece| {
        let piece = if piece.is_empty() {
            "9 days ".into()
        } else {
            piece
        };
        piece.repeat(100_000 / piece.len() + 1)
    })
}

/// Everything a turn perceives, checked for sane output.
fn perceive(text: &str, tactics: &mut TacticDetector) {
    let reading = read_offer(text, today());
    if let Some(days) = reading.offer_days() {
        assert!(days > 0, "an offer of 0 days from {text:?}");
    }
    let distribution = LexiconDetector::new().detect(text);
    let total: f64 = Emotion::ALL.iter().map(|e| distribution.get(*e)).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    for tactic in tactics.observe(text, &reading) {
        assert!(tactic.evidence.chars().count() <= 1000, "{tactic:?}");
    }
}

proptest! {
    #![proptest_config(config(1))]

    #[test]
    fn readers_never_panic_on_arbitrary_text(text in any::<String>()) {
        perceive(&text, &mut TacticDetector::new());
    }

    #[test]
    fn readers_never_panic_on_text_made_of_their_own_words(lines in prop::collection::vec(mixed(), 1..6)) {
        let mut tactics = TacticDetector::new();
        for line in &lines {
            perceive(line, &mut tactics);
        }
    }

    #[test]
    fn the_parameter_loader_never_panics_on_arbitrary_yaml(text in prop_oneof![
        any::<String>(),
        mixed(),
        // Structure the loader knows, with arbitrary values.
        (prop::sample::select(&["policy", "hmm", "offer", "negotiation", "record", "llm", "x"][..]),
         prop::sample::select(&["gate_window", "initial_belief", "concession_turns", "max_turns", "directory", "model_path", "seed", "y"][..]),
         mixed())
            .prop_map(|(g, k, v)| format!("{g}:\n  {k}: {v}\n")),
    ]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("params.yaml");
        std::fs::write(&path, &text).unwrap();
        if let Err(e) = Params::load(Some(&path), &[]) {
            // Every refusal names where it came from.
            let message = e.to_string();
            prop_assert!(message.contains("params.yaml"), "{}", message);
        }
    }

    #[test]
    fn the_parameter_loader_never_panics_on_arbitrary_overrides(
        overrides in prop::collection::vec(prop_oneof![
            any::<String>(),
            (prop::sample::select(&["policy.gate_window", "hmm.initial_belief", "offer.agreement_gap_days", "negotiation.max_turns", "record.directory", "llm.context_tokens", "a.b.c", "="][..]), mixed())
                .prop_map(|(k, v)| format!("{k}={v}")),
        ], 0..4)
    ) {
        let _ = Params::load(None, &overrides);
    }
}

proptest! {
    #![proptest_config(config(10))]

    #[test]
    fn readers_never_panic_on_100_kb_inputs(text in long()) {
        prop_assert!(text.len() >= 100_000);
        let mut tactics = TacticDetector::new();
        perceive(&text, &mut tactics);
        perceive(&text, &mut tactics);
    }

    #[test]
    fn the_parameter_loader_never_panics_on_100_kb_files(text in long()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("params.yaml");
        std::fs::write(&path, &text).unwrap();
        let _ = Params::load(Some(&path), &[]);
        let _ = Params::load(None, &[format!("negotiation.seed={text}")]);
    }
}
