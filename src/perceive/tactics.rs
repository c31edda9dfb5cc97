//! Negotiation tactics of the debtor, with evidence.
//!
//! Each utterance is normalised once (lower case, apostrophes dropped so "won't" reads "wont",
//! clause punctuation kept as `|`) and matched against a few phrase sets compiled once
//! ([`LazyLock`]); a match preceded closely by a negator in the same clause ("I'm not going to sue")
//! does not count. Evidence is the matched phrase in that normalised form.
//!
//! What counts, and why:
//! - Threat: legal action ("I'll sue", "talk to my lawyer", "my lawyer will contact you", "see you
//!   in court"; a lawyer's advice to pay is not a threat), complaints ("report you to
//!   the CFPB", "file a complaint", "post this online", "bad review"), violence ("you'll regret
//!   this", "watch your back").
//! - PlayingVictim: hardship used as leverage, not hardship itself. It fires on blame and guilt
//!   aimed at the creditor ("you're ruining my life", "because of you", "how can you sleep at
//!   night", "it's your fault", "you want my kids to starve"), or on catastrophic hardship piled up
//!   with absolutes (a catastrophe word such as "starve", "homeless", "lose everything" together with
//!   at least three of "everything/nothing/never/completely/absolutely/..."). Sincere hardship ("I
//!   lost my job, I'm struggling", "I'm scared I'll lose my house") is left to the emotion reader
//!   (Sadness/Fear), which makes the agent concede faster, not slower. Talk of self-harm is never
//!   read as a tactic: it is a safety matter, not leverage.
//! - Cheating: (a) a claim that the debt was paid ("I already paid", "I paid it", "I already
//!   paid the balance", "the check is in the mail"): the debt is outstanding by construction, so
//!   the claim is unverified; a payment to someone else ("I already paid the electricity
//!   company", "my rent") is not such a claim; (b) a claim that
//!   contradicts the debtor's own earlier one: no income then income ("I'm unemployed" ... "my
//!   salary", "business is booming") or the reverse, and denying the debt ("I never received the
//!   bill", "not my debt") after acknowledging it ("I owe", any proposal of days); a first-time denial
//!   is a dispute, which debtors may raise, and is not flagged; (c) reneging: asking for more than 5
//!   days above the debtor's own lowest earlier offer ("earlier offered 30 days, now 60 days"), and
//!   "I never said/agreed to that" after an earlier offer or acceptance. Each turn that still
//!   reneges is reported again, since the debtor has not walked it back.
//!   Only the debtor's own proposals count as offers ([`OfferReading::offer_days`]): a number
//!   quoted back, negated or naming another event ("I start a new job in 3 weeks") is not one.
//! - Stonewalling: refusal to engage ("no comment", "leave me alone", "stop calling", "I have
//!   nothing to say", "I don't care", a clause that is just "whatever"), and utterances with no
//!   words at all ("", "...") or only fillers ("hmm", "meh"). Reported on every such turn.
//!
//! At most one [`Tactic`] per kind per utterance; its evidence lists up to three triggers joined by
//! "; ". Input beyond [`MAX_INPUT`] bytes is not read, so time per call is bounded.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::offer::OfferReading;

/// Bytes of an utterance that are read; the rest is ignored (bounds time on pathological input).
pub const MAX_INPUT: usize = 32 * 1024;

/// Days above the debtor's own lowest offer that count as reneging.
pub const RENEGE_MARGIN_DAYS: u32 = 5;

/// Longest stored evidence phrase (history stays compact).
const MAX_FACT_LEN: usize = 60;

/// A kind of manipulation or obstruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TacticKind {
    /// Legal action, complaints, violence or public shaming threatened.
    Threat,
    /// Exaggerated hardship used as leverage.
    PlayingVictim,
    /// Contradicting earlier claims or offers, or claiming payments that were not made.
    Cheating,
    /// Refusing to engage.
    Stonewalling,
}

impl TacticKind {
    /// The tactic's name as serialised: threat, playing_victim, cheating, stonewalling.
    pub fn name(self) -> &'static str {
        match self {
            TacticKind::Threat => "threat",
            TacticKind::PlayingVictim => "playing_victim",
            TacticKind::Cheating => "cheating",
            TacticKind::Stonewalling => "stonewalling",
        }
    }
}

/// One detected tactic and the words that triggered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tactic {
    /// What kind of tactic.
    pub kind: TacticKind,
    /// The words of the utterance (or of the earlier one it contradicts) that triggered it.
    pub evidence: String,
}

/// Detects tactics in a debtor's successive utterances; remembers earlier claims and offers.
///
/// Memory is bounded: only a few short facts are kept (the lowest offer, whether the debtor
/// accepted, and the first phrase of each kind of claim), never whole utterances. It serialises
/// as part of a negotiation snapshot, so a resumed negotiation remembers the same claims.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct TacticDetector {
    turns: usize,
    lowest_offer: Option<u32>,
    accepted_before: bool,
    no_income: Option<String>,
    has_income: Option<String>,
    acknowledged: Option<String>,
}

fn re(pattern: &str) -> Regex {
    // Patterns are constants checked by the tests; a failure here is a programming error.
    Regex::new(&format!(r"\b(?:{pattern})\b")).expect("valid tactic pattern")
}

static THREAT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:ill|i will|im going to|im gonna|gonna|going to|i am going to|will) (?:sue|report you|call my lawyer|get a lawyer|call the police)",
        r"|sue (?:you|your|this|the|them)|suing|lawsuit|lawyer up",
        // A lawyer is a threat only when set on the creditor ("talk to my lawyer", "my lawyer
        // will contact you"), not when the debtor reports advice ("my attorney advised me to set
        // up a payment plan").
        r"|(?:talk|talking|speak|speaking|talk directly|go|going) to my (?:lawyer|attorney|solicitor|legal team)",
        r"|(?:hear|hearing) from my (?:lawyer|attorney|solicitor|legal team)",
        r"|(?:call|calling|contact|contacting|get|getting|hire|hiring|involve|involving|bring in|bringing in|sic) (?:my|a) (?:lawyer|attorney|solicitor|legal team)",
        r"|my (?:lawyer|attorney|solicitor|legal team)(?: (?:will|is going to|is gonna|would|can|shall))? (?:sue|contact you|call you|be in touch|be contacting|be calling|deal with you|handle this|hear about|take (?:you|this|it)|go after|come after|get you|destroy|bury|is looking into|is reviewing|says you|said you|thinks you)",
        r"|see you in court|take (?:you|this|it|your company|this company) to court",
        r"|legal action|press charges|class action",
        r"|report (?:you|your company|this company|this)",
        r"|(?:file|filing|lodge|lodging|make|making) an? (?:formal |official )?complaint",
        r"|complain(?:ing)? to the \w+",
        r"|the (?:regulator|bbb|cfpb|ftc|ombudsman|better business bureau|attorney general|fca)",
        r"|(?:post|posting|put|putting|write|writing|share|sharing) (?:this |it |about (?:this|you) |everything )?(?:online|on (?:social media|twitter|facebook|reddit|tiktok|youtube|the internet))",
        r"|(?:bad|negative|terrible|one star|1 star) reviews?",
        r"|go to the (?:media|press|news|papers)|tell everyone",
        r"|(?:youll|you will|youre going to|you are going to) (?:regret|be sorry|pay for this)",
        r"|watch your back|watch yourself|i know where you (?:live|work)",
        r"|(?:hurt|kill|beat up|come after) you"
    ))
});

/// Blame and guilt aimed at the creditor: leverage on its own.
static VICTIM_BLAME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:ruining|ruin|ruined|destroying|destroy|destroyed|wrecking) (?:my|our) (?:life|lives|family|marriage|future)",
        r"|how (?:can|could|do) you (?:sleep at night|live with yourself|look at yourself|do this to)",
        r"|(?:its|it is|this is|thats|that is) (?:all )?your fault",
        r"|blood (?:is )?on your hands|on your conscience|because of you|thanks to you",
        r"|you (?:dont|do not) (?:even )?care (?:about (?:me|us|people|my)|if|whether)",
        r"|heartless|inhuman|have you no (?:heart|shame|soul)|shame on you",
        r"|you want (?:me|my kids|my children|my family|us) to (?:starve|be homeless|suffer|live on the street)",
        r"|(?:youre|you are) (?:killing|destroying|ruining|starving) (?:me|us|my (?:life|lives|family|kids|children|future))",
        r"|(?:kids|children|family) will starve"
    ))
});

/// Catastrophic hardship words (leverage only when piled up with absolutes).
static CATASTROPHE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"starve|starving|homeless|on the streets?|lose everything|lost everything",
        r"|life is over|life is ruined|ruined|destroyed|nothing left|cant even eat"
    ))
});

static ABSOLUTE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"everything|nothing|never|always|completely|totally|absolutely|entire|entirely",
        r"|worst|forever|no one|nobody|every single"
    ))
});

/// Payment claims. A claim that ends in its verb ("already paid", "it's been paid") is about this
/// debt only when what follows is (see [`claims_this_debt`]).
static PAYMENT_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:already|just) (?:paid|sent|transferred|wired|mailed)",
        r"|(?:i|we|ive|weve|i have|we have|i had) (?:already )?paid (?:it in full|it off|it all|in full|off|it|this|that|you|the bill|the balance|the debt|the loan|everything|all|last (?:week|month)|yesterday)",
        r"|paid (?:it )?(?:in full|off)",
        r"|(?:i|we|ive|weve|i have) sent (?:the money|the payment|a check|a cheque|you the money|the funds|it)",
        r"|(?:check|cheque|payment|money) is (?:in the (?:mail|post)|on (?:its|the) way)",
        r"|(?:i|ive|we) made the payment|payment (?:went|has gone) through",
        r"|(?:its|it is|its been|it has been|this has been|this was|that was) (?:already )?paid"
    ))
});

static NO_INCOME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:no|zero) (?:income|job|salary|paycheck|money coming in)|unemployed|out of work",
        r"|lost my job|laid off|got fired|been fired",
        r"|(?:dont|do not) have (?:a job|any income|an income|a salary)|(?:im|i am) not working"
    ))
});

static HAS_INCOME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"my (?:salary|paycheck|pay check|wages|bonus|raise|commission)",
        r"|(?:just )?got paid|payday|got a raise|business is (?:booming|good|great|going well)",
        r"|i earn|my income is|(?:just )?bought (?:a |an )?(?:new )?(?:car|house|tv|phone|iphone|boat)",
        r"|(?:on|going on|back from) (?:vacation|holiday)"
    ))
});

static ACKNOWLEDGE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i (?:know i )?owe|my (?:debt|balance|loan|bill)|i borrowed",
        r"|i missed (?:a|my|the) payments?|(?:im|i am|i fell) behind",
        r"|(?:ill|i will|i can|i want to) pay (?:you|it|this|the)|pay (?:you|it) back"
    ))
});

static DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"never (?:received|got|saw) (?:the|a|any|your) (?:bill|invoice|statement|letter|notice)",
        r"|(?:i dont|i do not|i never) owe|i never owed|i never borrowed|not my (?:debt|loan|bill|account)",
        r"|never signed|never took out"
    ))
});

static NEVER_SAID: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i never (?:said|agreed|offered|promised|proposed)",
        r"|i (?:didnt|did not) (?:say|agree|offer|promise)|thats not what i said"
    ))
});

static STONEWALL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"no comment|(?:im|i am) not (?:going to |gonna )?(?:discuss|discussing|talk|talking)",
        r"|(?:wont|will not) discuss|(?:i )?(?:dont|do not) want to (?:talk|discuss)",
        r"|leave me alone|(?:i )?(?:dont|do not) care|stop (?:calling|contacting|texting|emailing|bothering)",
        r"|(?:dont|do not) call|go away|nothing (?:more )?to say|not interested",
        r"|(?:im|i am) done talking|(?:im|i am) hanging up|none of your business",
        r"|do (?:whatever|what) you want"
    ))
});

/// Words that, shortly before a phrase in the same clause, cancel it.
fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "never"
            | "wont"
            | "dont"
            | "doesnt"
            | "didnt"
            | "cant"
            | "cannot"
            | "wouldnt"
            | "havent"
            | "hasnt"
            | "isnt"
            | "no"
            | "without"
            | "afford"
    )
}

/// Whether the words after a payment verb (`rest`, normalised) make it a payment of this debt:
/// nothing ("I already paid."), "it/this/that/you/everything/in full/off/last week/online/by
/// card ...", "the bill/balance/debt/loan/money/full amount ...", "my debt/balance/loan/account
/// ...", or anything of "your" ("your company"). A payment to someone else ("the electricity
/// company", "my rent", "for groceries") is not.
fn claims_this_debt(rest: &str) -> bool {
    let mut words = rest.split(' ').filter(|w| !w.is_empty());
    let (first, second) = (words.next(), words.next());
    match first {
        None | Some("|") => true,
        Some(
            "it" | "this" | "that" | "you" | "yall" | "everything" | "all" | "in" | "off" | "last"
            | "yesterday" | "today" | "earlier" | "already" | "back" | "twice" | "online" | "via"
            | "by" | "through" | "using" | "with" | "on" | "your" | "u",
        ) => true,
        Some("the") => matches!(
            second,
            Some(
                "bill"
                    | "balance"
                    | "debt"
                    | "loan"
                    | "invoice"
                    | "amount"
                    | "full"
                    | "money"
                    | "whole"
                    | "outstanding"
                    | "total"
                    | "account"
                    | "fees"
                    | "fee"
                    | "payment"
                    | "installment"
                    | "funds"
                    | "check"
                    | "cheque"
            )
        ),
        Some("my") => matches!(
            second,
            Some("debt" | "balance" | "loan" | "account" | "installment" | "payment" | "dues")
        ),
        _ => false,
    }
}

/// Lower case, apostrophes dropped, clause punctuation as " | ", everything else a single space.
fn normalize(text: &str) -> String {
    let mut end = text.len().min(MAX_INPUT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    let mut prev_alpha = false;
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
            prev_alpha = true;
        } else if matches!(c, '\'' | '’' | '‘')
            && prev_alpha
            && chars.peek().is_some_and(|n| n.is_alphabetic())
        {
            // "won't" -> "wont"
        } else {
            prev_alpha = false;
            if matches!(c, '.' | ',' | ';' | '!' | '?' | ':' | '\n') {
                if !out.is_empty() && !out.ends_with('|') {
                    out.push_str(" |");
                }
                pending_space = true;
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// True when one of the three words before byte `start` (same clause) is a negator.
fn negated_before(norm: &str, start: usize, extra: &[&str]) -> bool {
    norm[..start]
        .split(' ')
        .rev()
        .filter(|w| !w.is_empty())
        .take(3)
        .take_while(|w| *w != "|")
        .any(|w| is_negator(w) || extra.contains(&w))
}

/// The first few matches of `re` in `norm` not negated just before; at most `max`.
fn hits<'a>(re: &Regex, norm: &'a str, extra_negators: &[&str], max: usize) -> Vec<&'a str> {
    re.find_iter(norm)
        .filter(|m| !negated_before(norm, m.start(), extra_negators))
        .take(max)
        .map(|m| m.as_str())
        .collect()
}

fn first_hit(re: &Regex, norm: &str, extra_negators: &[&str]) -> Option<String> {
    hits(re, norm, extra_negators, 1)
        .first()
        .map(|s| s.chars().take(MAX_FACT_LEN).collect())
}

fn join(parts: &[String]) -> String {
    parts.join("; ")
}

impl TacticDetector {
    /// A detector with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many utterances were observed.
    pub fn turns(&self) -> usize {
        self.turns
    }

    /// The lowest number of days the debtor has offered so far (not negated).
    pub fn lowest_offer(&self) -> Option<u32> {
        self.lowest_offer
    }

    /// Tactics in the next utterance, given what the offer reader found in it.
    pub fn observe(&mut self, text: &str, offer: &OfferReading) -> Vec<Tactic> {
        self.turns = self.turns.saturating_add(1);
        let norm = normalize(text);
        let mut found = Vec::new();

        if let Some(ev) = self.stonewalling(&norm) {
            found.push(Tactic {
                kind: TacticKind::Stonewalling,
                evidence: ev,
            });
        }
        if norm.is_empty() {
            return found;
        }

        let threats = hits(&THREAT, &norm, &[], 3);
        if !threats.is_empty() {
            found.push(Tactic {
                kind: TacticKind::Threat,
                evidence: threats.join("; "),
            });
        }

        if let Some(ev) = Self::playing_victim(&norm) {
            found.push(Tactic {
                kind: TacticKind::PlayingVictim,
                evidence: ev,
            });
        }

        let cheating = self.cheating(&norm, offer);
        if !cheating.is_empty() {
            found.push(Tactic {
                kind: TacticKind::Cheating,
                evidence: join(&cheating),
            });
        }
        found
    }

    fn stonewalling(&self, norm: &str) -> Option<String> {
        let words: Vec<&str> = norm
            .split(' ')
            .filter(|w| !w.is_empty() && *w != "|")
            .take(8)
            .collect();
        if words.is_empty() {
            return Some("(no words)".to_string());
        }
        let filler = |w: &str| {
            matches!(
                w,
                "whatever"
                    | "meh"
                    | "hmm"
                    | "hm"
                    | "hmmm"
                    | "mhm"
                    | "uh"
                    | "um"
                    | "er"
                    | "pass"
                    | "k"
                    | "eh"
                    | "ugh"
            )
        };
        if words.len() <= 3 && words.iter().all(|w| filler(w)) {
            return Some(words.join(" "));
        }
        let mut ev: Vec<String> = Vec::new();
        for m in STONEWALL.find_iter(norm).take(8) {
            let s = m.as_str();
            if negated_before(norm, m.start(), &[]) && !s.starts_with("not") {
                continue;
            }
            let rest = norm[m.end()..].trim_start();
            let next: Vec<&str> = rest.split(' ').take(2).collect();
            // "I don't care about the fees, ..." and "not interested in fighting" still engage.
            if s.ends_with("care")
                && next.first() == Some(&"about")
                && !matches!(
                    next.get(1).copied(),
                    Some("this" | "that" | "it" | "you" | "your" | "any" | "anything" | "what")
                )
            {
                continue;
            }
            if s == "not interested" && !matches!(next.first().copied(), None | Some("|" | "in")) {
                continue;
            }
            if s == "not interested"
                && next.first() == Some(&"in")
                && !matches!(
                    next.get(1).copied(),
                    Some("talking" | "this" | "discussing" | "your" | "you" | "paying" | "any")
                )
            {
                continue;
            }
            ev.push(s.to_string());
            if ev.len() == 3 {
                break;
            }
        }
        // "Whatever." as a clause of its own is a shrug, but "whatever you need" is not.
        if ev.len() < 3
            && norm
                .split('|')
                .any(|clause| clause.trim() == "whatever" || clause.trim() == "whatever man")
        {
            ev.push("whatever".to_string());
        }
        (!ev.is_empty()).then(|| join(&ev))
    }

    fn playing_victim(norm: &str) -> Option<String> {
        let blame = hits(&VICTIM_BLAME, norm, &[], 3);
        if !blame.is_empty() {
            return Some(blame.join("; "));
        }
        let catastrophe = hits(&CATASTROPHE, norm, &[], 1);
        if let Some(c) = catastrophe.first() {
            let absolutes: Vec<&str> = ABSOLUTE
                .find_iter(norm)
                .take(8)
                .map(|m| m.as_str())
                .collect();
            if absolutes.len() >= 3 {
                return Some(format!("{c} + {}", absolutes.join(", ")));
            }
        }
        None
    }

    fn cheating(&mut self, norm: &str, offer: &OfferReading) -> Vec<String> {
        let mut ev = Vec::new();
        // (a) Payment claims: the debt is outstanding, so a claim of payment is unverified.
        for m in PAYMENT_CLAIM.find_iter(norm).take(8) {
            if negated_before(norm, m.start(), &[]) {
                continue;
            }
            // "I already paid my rent / the electricity company": a payment to someone else.
            let claim = m.as_str();
            let ends_in_verb = ["paid", "sent", "transferred", "wired", "mailed"]
                .iter()
                .any(|v| claim.ends_with(v));
            if ends_in_verb && !claims_this_debt(&norm[m.end()..]) {
                continue;
            }
            ev.push(m.as_str().to_string());
            break;
        }

        // (b) Contradictions with the debtor's own earlier claims.
        let no_income = first_hit(&NO_INCOME, norm, &[]);
        let has_income = first_hit(&HAS_INCOME, norm, &["lost", "lose", "cut", "no"]);
        if let (Some(now), Some(before)) = (&has_income, &self.no_income)
            && no_income.is_none()
        {
            ev.push(format!("earlier '{before}', now '{now}'"));
        }
        if let (Some(now), Some(before)) = (&no_income, &self.has_income)
            && has_income.is_none()
        {
            ev.push(format!("earlier '{before}', now '{now}'"));
        }
        let denial = first_hit(&DENIAL, norm, &[]);
        if let (Some(now), Some(before)) = (&denial, &self.acknowledged) {
            ev.push(format!("earlier '{before}', now '{now}'"));
        }

        // (c) Reneging on their own earlier offer.
        let current = offer.offer_days();
        if let (Some(now), Some(low)) = (current, self.lowest_offer)
            && now > low.saturating_add(RENEGE_MARGIN_DAYS)
        {
            ev.push(format!("earlier offered {low} days, now {now} days"));
        }
        if let Some(said) = first_hit(&NEVER_SAID, norm, &[]) {
            if let Some(low) = self.lowest_offer {
                ev.push(format!("'{said}' after offering {low} days"));
            } else if self.accepted_before {
                ev.push(format!("'{said}' after accepting"));
            }
        }

        // Remember compact facts for later turns (first claim of each kind).
        if self.no_income.is_none() {
            self.no_income = no_income;
        }
        if self.has_income.is_none() {
            self.has_income = has_income;
        }
        if self.acknowledged.is_none() && denial.is_none() {
            self.acknowledged = first_hit(&ACKNOWLEDGE, norm, &[])
                .or_else(|| current.map(|d| format!("offered {d} days")));
        }
        if let Some(now) = current {
            self.lowest_offer = Some(self.lowest_offer.map_or(now, |l| l.min(now)));
        }
        self.accepted_before |= offer.accepts;
        ev.truncate(3);
        ev
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perceive::offer::read_offer;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
    }

    fn observe(d: &mut TacticDetector, text: &str) -> Vec<Tactic> {
        d.observe(text, &read_offer(text, today()))
    }

    fn one(text: &str) -> Vec<Tactic> {
        observe(&mut TacticDetector::new(), text)
    }

    fn evidence(found: &[Tactic], kind: TacticKind) -> Option<String> {
        found
            .iter()
            .find(|t| t.kind == kind)
            .map(|t| t.evidence.clone())
    }

    #[track_caller]
    fn fires(text: &str, kind: TacticKind, ev: &str) {
        let found = one(text);
        let got = evidence(&found, kind);
        assert!(
            got.as_deref().is_some_and(|e| e.contains(ev)),
            "{text:?}: expected {kind:?} with evidence containing {ev:?}, got {found:?}"
        );
    }

    #[track_caller]
    fn quiet(text: &str) {
        let found = one(text);
        assert!(
            found.is_empty(),
            "{text:?}: expected no tactic, got {found:?}"
        );
    }

    #[test]
    fn threats() {
        use TacticKind::Threat;
        fires("I'll sue you!", Threat, "ill sue");
        fires("Talk to my lawyer.", Threat, "my lawyer");
        fires("See you in court.", Threat, "see you in court");
        fires("I'm going to report you to the CFPB", Threat, "report you");
        fires(
            "I will file a complaint with the regulator",
            Threat,
            "file a complaint",
        );
        fires(
            "I'll post this online for everyone to see",
            Threat,
            "post this online",
        );
        fires("Expect a bad review", Threat, "bad review");
        fires("You'll regret this.", Threat, "youll regret");
        fires("Watch your back.", Threat, "watch your back");
    }

    #[test]
    fn negated_or_harmless_threat_words_do_not_fire() {
        quiet("I'm not going to sue you, I just want a fair plan.");
        quiet("I can't afford a lawyer.");
        quiet("I won't report you, I promise.");
        quiet("I'll get you the money by Friday.");
    }

    #[test]
    fn playing_victim() {
        use TacticKind::PlayingVictim;
        fires("You're ruining my life!", PlayingVictim, "ruining my life");
        fires(
            "My kids will starve because of you",
            PlayingVictim,
            "because of you",
        );
        fires(
            "How can you sleep at night?",
            PlayingVictim,
            "how can you sleep at night",
        );
        fires(
            "I'll lose everything and it's your fault",
            PlayingVictim,
            "its your fault",
        );
        fires(
            "I have absolutely nothing, everything is completely destroyed",
            PlayingVictim,
            "destroyed",
        );
    }

    #[test]
    fn sincere_hardship_is_not_playing_victim() {
        quiet("I lost my job, I'm struggling.");
        quiet("I'm scared I'll lose my house. Can we do 60 days?");
        quiet("My wife is sick and money is tight, I need more time.");
        quiet("I have nothing left after rent this month.");
    }

    #[test]
    fn payment_claims_are_cheating() {
        use TacticKind::Cheating;
        fires("I already paid!", Cheating, "already paid");
        fires("I sent the money last week", Cheating, "i sent the money");
        fires(
            "The check is in the mail.",
            Cheating,
            "check is in the mail",
        );
        fires("I paid it in full", Cheating, "paid it in full");
        quiet("I haven't paid yet, sorry.");
        quiet("I already paid my rent, so I'm short this month.");
    }

    #[test]
    fn contradicting_income_claims_are_cheating() {
        let mut d = TacticDetector::new();
        assert!(observe(&mut d, "I'm unemployed, I have no income.").is_empty());
        assert!(observe(&mut d, "I need more time.").is_empty());
        let found = observe(&mut d, "I'll pay once my salary comes in.");
        let ev = evidence(&found, TacticKind::Cheating).expect("cheating");
        assert!(
            ev.contains("unemployed") && ev.contains("my salary"),
            "{ev}"
        );

        let mut d = TacticDetector::new();
        observe(&mut d, "Business is booming, but cash is tied up.");
        let found = observe(&mut d, "I lost my job.");
        assert!(
            evidence(&found, TacticKind::Cheating).is_some(),
            "{found:?}"
        );
    }

    #[test]
    fn denying_an_acknowledged_debt_is_cheating_but_a_first_dispute_is_not() {
        let mut d = TacticDetector::new();
        observe(&mut d, "I know I owe you, I just need time.");
        let found = observe(&mut d, "I never received the bill.");
        let ev = evidence(&found, TacticKind::Cheating).expect("cheating");
        assert!(
            ev.contains("i know i owe") && ev.contains("never received the bill"),
            "{ev}"
        );
        quiet("I never received the bill.");
    }

    #[test]
    fn reneging_on_an_offer_is_cheating() {
        let mut d = TacticDetector::new();
        assert!(observe(&mut d, "I can do 30 days.").is_empty());
        assert!(observe(&mut d, "Maybe 33 days then.").is_empty());
        let found = observe(&mut d, "Actually I need 60 days.");
        let ev = evidence(&found, TacticKind::Cheating).expect("cheating");
        assert!(ev.contains("earlier offered 30 days, now 60 days"), "{ev}");
        let found = observe(&mut d, "I never said that.");
        let ev = evidence(&found, TacticKind::Cheating).expect("cheating");
        assert!(
            ev.contains("i never said") && ev.contains("30 days"),
            "{ev}"
        );
        // Negated numbers are not offers: "not 10 days, 45 days" after 45 is no reneging.
        let mut d = TacticDetector::new();
        observe(&mut d, "45 days works for me.");
        assert!(observe(&mut d, "Not 10 days, 45 days.").is_empty());
        // Moving toward the creditor is ordinary bargaining.
        let mut d = TacticDetector::new();
        observe(&mut d, "I need 90 days.");
        assert!(observe(&mut d, "OK, 60 days.").is_empty());
    }

    #[test]
    fn a_lawyers_advice_to_pay_is_not_a_threat() {
        quiet("My attorney advised me to set up a payment plan");
        quiet("My lawyer said I should ask for 60 days.");
        use TacticKind::Threat;
        fires("Talk to my lawyer.", Threat, "to my lawyer");
        fires(
            "My lawyer will contact you.",
            Threat,
            "my lawyer will contact you",
        );
        fires("I'm getting a lawyer.", Threat, "getting a lawyer");
        fires(
            "You'll hear from my attorney.",
            Threat,
            "hear from my attorney",
        );
    }

    #[test]
    fn paying_someone_else_is_not_a_payment_claim() {
        quiet("I already paid the electricity company");
        quiet("I just paid the landlord, so money is tight.");
        quiet("I already sent money to my mother");
        use TacticKind::Cheating;
        fires("I already paid the balance.", Cheating, "already paid");
        fires("I already paid you last week", Cheating, "already paid");
        fires("I just paid it.", Cheating, "just paid");
        fires("I already paid the bill", Cheating, "paid the bill");
        fires("It's been paid.", Cheating, "paid");
    }

    #[test]
    fn only_proposals_are_remembered_as_offers() {
        let mut d = TacticDetector::new();
        assert!(observe(&mut d, "I start a new job in 3 weeks.").is_empty());
        assert_eq!(d.lowest_offer(), None);
        assert!(observe(&mut d, "I need 60 days.").is_empty());
        assert_eq!(d.lowest_offer(), Some(60));
        // Quoting the creditor's number is not an offer either.
        let mut d = TacticDetector::new();
        observe(&mut d, "You said 14 days? My paycheck comes in 12 days.");
        assert_eq!(d.lowest_offer(), None);
        assert!(observe(&mut d, "I need 60 days").is_empty());
    }

    #[test]
    fn stonewalling() {
        use TacticKind::Stonewalling;
        fires("No comment.", Stonewalling, "no comment");
        fires("I'm not discussing this.", Stonewalling, "not discussing");
        fires("Leave me alone.", Stonewalling, "leave me alone");
        fires("Whatever.", Stonewalling, "whatever");
        fires("I don't care.", Stonewalling, "dont care");
        fires("Stop calling me!", Stonewalling, "stop calling");
        fires("", Stonewalling, "no words");
        fires("...", Stonewalling, "no words");
        fires("I have nothing to say.", Stonewalling, "nothing to say");
        quiet("Whatever you need, I'll make it work. 30 days is fine.");
        quiet("I don't care about the fees, I just want a plan.");
        quiet("Can we talk about a plan?");
    }

    #[test]
    fn repeated_stonewalling_is_reported_each_turn() {
        let mut d = TacticDetector::new();
        for text in ["...", "No comment.", "...", "Whatever."] {
            let found = observe(&mut d, text);
            assert!(
                evidence(&found, TacticKind::Stonewalling).is_some(),
                "{text:?}"
            );
        }
        assert_eq!(d.turns(), 4);
    }

    #[test]
    fn cooperative_utterances_are_quiet() {
        for text in [
            "Thank you, I'd like to sort this out.",
            "Could we do 45 days? I get paid on the 15th.",
            "OK, 30 days works. Deal.",
            "I understand, I'll pay $200 a month.",
            "Sorry for the delay, my hours were cut.",
            "I agree, let's do that.",
        ] {
            let mut d = TacticDetector::new();
            let found = observe(&mut d, text);
            assert!(found.is_empty(), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn huge_input_is_bounded() {
        let mut d = TacticDetector::new();
        let text = "I'll sue you, I already paid, leave me alone, because of you. ".repeat(2_000);
        let found = observe(&mut d, &text);
        assert_eq!(found.len(), 4);
        assert!(found.iter().all(|t| t.evidence.len() < 300));
    }

    proptest! {
        #[test]
        fn never_panics(texts in proptest::collection::vec("\\PC*", 0..6)) {
            let mut d = TacticDetector::new();
            for t in &texts {
                let found = observe(&mut d, t);
                prop_assert!(found.len() <= 4);
            }
        }

        #[test]
        fn never_panics_on_phrases(words in proptest::collection::vec(
            prop::sample::select(vec![
                "i", "ill", "sue", "you", "30", "days", "not", "paid", "already", "no", "income",
                "my", "salary", "never", "said", "that", "...", "whatever", "because", "of",
                "lawyer", ",", "owe", "bill", "received", "60",
            ]),
            0..30,
        )) {
            let mut d = TacticDetector::new();
            let text = words.join(" ");
            observe(&mut d, &text);
            observe(&mut d, &text);
        }
    }
}
