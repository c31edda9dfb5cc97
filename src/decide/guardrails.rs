//! Guardrails on every reply: no threats, insults, false legal claims or off-policy promises, and
//! no number, date or time span other than the chosen offer (as "N days") and the balance (as
//! money); the reply must state the offer.
//!
//! The text is normalised before any rule runs (`normalise`): typographic quotes and dashes are
//! folded to ASCII, invisible format characters and combining marks are removed, common look-alike
//! letters (dotless ı, Cyrillic and Greek homoglyphs, fullwidth, mathematical and circled letters,
//! accented Latin letters) are mapped to ASCII, whitespace runs become one space, and everything
//! is lower-cased. The word rules then match stems (`kill\w*`) on ASCII word boundaries; they are
//! also run on a copy with common digit/symbol substitutions undone ("1d10t"), when it differs.
//!
//! Numbers: every digit run must be the offer or the balance; every number word ("three
//! hundred") must be the offer followed by "days", the balance followed by a currency word, or a
//! bare offer/balance; every amount of money must be the balance; and any other time unit attached
//! to a quantity ("30 hours", "a month", "next week"), a vague count of days ("a few days"), or a
//! named date (weekday, month, holiday, "tomorrow", "the 15th", "5pm") is refused even when it
//! converts to the offer: the reply must say "N days".

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::perceive::read_offer;

/// One way a reply breaks the rules, with the words that broke it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "evidence", rename_all = "snake_case")]
pub enum Violation {
    /// Threatening language.
    Threat(String),
    /// Insulting or demeaning language.
    Insult(String),
    /// A legal claim the agent cannot make (arrest, prison, criminal charges, lawsuits).
    LegalClaim(String),
    /// A promise the policy did not make (waivers, discounts, forgiveness).
    Promise(String),
    /// A number of days, or another number, date or time span, that is not the chosen offer (as
    /// "N days") or the balance.
    WrongNumber(String),
    /// The reply does not state the chosen offer.
    MissingOffer,
    /// Empty, or longer than a spoken reply should be.
    Length(usize),
}

/// What a reply is checked against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplyFacts {
    /// The offer the reply must state, in days.
    pub offer_days: u32,
    /// The outstanding balance, the only amount of money the reply may name.
    pub balance: f64,
    /// Reference date for calendar phrases in the reply.
    pub today: NaiveDate,
}

/// Longest reply accepted, in characters: a spoken turn of a few sentences.
pub const MAX_REPLY_CHARS: usize = 600;

/// At most this many violations are reported for one text (the first ones found).
const MAX_VIOLATIONS: usize = 64;

// ---------------------------------------------------------------------------------------------
// Normalisation

/// Characters that render as nothing (format characters, variation selectors, tags, fillers) or
/// only decorate the previous letter (combining marks): removed so they cannot split a word.
fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F
            | 0x1160
            | 0x17B4
            | 0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF9..=0xFFFB
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
            // Combining marks.
            | 0x0300..=0x036F
            | 0x0483..=0x0489
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x20D0..=0x20FF
            | 0xFE20..=0xFE2F
    )
}

/// Fullwidth forms, mathematical alphanumerics and enclosed letters to plain ASCII.
fn widen(c: char) -> char {
    let u = c as u32;
    let ascii = match u {
        0xFF01..=0xFF5E => u - 0xFEE0,
        // Bold, italic, script, fraktur, double-struck, sans-serif and monospace letters: blocks
        // of 52 (A-Z, a-z); the reserved holes are never text.
        0x1D400..=0x1D6A3 => match (u - 0x1D400) % 52 {
            k @ 0..=25 => u32::from(b'a') + k,
            k => u32::from(b'a') + k - 26,
        },
        0x1D7CE..=0x1D7FF => u32::from(b'0') + (u - 0x1D7CE) % 10,
        0x24B6..=0x24CF => u32::from(b'a') + u - 0x24B6,
        0x24D0..=0x24E9 => u32::from(b'a') + u - 0x24D0,
        0x1F130..=0x1F149 => u32::from(b'a') + u - 0x1F130,
        0x1F150..=0x1F169 => u32::from(b'a') + u - 0x1F150,
        0x1F170..=0x1F189 => u32::from(b'a') + u - 0x1F170,
        _ => return c,
    };
    char::from_u32(ascii).unwrap_or(c)
}

/// ASCII for a lower-case character that looks like ASCII, or `None` to keep it.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{02BB}' | '`' | '\u{00B4}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => "-",
        '\u{FE69}' => "$",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ɑ' | 'а' | 'α' => "a",
        'ƅ' | 'ь' | 'β' => "b",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' | 'с' | 'ϲ' | 'ⅽ' => "c",
        'ď' | 'đ' | 'ð' | 'ԁ' | 'ⅾ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'е' | 'ё' | 'ε' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ɡ' => "g",
        'ĥ' | 'ħ' | 'һ' | 'н' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ɩ' | 'і' | 'ї' | 'ι' | 'ⅰ' => {
            "i"
        }
        'ĵ' | 'ȷ' | 'ј' => "j",
        'ķ' | 'к' | 'κ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' | 'ℓ' | 'ӏ' | 'ⅼ' => "l",
        'м' | 'ⅿ' => "m",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'η' | 'п' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'о' | 'ο' | 'σ' => "o",
        'р' | 'ρ' => "p",
        'ԛ' => "q",
        'ŕ' | 'ŗ' | 'ř' | 'г' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' | 'ѕ' | 'ς' => "s",
        'ţ' | 'ť' | 'ŧ' | 'т' | 'τ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'υ' => "u",
        'ν' | 'ѵ' | 'ⅴ' => "v",
        'ŵ' | 'ԝ' | 'ω' => "w",
        'х' | 'χ' | 'ⅹ' => "x",
        'ý' | 'ÿ' | 'ŷ' | 'у' | 'γ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬀ' => "ff",
        _ => return None,
    })
}

/// The text the rules read: look-alikes folded to ASCII, invisible characters removed, whitespace
/// runs collapsed to one space, lower case. Linear in the length of `text`.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // True after a space (or at the start): further whitespace is dropped.
    let mut space = true;
    for c in text.chars() {
        let c = widen(c);
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            if is_invisible(l) {
                continue;
            }
            match fold(l) {
                Some(s) => out.push_str(s),
                None => out.push(l),
            }
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Three or more single letters in a row, spaced or dotted out ("i d i o t", "i.d.i.o.t").
static SPACED_LETTERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)\b[a-z](?:[ ._*-][a-z]){2,}\b").expect("static pattern"));

/// The normalised text with common digit and symbol substitutions for letters undone ("1d10t",
/// "l0ser", "$cum") and spaced-out letters joined ("i d i o t"), or `None` when that changes
/// nothing. Only the word rules read it: the digits it replaces are numbers for the others.
fn disguise_undone(norm: &str) -> Option<String> {
    const LEET: &[u8] = b"013457@$|";
    // Only a substitute touching a letter (or a dash or star between letters) disguises a word
    // ("1d10t", "i-d-i-0-t"; not "$1,250" or "30 days").
    let near = |b: u8| b.is_ascii_lowercase() || matches!(b, b'-' | b'_' | b'*');
    let leet = norm
        .as_bytes()
        .windows(2)
        .any(|w| (LEET.contains(&w[0]) && near(w[1])) || (near(w[0]) && LEET.contains(&w[1])));
    let text: std::borrow::Cow<'_, str> = if leet {
        norm.chars()
            .map(|c| match c {
                '0' => 'o',
                '1' | '|' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                c => c,
            })
            .collect::<String>()
            .into()
    } else {
        norm.into()
    };
    let joined = SPACED_LETTERS.replace_all(&text, |c: &regex::Captures<'_>| {
        c[0].replace([' ', '.', '_', '*', '-'], "")
    });
    match joined {
        std::borrow::Cow::Owned(s) => Some(s),
        std::borrow::Cow::Borrowed(_) if leet => Some(text.into_owned()),
        std::borrow::Cow::Borrowed(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Word rules (patterns are lower case: they run on normalised text)

/// One alternation of `words`, each on ASCII word boundaries (the text is ASCII by then, and
/// ASCII boundaries keep the fast DFA engines usable on any remaining non-ASCII character).
pub(crate) fn word_pattern(words: &[&str]) -> Regex {
    Regex::new(&format!(r"(?-u)\b(?:{})\b", words.join("|"))).expect("static pattern")
}

static THREAT: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        // Explicit menace.
        r"or else",
        r"(?:you|you'?ll|you will|you'?d|you would|you'?re going to|you are going to|you'?re gonna|make you) regret\w*",
        r"(?:you'?ll|you will|you'?d|you would|you'?re going to|you are going to) be sorry",
        r"we know where you (?:live|work|are)",
        r"watch (?:your back|your step|yourself|out)",
        r"(?:last|final) warning",
        r"be warned",
        r"(?:you'?ve|you have) been warned",
        r"(?:serious|severe|dire|real|nasty|unpleasant) consequences",
        r"(?:face|suffer) the consequences",
        r"there will be consequences",
        r"make you pay",
        r"make your life (?:hell|miserable|difficult|a misery|a living hell)",
        r"teach you a lesson",
        // Violence.
        r"kill\w*",
        r"murder\w*",
        r"destroy\w*",
        r"ruin\w*",
        r"(?:hurt|harm|injure|beat|punch|hit|slap|kick) you",
        r"(?:hurt|harm) your (?:family|kids|children|wife|husband|partner)",
        r"(?:break|smash) your (?:legs?|arms?|neck|face|bones?|windows?|door|knees?)",
        r"(?:get|be|getting) (?:hurt|harmed|injured|beaten)",
        r"beat (?:you )?up",
        r"shoot (?:you|your)\w*",
        r"(?:get|be|getting) shot",
        r"stab(?:s|bed|bing)?",
        r"guns?",
        r"hunt (?:you )?down",
        r"track you down",
        r"come (?:after|for) you",
        // Visits and people sent round.
        r"send (?:someone|somebody|people|collectors|agents|bailiffs|the police|men|a team|the boys|debt collectors)",
        r"pay you a visit",
        r"visit (?:you|your)\w*",
        r"(?:show|turn) up at your",
        r"knock\w* on your door",
        // Taking property, cutting services.
        r"seiz\w*",
        r"repossess\w*",
        r"garnish\w*",
        r"confiscat\w*",
        r"evict\w*",
        r"foreclos\w*",
        r"take (?:away )?(?:your|the) (?:car|house|home|kids|children|property|belongings|furniture|possessions|wages|salary|pay|paycheck|savings|assets)",
        r"(?:freeze|levy) (?:your )?(?:bank )?(?:accounts?|assets|savings)",
        r"(?:cut|shut|switch|turn)\w* off (?:your|the) (?:power|electricity|gas|water|heat\w*|service|supply|utilit\w*|lights|phone)",
        r"disconnect\w*",
        // Credit damage and third parties.
        r"credit (?:bureau|agenc|report|reference|score|rating|record|file|history)\w*",
        r"equifax|experian|transunion",
        r"blacklist\w*",
        r"(?:damage|hurt|wreck|harm|trash|tank|affect|impact|lower|ruin)\w* your credit",
        r"bad credit",
        r"report\w* you",
        r"report\w* your (?:debt|account|default|arrears|non-?payment|missed payments?|late payments?|name)",
        r"report\w* (?:\w+ ){0,3}to (?:the )?(?:credit|police|authorities|irs|bureaus?)",
        r"(?:call|contact|phone|ring|email|e-mail|text|tell|inform|notify|alert|visit|write to|reach out to|get in touch with)\w* (?:to )?(?:your|you at your) (?:employer|boss|manager|supervisor|work|workplace|office|job|hr|family|relatives|neighbou?rs?|friends|wife|husband|spouse|partner|kids|children|parents|mother|father|mom|mum|dad|brother|sister|coworkers|co-workers|colleagues|references|church|landlord)",
        r"tell (?:everyone|everybody|people)",
        r"(?:everyone|everybody|people|the whole \w+) will (?:know|find out|hear)",
        r"make sure (?:everyone|everybody|people) (?:knows?|finds? out|hears?)",
        r"take (?:everything|all) (?:you|that you) (?:own|have)",
        r"escalat\w*",
        r"no (?:other )?(?:choice|option) but",
        r"(?:we'?ll|we will|we'?d|we would|we may|we might|we'?re|we are|i'?ll|i will|i'?d) be forced to",
        r"(?:further|formal|serious|drastic|stronger|firmer) (?:action|measures)",
        r"take (?:further|formal|serious|drastic) steps",
        r"action against you",
        r"(?:to|into|with) collections",
        r"collection agenc\w*",
        r"debt collectors?",
    ])
});

static INSULT: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"idiot\w*",
        r"stupid\w*",
        r"moron\w*",
        r"dumb(?:ass\w*|er|est|ly)?",
        r"imbecil\w*",
        r"cretin\w*",
        r"halfwit\w*",
        r"dimwit\w*",
        r"nitwit\w*",
        r"dunces?",
        r"dolts?",
        r"fool(?:s|ish\w*|ery)?",
        r"clowns?",
        r"clownish",
        r"liars?",
        r"(?:you'?re|you are) lying",
        r"loser\w*",
        r"pathetic\w*",
        r"worthless\w*",
        r"useless\w*",
        r"deadbeat\w*",
        r"scum\w*",
        r"lazy",
        r"laziness",
        r"shut up",
        r"incompeten\w*",
        r"disgusting",
        r"freeloader\w*",
        r"parasit\w*",
        r"leech\w*",
        r"sponger\w*",
        r"scrounger\w*",
        r"bloodsucker\w*",
        r"bums?",
        r"vermin",
        r"trash",
        r"garbage",
        r"rubbish",
        r"low-?life\w*",
        r"good[ -]for[ -]nothing",
        r"no-good",
        r"waste of (?:space|oxygen|air|skin)",
        r"crooks?",
        r"crooked",
        r"thie(?:f|ves|ving)",
        r"cheat(?:s|er|ers|ing)?",
        r"bastard\w*",
        r"jerks?",
        r"(?:ass|arse)holes?",
        r"shit\w*",
        r"bullshit",
        r"fuck\w*",
        r"damn\w*",
        r"crap\w*",
        r"bitch\w*",
        r"retard\w*",
        r"pigs?",
        r"ignorant",
        r"ignoramus",
        r"(?:you'?re|you are|you'?ve been|so|how|totally|completely) irresponsible",
        r"disgrace\w*",
        r"shame on you",
        r"(?:should|ought to) be ashamed",
        r"get a (?:grip|life)",
        r"(?:go|just|should|need to|must|have to) get a job",
        r"(?:need to|should|must|have to|time to|please|just) grow up",
        r"dishonest",
    ])
});

static LEGAL_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"arrest\w*",
        r"jail\w*",
        r"gaol\w*",
        r"prison\w*",
        r"imprison\w*",
        r"incarcerat\w*",
        r"lock(?:ed)? (?:you )?up",
        r"behind bars",
        r"handcuff\w*",
        r"custody",
        r"probation",
        r"police\w*",
        r"cops?",
        r"sheriff\w*",
        r"bailiff\w*",
        r"marshals?",
        r"authorities",
        r"criminal\w*",
        r"crimes?",
        r"felon\w*",
        r"misdemeanou?r\w*",
        r"prosecut\w*",
        r"indict\w*",
        r"convict\w*",
        r"sentenced",
        r"deport\w*",
        r"su(?:e|ed|es|ing)",
        r"lawsuits?",
        r"litigat\w*",
        r"courts?",
        r"courthouses?",
        r"courtrooms?",
        r"(?:a|the|any|before|by|from) judges?",
        r"judges",
        r"judg(?:e?ment)s? against",
        r"(?:court|default|county|money) judg\w*",
        r"magistrate\w*",
        r"tribunal\w*",
        r"legal (?:action|actions|proceedings?|steps|measures|consequences|claims?|case|route|process|team|department)",
        r"proceedings",
        r"attorneys?",
        r"lawyers?",
        r"solicitors?",
        r"warrants?",
        r"subpoena\w*",
        r"summons\w*",
        r"summoned",
        r"illegal\w*",
        r"unlawful\w*",
        r"against the law",
        r"breaking the law",
        r"(?:legally|lawfully) (?:required|obliged|obligated|bound|liable)",
        r"fraud\w*",
        r"liens?",
        r"(?:criminal|press|pressing|file|filing|bring|bringing|face|facing) charges",
        r"contempt of court",
        r"theft",
        r"steal\w*",
        r"fined",
        r"(?:heavy|hefty|big|large) fines?",
        r"fines? (?:of|for|against)",
    ])
});

static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"waiv\w*",
        r"forgiv\w*",
        r"amnesty",
        r"discount\w*",
        r"rebate\w*",
        r"guarantee\w*",
        r"grace period",
        r"writ(?:e|es|ing|ten)(?: [a-z]+){0,3} off",
        r"write-?offs?",
        // "drop the late fees", "cancel your debt", "reduce the balance", "freeze the interest".
        r"(?:drop|remov|eliminat|eras|wip|scrap|scratch|delet|cancel|reduc|lower|cut|slash|halv|freez|stop|pause|suspend|revers|refund|forgo|forego|knock|void|absorb|lift|exempt)\w*(?: off| out| away)? (?:(?:the|your|all|any|those|these|some|that|this|of|part|half|most|it|them) )*(?:[a-z]+ )?(?:fees?|charges?|interest|penalt(?:y|ies)|debts?|balance|amount owed|arrears|surcharges?)",
        r"reduc\w* what you owe",
        r"forget (?:about )?(?:the |your |this |that )?(?:debt|balance|fees?|interest|money|it)",
        r"no (?:more |extra |additional |late |further )?(?:fees?|charges?|penalt(?:y|ies))",
        // "no interest" but not "no interest in ...": the end of a clause is matched below.
        r"no (?:more |extra |additional |further )?interest (?:charges?|will|on|added|at all|for|whatsoever|to pay)",
        r"(?:interest|fee|fees|penalty|charge|cost)[ -]free",
        r"free of (?:charge|interest)",
        r"for free",
        r"zero (?:interest|fees?|percent)",
        r"(?:don'?t|do not|won'?t|will not|never|no longer) (?:have|need) to pay",
        r"no need to pay",
        r"pay (?:nothing|less|only part|only half|what you can|whatever you can|what you want)",
        r"only (?:have|need) to pay (?:part|half|some)",
        r"(?:settle|accept|take) (?:for )?(?:less|half|a portion|a fraction|a reduced|a lower|a smaller)",
        r"(?:settle|accept) (?:for )?part",
        r"reduced (?:balance|amount|settlement|payment|payoff)",
        r"off the hook",
        r"let (?:it|this|you) (?:slide|off)",
        r"clean slate",
        r"(?:won'?t|will not|not|never|stop|no longer) (?:charge|charging|add|adding) (?:you )?(?:any )?(?:more )?(?:interest|fees?|penalt(?:y|ies)|charges?)",
        r"free (?:months?|weeks?|years?|period|extension|days?)",
    ])
});

// ---------------------------------------------------------------------------------------------
// Number rules

const ONES: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];
const TEENS: &[&str] = &[
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
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES: &[&str] = &["hundred", "thousand", "million", "billion"];
/// Number words that never state an exact count of days or the balance: fractions, dozens and
/// ordinals (dates). "first" and "second" are left out: too often not numbers.
const INEXACT: &[&str] = &[
    "dozens?",
    "half",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "thirtieth",
    "(?:twenty|thirty)-?(?:first|second)",
];

/// Every number word, longest first so an alternation never stops inside a longer word.
fn number_words() -> String {
    let mut words: Vec<&str> = [ONES, TEENS, TENS, SCALES, INEXACT].concat();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.join("|")
}

/// A run of number words ("one hundred and twenty", "forty-five", "a dozen"), with the unit
/// that follows it when that is days or money.
static NUMBER_RUN: LazyLock<Regex> = LazyLock::new(|| {
    let w = number_words();
    Regex::new(&format!(
        r"(?-u)\b(?:an? (?:hundred|thousand|million|dozen)|(?:{w}))\b(?:(?:[ -]|,? and )(?:{w})\b)*(?:[ -](?:days?|dollars?|bucks?|usd|euros?|pounds?|quid|cents?)\b)?"
    ))
    .expect("static pattern")
});

/// "no interest" at the end of a clause ("... and no interest."), which the word boundary
/// around [`PROMISE`] cannot express without also matching "no interest in ...".
static NO_INTEREST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\bno (?:more |extra |additional |further )?interest(?: ?[.,;:!?)]|$)")
        .expect("static pattern")
});

static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9][0-9,]*(?:\.[0-9]+)?").expect("static pattern"));

/// Time spans other than days, vague counts of days, and named dates and times.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    let w = number_words();
    let adjective = r"(?:(?:full|whole|more|extra|additional|further|long|short|entire|calendar|business|working|few|free)[ -]+)?";
    let quantity = format!(
        r"(?:an?|{w}|few|several|couple(?: of)?|next|this|coming|following|per|each|every|the|that|these|those|whole|entire)"
    );
    let units =
        r"(?:hours?|weeks?|months?|years?|fortnights?|decades?|quarters?|weekends?|semesters?)";
    let small_units = r"(?:hrs?|minutes?|mins?|seconds?|secs?|wks?|mos|mths?|yrs?|nights?)";
    word_pattern(&[
        &format!(r"[0-9][0-9,.]*[ -]*{adjective}{units}"),
        &format!(r"{quantity}[ -]+{adjective}{units}"),
        &format!(r"(?:[0-9][0-9,.]*|{w})[ -]*{adjective}{small_units}"),
        &format!(
            r"(?:an?|few|several|couple(?: of)?|half an?|dozens? of|next|coming|following|per|each|every|within a)[ -]+{adjective}days?"
        ),
        r"(?:end|start|beginning|middle|mid|rest) of (?:the |this |next )?(?:week|month|year|quarter|business)",
        r"(?:by|before|until|till) (?:the )?end of (?:the )?day",
        r"end of day",
        r"tomorrow|tonight|overnight|midnight|noon|midday|o'?clock|close of business|eod|cob",
        r"this (?:morning|afternoon|evening)",
        r"(?:bi-?)?weekly|(?:bi-?)?monthly|yearly|annual\w*|fortnightly|quarterly|semi-?annual\w*",
        r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?",
        r"january|february|march|april|june|july|august|september|october|november|december",
        r"(?:by|in|until|till|before|of|since|mid|early|late|on|from|through|next|last)[ -]may",
        r"may [0-9]+",
        r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.? ?[0-9]+",
        r"christmas|xmas|x-mas|new[ -]?year'?s?|easter|thanksgiving|halloween|hanukk?ah|chanukk?ah|passover|ramadan|diwali|eid",
        r"(?:boxing|labou?r|memorial|independence|veterans|presidents'?|mother'?s|father'?s|valentine'?s|canada|victoria) day",
        r"valentine'?s?",
        r"pay ?days?",
        r"(?:next|your) pay ?(?:check|cheque)",
        r"(?:this|next|by|until|till|before) (?:the )?(?:spring|summer|autumn|fall|winter)",
        r"[0-9]+ ?(?:st|nd|rd|th|am|pm|a\.m|p\.m)",
        r"[0-9]+:[0-9]+",
        r"[0-9]+/[0-9]+",
        r"percent|per cent",
    ])
});

/// The value of a run of number words, or `None` when it is not one exact, well-formed count
/// ("half", "a dozen", "third", "thirty forty").
fn number_value(run: &str) -> Option<f64> {
    #[derive(Clone, Copy, PartialEq)]
    enum Last {
        Start,
        Article,
        Ones,
        Teen,
        Tens,
        Hundred,
        Big,
    }
    let (mut total, mut cur, mut last) = (0.0f64, 0.0f64, Last::Start);
    for w in run
        .split([' ', '-', ','])
        .filter(|w| !w.is_empty() && *w != "and")
    {
        let position = |list: &[&str]| list.iter().position(|x| *x == w);
        if let Some(v) = position(ONES) {
            if !matches!(last, Last::Start | Last::Tens | Last::Hundred | Last::Big) {
                return None;
            }
            cur += v as f64;
            last = Last::Ones;
        } else if let Some(v) = position(TEENS) {
            if !matches!(last, Last::Start | Last::Hundred | Last::Big) {
                return None;
            }
            cur += (v + 10) as f64;
            last = Last::Teen;
        } else if let Some(v) = position(TENS) {
            if !matches!(last, Last::Start | Last::Hundred | Last::Big) {
                return None;
            }
            // "fourty" is a misspelling of "forty": both are 40.
            cur += [20.0, 30.0, 40.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0][v];
            last = Last::Tens;
        } else if w == "a" || w == "an" {
            if last != Last::Start {
                return None;
            }
            cur = 1.0;
            last = Last::Article;
        } else if w == "hundred" {
            if matches!(last, Last::Hundred) {
                return None;
            }
            cur = cur.max(1.0) * 100.0;
            last = Last::Hundred;
        } else if let Some(scale) = match w {
            "thousand" => Some(1e3),
            "million" => Some(1e6),
            "billion" => Some(1e9),
            _ => None,
        } {
            if last == Last::Big {
                return None;
            }
            total += cur.max(1.0) * scale;
            cur = 0.0;
            last = Last::Big;
        } else {
            // Units and inexact words.
            return None;
        }
    }
    Some(total + cur)
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.005
}

/// True for a bare "one" that is a pronoun, not a count ("no one", "the one", "one of").
fn pronoun_one(norm: &str, start: usize, end: usize) -> bool {
    let before = norm[..start].trim_end();
    let prev = before
        .rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .next()
        .unwrap_or("");
    let after = norm[end..].trim_start();
    let next = after
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    matches!(
        prev,
        "no" | "the" | "this" | "that" | "each" | "every" | "any" | "which" | "someone"
    ) || matches!(
        next,
        "of" | "another" | "thing" | "step" | "way" | "option" | "idea" | "question"
    )
}

// ---------------------------------------------------------------------------------------------
// The check

/// Violations found so far, without duplicates and at most [`MAX_VIOLATIONS`].
struct Found(Vec<Violation>);

impl Found {
    fn push(&mut self, v: Violation) {
        if self.0.len() < MAX_VIOLATIONS && !self.0.contains(&v) {
            self.0.push(v);
        }
    }
}

/// Checks one reply; an empty list means it may be spoken.
pub fn check_reply(text: &str, facts: &ReplyFacts) -> Vec<Violation> {
    let length = text.chars().count();
    if text.trim().is_empty() || length > MAX_REPLY_CHARS {
        return vec![Violation::Length(length)];
    }
    check_text(&normalise(text), facts)
}

/// Every rule but the length on normalised text (any length; linear time).
fn check_text(norm: &str, facts: &ReplyFacts) -> Vec<Violation> {
    let mut found = Found(Vec::new());
    let undone = disguise_undone(norm);
    for (pattern, make) in [
        (&*THREAT, Violation::Threat as fn(String) -> Violation),
        (&*INSULT, Violation::Insult),
        (&*LEGAL_CLAIM, Violation::LegalClaim),
        (&*PROMISE, Violation::Promise),
        (&*NO_INTEREST, Violation::Promise),
    ] {
        let m = pattern
            .find(norm)
            .or_else(|| undone.as_deref().and_then(|u| pattern.find(u)));
        if let Some(m) = m {
            found.push(make(m.as_str().to_string()));
        }
    }
    check_numbers(norm, facts, &mut found);
    found.0
}

fn check_numbers(norm: &str, facts: &ReplyFacts, found: &mut Found) {
    let offer = f64::from(facts.offer_days);
    let wrong = |s: &str| Violation::WrongNumber(s.to_string());
    // Day mentions and amounts of money, as the perception reads them.
    let reading = read_offer(norm, facts.today);
    let mut states_offer = false;
    for mention in &reading.mentions {
        if mention.days == facts.offer_days && mention.low == mention.days && !mention.negated {
            states_offer = true;
        } else {
            found.push(Violation::WrongNumber(format!("{} days", mention.days)));
        }
    }
    for &amount in &reading.amounts {
        if !same(amount, facts.balance) {
            found.push(Violation::WrongNumber(format!("${amount}")));
        }
    }
    // Any written number must be the offer or the balance: nothing else may be promised.
    for m in DIGITS.find_iter(norm) {
        let value: f64 = m.as_str().replace(',', "").parse().unwrap_or(f64::NAN);
        if !same(value, offer) && !same(value, facts.balance) {
            found.push(wrong(m.as_str()));
        }
    }
    // Digits in other scripts ("٣٠", "½", "③") are never the offer as the reply must state it.
    for c in norm
        .chars()
        .filter(|c| c.is_numeric() && !c.is_ascii_digit())
    {
        found.push(Violation::WrongNumber(c.to_string()));
    }
    // Number words: the offer in days, the balance as money, or either bare.
    for m in NUMBER_RUN.find_iter(norm) {
        let run = m.as_str();
        let (number, unit) = match run.rsplit_once([' ', '-']) {
            Some((n, u)) if u.starts_with("day") => (n, Some(true)),
            Some((n, u))
                if ["dollar", "buck", "usd", "euro", "pound", "quid", "cent"]
                    .iter()
                    .any(|p| u.starts_with(p)) =>
            {
                (n, Some(false))
            }
            _ => (run, None),
        };
        let allowed = match (number_value(number), unit) {
            (Some(v), Some(true)) => same(v, offer),
            (Some(v), Some(false)) => same(v, facts.balance),
            (Some(v), None) => {
                same(v, offer)
                    || same(v, facts.balance)
                    || (run == "one" && pronoun_one(norm, m.start(), m.end()))
            }
            (None, _) => false,
        };
        if !allowed {
            found.push(wrong(run));
        }
    }
    // Other time units, vague counts of days and named dates, even when they convert to the offer.
    for m in TIME.find_iter(norm) {
        found.push(wrong(m.as_str()));
    }
    if !states_offer {
        found.push(Violation::MissingOffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts() -> ReplyFacts {
        ReplyFacts {
            offer_days: 30,
            balance: 1250.0,
            today: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        }
    }

    fn kind(v: &Violation) -> &'static str {
        match v {
            Violation::Threat(_) => "threat",
            Violation::Insult(_) => "insult",
            Violation::LegalClaim(_) => "legal",
            Violation::Promise(_) => "promise",
            Violation::WrongNumber(_) => "number",
            Violation::MissingOffer => "missing",
            Violation::Length(_) => "length",
        }
    }

    /// Each text must raise a violation of `expected` kind.
    fn assert_caught(cases: &[(&str, &str)]) {
        let mut missed = Vec::new();
        for (text, expected) in cases {
            let found = check_reply(text, &facts());
            if !found.iter().any(|v| kind(v) == *expected) {
                missed.push(format!("{text:?} (want {expected}): {found:?}"));
            }
        }
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
    }

    #[test]
    fn a_polite_reply_stating_the_offer_passes() {
        let ok = "I understand this is hard. Could you settle the $1,250 balance within 30 days?";
        assert_eq!(check_reply(ok, &facts()), vec![]);
    }

    #[test]
    fn ordinary_polite_replies_pass() {
        let replies = [
            "I understand this is hard. Can we agree on 30 days?",
            "Thank you, Alex. We're agreed on 30 days, and I'll send you the plan in writing.",
            "I'm concerned about letting this drift. Please consider 30 days.",
            "I need a firm commitment to 30 days for the full balance.",
            "The outstanding balance is $1,250.00. I can offer a repayment period of 30 days.",
            "I know it’s been a hard time, and I’m not here to judge you. Would thirty days help?",
            "No one wants this to drag on. Let’s take it one step at a time: 30 days to settle $1,250.",
            "I hear you. Could you clear the balance within 30 days? Have a good day.",
            "Thanks for your patience — I'm calling on behalf of Riverside Energy. 30 days works.",
            "This may feel like a lot, but 30 days gives you room. Is that okay with you?",
            "We haven't been able to agree this time. My offer of 30 days still stands.",
            "I can set it up right away: 30 days, starting from today.",
            "I'd like to help you protect your budget. Would a 30-day plan work for you?",
            "I completely understand, Alex. Losing a job is really tough. Could you manage 30 days?",
            "I know money is tight right now. 30 days gives you some breathing room.",
            "I hear your frustration, and I'm not trying to make this harder. 30 days is the best I can do.",
            "I'm afraid I can't extend beyond 30 days, but I'm happy to answer any questions.",
            "Good morning, Alex. I'm calling from Riverside Energy about your account. 30 days?",
            "We can confirm everything by email once you agree to 30 days.",
            "Take a moment to think about it. My offer is 30 days.",
            "Your payment history matters to us, and I'd like to help. Can you do 30 days?",
            "Honestly, I think 30 days is fair for both sides.",
            "I have no interest in making this harder. At the end of the day, 30 days is fair.",
            "Let's strike a balance: 30 days, and you can take part in choosing the start.",
            "I hope you get a job soon. Feel free to shoot me an email; 30 days is my offer.",
            "I know this will hit your budget, so I'll send over the plan for 30 days in writing.",
            "We'll report your payment as received once it's in, within 30 days.",
            "Many people know how hard this is. We can find you a plan: 30 days, a fine option.",
            "I don't want this to drain your savings. In your free time, think about 30 days.",
            "A foolproof plan: 30 days. What other steps would help you?",
        ];
        for text in replies {
            assert_eq!(check_reply(text, &facts()), vec![], "{text:?}");
        }
    }

    #[test]
    fn each_kind_of_violation_is_caught_with_evidence() {
        let cases = [
            (
                "Pay in 30 days or else.",
                Violation::Threat("or else".into()),
            ),
            (
                "Pay in 30 days, you deadbeat.",
                Violation::Insult("deadbeat".into()),
            ),
            (
                "You will be arrested unless you pay in 30 days.",
                Violation::LegalClaim("arrested".into()),
            ),
            (
                "We can waive the interest if you pay in 30 days.",
                Violation::Promise("waive".into()),
            ),
            (
                "Pay in 30 days, or 45 days at most.",
                Violation::WrongNumber("45 days".into()),
            ),
            ("Please pay soon.", Violation::MissingOffer),
            ("", Violation::Length(0)),
        ];
        for (text, expected) in cases {
            let found = check_reply(text, &facts());
            assert!(found.contains(&expected), "{text:?}: {found:?}");
        }
    }

    #[test]
    fn inflected_words_are_caught() {
        assert_caught(&[
            ("You could get killed. Pay in 30 days.", "threat"),
            (
                "Your things will be seized if you don't pay in 30 days.",
                "threat",
            ),
            (
                "Your credit will be destroyed unless you pay in 30 days.",
                "threat",
            ),
            ("You will be sued if you don't pay in 30 days.", "legal"),
            ("The courts will hear about this. Pay in 30 days.", "legal"),
            ("People get jailed for this. Pay in 30 days.", "legal"),
        ]);
    }

    #[test]
    fn threats_are_caught() {
        assert_caught(&[
            ("Pay in 30 days or you will be killed.", "threat"),
            ("Pay in 30 days or your car will be seized.", "threat"),
            ("Pay in 30 days or you’ll regret it.", "threat"),
            ("Pay in 30 days or youll regret it.", "threat"),
            (
                "Pay in 30 days or we will report you to the credit bureaus.",
                "threat",
            ),
            ("Pay in 30 days or we'll call your employer.", "threat"),
            ("Pay in 30 days or we’ll contact your family.", "threat"),
            ("We know where you live. 30 days.", "threat"),
            ("30 days, or we cut off your power.", "threat"),
            ("This is your final warning: 30 days.", "threat"),
            (
                "Pay in 30 days or everyone will know you don't pay your debts.",
                "threat",
            ),
            ("Pay in 30 days or we'll take everything you own.", "threat"),
            (
                "Pay in 30 days, otherwise we'll have no choice but to escalate.",
                "threat",
            ),
            (
                "Pay in 30 days or we'll send this to collections.",
                "threat",
            ),
            (
                "Pay in 30 days or we’ll be forced to take further action.",
                "threat",
            ),
            ("Pay in thirty days or we'll make your life hell.", "threat"),
        ]);
    }

    #[test]
    fn legal_claims_are_caught() {
        assert_caught(&[
            (
                "We will start legal proceedings unless you pay in 30 days.",
                "legal",
            ),
            (
                "A judge will hear this if you don't pay in 30 days.",
                "legal",
            ),
            ("Not paying in 30 days is a felony.", "legal"),
            (
                "We'll send the bailiffs unless you pay in 30 days.",
                "legal",
            ),
            (
                "Our lawyers will file criminal charges if it's not paid in 30 days.",
                "legal",
            ),
        ]);
    }

    #[test]
    fn insults_are_caught_even_when_disguised() {
        assert_caught(&[
            ("Pay in 30 days, you useless parasite.", "insult"),
            ("Stop acting like a clown and pay in 30 days.", "insult"),
            ("Pay in 30 days, imbecile.", "insult"),
            ("Pay in 30 days, you id\u{200b}iot.", "insult"),
            ("Pay in 30 days, you ıdiot.", "insult"),
            ("Pay in 30 days, you ＩＤＩＯＴ.", "insult"),
            ("Pay in 30 days, you іdіot.", "insult"), // Cyrillic і
            ("Pay in 30 days, you i\u{00AD}di\u{200D}ot.", "insult"),
            ("Pay in 30 days, you 1d10t.", "insult"),
            ("Pay in 30 days, you 𝐢𝐝𝐢𝐨𝐭.", "insult"),
            ("Pay in 30 days, you stüpid m\u{0301}oron.", "insult"),
            ("Pay in 30 days, you i d i o t.", "insult"),
            ("Pay in 30 days, you i-d-i-0-t.", "insult"),
        ]);
    }

    #[test]
    fn off_policy_promises_are_caught() {
        assert_caught(&[
            ("Pay in 30 days and we'll drop the late fees.", "promise"),
            ("Pay in 30 days and we can cancel your debt.", "promise"),
            ("Pay in 30 days and we'll reduce the balance.", "promise"),
            ("Pay in 30 days and there will be no interest.", "promise"),
            ("Pay in 30 days, no interest, no fees.", "promise"),
            ("We can write it off if you pay half in 30 days.", "promise"),
            ("Pay in 30 days and we'll forgive the rest.", "promise"),
            ("Pay in 30 days and I'll knock off the interest.", "promise"),
            ("Pay in 30 days and we won't charge interest.", "promise"),
            ("Pay in 30 days and you get a free month.", "promise"),
        ]);
    }

    #[test]
    fn numbers_other_than_the_offer_and_balance_are_caught() {
        assert_caught(&[
            ("Pay three hundred dollars within 30 days.", "number"),
            ("Pay five hundred now and the rest in 30 days.", "number"),
            ("You have 30 hours.", "number"),
            (
                "Pay within 30 days, that is in a month and a day.",
                "number",
            ),
            ("Pay within 30 days, by New Year’s Eve.", "number"),
            ("Pay within 30 days, so by Friday next month.", "number"),
            ("30 days means by March 31st.", "number"),
            (
                "Pay within 30 days or a month, whichever is sooner.",
                "number",
            ),
            ("Pay in 30 days: that's about four weeks.", "number"),
            ("Pay within 30 days, a fortnight is too short.", "number"),
            ("Pay within 30 days, or in 2 weeks.", "number"),
            ("Pay $30 within 30 days.", "number"),
            ("Pay within 30 days, 10% down.", "number"),
            ("Pay within 30 days, or a few days later.", "number"),
            ("Pay within 30 days — twenty would be better.", "number"),
            ("Pay within 30 days, a dozen payments.", "number"),
            ("Pay half within 30 days.", "number"),
            ("Pay within 30 days, by 5pm.", "number"),
            ("Pay within 30 days with monthly instalments.", "number"),
            ("Pay within 30 days, by the fifteenth.", "number"),
            ("Pay within 30 days, ٣ payments.", "number"),
            ("Pay within 30 days, one payment at a time.", "number"),
            ("Pay within thirty days, one day at a time.", "number"),
        ]);
    }

    #[test]
    fn the_offer_and_the_balance_may_be_written_in_words() {
        for text in [
            "Could you settle the balance within thirty days?",
            "Could you settle the one thousand two hundred and fifty dollars within thirty days?",
            "Could you settle the balance within thirty-days, that's 30 days?",
            "Could you settle the balance of 1250 dollars within 30 days?",
            "Could you settle the ＄１，２５０ balance within ３０ days?",
        ] {
            assert_eq!(check_reply(text, &facts()), vec![], "{text:?}");
        }
    }

    #[test]
    fn normalisation_folds_look_alikes_and_drops_invisible_characters() {
        assert_eq!(normalise("  You’ll  “SEE”\u{200B}\n"), "you'll \"see\"");
        assert_eq!(
            normalise("ıd\u{2060}iot ＩＤＩＯＴ іdіot 𝐈𝐃"),
            "idiot idiot idiot id"
        );
        assert_eq!(
            normalise("Ⓚ\u{0301}ill — naïve façade"),
            "kill - naive facade"
        );
        assert_eq!(normalise("\u{200B}\u{FEFF}"), "");
    }

    #[test]
    fn number_words_are_valued() {
        assert_eq!(number_value("thirty"), Some(30.0));
        assert_eq!(number_value("forty-five"), Some(45.0));
        assert_eq!(number_value("a hundred and twenty"), Some(120.0));
        assert_eq!(
            number_value("one thousand two hundred and fifty"),
            Some(1250.0)
        );
        assert_eq!(number_value("thirty forty"), None);
        assert_eq!(number_value("a dozen"), None);
        assert_eq!(number_value("half"), None);
    }

    #[test]
    fn other_numbers_are_refused_even_without_a_unit() {
        let found = check_reply("Pay 500 now and the rest in 30 days.", &facts());
        assert!(
            found.contains(&Violation::WrongNumber("500".into())),
            "{found:?}"
        );
    }

    #[test]
    fn an_overlong_reply_is_refused() {
        let long = "Please pay in 30 days. ".repeat(40);
        assert!(matches!(
            check_reply(&long, &facts())[..],
            [Violation::Length(_)]
        ));
    }

    #[test]
    fn a_huge_text_is_refused_and_still_fully_checkable() {
        let text =
            "Pay the 1d10t's $1,250 in 30 days or else: three hundred\u{200B} ".repeat(2_000);
        assert!(text.len() > 100_000);
        assert!(matches!(
            check_reply(&text, &facts())[..],
            [Violation::Length(_)]
        ));
        let found = check_text(&normalise(&text), &facts());
        assert!(!found.is_empty() && found.len() <= MAX_VIOLATIONS);
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,700}", offer in 1u32..400) {
            let f = ReplyFacts { offer_days: offer, ..facts() };
            let found = check_reply(&s, &f);
            prop_assert!(found.len() <= MAX_VIOLATIONS);
        }

        #[test]
        fn never_panics_on_arbitrary_characters(s in any::<String>()) {
            check_reply(&s, &facts());
            check_text(&normalise(&s), &facts());
        }

        #[test]
        fn a_100_kb_text_finishes_quickly(unit in "\\PC{1,40}") {
            let text = unit.repeat(100_000 / unit.len() + 1);
            check_reply(&text, &facts());
            let found = check_text(&normalise(&text), &facts());
            prop_assert!(found.len() <= MAX_VIOLATIONS);
        }

        #[test]
        fn rule_words_are_found_whatever_surrounds_them(
            before in "[a-z ,.]{0,20}",
            word in prop::sample::select(vec!["idiot", "sued", "killed", "waived", "jailed"]),
        ) {
            let text = format!("{before} {word}, pay in 30 days");
            let found = check_reply(&text, &facts());
            prop_assert!(
                found.iter().any(|v| !matches!(v, Violation::WrongNumber(_) | Violation::MissingOffer)),
                "{:?}: {:?}", text, found
            );
        }
    }
}
