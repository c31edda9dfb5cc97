//! Reading repayment offers (in days), money amounts, acceptance and rejection from text.
//!
//! A hand-written tokenizer and a small recursive-descent reader, no regex: a typical sentence takes
//! about a microsecond, and every step is bounded (at most [`MAX_TOKENS`] tokens are read, look-ahead
//! and look-behind windows are a few tokens), so any input, however long or strange, is read in linear
//! time without panicking.
//!
//! Decisions for ambiguous phrasings (the table test in this file pins each of them):
//! - units: week = 7 days, fortnight = 14, month = 30, year = 365; "1.5 months" = 45, "half a month"
//!   = 15, "a month and a half" = 45; "business/working days" are converted to calendar days
//!   (x 7/5, rounded up: 10 business days = 14 days) because the agreement compares calendar days;
//! - vague quantities: "a couple of" = 2, "a few" = 3 ("a few weeks" = 21); "several" is not read;
//!   "a day"/"one day" alone are not read (idiom: "one day I will pay"), "in/within a day" is 1;
//! - calendar phrases count days from `today`: "tomorrow" = 1; "next week" = 7; "next month" = the
//!   same day next month (clamped to the month's end, so 28-31 days); "next year" likewise;
//!   "(next|by|on) Friday" = the coming Friday strictly after today (1-7 days; "next Friday" is not
//!   read as the Friday after); "end of the week" = the coming Friday (0 if today is Friday);
//!   "end of the month", "end of next month", "end of March", "end of the year" = that last day;
//!   "by the 15th" = the next 15th on or after today; "by March 3rd", "3 March" = the next such date
//!   on or after today (a day the month lacks is clamped to its last day; an explicit past year is
//!   ignored); "by March" = the 1st of March; "start of next month" = its 1st; "today" is not read;
//! - ranges ("30 to 45 days", "30-45 days", "between 30 and 45 days", "30 or 40 days", "a week or
//!   two") give `days` = upper end and `low` = lower end;
//! - past references are not offers: "3 weeks ago", "30 days late/overdue", "the last 2 months";
//! - negation: a negator shortly before the mention in the same clause ("not", "can't", "no way",
//!   "impossible to", ...) or a rejection shortly after it ("30 days is impossible", "... is too
//!   short", "30 days? No way") marks it `negated`. A comparator cancels the negation because the
//!   number is then a bound the speaker insists on ("I can't do less than 60 days", "no more than 30
//!   days"), and so does a conditional ("if I can't get 60 days ...");
//! - money is never days: currency signs, "dollars/bucks/euros/...", "15k", "5 grand", grouped
//!   digits ("1,500"), bare numbers of 1000 or more (except years), a number followed by a rate ("300
//!   a month", "200 per week", "100 every two weeks": the rate's unit is not a day mention), and a
//!   bare number after a payment verb ("I can pay 300") all go to `amounts`;
//! - a bare number (no unit) counts as days only after an offer cue ("how about 40", "what about",
//!   "make it 40", "let's say 40", "I can do 40", "I offer 40", "give me 40", "go with 40"), or after
//!   "not/than/or/instead of" when the same text also has a mention with a unit ("30 days, not 40");
//!   it must be a whole number from 1 to 365;
//! - everything saturates at [`MAX_DAYS`] (10 years); less than one day ("0 days", "0.0000001
//!   months", "half a day", the end of the week on a Friday) is not read; a number with a minus
//!   sign glued to it ("-5 days", but not "30-45 days") or in scientific notation ("1e9 months")
//!   is not a number of days or money; an impossible date ("December 32nd") is not read;
//! - bounds: "not before/earlier than/sooner than/until N" means at least N, so the mention is not
//!   negated ("I can't pay until next month" offers next month);
//! - acceptance: "deal", "it's a deal", "you've got a deal", "I agree", "I accept", "that works",
//!   "sounds good", "let's do that", "I can live with that", "that's fine", and a short utterance that
//!   opens with "yes/ok/sure/fine/..." (at most four words, so "Ok, I lost my job" is not one). A cue
//!   inside a question ("Deal?", "Is 30 days ok?") does not count. The last cue in the text wins
//!   ("No... ok, deal" accepts). "60 days works" after a negated mention ("I can't do 30 days, but 60
//!   days works") is a counter-offer, not an acceptance. "agree/accept" followed by a statement
//!   ("I agree this is unfair", "I accept that I owe money") is not acceptance; "ok deal"
//!   accepts. An opener followed by a plain commitment to a proposed number accepts ("Ok, I can
//!   do 31 days."), unless there is a contrast, condition, negation or question. Consumers should
//!   still check that [`OfferReading::offer_days`], when present, is the number they proposed;
//! - rejection (`rejects`): a negated cue ("I don't accept", "I can't agree to that", "that doesn't
//!   work"), "no deal", "no way", a "no/nope/nah" that answers (leading, after an opener as in
//!   "yeah no" or "ok no", or ending a clause; not "no problem" or "I have no money"), "forget
//!   it", "not happening", "unacceptable", "impossible", "out of the question", "I refuse", and
//!   disbelief even as a question ("are you kidding me?", "you can't be serious").
//!
//! Proposals ([`DayMention::proposal`]): every number of days is a mention, but only some are the
//! speaker's own proposal, and [`OfferReading::offer_days`] returns only those. Decided per
//! mention from a window of a dozen tokens inside its clause, in this order:
//! 1. a question about the number is not a proposal: "why 14 days?", "how come", "what happens
//!    if ..." ("why not 30 days?" is one);
//! 2. after "if/unless/suppose/whether" it is a proposal only as a request ("if you give me 60
//!    days", "if I can't get 60 days I'm done") or an unnegated commitment ("if I pay in 30
//!    days"); "if I had 18 days", "if I can't pay in 14 days" are not;
//! 3. someone else's or a past number is not: "you said/gave/offered/want/mean 14 days", "they
//!    told me", "I was told 14 days", "your 14 days", "your offer of 14 days", "the 14 days you
//!    offered", "last time", "previously", "originally" ("can you offer 30 days?" is a request,
//!    so it is one);
//! 4. otherwise the nearest cue before the number decides: payment and offer words propose it
//!    (pay, settle, manage, need, want, like, afford, accept, agree, give me, can/could do, could
//!    I have, can I get, I'll take, make it, how/what about, let's say, go with, extension ...);
//!    an event verb does not ("my paycheck comes in 12 days", "I start a new job in 3 weeks", "my
//!    salary arrives", "I get paid on the 15th", "is due");
//! 5. a clause that is just the number, with fillers ("60 days.", "Fine, 16 days, deal", "maybe
//!    60?", "not before 60 days") proposes it, unless the sentence is a question met with
//!    disbelief ("16 days? Are you kidding me?", "14 days, really?", "you mean 14 days?");
//! 6. otherwise what follows decides: "30 days works/is fine/would be better", "... is the best
//!    I can do", "100 days to pay this" propose it; in a question, "you" first means it is the
//!    other side's ("is 14 days the best you can do?");
//! 7. otherwise a deadline word before it ("within", "by", "until") proposes it; anything else
//!    is not a proposal. Missing a proposal only delays a deal by a turn; taking a quoted number
//!    as one can close a deal the debtor never made, so doubt reads as "not a proposal".

use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Serialize;

/// The largest number of days a mention can carry (10 years); larger numbers saturate here.
pub const MAX_DAYS: u32 = 3650;

/// At most this many tokens of a text are read (a minute of speech is about 150 words), which bounds
/// the time and memory spent on pathological input.
pub const MAX_TOKENS: usize = 4096;

/// One number of days mentioned in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayMention {
    /// The number of days from `today` (a range gives its upper end; see `low`).
    pub days: u32,
    /// Lower end when the text gave a range ("30 to 45 days"), else equal to `days`.
    pub low: u32,
    /// True when the text rejects this number ("not 30 days").
    pub negated: bool,
    /// True when the speaker puts this number forward as their own repayment timeline ("I can pay
    /// in 30 days", "how about 30 days?", "30 days."), false when it is someone else's number
    /// ("you said 14 days"), a past or hypothetical one ("last time", "if I had 18 days"), a
    /// question about it ("why 14 days?") or the time of some other event ("my paycheck comes
    /// in 12 days"). The rules are in the module documentation.
    pub proposal: bool,
}

/// What a sentence says about the repayment timeline.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OfferReading {
    /// Every mention of a number of days, in text order.
    pub mentions: Vec<DayMention>,
    /// Amounts of money mentioned ("$500", "300 dollars"): never days.
    pub amounts: Vec<f64>,
    /// The speaker accepts a proposal ("deal", "ok, 30 days works", "I agree").
    pub accepts: bool,
    /// The speaker turns a proposal down ("no deal", "I can't agree to that", "that doesn't work");
    /// never true together with `accepts` (the last cue in the text wins).
    pub rejects: bool,
}

impl OfferReading {
    /// The speaker's offer: the last number of days that is a proposal and is not negated.
    pub fn offer_days(&self) -> Option<u32> {
        self.mentions
            .iter()
            .rev()
            .find(|m| m.proposal && !m.negated)
            .map(|m| m.days)
    }

    /// The numbers of days the speaker rejected ("not 30 days"), in text order.
    pub fn rejected_days(&self) -> impl Iterator<Item = u32> + '_ {
        self.mentions.iter().filter(|m| m.negated).map(|m| m.days)
    }
}

/// Reads the day counts, money amounts and acceptance in `text`; dates are counted from `today`.
pub fn read_offer(text: &str, today: NaiveDate) -> OfferReading {
    let toks = Tokens::new(text);
    Reader {
        t: &toks,
        today,
        mentions: Vec::new(),
        bares: Vec::new(),
        amounts: Vec::new(),
    }
    .run()
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

/// A number written with digits.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Num {
    value: f64,
    /// "15th", "3rd".
    ordinal: bool,
    /// "15k" (already multiplied).
    k: bool,
    /// "1,500".
    grouped: bool,
    /// No decimal part.
    int: bool,
    /// Count of integer digits (saturating), to recognise years.
    digits: u8,
    /// A minus sign glued in front ("-5"): never a number of days or money.
    neg: bool,
    /// Scientific notation ("1e9", "2.5E-3"): never read as days or money.
    sci: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// Lower-cased word without apostrophes ("can't" -> "cant"), as a range of `Tokens::buf`.
    Word(u32, u32),
    Num(Num),
    /// A currency sign: $ € £ ¥.
    Cur,
    /// A hyphen or dash ("30-45", "forty-five").
    Dash,
    /// A slash ("200/week").
    Per,
    /// Punctuation that ends a clause; the ASCII character.
    Break(u8),
}

struct Tokens {
    buf: String,
    toks: Vec<Tok>,
}

impl Tokens {
    fn new(text: &str) -> Self {
        let mut buf = String::with_capacity(text.len().min(4 * MAX_TOKENS));
        let mut toks = Vec::with_capacity(32);
        let bytes = text.as_bytes();
        let mut p = 0;
        let mut minus = false;
        while p < bytes.len() && toks.len() < MAX_TOKENS {
            let b = bytes[p];
            if b.is_ascii_digit() {
                p = lex_number(text, p, &mut toks, minus);
                minus = false;
                continue;
            }
            // Safe: p is always on a char boundary (we advance by whole chars).
            let c = text[p..].chars().next().unwrap_or(' ');
            if c.is_alphabetic() {
                p = lex_word(text, p, &mut buf, &mut toks);
                continue;
            }
            match c {
                '$' | '€' | '£' | '¥' => toks.push(Tok::Cur),
                // A minus sign: a dash glued to a following digit and not to a preceding letter
                // or digit ("-5 days", but "30-45 days" and "a 60-day plan" keep their dash).
                '-' | '–' | '−'
                    if bytes.get(p + c.len_utf8()).is_some_and(u8::is_ascii_digit)
                        && !text[..p]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric) =>
                {
                    minus = true;
                }
                '-' | '–' | '—' => toks.push(Tok::Dash),
                '/' => toks.push(Tok::Per),
                '&' => push_word(&mut buf, &mut toks, "and"),
                '.' | ',' | ';' | '!' | '?' | ':' | '(' | ')' | '\n' | '%' => {
                    toks.push(Tok::Break(c as u8))
                }
                _ => {}
            }
            p += c.len_utf8();
        }
        Tokens { buf, toks }
    }

    fn len(&self) -> usize {
        self.toks.len()
    }

    fn get(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied()
    }

    /// The word at `i`, or "" when `i` is not a word (or out of range).
    fn w(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(Tok::Word(s, e)) => &self.buf[*s as usize..*e as usize],
            _ => "",
        }
    }

    /// The word before `i` (`back` = 1 is the previous token), "" at the start.
    fn wb(&self, i: usize, back: usize) -> &str {
        i.checked_sub(back).map_or("", |j| self.w(j))
    }

    fn num(&self, i: usize) -> Option<Num> {
        match self.toks.get(i) {
            Some(Tok::Num(n)) => Some(*n),
            _ => None,
        }
    }

    fn is(&self, i: usize, tok: Tok) -> bool {
        self.toks.get(i) == Some(&tok)
    }

    /// True when `i` ends a clause: punctuation, or a word that starts a new clause.
    fn is_break(&self, i: usize) -> bool {
        match self.toks.get(i) {
            Some(Tok::Break(_)) => true,
            Some(Tok::Word(..)) => match self.w(i) {
                "but" | "however" | "though" | "although" | "instead" | "so" | "because"
                | "since" | "whereas" | "otherwise" => true,
                // "... and I want 60": a new subject starts a new clause.
                "and" => matches!(
                    self.w(i + 1),
                    "i" | "we" | "you" | "they" | "he" | "she" | "it" | "that" | "this"
                ),
                _ => false,
            },
            _ => false,
        }
    }
}

fn push_word(buf: &mut String, toks: &mut Vec<Tok>, w: &str) {
    let s = buf.len() as u32;
    buf.push_str(w);
    toks.push(Tok::Word(s, buf.len() as u32));
}

fn lex_word(text: &str, mut p: usize, buf: &mut String, toks: &mut Vec<Tok>) -> usize {
    let start = buf.len() as u32;
    let mut chars = text[p..].chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphabetic() {
            buf.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | '‘') && chars.peek().is_some_and(|n| n.is_alphabetic())
        {
            // Apostrophes are dropped so that "can't", "can’t" and "cant" read alike.
        } else {
            break;
        }
        p += c.len_utf8();
        // Keep a single word bounded too (a 100 kB run of letters).
        if buf.len() - start as usize > 64 {
            // Skip the rest of the run without storing it.
            for c in chars.by_ref() {
                if !c.is_alphabetic() {
                    break;
                }
                p += c.len_utf8();
            }
            break;
        }
    }
    toks.push(Tok::Word(start, buf.len() as u32));
    p
}

fn lex_number(text: &str, mut p: usize, toks: &mut Vec<Tok>, neg: bool) -> usize {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    let mut value = 0.0f64;
    let mut digits: u8 = 0;
    let mut grouped = false;
    while digit(p) {
        value = (value * 10.0 + f64::from(b[p] - b'0')).min(1e18);
        digits = digits.saturating_add(1);
        p += 1;
        // "1,500": a comma followed by exactly three digits groups thousands.
        if b.get(p) == Some(&b',') && digit(p + 1) && digit(p + 2) && digit(p + 3) && !digit(p + 4)
        {
            grouped = true;
            p += 1;
        }
    }
    let mut int = true;
    if b.get(p) == Some(&b'.') && digit(p + 1) {
        int = false;
        p += 1;
        let mut scale = 0.1;
        while digit(p) {
            value += f64::from(b[p] - b'0') * scale;
            scale *= 0.1;
            p += 1;
        }
    }
    // Scientific notation: "1e9", "1E+9", "2.5e-3" (the exponent is consumed, the value unused).
    let mut sci = false;
    if matches!(b.get(p), Some(b'e' | b'E'))
        && (digit(p + 1) || matches!(b.get(p + 1), Some(b'+' | b'-')) && digit(p + 2))
    {
        sci = true;
        p += 2;
        while digit(p) {
            p += 1;
        }
    }
    // Letters glued to the number: ordinal suffix, "k", or a unit ("30days").
    let mut q = p;
    while b.get(q).is_some_and(|c| c.is_ascii_alphabetic()) && q - p < 16 {
        q += 1;
    }
    let suffix = text[p..q].to_ascii_lowercase();
    let mut num = Num {
        value,
        ordinal: false,
        k: false,
        grouped,
        int,
        digits,
        neg,
        sci,
    };
    match suffix.as_str() {
        _ if sci => {}
        "st" | "nd" | "rd" | "th" if int => {
            num.ordinal = true;
            p = q;
        }
        "k" => {
            num.k = true;
            num.value *= 1000.0;
            p = q;
        }
        _ => {}
    }
    toks.push(Tok::Num(num));
    // Any other glued letters are lexed as the next word ("30days").
    p
}

// ---------------------------------------------------------------------------------------------
// Word tables

#[derive(Clone, Copy, PartialEq)]
enum NumWord {
    Ones(u32),
    Teen(u32),
    Tens(u32),
}

fn number_word(w: &str) -> Option<NumWord> {
    use NumWord::*;
    Some(match w {
        "zero" => Ones(0),
        "one" => Ones(1),
        "two" => Ones(2),
        "three" => Ones(3),
        "four" => Ones(4),
        "five" => Ones(5),
        "six" => Ones(6),
        "seven" => Ones(7),
        "eight" => Ones(8),
        "nine" => Ones(9),
        "ten" => Teen(10),
        "eleven" => Teen(11),
        "twelve" => Teen(12),
        "thirteen" => Teen(13),
        "fourteen" => Teen(14),
        "fifteen" => Teen(15),
        "sixteen" => Teen(16),
        "seventeen" => Teen(17),
        "eighteen" => Teen(18),
        "nineteen" => Teen(19),
        "twenty" => Tens(20),
        "thirty" => Tens(30),
        "forty" | "fourty" => Tens(40),
        "fifty" => Tens(50),
        "sixty" => Tens(60),
        "seventy" => Tens(70),
        "eighty" => Tens(80),
        "ninety" => Tens(90),
        _ => return None,
    })
}

fn ordinal_word(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
        _ => return None,
    })
}

/// Days per unit word.
fn unit_word(w: &str) -> Option<f64> {
    Some(match w {
        "day" | "days" | "d" => 1.0,
        "week" | "weeks" | "wk" | "wks" => 7.0,
        "fortnight" | "fortnights" => 14.0,
        "month" | "months" | "mo" | "mos" | "mth" | "mths" => 30.0,
        "year" | "years" | "yr" | "yrs" => 365.0,
        _ => return None,
    })
}

fn month_word(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday_word(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Money words after a number, with their multiplier.
fn money_word(w: &str) -> Option<f64> {
    Some(match w {
        "dollar" | "dollars" | "bucks" | "buck" | "usd" | "euro" | "euros" | "eur" | "pound"
        | "pounds" | "gbp" | "quid" | "cad" | "aud" => 1.0,
        "cents" | "cent" | "pence" => 0.01,
        "grand" => 1000.0,
        "million" => 1e6,
        _ => return None,
    })
}

fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "never"
            | "cant"
            | "cannot"
            | "couldnt"
            | "wont"
            | "dont"
            | "doesnt"
            | "didnt"
            | "isnt"
            | "arent"
            | "wasnt"
            | "wouldnt"
            | "shouldnt"
            | "aint"
            | "unable"
            | "impossible"
            | "refuse"
            | "nor"
            | "neither"
            | "nowhere"
    )
}

fn is_comparator(w: &str) -> bool {
    matches!(
        w,
        "than"
            | "less"
            | "fewer"
            | "more"
            | "longer"
            | "shorter"
            | "sooner"
            | "earlier"
            | "under"
            | "over"
            | "beyond"
            | "below"
            | "above"
            | "least"
            | "most"
            | "max"
            | "maximum"
            | "min"
            | "minimum"
            // "not before 60 days", "can't pay until the 15th": a lower bound, not a refusal.
            | "before"
            | "prior"
            | "until"
            | "till"
            | "til"
    )
}

/// Whole days, rounded; less than one day (or NaN) is 0, which is never pushed as a mention.
fn clamp_days(d: f64) -> u32 {
    if d.is_nan() || d < 1.0 {
        0
    } else if d >= f64::from(MAX_DAYS) {
        MAX_DAYS
    } else {
        d.round() as u32
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar helpers

fn last_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// The date y-m-d, with a day the month lacks clamped to its last day.
fn clamped_date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    let last = last_of_month(y, m)?;
    NaiveDate::from_ymd_opt(y, m, d.min(last.day()))
}

fn days_until(today: NaiveDate, date: NaiveDate) -> Option<u32> {
    let d = date.signed_duration_since(today).num_days();
    (d >= 0).then(|| d.min(i64::from(MAX_DAYS)) as u32)
}

// ---------------------------------------------------------------------------------------------
// Reader

/// Tokens looked at on each side of a mention when deciding whether it is a proposal.
const CLAUSE_WINDOW: usize = 12;

/// What a word before a mention says about it.
#[derive(Clone, Copy, PartialEq)]
enum Cue {
    /// A payment or offer verb: the speaker proposes the number.
    Propose,
    /// Some other event happens then ("my paycheck comes in 12 days").
    Event,
    /// A deadline word ("within", "by"): a proposal unless something stronger says otherwise.
    Weak,
    None,
}

/// Verbs that attribute a number to whoever is their subject ("you said 14 days").
fn attribution_verb(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "say"
            | "says"
            | "saying"
            | "gave"
            | "given"
            | "give"
            | "offered"
            | "offer"
            | "offers"
            | "offering"
            | "told"
            | "tell"
            | "mentioned"
            | "quoted"
            | "proposed"
            | "suggested"
            | "wrote"
            | "written"
            | "asked"
            | "asking"
            | "want"
            | "wants"
            | "wanted"
            | "expect"
            | "expects"
            | "expected"
            | "expecting"
            | "mean"
            | "meant"
            | "demand"
            | "demanded"
            | "demanding"
            | "insist"
            | "insisted"
            | "promised"
            | "claimed"
            | "think"
            | "thought"
            | "sent"
            | "allowed"
            | "granted"
    )
}

/// `Some(true)` for the speaker ("I", "we"), `Some(false)` for anyone else who can state a number
/// ("you", "they", "the letter"), `None` otherwise.
fn other_subject(w: &str) -> Option<bool> {
    match w {
        "i" | "we" | "ive" | "weve" | "id" | "wed" | "ill" => Some(true),
        "you" | "youve" | "youd" | "youll" | "yall" | "u" | "they" | "theyve" | "theyd" | "he"
        | "she" | "hes" | "shes" | "someone" | "somebody" | "letter" | "bank" | "company"
        | "agent" | "collector" | "email" | "notice" | "it" | "lady" | "guy" => Some(false),
        _ => None,
    }
}

/// Nouns for an offer ("your offer of 14 days").
fn offer_noun(w: &str) -> bool {
    matches!(
        w,
        "offer" | "proposal" | "deadline" | "terms" | "plan" | "timeline" | "suggestion" | "demand"
    )
}

/// Words that open a reply ("ok", "yeah", "fine").
fn opener(w: &str) -> bool {
    matches!(
        w,
        "yes"
            | "yeah"
            | "yep"
            | "yup"
            | "ok"
            | "okay"
            | "sure"
            | "alright"
            | "fine"
            | "well"
            | "oh"
            | "hmm"
            | "um"
            | "uh"
    )
}

/// "last time", "previously", "originally", "back then" at `k`.
fn past_marker(t: &Tokens, k: usize) -> bool {
    match t.w(k) {
        "last" => matches!(t.w(k + 1), "time" | "call" | "week" | "month" | "year"),
        "previously" | "originally" | "formerly" => true,
        "back" => t.w(k + 1) == "then",
        _ => false,
    }
}

#[derive(Debug, Clone, Copy)]
struct Found {
    days: u32,
    low: u32,
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
struct Bare {
    value: f64,
    int: bool,
    year_like: bool,
    start: usize,
}

struct Reader<'a> {
    t: &'a Tokens,
    today: NaiveDate,
    mentions: Vec<Found>,
    bares: Vec<Bare>,
    amounts: Vec<f64>,
}

impl Reader<'_> {
    fn run(mut self) -> OfferReading {
        let n = self.t.len();
        let mut i = 0;
        while i < n {
            i = self.step(i).max(i + 1);
        }
        self.classify_bares();
        self.mentions.sort_by_key(|m| m.start);
        let mentions: Vec<DayMention> = self
            .mentions
            .iter()
            .map(|m| DayMention {
                days: m.days,
                low: m.low,
                negated: self.negated(m.start, m.end),
                proposal: self.proposal(m.start, m.end),
            })
            .collect();
        let (accepts, rejects) = self.acceptance(&mentions);
        OfferReading {
            mentions,
            amounts: self.amounts,
            accepts,
            rejects,
        }
    }

    fn push(&mut self, low: u32, days: u32, start: usize, end: usize) {
        let t = self.t;
        // Past references ("3 weeks ago", "30 days late", "the last 2 months") are not offers.
        if matches!(
            t.w(end),
            "ago" | "late" | "overdue" | "behind" | "old" | "earlier"
        ) || matches!(
            t.wb(start, 1),
            "last" | "past" | "previous" | "recent" | "every" | "each"
        ) {
            return;
        }
        // "I've been unemployed for 3 months": a duration in the past.
        if t.wb(start, 1) == "for"
            && (2..8).any(|b| matches!(t.wb(start, b), "been" | "had" | "was" | "were"))
        {
            return;
        }
        let (low, days) = if low > days { (days, low) } else { (low, days) };
        // Less than a day ("0 days", "0.0000001 months", "by the end of the week" on a Friday)
        // is no timeline at all.
        if days == 0 {
            return;
        }
        self.mentions.push(Found {
            days,
            low,
            start,
            end,
        });
    }

    /// Reads whatever starts at token `i`; returns the index after it (or `i` when nothing did).
    fn step(&mut self, i: usize) -> usize {
        let t = self.t;
        if t.is(i, Tok::Cur) {
            if let Some((v, j)) = self.number(i + 1) {
                let (v, j) = self.money_scale(v, j);
                self.amounts.push(v);
                return self.skip_rate(j);
            }
            return i + 1;
        }
        if t.w(i) == "between"
            && let Some(j) = self.quantity(i + 1, true)
        {
            return j;
        }
        if let Some(j) = self.calendar(i) {
            return j;
        }
        if let Some(j) = self.quantity(i, false) {
            return j;
        }
        i
    }

    /// A number (digits or words) starting at `i`: its value and the index after it.
    fn number(&self, i: usize) -> Option<(f64, usize)> {
        let t = self.t;
        if let Some(n) = t.num(i) {
            if n.ordinal || n.neg || n.sci {
                return None;
            }
            return Some(self.and_a_half(n.value, i + 1));
        }
        let mut j = i;
        let article = matches!(t.w(j), "a" | "an");
        if article {
            j += 1;
        }
        // "half a month".
        if !article
            && t.w(i) == "half"
            && matches!(t.w(i + 1), "a" | "an")
            && unit_word(t.w(i + 2)).is_some()
        {
            return Some((0.5, i + 2));
        }
        match t.w(j) {
            // "a week", "a month": one unit.
            w if article && unit_word(w).is_some() => return Some((1.0, j)),
            "couple" | "few" => {
                let v = if t.w(j) == "couple" { 2.0 } else { 3.0 };
                j += 1;
                if t.w(j) == "of" {
                    j += 1;
                }
                return Some((v, j));
            }
            "hundred" | "thousand" if article => {}
            _ if article => return None,
            _ => {}
        }
        // Word numbers: "forty-five", "a hundred and twenty", "two thousand".
        let mut total = 0.0f64;
        let mut cur = if article { 1.0 } else { 0.0 };
        let mut last: Option<NumWord> = None;
        let mut any = article;
        let mut end = j;
        let mut k = j;
        while k < t.len() && k < j + 12 {
            let w = t.w(k);
            match (number_word(w), last) {
                (Some(NumWord::Ones(v)), None | Some(NumWord::Tens(_))) => {
                    cur += f64::from(v);
                    last = Some(NumWord::Ones(v));
                }
                (Some(nw @ (NumWord::Teen(v) | NumWord::Tens(v))), None) => {
                    cur += f64::from(v);
                    last = Some(nw);
                }
                (Some(_), Some(_)) => break,
                (None, _) => match w {
                    "hundred" if cur > 0.0 => {
                        cur *= 100.0;
                        last = None;
                    }
                    "thousand" if cur > 0.0 || total == 0.0 => {
                        total += cur.max(1.0) * 1000.0;
                        cur = 0.0;
                        last = None;
                    }
                    // "a hundred and twenty": "and" only joins a following number word.
                    "and" if any && number_word(t.w(k + 1)).is_some() => {
                        k += 1;
                        continue;
                    }
                    // "forty-five": a dash only joins tens and ones.
                    "" if any
                        && t.is(k, Tok::Dash)
                        && matches!(last, Some(NumWord::Tens(_)))
                        && matches!(number_word(t.w(k + 1)), Some(NumWord::Ones(_))) =>
                    {
                        k += 1;
                        continue;
                    }
                    _ => break,
                },
            }
            any = true;
            k += 1;
            end = k;
        }
        if !any || end == i {
            return None;
        }
        Some(self.and_a_half(total + cur, end))
    }

    /// "two and a half": adds the half.
    fn and_a_half(&self, v: f64, j: usize) -> (f64, usize) {
        let t = self.t;
        if t.w(j) == "and" && t.w(j + 1) == "a" && t.w(j + 2) == "half" {
            (v + 0.5, j + 3)
        } else {
            (v, j)
        }
    }

    /// A unit (with optional adjectives) at `j`: days per unit, business flag, index after.
    fn unit(&self, mut j: usize) -> Option<(f64, bool, usize)> {
        let t = self.t;
        if t.is(j, Tok::Dash) {
            j += 1; // "a 30-day extension"
        }
        let mut business = false;
        for _ in 0..2 {
            match t.w(j) {
                "business" | "working" | "work" => business = true,
                "calendar" | "full" | "whole" | "more" | "extra" | "additional" | "straight"
                | "consecutive" => {}
                _ => break,
            }
            j += 1;
        }
        let mult = unit_word(t.w(j))?;
        Some((mult, business, j + 1))
    }

    fn to_days(v: f64, mult: f64, business: bool) -> u32 {
        let d = v * mult;
        if business {
            clamp_days((d * 7.0 / 5.0).ceil())
        } else {
            clamp_days(d)
        }
    }

    /// A quantity at `i`: "45 days", "30 to 45 days", "$500", "300 a month", "a week", a date
    /// written "3 March", or a bare number kept for later. `between` allows "30 and 45 days".
    fn quantity(&mut self, i: usize, between: bool) -> Option<usize> {
        let t = self.t;
        let (v, j) = self.number(i)?;
        let num = t.num(i);
        // A rate: "every 2 weeks", "per 30 days" is a frequency, not a deadline.
        let rate_before = matches!(
            t.wb(i, 1),
            "every" | "each" | "per" | "once" | "twice" | "thrice" | "times"
        ) || i > 0 && t.is(i - 1, Tok::Per);
        // Range: "30 to 45 days", "30-45 days", "30 or 40 days", "between 30 and 45 days".
        let connector = match t.get(j) {
            Some(Tok::Dash) => true,
            Some(Tok::Word(..)) => match t.w(j) {
                "to" | "or" | "till" => true,
                "and" => between,
                _ => false,
            },
            _ => false,
        };
        if connector
            && let Some((v2, j2)) = self.number(j + 1)
            && let Some((mult, business, j3)) = self.unit(j2)
        {
            if !rate_before {
                self.push(
                    Self::to_days(v, mult, business),
                    Self::to_days(v2, mult, business),
                    i,
                    j3,
                );
            }
            return Some(j3);
        }
        if let Some((mult, business, j2)) = self.unit(j) {
            // "a month and a half", "two weeks and a half".
            let (v, j2) = self.and_a_half(v, j2);
            // "one day" alone is an idiom ("one day I will pay"); digits and "in a day" count.
            let idiom = mult == 1.0
                && v == 1.0
                && num.is_none()
                && !matches!(t.wb(i, 1), "in" | "within")
                && t.w(j2) != "or";
            if !rate_before && !idiom {
                let days = Self::to_days(v, mult, business);
                // "a week or two", "a month or two".
                if t.w(j2) == "or"
                    && let Some((v2, j3)) = self.number(j2 + 1)
                    && self.unit(j3).is_none()
                {
                    let hi = Self::to_days(v2, mult, business);
                    self.push(days, hi, i, j3);
                    return Some(j3);
                }
                self.push(days, days, i, j2);
            }
            return Some(j2);
        }
        if between {
            return None;
        }
        // Article forms only make sense with a unit ("a couple of weeks").
        let is_digits = num.is_some();
        if !is_digits && v <= 3.0 && matches!(t.w(i), "a" | "an" | "couple" | "few" | "half") {
            return None;
        }
        // Money: "500 dollars", "500$", "5 grand".
        if let Some(m) = money_word(t.w(j)) {
            self.amounts.push(v * m);
            return Some(self.skip_rate(j + 1));
        }
        if t.is(j, Tok::Cur) {
            self.amounts.push(v);
            return Some(self.skip_rate(j + 1));
        }
        // A rate after a number makes it money: "300 a month", "200 per week", "100 every 2 weeks".
        let after_rate = self.skip_rate(j);
        if after_rate > j {
            self.amounts.push(v);
            return Some(after_rate);
        }
        // "3 March", "3 of March".
        if let Some(n) = num
            && n.int
            && (1.0..=31.0).contains(&v)
        {
            let mi = if t.w(j) == "of" { j + 1 } else { j };
            if let Some(m) = month_word(t.w(mi)) {
                return self.date(i, m, v as u32, mi + 1);
            }
        }
        if t.is(j, Tok::Break(b'%')) || t.w(j) == "percent" {
            return Some(j + 1);
        }
        let year_like = num.is_some_and(|n| n.int && n.digits == 4 && !n.grouped)
            && (1900.0..=2200.0).contains(&v);
        if num.is_some_and(|n| n.k || n.grouped) || v >= 1000.0 && !year_like {
            self.amounts.push(v);
            return Some(j);
        }
        self.bares.push(Bare {
            value: v,
            int: num.is_none_or(|n| n.int) && v.fract() == 0.0,
            year_like,
            start: i,
        });
        Some(j)
    }

    /// Skips a rate expression at `j` ("a month", "per week", "/week", "each month", "monthly",
    /// "every two weeks"); returns `j` when there is none.
    fn skip_rate(&self, j: usize) -> usize {
        let t = self.t;
        match t.w(j) {
            "weekly" | "monthly" | "daily" | "yearly" | "annually" | "biweekly" | "fortnightly" => {
                return j + 1;
            }
            "a" | "an" | "per" | "each" | "every" => {}
            "" if t.is(j, Tok::Per) => {}
            _ => return j,
        }
        if let Some((_, _, k)) = self.unit(j + 1) {
            return k;
        }
        if matches!(t.w(j), "every" | "per")
            && let Some((_, k)) = self.number(j + 1)
            && let Some((_, _, k2)) = self.unit(k)
        {
            return k2;
        }
        j
    }

    /// "15 grand", "$1.5k", "$2 million" after a currency sign.
    fn money_scale(&self, v: f64, j: usize) -> (f64, usize) {
        match money_word(self.t.w(j)) {
            Some(m) if m >= 1000.0 => (v * m, j + 1),
            Some(_) => (v, j + 1),
            None => (v, j),
        }
    }

    /// A date in month `m`, day `d`; `j` is just after the date words (a year may follow).
    fn date(&mut self, start: usize, m: u32, d: u32, mut j: usize) -> Option<usize> {
        let t = self.t;
        let mut year = None;
        let k = if t.is(j, Tok::Break(b',')) { j + 1 } else { j };
        if let Some(n) = t.num(k)
            && n.int
            && !n.neg
            && n.digits == 4
            && (1900.0..=2200.0).contains(&n.value)
        {
            year = Some(n.value as i32);
            j = k + 1;
        }
        let today = self.today;
        let days = match year {
            Some(y) => clamped_date(y, m, d).and_then(|date| days_until(today, date)),
            None => clamped_date(today.year(), m, d)
                .filter(|date| *date >= today)
                .or_else(|| clamped_date(today.year().checked_add(1)?, m, d))
                .and_then(|date| days_until(today, date)),
        };
        if let Some(days) = days {
            self.push(days, days, start, j);
        }
        Some(j)
    }

    /// The next day-of-month `d` on or after today (clamped in short months).
    fn day_of_month(&self, d: u32) -> Option<u32> {
        let today = self.today;
        for k in 0..2 {
            let first = today.with_day(1)?.checked_add_months(Months::new(k))?;
            let date = clamped_date(first.year(), first.month(), d)?;
            if date >= today {
                return days_until(today, date);
            }
        }
        None
    }

    fn weekday_days(&self, wd: Weekday) -> u32 {
        let from = self.today.weekday().num_days_from_monday();
        let to = wd.num_days_from_monday();
        match (to + 7 - from) % 7 {
            0 => 7,
            d => d,
        }
    }

    fn months_ahead_same_day(&self, months: u32) -> Option<u32> {
        let date = self.today.checked_add_months(Months::new(months))?;
        days_until(self.today, date)
    }

    fn end_of_month_ahead(&self, months: u32) -> Option<u32> {
        let first = self
            .today
            .with_day(1)?
            .checked_add_months(Months::new(months))?;
        days_until(self.today, last_of_month(first.year(), first.month())?)
    }

    /// Calendar phrases starting at `i`.
    fn calendar(&mut self, i: usize) -> Option<usize> {
        let t = self.t;
        let w = t.w(i);
        let one = |s: &mut Self, days: Option<u32>, end: usize| {
            if let Some(d) = days {
                s.push(d, d, i, end);
            }
            Some(end)
        };
        // Ordinal dates: "the 15th", "15th of March", "the 1st of next month".
        let ord = match t.num(i) {
            Some(n) if n.ordinal && !n.neg && (1.0..=31.0).contains(&n.value) => {
                Some((n.value as u32, i + 1))
            }
            Some(_) => None,
            None => self.ordinal_words(i),
        };
        if let Some((d, j)) = ord {
            return self.ordinal_date(i, d, j);
        }
        match w {
            "tomorrow" => one(self, Some(1), i + 1),
            "day" if t.w(i + 1) == "after" && t.w(i + 2) == "tomorrow" => one(self, Some(2), i + 3),
            "next" | "this" | "coming" => {
                let this = w == "this";
                match t.w(i + 1) {
                    "week" if !this => one(self, Some(7), i + 2),
                    "week" => {
                        let d = self.end_of_week();
                        one(self, Some(d), i + 2)
                    }
                    "month" if !this => {
                        let d = self.months_ahead_same_day(1);
                        one(self, d, i + 2)
                    }
                    "year" if !this => {
                        let d = self.months_ahead_same_day(12);
                        one(self, d, i + 2)
                    }
                    other => {
                        let d = self.weekday_days(weekday_word(other)?);
                        one(self, Some(d), i + 2)
                    }
                }
            }
            "end" => self.end_of(i),
            // "mid-April", "mid next month", "mid-month": the 15th.
            "mid" | "middle" => {
                let mut k = i + 1;
                if t.is(k, Tok::Dash) || t.w(k) == "of" {
                    k += 1;
                }
                if t.w(k) == "the" {
                    k += 1;
                }
                if let Some(m) = month_word(t.w(k)) {
                    return self.date(i, m, 15, k + 1);
                }
                let (ahead, end) = match (t.w(k), t.w(k + 1)) {
                    ("month", _) => (0, k + 1),
                    ("next", "month") => (1, k + 2),
                    _ => return None,
                };
                let today = self.today;
                let d = today
                    .with_day(1)
                    .and_then(|f| f.checked_add_months(Months::new(ahead)))
                    .and_then(|f| f.with_day(15))
                    .map(|f| {
                        if f < today {
                            f.checked_add_months(Months::new(1)).unwrap_or(f)
                        } else {
                            f
                        }
                    })
                    .and_then(|f| days_until(today, f));
                one(self, d, end)
            }
            "month" if t.w(i + 1) == "end" => {
                let d = self.end_of_month_ahead(0);
                one(self, d, i + 2)
            }
            "beginning" | "start"
                if t.w(i + 1) == "of" && t.w(i + 2) == "next" && t.w(i + 3) == "month" =>
            {
                let today = self.today;
                let d = today
                    .with_day(1)
                    .and_then(|f| f.checked_add_months(Months::new(1)))
                    .and_then(|f| days_until(today, f));
                one(self, d, i + 4)
            }
            _ => {
                if let Some(wd) = weekday_word(w) {
                    if matches!(t.wb(i, 1), "last" | "past") {
                        return Some(i + 1);
                    }
                    let d = self.weekday_days(wd);
                    return one(self, Some(d), i + 1);
                }
                if let Some(m) = month_word(w) {
                    return self.month_first(i, m);
                }
                None
            }
        }
    }

    /// "the fifteenth", "the twenty-first" (only after "the", where an ordinal word is a date).
    fn ordinal_words(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.t;
        if t.wb(i, 1) != "the" {
            return None;
        }
        if let Some(d) = ordinal_word(t.w(i)) {
            return Some((d, i + 1));
        }
        let tens = match t.w(i) {
            "twenty" => 20,
            "thirty" => 30,
            _ => return None,
        };
        let k = if t.is(i + 1, Tok::Dash) { i + 2 } else { i + 1 };
        match ordinal_word(t.w(k)) {
            Some(d) if d < 10 && tens + d <= 31 => Some((tens + d, k + 1)),
            _ => None,
        }
    }

    fn ordinal_date(&mut self, i: usize, d: u32, j: usize) -> Option<usize> {
        let t = self.t;
        // "15th of March", "15th March".
        let (mi, after) = if t.w(j) == "of" {
            (j + 1, j + 2)
        } else {
            (j, j + 1)
        };
        if let Some(m) = month_word(t.w(mi)) {
            return self.date(i, m, d, after);
        }
        // "the 1st of next month", "the 15th of this month".
        if t.w(j) == "of" && t.w(j + 2) == "month" {
            let ahead = match t.w(j + 1) {
                "next" => 1,
                "this" | "the" => 0,
                _ => return Some(j),
            };
            let today = self.today;
            let days = today
                .with_day(1)
                .and_then(|f| f.checked_add_months(Months::new(ahead)))
                .and_then(|f| clamped_date(f.year(), f.month(), d))
                .and_then(|date| days_until(today, date));
            if let Some(days) = days {
                self.push(days, days, i, j + 3);
            }
            return Some(j + 3);
        }
        // A lone ordinal is a date only where it reads as one: "by the 15th", "on the 2nd", and
        // not "my 2nd job" or "the 3rd time".
        let before = matches!(
            t.wb(i, 1),
            "the" | "by" | "on" | "before" | "until" | "till"
        );
        let after_ok = match t.get(j) {
            None | Some(Tok::Break(_)) => true,
            Some(Tok::Word(..)) => matches!(
                t.w(j),
                "of" | "at"
                    | "and"
                    | "or"
                    | "but"
                    | "then"
                    | "latest"
                    | "so"
                    | "if"
                    | "i"
                    | "we"
                    | "is"
                    | "works"
                    | "would"
                    | "will"
                    | "please"
                    | "it"
                    | "that"
                    | "this"
                    | "next"
                    | "as"
                    | "deadline"
                    | "okay"
                    | "ok"
                    | "fine"
                    | "for"
            ),
            _ => false,
        };
        if before
            && after_ok
            && let Some(days) = self.day_of_month(d)
        {
            self.push(days, days, i, j);
        }
        Some(j)
    }

    /// The coming Friday, 0 when today is Friday ("by the end of the week").
    fn end_of_week(&self) -> u32 {
        let from = self.today.weekday().num_days_from_monday();
        (Weekday::Fri.num_days_from_monday() + 7 - from) % 7
    }

    /// "end of the month", "end of next month", "end of March", "end of the week/year".
    fn end_of(&mut self, i: usize) -> Option<usize> {
        let t = self.t;
        if t.w(i + 1) != "of" {
            return None;
        }
        let mut k = i + 2;
        if matches!(t.w(k), "the" | "this") {
            k += 1;
        }
        let next = t.w(k) == "next";
        if next {
            k += 1;
        }
        let today = self.today;
        let days = match t.w(k) {
            "month" => self.end_of_month_ahead(u32::from(next)),
            "week" => Some(self.end_of_week() + if next { 7 } else { 0 }),
            "year" => {
                let y = today.year().checked_add(i32::from(next))?;
                NaiveDate::from_ymd_opt(y, 12, 31).and_then(|d| days_until(today, d))
            }
            w => {
                let m = month_word(w)?;
                let this_year = last_of_month(today.year(), m)?;
                let date = if this_year >= today {
                    this_year
                } else {
                    last_of_month(today.year().checked_add(1)?, m)?
                };
                days_until(today, date)
            }
        };
        if let Some(d) = days {
            self.push(d, d, i, k + 1);
        }
        Some(k + 1)
    }

    /// A month name first: "March 3rd", "March the 3rd", "by March" (the 1st).
    fn month_first(&mut self, i: usize, m: u32) -> Option<usize> {
        let t = self.t;
        let mut k = i + 1;
        if t.w(k) == "the" {
            k += 1;
        }
        let day = match t.num(k) {
            Some(n) if n.int && !n.neg && !n.sci && (1.0..=31.0).contains(&n.value) => {
                Some((n.value as u32, k + 1))
            }
            // "December 32nd", "March 0", "May -3": not a date; nothing is read.
            Some(_) => return Some(k + 1),
            None => self.ordinal_words(k),
        };
        if let Some((d, j)) = day {
            return self.date(i, m, d, j);
        }
        // "may" and "march" are also verbs: without a day number they are not dates.
        if matches!(t.w(i), "may" | "march" | "mar") {
            return None;
        }
        if matches!(t.wb(i, 1), "by" | "before" | "until" | "till") {
            return self.date(i, m, 1, i + 1);
        }
        None
    }

    /// Decides what the bare numbers were, now that all unit mentions are known.
    fn classify_bares(&mut self) {
        let t = self.t;
        let has_units = !self.mentions.is_empty();
        for b in std::mem::take(&mut self.bares) {
            if b.year_like {
                continue;
            }
            // Skip filler words between the cue and the number: "how about maybe 40".
            let mut k = b.start;
            let mut filler = false;
            while matches!(
                t.wb(k, 1),
                "maybe" | "just" | "like" | "perhaps" | "only" | "even"
            ) {
                k -= 1;
                filler = true;
            }
            let (p1, p2) = (t.wb(k, 1), t.wb(k, 2));
            let payment = |w: &str| {
                matches!(
                    w,
                    "pay"
                        | "paying"
                        | "pays"
                        | "paid"
                        | "send"
                        | "sending"
                        | "sent"
                        | "owe"
                        | "owed"
                        | "owes"
                        | "afford"
                        | "borrowed"
                        | "deposit"
                        | "transfer"
                        | "transferred"
                        | "wire"
                        | "wired"
                        | "earn"
                        | "earned"
                        | "spend"
                        | "spent"
                        | "payment"
                        | "payments"
                        | "installment"
                        | "installments"
                        | "balance"
                        | "debt"
                        | "loan"
                )
            };
            if payment(p1) || payment(p2) && matches!(p1, "you" | "of" | "off" | "about" | "around")
            {
                self.amounts.push(b.value);
                continue;
            }
            let offer_cue = matches!(
                p1,
                "about" | "do" | "say" | "offer" | "offering" | "propose" | "proposing" | "suggest"
            ) || (p1 == "it" && p2 == "make")
                || (p1 == "me" && p2 == "give")
                || (p1 == "with" && p2 == "go");
            // "30 days, maybe 60", "I need 90", "30 days, not 40", "you said 14 days but I can
            // only manage 60": with a unit mention nearby
            // the bare number is a number of days too.
            let echo_cue = has_units
                && (filler
                    || matches!(
                        p1,
                        "not" | "than" | "or" | "need" | "want" | "manage" | "handle"
                    )
                    || (p1 == "of" && p2 == "instead"));
            if (offer_cue || echo_cue) && b.int && (1.0..=365.0).contains(&b.value) {
                let d = b.value as u32;
                self.mentions.push(Found {
                    days: d,
                    low: d,
                    start: b.start,
                    end: b.start + 1,
                });
            } else if offer_cue && b.value > 365.0 {
                self.amounts.push(b.value);
            }
        }
    }

    /// Whether the mention at tokens `start..end` is the speaker's own proposal (see
    /// [`DayMention::proposal`]). Looks at most [`CLAUSE_WINDOW`] tokens either side, inside the
    /// clause, so it is constant time per mention.
    fn proposal(&self, start: usize, end: usize) -> bool {
        let t = self.t;
        let n = t.len();
        // The clause window around the mention.
        let mut cs = start;
        while cs > 0 && start - cs < CLAUSE_WINDOW && !t.is_break(cs - 1) {
            cs -= 1;
        }
        let mut ce = end.min(n);
        while ce < n && ce - end < CLAUSE_WINDOW && !t.is_break(ce) {
            ce += 1;
        }
        let whole_clause = (cs == 0 || t.is_break(cs - 1)) && (ce == n || t.is_break(ce));

        // 1. Questions about the number: "why 14 days?", "what happens if ...?" ("why not 30
        //    days?" proposes it).
        for k in cs..start {
            match t.w(k) {
                "why" if t.w(k + 1) == "not" => return true,
                "why" | "happens" | "happen" => return false,
                "how" if t.w(k + 1) == "come" => return false,
                _ => {}
            }
        }
        // 2. A condition: "if you give me 60 days" and "if I can't get 60 days" ask for the
        //    number; "if I had 18 days" and "if I can't pay in 14 days" do not.
        if let Some(k) = (cs..start).rev().find(|&k| {
            matches!(
                t.w(k),
                "if" | "unless" | "suppose" | "supposing" | "whether"
            )
        }) {
            let between = k + 1..start;
            let request = between.clone().any(|j| {
                matches!(
                    t.w(j),
                    "give"
                        | "gave"
                        | "get"
                        | "got"
                        | "allow"
                        | "let"
                        | "grant"
                        | "extend"
                        | "accept"
                        | "agree"
                        | "approve"
                )
            });
            let commit = between.clone().any(|j| {
                matches!(
                    t.w(j),
                    "pay" | "paid" | "repay" | "settle" | "do" | "manage" | "offer"
                )
            });
            let negated = between.clone().any(|j| is_negator(t.w(j)));
            return request || commit && !negated;
        }
        // 3. Someone else's number or a past one: "you said 14 days", "last time you gave me 10
        //    days", "I was told 14 days", "your 14 days", "the 14 days you offered".
        for k in cs..start {
            if past_marker(t, k) || self.attributed(k) == Some(false) {
                return false;
            }
        }
        let your = |k: usize| t.wb(start, k) == "your";
        if your(1)
            || your(2) && offer_noun(t.wb(start, 1))
            || your(3) && t.wb(start, 1) == "of" && offer_noun(t.wb(start, 2))
        {
            return false;
        }
        for k in end..ce {
            if past_marker(t, k) {
                return false;
            }
            if matches!(other_subject(t.w(k)), Some(false))
                && (k + 1..(k + 4).min(ce)).any(|j| attribution_verb(t.w(j)))
            {
                return false;
            }
        }
        // 4. The nearest cue before the number: a payment or offer verb proposes it, an event
        //    verb ("my paycheck comes in 12 days", "I start a new job in 3 weeks") does not.
        let mut weak = false;
        for k in (cs..start).rev() {
            match self.cue_before(k) {
                Cue::Propose => return true,
                Cue::Event => return false,
                Cue::Weak => weak = true,
                Cue::None => {}
            }
        }
        // 5. A clause that is just the number ("60 days.", "Fine, 16 days, deal"), unless it
        //    is echoed back in disbelief ("16 days? Are you kidding me?").
        if whole_clause && (cs..start).chain(end..ce).all(|k| self.filler(k)) {
            return !(self.ends_in_question(ce) && self.disbelief_near(cs, ce));
        }
        // 6. What follows: "30 days works", "30 days is the best I can do", "100 days to pay
        //    this"; in a question, "you" first means the number is the other side's ("is 14
        //    days the best you can do?").
        let question = t.is(ce, Tok::Break(b'?'));
        for k in end..ce {
            let w = t.w(k);
            match w {
                "works" | "work" | "fine" | "ok" | "okay" | "good" | "better" | "great"
                | "doable" | "possible" | "realistic" | "reasonable" | "enough" | "fair"
                | "perfect" | "suits" | "acceptable" | "please" | "max" | "tops" | "extension"
                | "ill" | "id" | "final" | "minimum" | "maximum" => return true,
                // "50 days or nothing", "40 days or I walk".
                "or" if k == end
                    && matches!(t.w(k + 1), "nothing" | "else" | "i" | "you" | "forget") =>
                {
                    return true;
                }
                "i" | "we"
                    if (k + 1..(k + 3).min(ce)).any(|j| {
                        matches!(
                            t.w(j),
                            "can"
                                | "could"
                                | "will"
                                | "would"
                                | "need"
                                | "want"
                                | "manage"
                                | "pay"
                                | "do"
                                | "afford"
                                | "have"
                                | "promise"
                        )
                    }) =>
                {
                    return true;
                }
                "to" if matches!(t.w(k + 1), "pay" | "repay" | "settle" | "clear") => return true,
                "you" | "your" | "youre" if question => return false,
                _ => {}
            }
        }
        weak
    }

    /// For a word at `k` that attributes a number to someone ("said", "gave", "offered"):
    /// `Some(false)` when its subject is the other side, a third party or passive ("you said",
    /// "they gave", "I was told"), `Some(true)` when it is the speaker ("I offered"), `None` when
    /// `k` is no such word or has no subject nearby. "Can you offer ..." is a request: `None`.
    fn attributed(&self, k: usize) -> Option<bool> {
        let t = self.t;
        if !attribution_verb(t.w(k)) {
            return None;
        }
        let mut j = k;
        for _ in 0..4 {
            if j == 0 || t.is_break(j - 1) {
                return None;
            }
            j -= 1;
            let w = t.w(j);
            if matches!(
                w,
                "just"
                    | "already"
                    | "also"
                    | "even"
                    | "originally"
                    | "first"
                    | "initially"
                    | "clearly"
                    | "literally"
                    | "really"
                    | "only"
                    | "all"
                    | "guys"
                    | "people"
                    | "folks"
                    | "have"
                    | "has"
                    | "had"
                    | "keep"
                    | "kept"
                    | "always"
            ) {
                continue;
            }
            if matches!(w, "was" | "were" | "been" | "being" | "got" | "get") {
                // "I was told 14 days", "we got offered 14 days".
                return Some(false);
            }
            return match other_subject(w) {
                Some(false)
                    if matches!(
                        t.wb(j, 1),
                        "can" | "could" | "would" | "will" | "might" | "cant" | "wont"
                    ) =>
                {
                    None
                }
                found => found,
            };
        }
        None
    }

    /// What the word at `k`, before a mention, says about it.
    fn cue_before(&self, k: usize) -> Cue {
        let t = self.t;
        let w = t.w(k);
        let (p1, p2) = (t.wb(k, 1), t.wb(k, 2));
        let modal = |w: &str| {
            matches!(
                w,
                "can"
                    | "could"
                    | "may"
                    | "might"
                    | "will"
                    | "would"
                    | "ill"
                    | "id"
                    | "lets"
                    | "let"
                    | "to"
                    | "cant"
                    | "couldnt"
                    | "wont"
                    | "shall"
            )
        };
        match w {
            "pay" | "paying" | "pays" | "repay" | "repaying" | "settle" | "settling" | "manage"
            | "managing" | "need" | "needs" | "like" | "prefer" | "request" | "requesting"
            | "ask" | "asking" | "propose" | "proposing" | "suggest" | "suggesting" | "accept"
            | "agree" | "afford" | "extend" | "extension" | "stretch" | "spread" | "allow"
            | "grant" | "give" | "payment" | "payments" | "installment" | "installments"
            | "want" | "wants" | "offer" | "offering" | "offered" | "said" | "say" | "commit"
            | "promise" => Cue::Propose,
            "about" if matches!(p1, "how" | "what") => Cue::Propose,
            "it" if p1 == "make" => Cue::Propose,
            // "For me is better 45 days", "rather 45 days".
            "better" | "rather" if matches!(p1, "is" | "id" | "would") => Cue::Propose,
            "do" if modal(p1) || modal(p2) || matches!(p1, "i" | "we" | "you") => Cue::Propose,
            "have" | "get" | "make" | "clear" if modal(p1) || modal(p2) => Cue::Propose,
            "take" | "takes"
                if modal(p1) || matches!(p1, "i" | "we") || matches!(t.w(k + 1), "me" | "us") =>
            {
                Cue::Propose
            }
            "go" if matches!(t.w(k + 1), "with" | "for") => Cue::Propose,
            // "I get paid in 2 weeks" is an event; "I'll have it paid off in 30 days" is not.
            "paid" | "settled" => {
                if matches!(
                    p1,
                    "get"
                        | "gets"
                        | "getting"
                        | "got"
                        | "be"
                        | "am"
                        | "im"
                        | "is"
                        | "are"
                        | "was"
                        | "were"
                        | "being"
                ) {
                    Cue::Event
                } else {
                    Cue::Propose
                }
            }
            "comes" | "come" | "coming" | "arrives" | "arrive" | "arriving" | "start"
            | "starts" | "starting" | "begin" | "begins" | "beginning" | "lands" | "land"
            | "clears" | "hits" | "kicks" | "ends" | "finishes" | "expires" | "returns" | "due"
            | "payday" | "born" | "leaving" | "moving" | "opens" | "renews" | "released"
            | "discharged" | "hired" | "scheduled" => Cue::Event,
            "within" | "by" | "until" | "till" | "another" | "extra" | "additional" => Cue::Weak,
            _ => Cue::None,
        }
    }

    /// Words that may stand beside a number in a clause that is just that number.
    fn filler(&self, k: usize) -> bool {
        let t = self.t;
        match t.get(k) {
            Some(Tok::Dash) => true,
            Some(Tok::Word(..)) => matches!(
                t.w(k),
                "maybe"
                    | "just"
                    | "only"
                    | "like"
                    | "perhaps"
                    | "even"
                    | "ok"
                    | "okay"
                    | "fine"
                    | "alright"
                    | "well"
                    | "then"
                    | "please"
                    | "yes"
                    | "yeah"
                    | "yep"
                    | "sure"
                    | "and"
                    | "or"
                    | "in"
                    | "within"
                    | "by"
                    | "on"
                    | "at"
                    | "until"
                    | "till"
                    | "before"
                    | "the"
                    | "a"
                    | "an"
                    | "around"
                    | "about"
                    | "approximately"
                    | "roughly"
                    | "say"
                    | "lets"
                    | "another"
                    | "more"
                    | "extra"
                    | "additional"
                    | "full"
                    | "whole"
                    | "total"
                    | "max"
                    | "maximum"
                    | "tops"
                    | "most"
                    | "least"
                    | "no"
                    | "not"
                    | "than"
                    | "less"
                    | "fewer"
                    | "earlier"
                    | "sooner"
                    | "later"
                    | "um"
                    | "uh"
                    | "hmm"
                    | "oh"
                    | "deal"
                    | "thanks"
                    | "from"
                    | "now"
                    | "today"
            ),
            _ => false,
        }
    }

    /// Whether the sentence going on at token `k` ends with a question mark (looks a few tokens
    /// ahead).
    fn ends_in_question(&self, k: usize) -> bool {
        let t = self.t;
        (k..(k + CLAUSE_WINDOW).min(t.len()))
            .find_map(|j| match t.get(j) {
                Some(Tok::Break(c @ (b'.' | b'!' | b'?' | b'\n'))) => Some(c == b'?'),
                _ => None,
            })
            .unwrap_or(false)
    }

    /// Disbelief in the sentences around a clause `cs..ce` that ends in a question mark ("16
    /// days? Are you kidding me?", "You mean 14 days?", "14 days, really?").
    fn disbelief_near(&self, cs: usize, ce: usize) -> bool {
        let t = self.t;
        let n = t.len();
        let before = cs.saturating_sub(CLAUSE_WINDOW)..cs;
        let after = (ce + 1).min(n)..(ce + 1 + CLAUSE_WINDOW).min(n);
        before.chain(after).any(|k| {
            let w = t.w(k);
            matches!(
                w,
                "kidding"
                    | "joking"
                    | "kid"
                    | "serious"
                    | "seriously"
                    | "crazy"
                    | "insane"
                    | "nuts"
                    | "ridiculous"
                    | "joke"
                    | "wtf"
                    | "huh"
                    | "absurd"
                    | "outrageous"
                    | "laughable"
                    | "insulting"
            ) || w == "really" && matches!(t.get(k + 1), None | Some(Tok::Break(_)))
                || matches!(w, "mean" | "say" | "said" | "want" | "expect")
                    && matches!(t.wb(k, 1), "you" | "u")
        })
    }

    /// Whether the mention at tokens `start..end` is rejected by the speaker.
    fn negated(&self, start: usize, end: usize) -> bool {
        let t = self.t;
        // "instead of 30", "rather than 30": the number is the one being replaced.
        if matches!(
            (t.wb(start, 2), t.wb(start, 1)),
            ("instead", "of") | ("rather", "than")
        ) {
            return true;
        }
        // Conditionals and comparators anywhere earlier in the clause cancel a negation.
        let mut k = start;
        let mut steps = 0;
        let mut comparator = false;
        let mut pre = false;
        while k > 0 && steps < 30 {
            k -= 1;
            steps += 1;
            if t.is_break(k) {
                break;
            }
            let w = t.w(k);
            if matches!(w, "if" | "unless" | "whether") {
                return false;
            }
            if steps <= 7 {
                if is_comparator(w) && !pre {
                    comparator = true;
                }
                let no = w == "no" && (matches!(t.w(k + 1), "way" | "to") || k + 1 == start);
                // "Why not 30 days?" proposes 30 days.
                let why_not = w == "not" && t.wb(k, 1) == "why";
                if (is_negator(w) && !why_not || no) && !pre {
                    pre = true;
                }
            }
        }
        if pre {
            return !comparator;
        }
        // After the mention: "30 days is impossible", "... is too short", "30 days? No way".
        let n = t.len();
        let mut k = end;
        if t.is(k, Tok::Break(b'?')) {
            k += 1;
        }
        let stop = (k + 6).min(n);
        while k < stop {
            if t.is_break(k) {
                return false;
            }
            let w = t.w(k);
            match w {
                "impossible" | "unrealistic" | "ridiculous" | "unreasonable" | "unacceptable"
                | "absurd" | "insane" | "crazy" | "joke" | "laughable" | "unworkable"
                | "unaffordable" | "undoable" | "impractical" => return true,
                "too" => {
                    return matches!(
                        t.w(k + 1),
                        "short"
                            | "soon"
                            | "fast"
                            | "quick"
                            | "tight"
                            | "little"
                            | "early"
                            | "long"
                            | "much"
                            | "far"
                            | "few"
                            | "many"
                    );
                }
                "out" if t.w(k + 1) == "of" && t.w(k + 3) == "question" => return true,
                "works" | "work" | "fine" | "ok" | "okay" | "good" | "great" | "acceptable"
                | "possible" | "doable" | "suits" | "perfect" => return false,
                _ if is_negator(w) || w == "no" => {
                    // "30 days not 60": the negator belongs to the next number.
                    if t.num(k + 1).is_some() || number_word(t.w(k + 1)).is_some() {
                        return false;
                    }
                    // "30 days is not a problem" / "no problem".
                    let benign = (k + 1..(k + 4).min(n))
                        .any(|j| matches!(t.w(j), "problem" | "issue" | "worries"));
                    return !benign;
                }
                _ => {}
            }
            k += 1;
        }
        false
    }

    /// For each token, whether the next punctuation after it is a question mark (one backward
    /// pass, so that checking cues stays linear).
    fn question_flags(&self) -> Vec<bool> {
        let t = self.t;
        let mut flags = vec![false; t.len()];
        let mut q = false;
        for i in (0..t.len()).rev() {
            flags[i] = q;
            if let Some(Tok::Break(c)) = t.get(i) {
                q = c == b'?';
            }
        }
        flags
    }

    /// A negator within three tokens before `i`, in the same clause.
    fn negated_cue(&self, i: usize) -> bool {
        let t = self.t;
        let mut k = i;
        // Four words back: "I don't think I can agree".
        for _ in 0..4 {
            if k == 0 {
                break;
            }
            k -= 1;
            if t.is_break(k) {
                break;
            }
            if is_negator(t.w(k)) {
                return true;
            }
        }
        false
    }

    /// A "no/nope/nah" that answers: at the start, after an opener ("yeah no", "ok no"), or at
    /// the end of a clause ("ok, no."); not "no problem", "no worries", "I have no money".
    fn bare_no(&self, i: usize) -> bool {
        let t = self.t;
        if !matches!(t.w(i), "no" | "nope" | "nah") {
            return false;
        }
        if matches!(
            t.w(i + 1),
            "problem"
                | "problems"
                | "worries"
                | "worry"
                | "doubt"
                | "question"
                | "more"
                | "less"
                | "later"
                | "rush"
                | "hurry"
                | "pressure"
                | "offense"
                | "offence"
                | "big"
        ) {
            return false;
        }
        i == 0 || opener(t.wb(i, 1)) || matches!(t.get(i + 1), None | Some(Tok::Break(_)))
    }

    fn clause_start(&self, i: usize) -> bool {
        i == 0 || self.t.is_break(i - 1)
    }

    /// Acceptance and rejection cues; the last one in the text wins.
    fn acceptance(&self, mentions: &[DayMention]) -> (bool, bool) {
        #[derive(Clone, Copy, PartialEq)]
        enum Cue {
            Accept,
            /// An acceptance whose subject is a number of days ("60 days works").
            AcceptDays,
            Reject,
        }
        let t = self.t;
        let n = t.len();
        let subject = |w: &str| {
            matches!(
                w,
                "that"
                    | "thats"
                    | "it"
                    | "its"
                    | "this"
                    | "which"
                    | "day"
                    | "days"
                    | "week"
                    | "weeks"
                    | "month"
                    | "months"
                    | "date"
                    | "plan"
                    | "offer"
                    | "both"
                    | "fortnight"
            )
        };
        let day_subject = |w: &str| {
            matches!(
                w,
                "day" | "days" | "week" | "weeks" | "month" | "months" | "fortnight"
            )
        };
        let question = self.question_flags();
        let mut last: Option<Cue> = None;
        let mut words = 0;
        for (i, &in_question) in question.iter().enumerate() {
            if matches!(t.get(i), Some(Tok::Word(..) | Tok::Num(_))) {
                words += 1;
            }
            let w = t.w(i);
            if w.is_empty() {
                continue;
            }
            let neg = || self.negated_cue(i);
            let cue = match w {
                "deal" => {
                    let (p1, p2) = (t.wb(i, 1), t.wb(i, 2));
                    if p1 == "no" || (p1 == "a" && p2 == "not") {
                        Some(Cue::Reject)
                    } else if p1 == "done" {
                        // "Done deal."
                        Some(Cue::Accept)
                    } else if p1 == "a"
                        && matches!(p2, "its" | "thats" | "got" | "have" | "gotta" | "is")
                    {
                        Some(if neg() { Cue::Reject } else { Cue::Accept })
                    } else if (self.clause_start(i)
                        || opener(p1) && i >= 1 && self.clause_start(i - 1))
                        && !matches!(t.w(i + 1), "with" | "breaker" | "is" | "was" | "s")
                    {
                        // "Deal.", "ok deal".
                        Some(Cue::Accept)
                    } else {
                        None
                    }
                }
                "agree" | "agreed" | "accept" | "accepted" => {
                    let p1 = t.wb(i, 1);
                    let subj = self.clause_start(i)
                        || matches!(
                            p1,
                            "i" | "we"
                                | "ill"
                                | "can"
                                | "will"
                                | "would"
                                | "do"
                                | "happily"
                                | "gladly"
                                | "fully"
                                | "then"
                                | "totally"
                                | "completely"
                        )
                        || is_negator(p1);
                    // "I agree this is unfair", "I accept that I owe money": agreeing with a
                    // statement, not accepting an offer ("I accept that.", "I accept the offer",
                    // "I agree to 30 days" still accept).
                    let statement = match t.w(i + 1) {
                        "that" | "this" | "it" => {
                            !matches!(t.get(i + 2), None | Some(Tok::Break(_) | Tok::Num(_)))
                                && !offer_noun(t.w(i + 2))
                                && !matches!(t.w(i + 2), "deal" | "one" | "date" | "number")
                        }
                        "the" => {
                            t.num(i + 2).is_none()
                                && !offer_noun(t.w(i + 2))
                                && !matches!(
                                    t.w(i + 2),
                                    "deal"
                                        | "date"
                                        | "number"
                                        | "arrangement"
                                        | "schedule"
                                        | "conditions"
                                        | "payment"
                                        | "days"
                                )
                        }
                        "i" | "you" | "we" | "they" | "he" | "she" | "there" | "its" | "thats"
                        | "theres" | "im" | "youre" | "my" | "your" | "our" | "his" | "her"
                        | "their" | "everything" | "what" | "how" | "why" | "responsibility"
                        | "blame" | "some" | "part" => true,
                        _ => false,
                    };
                    // "before I agree to anything", "until I agree": not yet.
                    let pending = (1..4).any(|b| {
                        matches!(t.wb(i, b), "before" | "until" | "till" | "unless" | "when")
                    });
                    (subj && !statement && !pending).then_some(if neg() {
                        Cue::Reject
                    } else {
                        Cue::Accept
                    })
                }
                "works" | "work" => {
                    // The subject, skipping negators and modals: "that doesn't work".
                    let mut k = i;
                    let mut s = "";
                    for _ in 0..3 {
                        if k == 0 || t.is_break(k - 1) {
                            break;
                        }
                        k -= 1;
                        let p = t.w(k);
                        if is_negator(p)
                            || matches!(
                                p,
                                "would"
                                    | "will"
                                    | "should"
                                    | "could"
                                    | "can"
                                    | "might"
                                    | "really"
                                    | "totally"
                                    | "also"
                                    | "do"
                                    | "does"
                            )
                        {
                            continue;
                        }
                        s = p;
                        break;
                    }
                    let for_me = t.w(i + 1) == "for" && matches!(t.w(i + 2), "me" | "us");
                    if w == "work"
                        && !neg()
                        && !for_me
                        && !matches!(
                            t.wb(i, 1),
                            "would" | "will" | "should" | "could" | "can" | "might"
                        )
                    {
                        None
                    } else if subject(s) || for_me {
                        Some(if neg() {
                            Cue::Reject
                        } else if day_subject(s) {
                            Cue::AcceptDays
                        } else {
                            Cue::Accept
                        })
                    } else {
                        None
                    }
                }
                "sounds" | "sound" => match t.w(i + 1) {
                    "good" | "great" | "fine" | "fair" | "reasonable" | "ok" | "okay"
                    | "perfect" | "acceptable" => {
                        Some(if neg() { Cue::Reject } else { Cue::Accept })
                    }
                    "like" if t.w(i + 2) == "a" && matches!(t.w(i + 3), "plan" | "deal") => {
                        Some(if neg() { Cue::Reject } else { Cue::Accept })
                    }
                    _ => None,
                },
                "lets" => match (t.w(i + 1), t.w(i + 2)) {
                    ("not", _) => Some(Cue::Reject),
                    ("do", "it" | "that" | "this") | ("go", "with" | "for") => Some(Cue::Accept),
                    ("do", _) if t.num(i + 2).is_some() => Some(Cue::Accept),
                    _ => None,
                },
                "fine" | "ok" | "okay" | "good" | "great" | "acceptable" | "perfect"
                | "reasonable" | "fair" | "alright" => {
                    let p1 = t.wb(i, 1);
                    let p1 = if p1 == "not" || p1 == "really" || p1 == "very" || p1 == "totally" {
                        t.wb(i, 2)
                    } else {
                        p1
                    };
                    let has_subject = matches!(p1, "thats" | "its")
                        || (matches!(p1, "is" | "be" | "seems" | "looks" | "are")
                            && (2..5).any(|b| subject(t.wb(i, b))));
                    // "..., if that's alright": asking leave, not accepting.
                    let conditional = (1..5).any(|b| matches!(t.wb(i, b), "if" | "whether"));
                    if w == "fair" && t.w(i + 1) == "enough" {
                        Some(Cue::Accept)
                    } else if has_subject && conditional {
                        None
                    } else if has_subject {
                        let days = (2..5).any(|b| day_subject(t.wb(i, b)));
                        Some(if neg() {
                            Cue::Reject
                        } else if days {
                            Cue::AcceptDays
                        } else {
                            Cue::Accept
                        })
                    } else if w == "acceptable" && neg() {
                        Some(Cue::Reject)
                    } else {
                        None
                    }
                }
                "live"
                    if t.w(i + 1) == "with"
                        && matches!(
                            t.wb(i, 1),
                            "can" | "could" | "cant" | "couldnt" | "cannot"
                        ) =>
                {
                    Some(if neg() { Cue::Reject } else { Cue::Accept })
                }
                "take"
                    if t.w(i + 1) == "it"
                        && matches!(t.wb(i, 1), "ill" | "will")
                        && matches!(t.get(i + 2), None | Some(Tok::Break(_))) =>
                {
                    Some(if neg() { Cue::Reject } else { Cue::Accept })
                }
                "happy" if t.w(i + 1) == "with" => {
                    Some(if neg() { Cue::Reject } else { Cue::Accept })
                }
                // "You win."
                "win"
                    if t.wb(i, 1) == "you"
                        && !neg()
                        && matches!(t.get(i + 1), None | Some(Tok::Break(_))) =>
                {
                    Some(Cue::Accept)
                }

                "no" | "nope" | "nah" if self.bare_no(i) => Some(Cue::Reject),
                "no" if t.w(i + 1) == "way" => Some(Cue::Reject),
                "forget" if t.w(i + 1) == "it" => Some(Cue::Reject),
                "happening" if t.wb(i, 1) == "not" => Some(Cue::Reject),
                "refuse" | "reject" | "decline" if matches!(t.wb(i, 1), "i" | "we") => {
                    Some(Cue::Reject)
                }
                "unacceptable" | "impossible" if !neg() => Some(Cue::Reject),
                "possible" if neg() => Some(Cue::Reject),
                "question" if t.wb(i, 1) == "the" && t.wb(i, 2) == "of" && t.wb(i, 3) == "out" => {
                    Some(Cue::Reject)
                }
                "absolutely" if t.w(i + 1) == "not" => Some(Cue::Reject),
                _ => None,
            };
            // "Are you kidding me?", "You can't be serious": disbelief rejects, even as a question.
            let disbelief = match w {
                "kidding" | "joking" => matches!(t.wb(i, 1), "you" | "youre" | "be" | "are"),
                "serious" => matches!(t.wb(i, 1), "be" | "you" | "youre"),
                _ => false,
            };
            if disbelief {
                last = Some(Cue::Reject);
            } else if let Some(c) = cue
                && !in_question
            {
                last = Some(c);
            }
        }
        // A short reply opening with "yes/ok/sure" accepts ("Yes.", "Ok, sure", "Sounds fine").
        if last.is_none()
            && words <= 4
            && matches!(
                t.w(0),
                "yes"
                    | "yeah"
                    | "yep"
                    | "yup"
                    | "ok"
                    | "okay"
                    | "sure"
                    | "alright"
                    | "fine"
                    | "agreed"
                    | "absolutely"
                    | "definitely"
                    | "certainly"
                    | "done"
                    | "accepted"
            )
            && !question.first().copied().unwrap_or(false)
            && !(0..n).any(|k| is_negator(t.w(k)) || self.bare_no(k))
        {
            last = Some(Cue::Accept);
        }
        // An opener followed by a plain commitment to a proposed number accepts ("Ok, I can do 31
        // days.", "Sure, we will pay in 20 days"); not with a contrast, a condition, a negation
        // or a question ("Ok, but I need 60 days", "Ok, I need 90 days" is a counter-offer).
        if last.is_none()
            && opener(t.w(0))
            && words <= 20
            && mentions.iter().any(|m| m.proposal && !m.negated)
            && !mentions.iter().any(|m| m.negated)
            && !question.iter().any(|&q| q)
            && (0..n).any(|k| {
                matches!(t.w(k), "do" | "pay" | "manage" | "make" | "take")
                    && (matches!(t.wb(k, 1), "ill" | "well")
                        || matches!(t.wb(k, 1), "can" | "will" | "could")
                            && matches!(t.wb(k, 2), "i" | "we"))
            })
            && !(0..n).any(|k| {
                is_negator(t.w(k))
                    || self.bare_no(k)
                    || matches!(
                        t.w(k),
                        "but" | "however" | "though" | "although" | "except" | "unless" | "if"
                    )
            })
        {
            last = Some(Cue::Accept);
        }
        // A clause that is just "okay" or "fine" beside a proposed number accepts it ("40 days...
        // okay.", "Fine. 15 days.", "40 days, okay, I'll set a reminder"); not with a negation
        // or a contrast, nor beside a request or a number asked about ("Ok, but I need 60 days",
        // "Ok, I need 90 days", "Ok, 60 days then?").
        if last.is_none()
            && mentions.iter().any(|m| m.proposal && !m.negated)
            && (0..n).any(|k| {
                matches!(
                    t.w(k),
                    "ok" | "okay" | "fine" | "alright" | "yes" | "yeah" | "sure" | "perfect"
                ) && self.clause_start(k)
                    && matches!(t.get(k + 1), None | Some(Tok::Break(_)))
                    && !question.get(k).copied().unwrap_or(false)
            })
            && !(0..n).any(|k| {
                is_negator(t.w(k))
                    || self.bare_no(k)
                    || matches!(
                        t.w(k),
                        "but" | "however" | "though" | "unless" | "if" | "need" | "want" | "only"
                    )
                    || question.get(k).copied().unwrap_or(false)
                        && matches!(t.get(k), Some(Tok::Num(_)))
            })
        {
            last = Some(Cue::Accept);
        }
        // "It was 75 days, agreed, done.": a claim that a deal was made on an earlier call. Read
        // only when there is an acceptance to cancel.
        let agreed = |k: usize| matches!(t.w(k), "agreed" | "accepted");
        let claims_earlier_deal = || {
            (0..n)
                .any(|k| agreed(k) && (1..5).any(|b| matches!(t.wb(k, b), "was" | "were" | "had")))
                || (0..n).any(agreed)
                    && (0..n).any(|k| {
                        matches!(
                            t.w(k),
                            "last"
                                | "before"
                                | "already"
                                | "earlier"
                                | "previously"
                                | "ago"
                                | "yesterday"
                                | "promised"
                        )
                    })
        };
        if matches!(last, Some(Cue::Accept | Cue::AcceptDays)) && claims_earlier_deal() {
            last = None;
        }
        match last {
            Some(Cue::Accept) => (true, false),
            Some(Cue::AcceptDays) => (!mentions.iter().any(|m| m.negated), false),
            Some(Cue::Reject) => (false, true),
            None => (false, false),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A Monday, so weekday phrases are easy to check by hand.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 10).unwrap()
    }

    /// Numbers a debtor mentions without proposing them: quoted, questioned, hypothetical, or
    /// the date of an event. Shared with the agreement tests.
    pub(crate) const NOT_PROPOSALS: &[&str] = &[
        "Why 14 days?",
        "What happens if I can't pay in 14 days?",
        "Is 14 days the best you can do?",
        "My paycheck comes in 12 days",
        "16 days? Are you kidding me?",
        "Last time you gave me 10 days",
        "If I had 18 days I still couldn't pay.",
        "I start a new job in 3 weeks",
        "Your 14 days is not realistic for me",
        "my salary arrives in 10 days",
    ];

    #[test]
    fn proposals_are_told_from_quotes_questions_hypotheticals_and_events() {
        for &text in NOT_PROPOSALS {
            let r = read_offer(text, today());
            assert_eq!(r.offer_days(), None, "{text:?}: {r:?}");
            assert!(r.mentions.iter().all(|m| !m.proposal), "{text:?}");
        }
        let offers = [
            ("You said 14 days but I can only manage 60.", 60),
            ("I can pay in 17 days", 17),
            ("How about 18 days?", 18),
            ("Could I have 45 days?", 45),
            ("Give me 60 days", 60),
            ("60 days.", 60),
            ("If you give me 60 days I can pay", 60),
            ("My salary comes in 10 days so I can pay in 12 days", 12),
            ("Sure, I'll pay in 30 days", 30),
        ];
        for (text, days) in offers {
            assert_eq!(
                read_offer(text, today()).offer_days(),
                Some(days),
                "{text:?}"
            );
        }
    }

    #[test]
    fn grudging_and_bare_acceptances_of_a_number_accept() {
        for text in [
            "You win, 63 days. Send me whatever you need.",
            "Fine. 15 days. Are we done now?",
            "40 days... okay. Yes. I'll make it work somehow.",
            "Perfect, 40 days, done deal.",
        ] {
            assert!(read_offer(text, today()).accepts, "{text:?}");
        }
        assert_eq!(
            read_offer("50 days or nothing, your call.", today()).offer_days(),
            Some(50)
        );
        for text in [
            "Ok, but I need 60 days",
            "No, okay? I said 60 days.",
            "You win nothing, 60 days.",
        ] {
            assert!(!read_offer(text, today()).accepts, "{text:?}");
        }
    }

    #[test]
    fn acceptance_is_not_fooled_by_statements_and_trailing_noes() {
        for text in [
            "Yeah no.",
            "ok no",
            "I agree this whole thing is unfair.",
            "I accept that I owe money, but I can't pay.",
        ] {
            assert!(!read_offer(text, today()).accepts, "{text:?}");
        }
        for text in [
            "I agree",
            "I accept 20 days",
            "I accept that.",
            "I agree to that",
            "deal? no deal. ok deal",
            "ok deal",
        ] {
            assert!(read_offer(text, today()).accepts, "{text:?}");
        }
        assert!(read_offer("Yeah no.", today()).rejects);
    }

    #[test]
    fn odd_numbers_are_not_days_either() {
        for text in [
            "I can pay in 0 days",
            "in 0.0000001 months",
            "I can pay in -5 days",
            "1e9 months",
            "1e308 days",
            "by the 32nd",
        ] {
            let r = read_offer(text, today());
            assert_eq!(r.offer_days(), None, "{text:?}: {r:?}");
        }
        // "not before 60 days" sets a lower bound of 60: it is not a rejection of 60.
        assert_eq!(
            read_offer("not before 60 days", today()).offer_days(),
            Some(60)
        );
    }

    /// (days, low, negated)
    type M = (u32, u32, bool);

    struct Case {
        text: &'static str,
        mentions: &'static [M],
        accepts: bool,
        rejects: bool,
        amounts: &'static [f64],
    }

    const fn c(
        text: &'static str,
        mentions: &'static [M],
        accepts: bool,
        rejects: bool,
        amounts: &'static [f64],
    ) -> Case {
        Case {
            text,
            mentions,
            accepts,
            rejects,
            amounts,
        }
    }

    const N: bool = false;
    const Y: bool = true;

    const TABLE: &[Case] = &[
        // Digits and number words.
        c("I can pay in 45 days.", &[(45, 45, N)], N, N, &[]),
        c("forty-five days", &[(45, 45, N)], N, N, &[]),
        c("Forty five days would be better", &[(45, 45, N)], N, N, &[]),
        c("a hundred and twenty days", &[(120, 120, N)], N, N, &[]),
        c("I need ninety days", &[(90, 90, N)], N, N, &[]),
        c("Give me a couple of weeks", &[(14, 14, N)], N, N, &[]),
        c("just a few days more", &[(3, 3, N)], N, N, &[]),
        c("a few more weeks", &[(21, 21, N)], N, N, &[]),
        c("I'll pay within 30days", &[(30, 30, N)], N, N, &[]),
        c("a 60-day extension", &[(60, 60, N)], N, N, &[]),
        // Units.
        c("six weeks", &[(42, 42, N)], N, N, &[]),
        c("two months", &[(60, 60, N)], N, N, &[]),
        c("a fortnight", &[(14, 14, N)], N, N, &[]),
        c("in a week", &[(7, 7, N)], N, N, &[]),
        c("give me a month", &[(30, 30, N)], N, N, &[]),
        c("half a month", &[(15, 15, N)], N, N, &[]),
        c("a month and a half", &[(45, 45, N)], N, N, &[]),
        c("two and a half weeks", &[(18, 18, N)], N, N, &[]),
        c("a year", &[(365, 365, N)], N, N, &[]),
        c("1.5 months", &[(45, 45, N)], N, N, &[]),
        c("10 business days", &[(14, 14, N)], N, N, &[]),
        c("3 wks", &[(21, 21, N)], N, N, &[]),
        // Calendar phrases (today is Monday 2025-03-10).
        c("I'll pay by the 15th", &[(5, 5, N)], N, N, &[]),
        c("by the 5th", &[(26, 26, N)], N, N, &[]),
        c("by the end of the month", &[(21, 21, N)], N, N, &[]),
        c("end of next month", &[(51, 51, N)], N, N, &[]),
        c("by next Friday", &[(4, 4, N)], N, N, &[]),
        c("on Monday", &[(7, 7, N)], N, N, &[]),
        c("by March 3rd", &[(358, 358, N)], N, N, &[]),
        c("3 April", &[(24, 24, N)], N, N, &[]),
        c("the 3rd of April", &[(24, 24, N)], N, N, &[]),
        c("April 30, 2025", &[(51, 51, N)], N, N, &[]),
        c("March 1, 2025", &[], N, N, &[]),
        c("tomorrow", &[(1, 1, N)], N, N, &[]),
        c("the day after tomorrow", &[(2, 2, N)], N, N, &[]),
        c("next week", &[(7, 7, N)], N, N, &[]),
        c("next month", &[(31, 31, N)], N, N, &[]),
        c("by the end of the week", &[(4, 4, N)], N, N, &[]),
        c("at the start of next month", &[(22, 22, N)], N, N, &[]),
        c("by April", &[(22, 22, N)], N, N, &[]),
        c("by the fifteenth", &[(5, 5, N)], N, N, &[]),
        c("the 1st of next month", &[(22, 22, N)], N, N, &[]),
        c("end of the year", &[(296, 296, N)], N, N, &[]),
        c("This is my 2nd job", &[], N, N, &[]),
        c("I may pay you", &[], N, N, &[]),
        // Ranges.
        c("30 to 45 days", &[(45, 30, N)], N, N, &[]),
        c("30-45 days", &[(45, 30, N)], N, N, &[]),
        c("between 30 and 45 days", &[(45, 30, N)], N, N, &[]),
        c("30 or 40 days", &[(40, 30, N)], N, N, &[]),
        c("two to three months", &[(90, 60, N)], N, N, &[]),
        c("a week or two", &[(14, 7, N)], N, N, &[]),
        // Negation.
        c("not 30 days", &[(30, 30, Y)], N, N, &[]),
        c("30 days is impossible", &[(30, 30, Y)], N, Y, &[]),
        c("I can't do 30 days", &[(30, 30, Y)], N, N, &[]),
        c("No way I can pay in 30 days", &[(30, 30, Y)], N, Y, &[]),
        c(
            "I can't do 30 days, but 60 days works",
            &[(30, 30, Y), (60, 60, N)],
            N,
            N,
            &[],
        ),
        c("30 days? No way.", &[(30, 30, Y)], N, Y, &[]),
        c(
            "30 days is too short, I need 60 days",
            &[(30, 30, Y), (60, 60, N)],
            N,
            N,
            &[],
        ),
        c("I can't do less than 60 days", &[(60, 60, N)], N, N, &[]),
        c("If I can't get 60 days I'm done", &[(60, 60, N)], N, N, &[]),
        c("30 days is not a problem", &[(30, 30, N)], N, N, &[]),
        c("45 days, not 30", &[(45, 45, N), (30, 30, Y)], N, N, &[]),
        // Money is not days.
        c("I can pay $500", &[], N, N, &[500.0]),
        c("500 dollars", &[], N, N, &[500.0]),
        c("€200 now", &[], N, N, &[200.0]),
        c("I can pay 300 a month", &[], N, N, &[300.0]),
        c("200 per week", &[], N, N, &[200.0]),
        c("I owe 1,500", &[], N, N, &[1500.0]),
        c("it's 15k", &[], N, N, &[15000.0]),
        c(
            "$300 a month for 6 months",
            &[(180, 180, N)],
            N,
            N,
            &[300.0],
        ),
        c("I can send 100 every two weeks", &[], N, N, &[100.0]),
        c(
            "five hundred dollars in a month",
            &[(30, 30, N)],
            N,
            N,
            &[500.0],
        ),
        c("I can pay 40", &[], N, N, &[40.0]),
        c("$12.50/week", &[], N, N, &[12.5]),
        // Bare numbers.
        c("How about 40?", &[(40, 40, N)], N, N, &[]),
        c("make it 50", &[(50, 50, N)], N, N, &[]),
        c("I have 2 kids", &[], N, N, &[]),
        c("by 2026", &[], N, N, &[]),
        // Past references.
        c("I lost my job 3 weeks ago", &[], N, N, &[]),
        c("for the last 2 months I've had nothing", &[], N, N, &[]),
        // Acceptance.
        c("Deal!", &[], Y, N, &[]),
        c("ok, 30 days works", &[(30, 30, N)], Y, N, &[]),
        c("I agree", &[], Y, N, &[]),
        c("I accept.", &[], Y, N, &[]),
        c("fine, let's do that", &[], Y, N, &[]),
        c("Sounds good.", &[], Y, N, &[]),
        c("You've got a deal", &[], Y, N, &[]),
        c("yes", &[], Y, N, &[]),
        c("Okay, 45 days is fine with me", &[(45, 45, N)], Y, N, &[]),
        c("I can live with that", &[], Y, N, &[]),
        c("Friday works for me", &[(4, 4, N)], Y, N, &[]),
        // Not acceptance.
        c("I don't accept", &[], N, Y, &[]),
        c("No deal", &[], N, Y, &[]),
        c("I can't agree to that", &[], N, Y, &[]),
        c("That doesn't work", &[], N, Y, &[]),
        c("Deal?", &[], N, N, &[]),
        c(
            "Ok, I lost my job last month and I'm struggling",
            &[],
            N,
            N,
            &[],
        ),
        c("I can't deal with this", &[], N, N, &[]),
        c("My husband works nights", &[], N, N, &[]),
        c("No problem, I agree", &[], Y, N, &[]),
        c("no, that's not acceptable", &[], N, Y, &[]),
        c("Is 30 days ok?", &[(30, 30, N)], N, N, &[]),
        c(
            "I won't manage 30 days, maybe 60",
            &[(30, 30, Y), (60, 60, N)],
            N,
            N,
            &[],
        ),
        c(
            "How about 50 days instead of 30?",
            &[(50, 50, N), (30, 30, Y)],
            N,
            N,
            &[],
        ),
        c("no more than 30 days", &[(30, 30, N)], N, N, &[]),
        c("a day or two", &[(2, 1, N)], N, N, &[]),
        c("one day I will pay you back", &[], N, N, &[]),
        c("I've been unemployed for 3 months", &[], N, N, &[]),
        c("by mid-April", &[(36, 36, N)], N, N, &[]),
        c(
            "I'll pay 50 dollars a week for 3 months",
            &[(90, 90, N)],
            N,
            N,
            &[50.0],
        ),
        c("I'll take it to court", &[], N, N, &[]),
        c("Nope.", &[], N, Y, &[]),
        // Saturation.
        c(
            "99999999999999999999 days",
            &[(MAX_DAYS, MAX_DAYS, N)],
            N,
            N,
            &[],
        ),
        c("", &[], N, N, &[]),
    ];

    #[test]
    fn table() {
        let mut failures = Vec::new();
        for case in TABLE {
            let r = read_offer(case.text, today());
            let got: Vec<M> = r
                .mentions
                .iter()
                .map(|m| (m.days, m.low, m.negated))
                .collect();
            if got != case.mentions
                || r.accepts != case.accepts
                || r.rejects != case.rejects
                || r.amounts != case.amounts
            {
                failures.push(format!(
                    "{:?}: mentions {:?} accepts {} rejects {} amounts {:?}",
                    case.text, got, r.accepts, r.rejects, r.amounts
                ));
            }
        }
        assert!(TABLE.len() >= 40);
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn offer_days_is_last_non_negated() {
        let r = read_offer("I can't do 30 days, but 60 days works", today());
        assert_eq!(r.offer_days(), Some(60));
        assert_eq!(r.rejected_days().collect::<Vec<_>>(), vec![30]);
        assert_eq!(read_offer("not 30 days", today()).offer_days(), None);
    }

    #[test]
    fn clamps_days_missing_from_a_month() {
        // The 31st in a 30-day month is that month's last day.
        let apr = NaiveDate::from_ymd_opt(2025, 4, 10).unwrap();
        assert_eq!(read_offer("by the 31st", apr).offer_days(), Some(20));
        // Feb 30 is clamped to Feb 28.
        assert_eq!(read_offer("February 30", apr).offer_days(), Some(324));
    }

    #[test]
    fn huge_input_is_bounded() {
        let text = "I can do 30 days, not 45 days; $500 a month? deal. ".repeat(2_000);
        assert!(text.len() > 100_000);
        let r = read_offer(&text, today());
        assert!(r.mentions.len() <= MAX_TOKENS);
        let letters = "a".repeat(100_000);
        assert!(read_offer(&letters, today()).mentions.is_empty());
        let digits = "9".repeat(100_000) + " days";
        assert_eq!(read_offer(&digits, today()).offer_days(), Some(MAX_DAYS));
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            let r = read_offer(
                "by the 31st, next month, end of next year, March 3rd, Friday",
                d,
            );
            assert!(r.mentions.iter().all(|m| m.days <= MAX_DAYS));
        }
    }

    /// (text, offer_days): which number, if any, the speaker proposes.
    const PROPOSALS: &[(&str, Option<u32>)] = &[
        // Not the speaker's proposal.
        ("You said 14 days but I can only manage 60.", Some(60)),
        ("You said 14 days.", None),
        ("Why 14 days?", None),
        ("What happens if I can't pay in 14 days?", None),
        ("Is 14 days the best you can do?", None),
        ("Is 14 days your final offer?", None),
        ("My paycheck comes in 12 days", None),
        ("I start a new job in 3 weeks", None),
        ("my salary arrives in 10 days", None),
        ("I get paid on the 15th", None),
        ("16 days? Are you kidding me?", None),
        ("14 days, really?", None),
        ("Last time you gave me 10 days", None),
        ("If I had 18 days I still couldn't pay.", None),
        ("I was told 14 days.", None),
        ("Do you want me to pay in 14 days?", None),
        ("I can't do your 14 days.", None),
        ("Your offer of 14 days is a joke", None),
        ("The 14 days you offered won't work, I need 40", Some(40)),
        ("I offered 30 days last time", None),
        ("I lost my job 3 weeks ago", None),
        (
            "My paycheck comes in 12 days, so I can pay in 14 days",
            Some(14),
        ),
        ("Could we do 45 days? I get paid on the 15th.", Some(45)),
        // Proposals.
        ("I can pay in 17 days", Some(17)),
        ("How about 18 days?", Some(18)),
        ("Could I have 45 days?", Some(45)),
        ("Could you give me 45 days?", Some(45)),
        ("Give me 60 days", Some(60)),
        ("60 days.", Some(60)),
        ("60 days?", Some(60)),
        ("ok, 15 days works", Some(15)),
        ("Fine, 16 days, deal", Some(16)),
        ("I need 90 days", Some(90)),
        ("I want 100 days or my lawyer will sue you.", Some(100)),
        ("I would like 100 days to pay this.", Some(100)),
        ("Money is tight. 40 days is the best I can do.", Some(40)),
        ("I'm angry about this. 40 days, not less.", Some(40)),
        ("Stop pushing me. I said I need 40 days.", Some(40)),
        ("I could manage 40 days if that helps.", Some(40)),
        ("Let's say 40", Some(40)),
        ("make it 50", Some(50)),
        ("Can you do 30 days?", Some(30)),
        ("Why not 30 days?", Some(30)),
        ("If you give me 60 days I can pay.", Some(60)),
        ("If I can't get 60 days I'm done", Some(60)),
        ("I'll have the money in 30 days", Some(30)),
        ("I'll pay within 30days", Some(30)),
        ("within a month", Some(30)),
        ("by the 15th", Some(5)),
        ("I can't do 30 days, but 60 days works", Some(60)),
        ("I need 10 days for my salary to arrive", Some(10)),
        ("It will take me 30 days to pay", Some(30)),
        ("not before 60 days", Some(60)),
        ("I can't pay until next month", Some(31)),
    ];

    #[test]
    fn proposals() {
        let failures: Vec<String> = PROPOSALS
            .iter()
            .filter_map(|&(text, want)| {
                let r = read_offer(text, today());
                (r.offer_days() != want).then(|| format!("{text:?}: {:?} want {want:?}", r))
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn quoted_numbers_are_still_mentions() {
        // The guardrail and the record still see every number; only `proposal` differs.
        let r = read_offer("You said 14 days but I can only manage 60.", today());
        let got: Vec<(u32, bool)> = r.mentions.iter().map(|m| (m.days, m.proposal)).collect();
        assert_eq!(got, vec![(14, false), (60, true)]);
    }

    #[test]
    fn acceptance_edge_cases() {
        // (text, accepts, rejects)
        for &(text, accepts, rejects) in &[
            ("Yeah no.", N, Y),
            ("ok no", N, Y),
            ("Ok, no.", N, Y),
            ("I agree this whole thing is unfair.", N, N),
            ("I accept that I owe money, but I can't pay.", N, N),
            ("I agree the debt is mine", N, N),
            ("I agree", Y, N),
            ("I accept", Y, N),
            ("I accept that.", Y, N),
            ("I accept the offer", Y, N),
            ("I agree to that", Y, N),
            ("I accept 20 days", Y, N),
            ("deal", Y, N),
            ("sounds good", Y, N),
            ("ok", Y, N),
            ("that works", Y, N),
            ("ok deal", Y, N),
            ("deal? no deal. ok deal", Y, N),
            ("ok deal. no deal", N, Y),
            ("No problem, I agree", Y, N),
            ("ok no problem", Y, N),
            ("I have no money", N, N),
            ("16 days? Are you kidding me?", N, Y),
            ("You can't be serious.", N, Y),
            ("Ok, I can do 31 days. Thank you.", Y, N),
            ("Ok, I need 90 days.", N, N),
            (
                "I'd prefer to think about it overnight, if that's alright.",
                N,
                N,
            ),
            (
                "We agreed 60 days last time you called, I wrote it down.",
                N,
                N,
            ),
            ("It was 75 days, agreed, done.", N, N),
            ("Yes, agreed. I was worried, but 30 days is fine.", Y, N),
            ("45 days would feel safer, if that's okay with you.", N, N),
            ("If that's fine with you, I'll ring back tomorrow.", N, N),
            ("Ok, but I can only do 60 days", N, N),
            ("Ok, I lost my job and I can pay in 60 days?", N, N),
        ] {
            let r = read_offer(text, today());
            assert_eq!(
                (r.accepts, r.rejects),
                (accepts, rejects),
                "{text:?}: {r:?}"
            );
        }
    }

    #[test]
    fn odd_numbers_are_not_days() {
        for text in [
            "0 days",
            "in 0 days",
            "in 0.0000001 months",
            "half a day",
            "-5 days",
            "I can pay in -5 days",
            "−30 days",
            "by December 32nd",
            "December 32",
            "by the 32nd",
            "1e9 months",
            "1e308 days",
            "2.5E-3 weeks",
            "1e+9 days",
        ] {
            let r = read_offer(text, today());
            assert!(r.mentions.is_empty(), "{text:?}: {r:?}");
            assert!(r.amounts.is_empty(), "{text:?}: {r:?}");
        }
        // Dashes that are not minus signs keep working.
        assert_eq!(read_offer("30-45 days", today()).offer_days(), Some(45));
        assert_eq!(read_offer("Plan - 30 days", today()).mentions[0].days, 30);
        assert_eq!(
            read_offer("a 60-day extension", today()).offer_days(),
            Some(60)
        );
        // A lower bound, not a refusal.
        let r = read_offer("not before 60 days", today());
        assert_eq!(
            r.mentions,
            vec![DayMention {
                days: 60,
                low: 60,
                negated: false,
                proposal: true
            }]
        );
        assert_eq!(
            read_offer("not earlier than 45 days", today()).offer_days(),
            Some(45)
        );
        assert_eq!(
            read_offer("not sooner than 45 days", today()).offer_days(),
            Some(45)
        );
        // A Friday: the end of the week is today, which is not read.
        let fri = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        assert!(
            read_offer("by the end of the week", fri)
                .mentions
                .is_empty()
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*", y in 1900i32..2200, d in 0u32..366) {
            let today = NaiveDate::from_yo_opt(y, d.clamp(1, 365)).unwrap();
            let r = read_offer(&s, today);
            for m in &r.mentions {
                prop_assert!(m.low <= m.days && m.days <= MAX_DAYS);
            }
            prop_assert!(!(r.accepts && r.rejects));
            prop_assert!(r.amounts.iter().all(|a| a.is_finite()));
            if let Some(d) = r.offer_days() {
                prop_assert!((1..=MAX_DAYS).contains(&d));
            }
        }

        #[test]
        fn never_panics_on_offer_words(words in proptest::collection::vec(
            prop::sample::select(vec![
                "30", "days", "a", "month", "not", "to", "-", "$", "15th", "of", "march", "the",
                "by", "end", "next", "and", "half", "deal", "no", "?", ",", "between", "forty",
                "five", "hundred", "k", "1,500", "every", "per", "/", "week", "or", "two", "may",
            ]),
            0..40,
        )) {
            let text = words.join(" ");
            let r = read_offer(&text, today());
            for m in &r.mentions {
                prop_assert!(m.low <= m.days && m.days <= MAX_DAYS);
            }
        }
    }
}
