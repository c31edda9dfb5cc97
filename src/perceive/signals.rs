//! How the debtor stands in the haggling: a number called final, words of leaving, no hurry,
//! stalling.
//!
//! These are not tactics (nothing to resist) but what the offer pacing and the tone learning
//! need to read the debtor in front of them: a final number or words of leaving mean the debtor
//! may be gone after this exchange, so the agent meets it now or offers its limit; a debtor in
//! no hurry (complacent) or putting the decision off (stalling) is a type of its own, whose tone
//! the agent learns apart.
//!
//! Matching is on the lower-cased text with apostrophes dropped ("that's" reads "thats"), on
//! word boundaries; a phrase right after "not" or "no" in the same clause does not count ("this
//! is not my final offer"). Input beyond [`super::tactics::MAX_INPUT`] bytes is not read.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::tactics::MAX_INPUT;

/// What the debtor's words say about where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StanceSignals {
    /// Its number is final: "my final offer", "take it or leave it", "that's as low as I go".
    pub final_word: bool,
    /// It is leaving: "I'm done", "goodbye", "forget it", "I'm hanging up".
    pub leaving: bool,
    /// It is in no hurry: "no rush", "whenever", "what's the rush", "plenty of time".
    pub no_hurry: bool,
    /// It puts the decision off: "let me think about it", "call me next week", "not now".
    pub stalling: bool,
}

fn phrases(list: &[&str]) -> Regex {
    let alternatives: Vec<String> = list.iter().map(|p| p.replace(' ', r"\s+")).collect();
    Regex::new(&format!(r"\b(?:{})\b", alternatives.join("|"))).expect("valid phrase regex")
}

static FINAL: LazyLock<Regex> = LazyLock::new(|| {
    phrases(&[
        "final offer",
        "final answer",
        "my final (?:offer|answer|number|word|figure|price)",
        "thats final",
        "final number",
        "last offer",
        "my last (?:offer|answer|number|word|figure|price)",
        "last word",
        "all i can do",
        "all i can manage",
        "take it or leave it",
        "non negotiable",
        "nonnegotiable",
        "not negotiable",
        "bottom line",
        "my limit",
        "absolute limit",
        "absolute max",
        "absolute maximum",
        "as low as i (?:can|will) go",
        "as far as i (?:can|will) go",
        "cant go (?:any )?(?:lower|further|down|below)",
        "cannot go (?:any )?(?:lower|further|down|below)",
        "wont go (?:any )?(?:lower|further|down|below)",
        "not going (?:any )?(?:lower|further)",
        "not (?:a|one) day (?:less|sooner|earlier)",
        "cant do (?:any )?(?:better|less|sooner|faster)",
        "cannot do (?:any )?(?:better|less|sooner|faster)",
        "thats it",
        "thats all",
        "end of (?:the )?(?:story|discussion|haggling|conversation|negotiation)",
        "no lower",
        "no less",
        "or nothing",
        "or else",
        "last chance",
        "or forget it",
        "or i walk",
        "or im gone",
        "or were done",
        "your call",
        "your choice",
        "those are your options",
        "best i can (?:promise|manage|give|afford|offer|do)",
        "most i can (?:promise|manage|give|afford|offer|do)",
        "(?:thats|is) (?:all|the most|as much as) i (?:can|have)",
        "last time im (?:saying|asking|offering)",
        "not (?:a|one) (?:single )?day (?:less|more|sooner|earlier)",
        // Standing on the number: it will not move from it.
        "(?:im |i am )?not (?:moving|budging|shifting|changing) (?:on|from|an inch|it|that|this)",
        "(?:im |i am )?not (?:moving|budging|shifting)",
        "(?:wont|will not|cant|cannot|not going to|not gonna) budge",
        "(?:wont|will not|not going to|not gonna) (?:move|shift|change) (?:on|from|it|that|this|my)",
        "(?:stick|sticking|stay|staying|stand|standing|holding) (?:with|at|by|to|on) (?:\\d+|it|that|this|my|the same)",
        "(?:thats|is|its) (?:where|what) i (?:stand|stay|land|stop)",
        "(?:the|my) only (?:number|offer|amount|figure|option)",
        "nothing (?:more|less|else|lower|sooner|better)",
        "no more than",
        "(?:thats|is|its) (?:my|the) (?:max|maximum|minimum|bottom|floor|ceiling|cap)",
        "im not repeating myself",
        "(?:for|one) (?:the )?last time",
        "thats (?:the end|that)",
        "(?:thats|its|im|i am|is|number is|offer is) firm",
        "(?:i have|ive got|i got) nothing (?:more|left|else)",
        "(?:cant|cannot|wont) (?:stretch|go|do) (?:it |that )?(?:any )?(?:further|more|lower|better|beyond)",
        "(?:or|otherwise) (?:ill|i will|im|i am|we are|were|you can|you get|no deal)",
        "like it or not",
        "deal or no deal",
    ])
});

static LEAVING: LazyLock<Regex> = LazyLock::new(|| {
    phrases(&[
        "im done",
        "i am done",
        "were done",
        "we are done",
        "done talking",
        "done here",
        "done with this",
        "done with you",
        "goodbye",
        "good bye",
        "bye",
        "hang(?:ing)? up",
        "im out",
        "forget it",
        "forget this",
        "waste of (?:my )?time",
        "wasting my time",
        "im leaving",
        "walk(?:ing)? away",
        "end(?:ing)? this call",
        "had enough",
        "ive had it",
        "dont call (?:me )?again",
        "lose my number",
        "talk to you never",
        "not (?:talking|speaking) to you any ?more",
        "this conversation is over",
        "were finished",
    ])
});

static NO_HURRY: LazyLock<Regex> = LazyLock::new(|| {
    phrases(&[
        "no rush",
        "no hurry",
        "in no hurry",
        "not in a hurry",
        "no need to rush",
        "whats the rush",
        "whats the hurry",
        "why the rush",
        "why the hurry",
        "plenty of time",
        "all the time in the world",
        "no big deal",
        "not a big deal",
        "no biggie",
        "not urgent",
        "no stress",
        "relax",
        "chill",
        "take it easy",
        "easy does it",
        "itll get paid",
        "it will get paid",
        "youll get (?:it|your money)",
        "eventually",
        "sooner or later",
        "one of these days",
        "whenever",
        "no pressure",
        "theres time",
        "in my own time",
        "in good time",
        "in due course",
        "take my time",
        "no point rushing",
        "no need to hurry",
        "(?:dont|not) stress",
        "no worries",
        "its all good",
        "play it by ear",
        "get (?:a)?round to it",
        "long deadline",
        "no panic",
        "dont panic",
        "lets not rush",
        "why rush",
        "dont worry(?: your head)?(?: about it)?",
        "no drama",
        "nice and slow",
        "easy peasy",
        "whatevers easiest",
        "give or take",
        "comes and goes",
        "not an issue",
        "life is too short",
        "lifes too short",
        "comfy",
        "laid back",
        "no hassle",
    ])
});

static STALLING: LazyLock<Regex> = LazyLock::new(|| {
    phrases(&[
        "let me think",
        "think (?:it )?over",
        "think about it",
        "sleep on it",
        "get back to you",
        "call (?:me )?back",
        "call (?:me )?(?:again )?(?:next|later|another|tomorrow)",
        "next week",
        "next month",
        "another time",
        "not now",
        "not today",
        "not right now",
        "later",
        "some other time",
        "need to check",
        "have to check",
        "need to look",
        "look at my (?:budget|finances|accounts)",
        "not sure yet",
        "havent decided",
        "well see",
        "i dont know yet",
        "hold off",
        "put (?:it|this) off",
        "cant decide",
        "cant commit",
        "wont commit",
        "not ready to",
        "another day",
        "call you back",
        "before i (?:say|decide|commit|promise)",
        "on the spot",
        "good and ready",
        "have a think",
        "not deciding",
        "talk it over",
        "ask my \\w+",
        "talk to my \\w+",
        "when i deal with it",
        "(?:send|put) (?:it|me|the details|that) (?:in writing|by email)",
    ])
});

static NEGATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:not|no|isnt|wasnt|never)\s+(?:\w+\s+){0,2}$").unwrap());

/// Reads the stance signals of one utterance.
pub fn read_signals(text: &str) -> StanceSignals {
    let mut end = MAX_INPUT.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let norm: String = text[..end]
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\'' && *c != '’')
        .map(|c| if c == '-' { ' ' } else { c })
        .collect();
    let found = |re: &Regex| {
        re.find_iter(&norm).any(|m| {
            // The clause before the phrase: a negation right before it cancels it.
            let before = &norm[..m.start()];
            let clause = before
                .rsplit([',', '.', ';', '!', '?'])
                .next()
                .unwrap_or("");
            !NEGATED.is_match(clause) || m.as_str().starts_with("no ")
        })
    };
    StanceSignals {
        final_word: found(&FINAL),
        leaving: found(&LEAVING),
        no_hurry: found(&NO_HURRY),
        stalling: found(&STALLING),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_number_is_read_and_a_negated_one_is_not() {
        assert!(read_signals("40 days, and that's my final offer.").final_word);
        assert!(read_signals("Take it or leave it: 60 days.").final_word);
        assert!(read_signals("I can't go any lower than 45.").final_word);
        assert!(!read_signals("This is not my final offer, but 50 days?").final_word);
        assert!(!read_signals("Could we do 50 days?").final_word);
        assert!(!read_signals("I'm still waiting on my final pay. Please, 140 days.").final_word);
    }

    #[test]
    fn standing_on_a_number_is_final_without_the_word() {
        for line in [
            "Write this down: 30 days. I'm not repeating myself and I'm not moving.",
            "I'll stick with 21 days, it's the only number I'm sure I can keep.",
            "45 days, I won't budge on that.",
            "You can take 40 days or you can take me to court.",
            "60 days, and that's that.",
            "I have nothing left to give. 50 days.",
        ] {
            assert!(read_signals(line).final_word, "{line}");
        }
        for line in [
            "I'm moving house next week, could we say 60 days?",
            "I'll stay on the line, but 50 days would help.",
            "Would 40 or 45 days work for you?",
            "We can talk about it, 55 days maybe?",
        ] {
            assert!(!read_signals(line).final_word, "{line}");
        }
    }

    #[test]
    fn leaving_no_hurry_and_stalling_are_told_apart() {
        let s = read_signals("Forget it, I'm done with this. Goodbye.");
        assert!(s.leaving && !s.no_hurry && !s.stalling);
        let s = read_signals("No rush on my side, honestly. Let's say 60 days.");
        assert!(s.no_hurry && !s.leaving);
        let s = read_signals("Let me think about it and call me back next week.");
        assert!(s.stalling && !s.final_word);
        assert_eq!(read_signals(""), StanceSignals::default());
    }

    #[test]
    fn long_input_is_cut_on_a_character_boundary() {
        let text = "é".repeat(MAX_INPUT) + " goodbye";
        assert!(!read_signals(&text).leaving);
    }
}
