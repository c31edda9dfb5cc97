//! The listener's check: what a debtor must never hear, beside the guardrails.
//!
//! The guardrails ([`crate::decide::check_reply`]) enforce the decision: the offer, the numbers,
//! no threats or waivers in so many words. This check listens the way a debtor would and refuses
//! the failures a small language model makes while obeying them:
//!
//! 1. [`Defect::Denial`]: the debt denied or waived in other words ("not obligated", "you don't
//!    owe", "the balance is cleared"), or a promise outside the decision ("take all the time you
//!    need", "we'll stop calling");
//! 2. [`Defect::SelfTalk`]: the agent speaking about itself as an AI, model or program, its
//!    abilities, or refusing ("I'm not equipped to help");
//! 3. [`Defect::Invented`]: a person who is not a party, or a fact about the debtor's life
//!    (family, health, a death, a job, a business, a home) that neither the debtor nor the
//!    scenario stated;
//! 4. [`Defect::Tone`]: cheer at bad news, or words opposite to the chosen tone;
//! 5. [`Defect::Form`]: a greeting after the opening, letter forms, markup, emojis, quotes of
//!    the instruction;
//! 6. [`Defect::Repeated`] and [`Defect::Unresponsive`]: a sentence said twice (in the reply, or
//!    the agent's last reply again), or a reply whose first sentence passes over what the debtor
//!    just said (bad news, anger, a claim, a question of who is calling).
//!
//! A [`Listener`] is built once per reply from the [`ReplyRequest`] (what was said, who the
//! parties are, the chosen tone); [`Listener::sentence`] checks each sentence before it is
//! spoken (the first one must answer the debtor) and [`Listener::hear`] a whole reply text.
//! Word rules on normalised text: microseconds per reply.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{ReplyKind, ReplyRequest, Side};
use crate::decide::guardrails::{normalise, word_pattern};
use crate::emotion::Emotion;

/// One thing a listener must not hear, with the words that carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "evidence", rename_all = "snake_case")]
pub enum Defect {
    /// The debt denied, waived, reduced or cleared, or a promise outside the decision.
    Denial(String),
    /// The agent speaking of itself as an AI, model or program, of its abilities, or refusing.
    SelfTalk(String),
    /// A person who is not a party, or a fact about the debtor nobody stated.
    Invented(String),
    /// Cheer at bad news, or words opposite to the chosen tone.
    Tone(String),
    /// A greeting after the opening, a letter form, markup, an emoji or a quoted instruction.
    Form(String),
    /// A sentence already said in this reply or in the agent's previous one.
    Repeated(String),
    /// The debtor said something that needs an answer and the reply passes over it.
    Unresponsive,
}

impl Defect {
    /// Short name of the defect's kind, for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Defect::Denial(_) => "denial",
            Defect::SelfTalk(_) => "self",
            Defect::Invented(_) => "invented",
            Defect::Tone(_) => "tone",
            Defect::Form(_) => "form",
            Defect::Repeated(_) => "repeat",
            Defect::Unresponsive => "unresponsive",
        }
    }
}

static DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"not (?:obligated|obliged|liable|responsible)",
        r"no (?:obligation|need|requirement) to pay",
        r"(?:don'?t|do not|won'?t|will not|wouldn'?t|never) (?:have|need|got) to (?:pay|worry about (?:paying|the (?:balance|debt|bill|money)))",
        r"(?:you |they )?(?:don'?t|do not|no longer|doesn'?t|does not) owe",
        r"(?:owe|owes|owed) (?:us |me )?nothing",
        r"(?:debt|balance|bill|account|amount|loan|invoice)s? (?:you|that you) (?:don'?t|do not) owe",
        r"nothing (?:is )?(?:owed|due|outstanding)",
        r"(?:debt|balance|bill|account|amount|loan|invoice|arrears) (?:is|has been|was|'s)(?: now| already| officially| fully| all)? (?:cleared|cancel+ed|forgiven|waived|settled|paid(?: off)?|closed|gone|zero|written off|wiped|void|taken care of|covered)",
        r"(?:let'?s|we'?ll|we will|we can|i'?ll|i will|i can|you can|just) (?:forget|drop|cancel|clear|erase|close|pretend)\w* (?:about )?(?:the|your|this|it|that)",
        r"forget (?:about )?(?:it|paying)",
        r"nothing (?:more |else |left )?to pay",
        r"call it (?:even|square|quits)",
        r"consider (?:the|your|this) (?:account|debt|balance|matter|bill) (?:settled|closed|paid|done|cleared)",
        r"(?:this|it) never happened",
        r"knock (?:it|that|the \w+) down",
        r"(?:percent|%) off",
        r"(?:half|part) (?:is|will be) (?:fine|enough|ok|okay)",
        r"whatever you can (?:afford|manage|pay)",
        r"don'?t worry about (?:paying|the (?:balance|debt|bill|money|payment)|it)",
        r"(?:free of charge|for free|no charge|at no cost)",
        r"(?:unable|not able|can'?t|cannot) (?:to )?(?:make a payment|collect|accept (?:a |your )?payment)",
        r"take all (?:the |your )?time (?:you need|you want|in the world)",
        r"as (?:long|much time) as you (?:need|want|like)",
        r"(?:whenever|when(?:ever)?) you (?:can|like|want|are ready|feel like it)",
        r"pay (?:what|whatever) you can",
        r"no (?:rush|hurry|pressure|deadline)",
        r"(?:won'?t|will not|never) (?:call|contact|chase|bother) you (?:again|anymore|any more)",
        r"no (?:late )?(?:fees|charges|penalt\w*)",
        r"(?:won'?t|will not|don'?t|do not) owe (?:anything|a thing|any ?more|a penny|a cent)",
        r"(?:we'?ll|i'?ll|we will|i will) stop (?:the |all )?(?:calls|calling|contacting|chasing)",
        r"(?:pause|freeze|suspend|hold)\w* (?:the|your) (?:account|debt|payments?)",
        r"(?:doesn'?t|does not|won'?t|will not) (?:matter|count)",
        r"(?:a |the |this |your )?(?:debt|balance|account|bill|loan|invoice|card|amount) (?:isn'?t|is not|wasn'?t|was not|may not be|might not be) (?:real|yours|valid|your (?:debt|responsibility)|owed|due)",
        r"(?:mistakenly|wrongly|falsely|incorrectly) (?:reported|charged|billed|added|assigned|opened)",
        r"(?:not|never) (?:your|you(?:r)? own) (?:debt|account|bill|loan|card)",
        r"not (?:a |your )?(?:real|valid) (?:debt|balance)",
    ])
});

static SELF_TALK: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"(?:an? |the )?(?:ai|a\.i\.|artificial intelligence|language model|llm|chat ?bot|bot|robot|virtual assistant|digital assistant|ai assistant|computer program|algorithm)",
        r"(?:as|i'?m|i am) (?:an? |your |just an? |only an? )?(?:assistant|model|program|machine|computer)",
        r"my (?:programming|training|creators?|developers?|instructions|system prompt|guidelines|abilit\w*|capabilit\w*|knowledge|database|tools)",
        r"(?:designed|programmed|trained|built|created) to",
        r"i (?:don'?t|do not) have (?:the )?(?:ability|abilities|capabilit\w*|authority|power|tools|access|information|feelings|emotions|a body)",
        r"(?:i'?m|i am) (?:not|un)(?:able|equipped|qualified|authori[sz]ed|allowed|familiar|available|in a position|here)",
        r"(?:i'?m|i am) not at all",
        r"(?:i|we) (?:can'?t|cannot|can not|won'?t|am unable to|'m unable to) (?:help|assist|do that|do this|discuss|talk|change (?:the|my|your) tone|provide|answer|make (?:a |any )?payments?)",
        r"(?:beyond|outside) (?:my|the) (?:scope|abilit\w*|capabilit\w*|control|role)",
        r"(?:i'?m|i am) (?:sorry|afraid),? but (?:as|i (?:can'?t|cannot|am not|'m not|don'?t))",
        r"(?:i|we) (?:can'?t|cannot) (?:be of )?(?:any )?(?:help|assistance)",
        r"(?:i|we) (?:don'?t|do not) (?:know|understand) (?:what|how|anything about)",
        r"(?:your|the) system",
        r"(?:phone|video) call",
        r"(?:i was|i'?m|i am|i've been|i have been) (?:trained|built|programmed|designed|made|created|generated)",
        r"automated",
        r"software",
        r"generated",
        r"capable of",
        r"(?:i|we) (?:can'?t|cannot) continue",
        r"(?:not|un)able to answer",
        // Talk about the conversation as text: a program's view of it.
        r"my (?:previous |last |earlier )?(?:response|reply|answer|sentence|message|output)",
        r"(?:the|this|our) chat",
        r"(?:a|the|my|your) (?:sentence|prompt|text|input)",
        r"assist\w*",
    ])
});

/// Cheerful words: wrong after bad news, and opposite to a sympathetic, concerned or firm tone.
static CHEER: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"(?:so |very |really )?(?:glad|happy|pleased|delighted|thrilled|excited) (?:to hear|about|that|for you)",
        r"(?:so|very|really|just|truly) (?:glad|happy|pleased|delighted|thrilled|excited)",
        r"(?:delighted|thrilled|excited)",
        r"(?:that'?s|that is|how|this is|it'?s|what a) (?:so |really |very )?(?:great|wonderful|fantastic|awesome|excellent|amazing|lovely|brilliant|fabulous|terrific|exciting|good news)",
        r"great news",
        r"good news",
        r"congratulations",
        r"congrats",
        r"yay",
        r"hooray",
        r"woo+",
        r"(?:great|wonderful|fantastic|awesome|excellent|amazing|perfect|brilliant|lovely|super)!",
        r"^(?:great|wonderful|fantastic|awesome|excellent|amazing|perfect|brilliant|lovely|super|cool|nice)\b",
        r"lucky (?:you|for you)",
        r"(?:how )?delightful",
        r"exciting",
        r"(?:happy|glad|pleased) to hear",
        r"good for you",
        r"love (?:that|to hear|it)",
        r"going (?:so )?well",
        r"i'?m (?:so |really |very )?(?:glad|happy|pleased) (?:the|that|about|your|you'?re|you are|it'?s|this)",
        r"i (?:really )?love",
    ])
});

/// Harsh, impatient words: opposite to a warm or sympathetic tone.
static HARSH: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"unacceptable",
        r"(?:i'?m|i am) (?:frustrated|annoyed|irritated|fed up|tired of|sick of|disappointed)",
        r"excuses",
        r"enough is enough",
        r"stop (?:going in circles|wasting|stalling|making)",
        r"(?:deal|dealing) (?:with each other )?straight",
        r"frankly",
    ])
});

static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        // Meeting someone in person, on a phone call.
        r"(?:nice|pleasure|delighted|glad|thrilled|happy|great) to (?:meet|see) you",
        r"(?:a )?pleasure to (?:meet|have|speak)",
        r"have you (?:here|with us|in our)",
        r"welcome (?:to|back|aboard)",
        r"(?:our|your|this) (?:city|town|office|store|branch|lobby)",
        r"in person",
        r"with us today",
        r"^(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening|day))",
        r"(?:hope|trust) (?:this|my|our) (?:call|message|letter|email|note)? ?finds you",
        r"(?:hope|trust) (?:you'?re|you are|you'?ve been|you have been|all is|everything is) (?:doing |keeping |well|good|fine)",
        r"how (?:are|have) you (?:doing|been|today)",
        r"how are you",
        r"nice to (?:meet|speak|talk)",
        r"thank(?:s| you) for (?:taking|answering) (?:my|the|this) call",
    ])
});

static LETTER: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"^dear",
        r"(?:best|kind|warm|warmest) (?:regards|wishes)",
        r"regards,?$",
        r"sincerely",
        r"yours (?:truly|faithfully|sincerely)",
        r"^(?:p\.?s\.?)",
        r"sign(?:ed)?[:,]",
        r"\[[a-z ]+\]",
    ])
});

/// A speaker's label ("Reply:", "Agent:") or an instruction's ("Your tone:").
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)(?:^|\b)(?:reply|response|answer|example|assistant|user|system|debtor|creditor|agent|collector|tone|note|output) ?:")
        .expect("static pattern")
});

static INSTRUCTION: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"your tone",
        r"my tone",
        r"in (?:that|this|a|the) tone",
        r"like this example",
        r"the example",
        r"example:",
        r"as instructed",
        r"(?:the |my )?instructions?",
        r"(?:write|writing) (?:your|my|a) (?:own )?reply",
        r"here (?:is|'s) (?:my|a|the) (?:reply|response|answer)",
    ])
});

/// What the agent cannot perceive on a call, or says of the debtor as if they were not there.
static PERCEIVED: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"i (?:can )?see (?:that )?you(?:'ve|'re| have| are| just| were|r)",
        r"you(?:'ve| have) (?:just )?(?:taken|managed|reached|found|heard|added|asked|edited|got|made|shared|posted|sent me|written|typed|uploaded)",
        r"(?:you'?re|you are) (?:looking at|holding|reading|typing|wearing|sitting|standing)",
        r"(?:photo|picture|image|video|screen|receipt in your hand)",
        r"(?:just |already )?(?:called|emailed|texted|messaged|visited|met) (?:me|you|us)",
    ])
});

/// Facts about a life, by concept. A reply may mention a concept only when the debtor's words
/// or the scenario did: the debtor's side is matched by the wider `stated` patterns.
struct Concept {
    name: &'static str,
    said: Regex,
    stated: Regex,
}

static CONCEPTS: LazyLock<Vec<Concept>> = LazyLock::new(|| {
    let concept = |name, said: &[&str], stated: &[&str]| Concept {
        name,
        said: word_pattern(said),
        stated: word_pattern(&[said, stated].concat()),
    };
    vec![
        concept(
            "family",
            &[
                r"famil\w*",
                r"wife",
                r"husband",
                r"spouse",
                r"kids?",
                r"children",
                r"child",
                r"sons?",
                r"daughters?",
                r"mother",
                r"mom",
                r"mum",
                r"father",
                r"dad",
                r"parents?",
                r"brother",
                r"sister",
                r"bab(?:y|ies)",
                r"grand\w+",
                r"divorc\w*",
                r"marriage",
                r"wedding",
                r"relatives?",
                r"loved ones?",
            ],
            &[
                r"partner",
                r"ex",
                r"girlfriend",
                r"boyfriend",
                r"aunt",
                r"uncle",
                r"nan",
                r"gran",
            ],
        ),
        concept(
            "health",
            &[
                r"sick\w*",
                r"ill",
                r"illness\w*",
                r"hospital\w*",
                r"surger\w*",
                r"doctors?",
                r"diagnos\w*",
                r"cancer",
                r"health\w*",
                r"injur\w*",
                r"disab\w*",
                r"treatment",
                r"medication",
                r"recover\w*",
                r"condition",
                r"get well",
            ],
            &[
                r"medical",
                r"clinic",
                r"pain",
                r"operation",
                r"chemo\w*",
                r"ward",
                r"hurt",
                r"accident",
                r"pregnan\w*",
                r"depress\w*",
                r"anxiety",
                r"mental",
                r"therapy",
                r"back",
                r"broke my",
            ],
        ),
        concept(
            "death",
            &[
                r"passed away",
                r"passing",
                r"death",
                r"died",
                r"loss",
                r"funeral",
                r"bereave\w*",
                r"grie\w*",
                r"mourn\w*",
                r"condolences",
            ],
            &[
                r"passed",
                r"dead",
                r"lost (?:my|our|her|his)",
                r"buried",
                r"gone",
            ],
        ),
        concept(
            "job",
            &[
                r"jobs?",
                r"laid off",
                r"lay-?offs?",
                r"unemploy\w*",
                r"fired",
                r"redundan\w*",
                r"employer",
                r"career",
                r"salary",
                r"wages?",
                r"pay ?checks?",
                r"boss",
                r"promotion",
                r"retir\w*",
                r"hours (?:were|got|have been) cut",
            ],
            &[
                r"work\w*",
                r"let go",
                r"hours",
                r"shifts?",
                r"income",
                r"paid monthly",
                r"pay ?day",
                r"benefits",
                r"contract",
            ],
        ),
        concept(
            "business",
            &[
                r"business\w*",
                r"customers?",
                r"clients?",
                r"sales",
                r"stores?",
                r"shops?",
                r"bakery",
                r"restaurant",
                r"suppliers?",
                r"receivables",
                r"bankrupt\w*",
                r"revenue",
                r"company",
                r"firm",
                r"staff",
                r"employees",
            ],
            &[
                r"ltd",
                r"llc",
                r"inc",
                r"co",
                r"market",
                r"landscaping",
                r"trade",
                r"working capital",
                r"equipment",
                r"lease",
                r"invoices?",
                r"cash ?flow",
                r"orders?",
                r"season\w*",
                r"trading",
            ],
        ),
        concept(
            "home",
            &[
                r"homes?",
                r"house",
                r"moving",
                r"move house",
                r"apartment",
                r"flat",
                r"landlord",
                r"evict\w*",
                r"mortgage",
                r"roommates?",
            ],
            &[
                r"rent\w*",
                r"housing",
                r"move[ds]?",
                r"place",
                r"lease",
                r"room",
            ],
        ),
        concept(
            "school",
            &[
                r"school",
                r"college",
                r"universit\w*",
                r"exams?",
                r"stud(?:y|ies|ying)",
                r"tuition",
                r"semester",
                r"classes",
            ],
            &[r"student\w*", r"campus", r"course", r"degree", r"loan"],
        ),
        concept(
            "mishap",
            &[
                r"stolen",
                r"robbed",
                r"burgl\w*",
                r"fire",
                r"flood\w*",
                r"crash\w*",
                r"accident",
                r"storm",
            ],
            &[
                r"theft",
                r"broke(?:n)? into",
                r"burn\w*",
                r"water",
                r"damage\w*",
                r"wreck\w*",
            ],
        ),
        concept(
            "travel",
            &[r"vacation", r"trip", r"travel\w*", r"abroad", r"flight"],
            &[r"away", r"holiday"],
        ),
    ]
});

/// Words that show a reply heard a debtor's hard words: sympathy, understanding, their feeling
/// named back.
static EMPATHY: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"understand\w*",
        r"hear\w*",
        r"sorry",
        r"i see",
        r"i know",
        r"appreciate\w*",
        r"(?:that'?s|that is|it'?s|this is) (?:fair|understandable|hard|difficult|tough|a lot|awful|terrible|serious|upsetting)",
        r"(?:that|this) (?:must|sounds)",
        r"i (?:can )?imagine",
        r"i'?ll (?:check|look into|note|make a note)",
        r"let me (?:check|look|explain)",
        r"you'?re right",
        r"calm",
        r"upset",
        r"angry",
        r"frustrat\w*",
        r"worr\w*",
        r"concern\w*",
        r"of course",
        r"fair enough",
        r"(?:my|i) apologi[sz]e",
        r"understood",
        r"insult\w*",
        r"(?:that|those) words",
        r"(?:threat|threats|commands?|instructions?|tricks?) (?:like that|won'?t|don'?t|aside)",
        r"thank(?:s| you) for (?:telling|letting|explaining|sharing|being honest|your honesty)",
        r"it happens",
        r"work (?:this|it|things) out",
        r"(?:don'?t|do not) be (?:too |so )?hard on yourself",
        r"(?:that'?s|that is|it'?s) (?:kind|good|nice|generous|helpful|brave|honest)",
    ])
});

/// A sentence that goes straight to the demand: a number, the offer, a call to pay.
static DEMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)\d|\bwithin\b|\bmy offer\b|\b(?:could|can|would|will) you (?:pay|settle|manage|commit|make)|\bplease (?:pay|settle|make|consider)|\b(?:is|are) (?:due|owed|expected)\b|\bmust be paid\b|\bneeds? (?:paying|to be paid|settling)",
    )
    .expect("static pattern")
});

/// Words of sympathy: what a line about hardship needs.
static SYMPATHY: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"sorry",
        r"understand\w*",
        r"hear\w*",
        r"hard",
        r"difficult",
        r"tough",
        r"imagine",
        r"must be",
        r"sounds",
        r"rough",
        r"draining",
        r"exhausting",
        r"heavy",
        r"stressful",
        r"scary",
        r"overwhelming",
        r"painful",
        r"brutal",
        r"horrible",
        r"unfair",
        r"a lot",
        r"awful",
        r"terrible",
        r"(?:a lot|so much) to (?:deal|cope|carry|handle)",
        r"condolences",
        r"(?:can'?t|cannot) be easy",
        r"not easy",
        r"(?:don'?t|do not) be (?:too |so )?hard on yourself",
    ])
});

/// Words that answer an ordinary line: thanks, assent, who is calling.
static ACKNOWLEDGES: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"thank\w*",
        r"got it",
        r"noted",
        r"(?:good|right|fair) question",
        r"this is",
        r"(?:i'?m |we'?re )?calling (?:from|for|about|on behalf)",
        r"my name is",
        r"(?:okay|ok|alright|all right|right|sure|yes|no problem|great|good)",
        r"(?:good|glad) to hear",
        r"agreed",
        r"deal",
        r"happy to",
        r"glad (?:to|you)",
        r"(?:you'?re|you are) welcome",
        r"congratulations",
        r"(?:i|we) (?:can'?t|cannot|can) (?:change|lower|reduce|remove|waive|split|spread|offer|give|do|take)",
        r"it'?s (?:your|the|about|for)",
        r"if (?:the|you|it|your)",
        r"^because",
    ])
});

/// A debtor's line about hardship (loss, illness, money, fear): only sympathy answers it.
static HARDSHIP: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        r"lost",
        r"los(?:e|ing)",
        r"died",
        r"dead",
        r"death",
        r"passed",
        r"funeral",
        r"sick",
        r"ill",
        r"hospital\w*",
        r"surgery",
        r"diagnos\w*",
        r"cancer",
        r"bed rest",
        r"crash\w*",
        r"accident",
        r"flood\w*",
        r"fire",
        r"burn(?:ed|t) down",
        r"stolen",
        r"evict\w*",
        r"divorc\w*",
        r"laid off",
        r"fired",
        r"unemploy\w*",
        r"no (?:money|income|job|work)",
        r"broke",
        r"(?:can'?t|cannot|couldn'?t) (?:afford|pay|manage|cope)",
        r"struggl\w*",
        r"homeless",
        r"scared",
        r"afraid",
        r"worried",
        r"anxious",
        r"cry\w*",
        r"depress\w*",
        r"ashamed",
        r"overwhelm\w*",
    ])
});

/// A debtor's line that is bad news for them ([`HARDSHIP`]), hostile, or a dispute: no cheer,
/// and "thank you" alone does not answer it.
static BAD_NEWS: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(&[
        // Hostility.
        r"idiot\w*",
        r"stupid",
        r"useless",
        r"garbage",
        r"trash",
        r"disgust\w*",
        r"scum",
        r"liars?",
        r"thie\w*",
        r"crooks?",
        r"joke",
        r"ridiculous",
        r"hate",
        r"get lost",
        r"shut up",
        r"fuck\w*",
        r"damn\w*",
        r"hell",
        r"angry",
        r"furious",
        r"sick of",
        r"fed up",
        r"threat\w*",
        r"lawyers?",
        r"sue",
        r"court",
        r"harass\w*",
        r"scam\w*",
        // Disputes.
        r"not my (?:debt|bill|account|fault)",
        r"isn'?t (?:my|mine)",
        r"never (?:signed|had|owed|agreed|borrowed)",
        r"already paid",
        r"paid (?:it|this|that|you|already)",
    ])
});

/// A line that asks nothing: assent, filler or silence ("ok", "fine", "hm", "...").
static ASSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)^(?:(?:ok(?:ay)?|fine|alright|all right|yes|yeah|yep|sure|hm+|mhm|m+kay|uh+|um+|er+|go on|right|no|nope|nah|maybe|whatever|i see|sure thing|got it)[\s.,!?]*)*$|^[\s.!?,-]*$",
    )
    .expect("static pattern")
});

/// Words a debtor's line and a reply may share without the reply having answered it.
const FILLER: &[&str] = &[
    "you", "the", "and", "but", "for", "not", "can", "pay", "day", "was", "are", "our", "has",
    "had", "his", "her", "its", "out", "now", "get", "got", "all", "any", "one", "way", "too",
    "how", "why", "who", "did", "yes", "i'm", "i'll", "i've", "i'd", "you're", "it's", "that's",
    "don't", "can't", "won't", "let's", "we'll", "there's", "about", "after", "again", "also",
    "balance", "because", "been", "being", "could", "days", "does", "doing", "done", "from",
    "have", "here", "into", "just", "know", "like", "make", "more", "much", "need", "only", "over",
    "paying", "really", "should", "some", "than", "that", "their", "them", "then", "there",
    "these", "they", "thing", "this", "time", "want", "well", "were", "what", "when", "where",
    "which", "will", "with", "within", "would", "your", "account", "money", "debt", "within",
    "offer", "settle",
];

/// Capitalised words that are not names.
const NOT_NAMES: &[&str] = &[
    "I",
    "I'm",
    "I'll",
    "I've",
    "I'd",
    "OK",
    "Okay",
    "Ok",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Madam",
    "Ma'am",
    "God",
    "Thank",
    "Thanks",
    "Please",
    "Yes",
    "No",
    "Hello",
    "Hi",
    // Days and months are the guardrails' to judge (named dates).
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Common first names, for names that open a sentence ("Sarah will call you").
const FIRST_NAMES: &[&str] = &[
    "aaron", "adam", "alex", "alice", "amanda", "amy", "andrew", "anna", "anne", "ben", "beth",
    "bob", "brian", "carl", "carol", "caroline", "charlie", "chloe", "chris", "claire", "daniel",
    "dave", "david", "diana", "emily", "emma", "eric", "frank", "gary", "george", "grace",
    "hannah", "harry", "helen", "jack", "jake", "james", "jane", "jason", "jennifer", "jenny",
    "jessica", "jim", "joe", "john", "jordan", "josh", "julia", "karen", "kate", "kevin", "laura",
    "linda", "lisa", "lucy", "maria", "mark", "mary", "matt", "megan", "michael", "mike", "nancy",
    "nick", "olivia", "paul", "peter", "rachel", "rebecca", "richard", "robert", "ryan", "sam",
    "sarah", "scott", "sophie", "steve", "susan", "tom", "tony", "william",
];

/// Longest spoken sentence, in words: a listener loses a longer one.
const MAX_SENTENCE_WORDS: usize = 40;

/// Three words said twice in one sentence, or a word twice in a row: a model going round in
/// circles ("you just told me you just told me", "a memorial overdue overdue").
fn looping(norm: &str) -> Option<String> {
    let words: Vec<&str> = norm.split_whitespace().collect();
    if let Some(pair) = words
        .windows(2)
        .find(|w| w[0] == w[1] && w[0].chars().all(char::is_alphabetic) && w[0].len() > 2)
    {
        return Some(pair.join(" "));
    }
    let mut seen: std::collections::HashMap<&[&str], usize> = std::collections::HashMap::new();
    for gram in words.windows(3) {
        let count = seen.entry(gram).or_default();
        *count += 1;
        if *count == 2 {
            return Some(gram.join(" "));
        }
    }
    None
}

/// The first five letters of a word: "explaining" and "explain" are one word to the listener.
fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

/// The words of a text that the grounding rule weighs: letters and apostrophes, three or more.
fn content_words(norm: &str) -> impl Iterator<Item = &str> {
    content_words_all(norm).filter(|w| w.len() >= 3)
}

/// Words that introduce a thing: what follows them names it.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "your", "my", "our", "their", "his", "her", "this", "that", "these", "those",
    "some", "any", "new", "another", "every",
];

/// The words that name things: the two after each determiner ("a new friend", "the city",
/// "your readers"). Verbs and adjectives elsewhere are the speaker's own business.
fn named_things(norm: &str) -> impl Iterator<Item = &str> {
    let words: Vec<&str> = content_words_all(norm).collect();
    let mut named = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if DETERMINERS.contains(word) {
            named.extend(words.iter().skip(i + 1).take(2).filter(|w| w.len() >= 3));
        }
    }
    named.into_iter()
}

/// Every word of a text: letters and apostrophes.
fn content_words_all(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .filter(|w| !w.is_empty())
}

/// Stems the agent may say without the debtor having said them: `data/plain_words.txt`, the
/// emotion lexicon's cue words and the template speaker's words.
static PLAIN_STEMS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let list = include_str!("data/plain_words.txt");
    let plain = list
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(str::to_string);
    // The emotion lexicon's cue words: feelings and their plain descriptions.
    let cues: Vec<String> = include_str!("../perceive/lexicon_words.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('['))
        .flat_map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let templates: Vec<String> = super::template::texts()
        .map(normalise)
        .flat_map(|t| content_words(&t).map(str::to_string).collect::<Vec<_>>())
        .collect();
    plain
        .chain(cues)
        .chain(templates)
        .map(|w| stem(&w))
        .collect()
});

/// Hears one reply for one request: see the module documentation.
#[derive(Debug)]
pub struct Listener {
    opening: bool,
    emotion: Emotion,
    /// Lower-case words anyone in the call may be named by: the parties and every word said.
    known_words: HashSet<String>,
    /// Concepts the debtor or the scenario stated.
    stated: Vec<&'static str>,
    /// The debtor's latest line, normalised ("" at the opening).
    last_debtor: String,
    /// Sentences of the agent's previous reply, normalised for comparison.
    previous: Vec<String>,
    /// The debtor's name, normalised.
    debtor_name: String,
    /// Stems of every word said in the call or written in the scenario.
    said_stems: HashSet<String>,
    /// Whether the grounding rule applies ([`Listener::grounded`]).
    grounded: bool,
}

impl Listener {
    /// A listener for the reply to `request`.
    pub fn new(request: &ReplyRequest<'_>) -> Self {
        let scenario = request.scenario;
        let debtor_said: Vec<&str> = request
            .dialogue
            .iter()
            .filter(|l| l.side == Side::Debtor)
            .map(|l| l.text.as_str())
            .collect();
        let mut known_words = HashSet::new();
        let mut learn = |text: &str| {
            for word in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                if !word.is_empty() {
                    known_words.insert(word.to_lowercase());
                }
            }
        };
        learn(&scenario.debtor);
        learn(&scenario.creditor);
        for line in request.dialogue {
            learn(&line.text);
        }
        let background = normalise(&format!(
            "{} {} {} {} {} {}",
            scenario.debtor,
            scenario.creditor,
            scenario.credit_type,
            scenario.cash_flow,
            scenario.recovery_stage,
            debtor_said.join(" ")
        ));
        let stated = CONCEPTS
            .iter()
            .filter(|c| c.stated.is_match(&background))
            .map(|c| c.name)
            .collect();
        let mut said_stems: HashSet<String> = content_words(&background).map(stem).collect();
        for line in request.dialogue {
            said_stems.extend(content_words(&normalise(&line.text)).map(stem));
        }
        let last_debtor = match request.dialogue.last() {
            Some(line) if line.side == Side::Debtor => normalise(&line.text),
            _ => String::new(),
        };
        let previous = request
            .dialogue
            .iter()
            .rev()
            .find(|l| l.side == Side::Creditor)
            .map(|l| sentence_keys(&l.text))
            .unwrap_or_default();
        Listener {
            opening: request.kind == ReplyKind::Opening,
            emotion: request.emotion,
            known_words,
            stated,
            last_debtor,
            previous,
            debtor_name: normalise(&scenario.debtor),
            grounded: true,
            said_stems,
        }
    }

    /// With `false`, the grounding rule is off: a content word nobody said is no longer refused.
    ///
    /// The rule stops a small model's inventions ("a new friend in the city") but also refuses
    /// a rich speaker's good words (a blind writer's acceptable replies: 81% refused with it),
    /// so it holds only while the model writes the lead ([`crate::params::ReplyShape::Lead`]).
    pub fn grounded(mut self, on: bool) -> Self {
        self.grounded = on;
        self
    }

    /// What is wrong with saying `sentence` after `spoken` (the reply's sentences so far).
    pub fn sentence(&self, spoken: &[String], sentence: &str) -> Vec<Defect> {
        let norm = normalise(sentence);
        let mut found = Vec::new();
        let mut first = |pattern: &Regex, make: fn(String) -> Defect| {
            if let Some(m) = pattern.find(&norm) {
                found.push(make(m.as_str().to_string()));
            }
        };
        first(&DENIAL, Defect::Denial);
        first(&SELF_TALK, Defect::SelfTalk);
        first(&LETTER, Defect::Form);
        first(&INSTRUCTION, Defect::Form);
        first(&LABEL, Defect::Form);
        if !self.opening {
            first(&GREETING, Defect::Form);
        }
        first(&PERCEIVED, Defect::Invented);
        // Grounding: a thing named that nobody said and no collector needs is the model's
        // invention ("make a new friend in the city", "a refund", "your readers").
        if self.grounded
            && let Some(word) = named_things(&norm).find(|w| {
                let s = stem(w);
                !PLAIN_STEMS.contains(&s) && !self.said_stems.contains(&s)
            })
        {
            found.push(Defect::Invented(word.to_string()));
        }
        if let Some(about) = self.about_the_debtor(&norm) {
            found.push(Defect::Invented(about));
        }
        let honorific = ["Mr.", "Mrs.", "Ms.", "Dr.", "Miss"];
        if honorific.iter().any(|h| sentence.trim_end().ends_with(h)) {
            found.push(Defect::Invented(sentence.to_string()));
        } else if let Some(name) = self.stranger(sentence) {
            found.push(Defect::Invented(name));
        }
        for concept in CONCEPTS.iter() {
            if !self.stated.contains(&concept.name)
                && let Some(m) = concept.said.find(&norm)
            {
                found.push(Defect::Invented(m.as_str().to_string()));
                break;
            }
        }
        if let Some(m) = CHEER.find(&norm)
            && (self.bad_news()
                || matches!(
                    self.emotion,
                    Emotion::Sadness
                        | Emotion::Anger
                        | Emotion::Fear
                        | Emotion::Disgust
                        | Emotion::Neutral
                ))
        {
            found.push(Defect::Tone(m.as_str().to_string()));
        }
        if let Some(m) = HARSH.find(&norm)
            && matches!(self.emotion, Emotion::Joy | Emotion::Sadness)
        {
            found.push(Defect::Tone(m.as_str().to_string()));
        }
        if let Some(symbol) = markup(sentence) {
            found.push(Defect::Form(symbol.to_string()));
        }
        // A reply answers the debtor first: its opening sentence must show it heard them.
        if spoken.is_empty() && !self.opening && !self.answers(&norm) {
            found.push(Defect::Unresponsive);
        }
        if let Some(loop_words) = looping(&norm) {
            found.push(Defect::Repeated(loop_words));
        }
        if norm.split_whitespace().count() > MAX_SENTENCE_WORDS {
            found.push(Defect::Form(format!(
                "a sentence of more than {MAX_SENTENCE_WORDS} words"
            )));
        }
        let key = sentence_key(sentence);
        if !key.is_empty()
            && (spoken.iter().any(|s| sentence_key(s) == key) || self.previous.contains(&key))
        {
            found.push(Defect::Repeated(sentence.to_string()));
        }
        found
    }

    /// Every defect of a whole reply text, sentence by sentence.
    pub fn hear(&self, reply: &str) -> Vec<Defect> {
        let mut spoken: Vec<String> = Vec::new();
        let mut found = Vec::new();
        for sentence in super::sentences::split(reply) {
            found.extend(self.sentence(&spoken, &sentence));
            spoken.push(sentence);
        }
        found
    }

    /// True when `text` would answer the debtor's latest line warmly: it asks nothing, or the
    /// text's first sentence shows sympathy or understanding, or names their words back. The
    /// template fallback prefers such a lead; the check itself is more lenient (see
    /// [`Listener::sentence`]).
    pub fn answers_warmly(&self, text: &str) -> bool {
        let first = super::sentences::split(text)
            .first()
            .map(|s| normalise(s))
            .unwrap_or_default();
        ASSENT.is_match(&self.last_debtor) || !self.bad_news() || self.heard_back(&first)
    }

    /// True when a first sentence (normalised) shows sympathy or understanding, or names the
    /// debtor's words back.
    fn heard_back(&self, first: &str) -> bool {
        SYMPATHY.is_match(first)
            || EMPATHY.is_match(first)
            || shares_content_word(&self.last_debtor, first)
    }

    /// True when the debtor's latest line is bad news for them, hostile or a dispute.
    fn bad_news(&self) -> bool {
        HARDSHIP.is_match(&self.last_debtor) || BAD_NEWS.is_match(&self.last_debtor)
    }

    /// True when a reply's first sentence (normalised) answers the debtor's latest line: a line
    /// that asks nothing needs nothing; sympathy, understanding or their own words back always
    /// answer; otherwise only a sentence that goes straight to the demand, or bare thanks after
    /// hard words, fails.
    fn answers(&self, first: &str) -> bool {
        if ASSENT.is_match(&self.last_debtor) || self.heard_back(first) {
            return true;
        }
        // Word rules cannot tell a paraphrase from a non-answer ("Throwing accusations around
        // won't help" answers "This is extortion"), so only two plain non-answers are refused:
        // going straight to the demand, and bare thanks or assent after hard words.
        let demand = DEMAND.is_match(first);
        let bare = first.split_whitespace().count() <= 3 && ACKNOWLEDGES.is_match(first);
        !(demand || bare && self.bad_news())
    }

    /// The debtor spoken of as someone else ("telling me about Alex Morgan", "Thank you for
    /// explaining Greenfield Landscaping"): after the opening their name may only address them,
    /// set off by a comma ("Thank you, Alex Morgan.").
    fn about_the_debtor(&self, norm: &str) -> Option<String> {
        let name = self.debtor_name.as_str();
        if name.is_empty() {
            return None;
        }
        // Their first name opening a sentence as its subject ("Jordan is concerned about ...").
        if let Some(first) = name.split_whitespace().next()
            && first.len() > 2
            && [
                " is ", " was ", " has ", " says ", " said ", " wants ", " needs ",
            ]
            .iter()
            .any(|verb| norm.contains(&format!("{first}{verb}")))
        {
            return Some(first.to_string());
        }
        let mut from = 0;
        while let Some(at) = norm[from..].find(name).map(|i| i + from) {
            let before = norm[..at].trim_end();
            let after = norm[at + name.len()..].trim_start();
            let addressed = (before.is_empty() || before.ends_with([',', ':']))
                && (after.is_empty() || after.starts_with([',', '.', '!', '?', ':']));
            let greeted = ["hello", "hi", "hey", "dear"]
                .iter()
                .any(|g| before.ends_with(g));
            if !(addressed || self.opening && greeted) {
                return Some(norm[at..at + name.len()].to_string());
            }
            from = at + name.len();
        }
        None
    }

    /// A capitalised word that names someone outside the call: after a greeting or a title,
    /// a common first name anywhere, or a capitalised word inside a sentence that nobody said.
    fn stranger(&self, sentence: &str) -> Option<String> {
        let tokens: Vec<&str> = sentence
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        for (i, word) in tokens.iter().enumerate() {
            let lower = word.to_lowercase();
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if !capitalised || self.known_words.contains(&lower) || NOT_NAMES.contains(word) {
                continue;
            }
            let after_title = i > 0
                && matches!(
                    tokens[i - 1].to_lowercase().as_str(),
                    "hi" | "hello" | "hey" | "dear" | "mr" | "mrs" | "ms" | "dr" | "miss"
                );
            let inside = i > 0 && !ends_sentence_before(sentence, word);
            if after_title || FIRST_NAMES.contains(&lower.as_str()) || inside {
                return Some((*word).to_string());
            }
        }
        None
    }
}

/// True when `word`'s first occurrence in `sentence` follows a sentence end or opens it.
fn ends_sentence_before(sentence: &str, word: &str) -> bool {
    let Some(at) = sentence.find(word) else {
        return true;
    };
    let before = sentence[..at].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '"'])
}

/// A markup character, list marker or emoji in a sentence.
fn markup(sentence: &str) -> Option<char> {
    let trimmed = sentence.trim_start();
    if trimmed.starts_with(['-', '*', '#', '>', '+']) {
        return trimmed.chars().next();
    }
    // A numbered list item ("1. Pay in full").
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && trimmed[digits..].starts_with(['.', ')']) {
        return trimmed.chars().next();
    }
    sentence.chars().find(|&c| {
        matches!(
            c,
            '*' | '#'
                | '`'
                | '_'
                | '|'
                | '~'
                | '<'
                | '>'
                | '{'
                | '}'
                | '\\'
                | '('
                | ')'
                | '['
                | ']'
                | '\n'
        ) || matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F)
    })
}

/// A sentence reduced to its letters and digits, lower case: equal keys sound the same.
fn sentence_key(sentence: &str) -> String {
    normalise(sentence)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence_keys(text: &str) -> Vec<String> {
    super::sentences::split(text)
        .iter()
        .map(|s| sentence_key(s))
        .filter(|k| !k.is_empty())
        .collect()
}

/// True when the two normalised texts share a word of three or more letters that is not
/// filler, compared by its first four letters ("threaten", "threatening"; "lost", "losing"
/// do not meet, "job" and "jobs" do).
fn shares_content_word(debtor: &str, reply: &str) -> bool {
    let content = |text: &str| -> HashSet<String> {
        text.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
            .map(|w| w.trim_end_matches("'s"))
            .filter(|w| w.len() >= 3 && !FILLER.contains(w))
            .map(|w| w.chars().take(4).collect())
            .collect()
    };
    !content(debtor).is_disjoint(&content(reply))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::speak::DialogueLine;

    fn listener(kind: ReplyKind, emotion: Emotion, debtor: &[&str]) -> Listener {
        let scenario = Scenario::builtin();
        let mut dialogue = Vec::new();
        for line in debtor {
            dialogue.push(DialogueLine::creditor(
                "Could you settle the balance within 20 days?",
            ));
            dialogue.push(DialogueLine::debtor(*line));
        }
        let request = ReplyRequest {
            kind,
            emotion,
            offer_days: 30,
            scenario: &scenario,
            turn: debtor.len() as u32,
            temperature: 0.7,
            dialogue: &dialogue,
        };
        Listener::new(&request)
    }

    fn kinds(found: &[Defect]) -> Vec<&'static str> {
        found.iter().map(Defect::kind).collect()
    }

    #[test]
    fn the_issues_failing_replies_are_caught() {
        let job = ["I lost my job and cannot pay for four months."];
        let cases: &[(&[&str], Emotion, ReplyKind, &str, &str)] = &[
            (
                &[],
                Emotion::Neutral,
                ReplyKind::Opening,
                "I'm sorry, but as a business account is not a currency, I'm unable to make a payment for a debt that you are not obligated to pay.",
                "denial",
            ),
            (
                &job,
                Emotion::Sadness,
                ReplyKind::Counter,
                "I'm so glad to hear that you've found a solution that's good for a business.",
                "tone",
            ),
            (
                &["Why are you so cold about this?"],
                Emotion::Neutral,
                ReplyKind::Counter,
                "I'm sorry for any misunderstanding, but as an AI designed to assist in answering your questions, I don't have the ability to change the tone of a conversation.",
                "self",
            ),
            (
                &["What is this charge for?"],
                Emotion::Neutral,
                ReplyKind::Counter,
                "I'm not familiar with your system and I'm not at all equipped to help you with a financial problem.",
                "self",
            ),
            (
                &["Please, just give me time."],
                Emotion::Sadness,
                ReplyKind::Counter,
                "I'm so sorry. I'm so sorry.",
                "repeat",
            ),
            (
                &["Fine, what now?"],
                Emotion::Neutral,
                ReplyKind::Counter,
                "Hi Emily, I hope you're doing well.",
                "form",
            ),
            (
                &["Fine, what now?"],
                Emotion::Neutral,
                ReplyKind::Counter,
                "Hi Emily, I hope you're doing well.",
                "invented",
            ),
            (
                &["I can't pay this month."],
                Emotion::Sadness,
                ReplyKind::Counter,
                "I'm so sorry to hear about your family's struggles.",
                "invented",
            ),
            (
                &job,
                Emotion::Sadness,
                ReplyKind::Counter,
                "I'd like to help you find a new home.",
                "invented",
            ),
            (
                &["I already paid this."],
                Emotion::Neutral,
                ReplyKind::Counter,
                "You can't just pay me a debt you don't owe.",
                "denial",
            ),
            (
                &["If you keep calling I'll get a lawyer."],
                Emotion::Neutral,
                ReplyKind::Counter,
                "I'm not available to talk on a phone call.",
                "self",
            ),
        ];
        for (debtor, emotion, kind, reply, expected) in cases {
            let heard = listener(*kind, *emotion, debtor).hear(reply);
            assert!(
                kinds(&heard).contains(expected),
                "{reply:?} should be heard as {expected}: {heard:?}"
            );
        }
    }

    /// Heard when the agent's held-out transcripts were read by ear: denials the check missed.
    #[test]
    fn denials_heard_in_the_held_out_transcripts_are_caught() {
        let l = listener(
            ReplyKind::Counter,
            Emotion::Neutral,
            &["This card isn't mine."],
        );
        for reply in [
            "No, the account isn't yours, and the call isn't overdue.",
            "I'm sorry you've had a job dispute, and the account isn't yours.",
            "The account was mistakenly reported, which makes it hard to negotiate a date.",
        ] {
            assert!(
                kinds(&l.hear(reply)).contains(&"denial"),
                "{reply:?}: {:?}",
                l.hear(reply)
            );
        }
    }

    #[test]
    fn good_replies_pass() {
        let cases: &[(&[&str], Emotion, &str)] = &[
            (
                &["I lost my job last month."],
                Emotion::Sadness,
                "I understand losing your job has made this hard. Could you settle the balance within 30 days?",
            ),
            (
                &["You people are useless, this is a joke."],
                Emotion::Neutral,
                "I hear that you're angry, and I want to sort this out with you. Can we agree on 30 days?",
            ),
            (
                &["I can pay it all next week, no problem."],
                Emotion::Joy,
                "That's good to hear, thank you. Can we write it down as 30 days?",
            ),
            (
                &["My daughter was in hospital."],
                Emotion::Sadness,
                "I'm sorry your daughter was in hospital, and I hope she is recovering. Would 30 days give you some room?",
            ),
            (
                &["ok"],
                Emotion::Neutral,
                "I can't change the balance, but I can give you more time: 30 days.",
            ),
            (
                &["Who is this?"],
                Emotion::Neutral,
                "This is Riverside Energy, calling about your account, Alex Morgan. Could you settle it within 30 days?",
            ),
        ];
        for (debtor, emotion, reply) in cases {
            let heard = listener(ReplyKind::Counter, *emotion, debtor).hear(reply);
            assert!(heard.is_empty(), "{reply:?} should pass: {heard:?}");
        }
        let opening = listener(ReplyKind::Opening, Emotion::Neutral, &[]).hear(
            "Hello Alex Morgan, I'm calling for Riverside Energy about the outstanding balance. Could you settle it within 30 days?",
        );
        assert!(opening.is_empty(), "{opening:?}");
    }

    #[test]
    fn a_reply_that_passes_over_bad_news_is_unresponsive() {
        let l = listener(
            ReplyKind::Counter,
            Emotion::Neutral,
            &["My mother died on Sunday."],
        );
        assert_eq!(
            l.hear("To keep things simple, my offer is 30 days for the full balance."),
            vec![Defect::Unresponsive]
        );
        let quiet = listener(ReplyKind::Counter, Emotion::Neutral, &["hm"]);
        assert!(quiet.hear("My offer is 30 days.").is_empty());
    }

    #[test]
    fn the_previous_reply_is_not_said_again() {
        let l = listener(ReplyKind::Counter, Emotion::Neutral, &["no"]);
        let heard = l.hear("Could you settle the balance within 20 days? My offer is 30 days.");
        assert_eq!(kinds(&heard), ["repeat"]);
    }
}
