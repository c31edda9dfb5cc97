//! Negotiation tactics of the debtor, with evidence.
//!
//! Each utterance is normalised once (lower case, apostrophes dropped so "won't" reads "wont",
//! clause punctuation kept as `|`, letters outside ASCII as "x") and matched against phrase sets
//! compiled once ([`LazyLock`]), one set per *kind* of expression rather than per sentence; one
//! pass of all of them together first tells which can match at all, so the cost per utterance
//! stays that of a few searches. Three mechanisms sit on top:
//! - negation: a match preceded closely by a negator in the same clause ("I'm not going to sue")
//!   does not count;
//! - composition: some words are tactics only in company, such as the law or the press next to a
//!   future act aimed at the creditor ("one more letter and you'll be answering to a court"), or
//!   suffering aimed at the creditor ("I've cried every night since your first letter");
//! - dampers: words that make the same phrase innocent, such as advice ("my lawyer told me to set
//!   up a plan"), fear ("I'd hate to end up in court"), a source ("I saw it on the news"), or
//!   cooperation and a proposal ("it's been hard, but I want to sort this; 60 days?").
//!
//! Evidence is the matched phrase in that normalised form.
//!
//! What counts, and why:
//! - Threat, four kinds:
//!   - legal action: suing, court ("see you in court", "taking you to small claims court", "let a
//!     judge decide"), a lawyer set on the creditor ("this goes straight to my lawyer", "my
//!     attorney files ...", "you can explain that to my solicitor", "I'm calling a lawyer", "my
//!     brother-in-law is a judge"). Naming the debtor's own lawyer is a threat unless what follows
//!     is advice or another matter ("my lawyer told me to set up a plan", "my solicitor is sorting
//!     out my will"); the law in general counts only next to a future act ("I'll have the sheriff
//!     at your door") and not when dreaded or advised on ("I'm terrified of getting a letter from
//!     a court");
//!   - complaints to regulators, agencies and the police: reporting the creditor, filing or
//!     drafting a complaint, naming a regulator, ombudsman, watchdog, the CFPB, the FCA, the
//!     attorney general, the Better Business Bureau, consumer protection, the debtor's MP or
//!     senator, getting the police involved, getting the agent fired; "this can get reported to
//!     the credit bureau" is a question, not a threat;
//!   - reputational: posting or sharing about the creditor on a named platform (TikTok, Facebook,
//!     Reddit, forums, ...) or "online" when what is posted is the call, the texts, "this" or the
//!     agent's name ("I'll post the payment online" is not), recording or streaming the call,
//!     videos and channels, followers, going viral, headlines, the press, radio and reporters
//!     ("a reporter is very interested in firms like yours"), bad reviews, ruining the company's
//!     reputation, and making sure everyone (the whole town, my church, every person on my street,
//!     your boss) hears or knows; the press or a platform as a source ("I saw your company on the
//!     news", "my friend posted that you were fair") is not a threat;
//!   - menace, open or veiled: "you'll regret this", "watch yourself", "I know where you/your
//!     office ..." (not when the debtor means to pay there), "nice little X you got there", "shame
//!     if something happened", "something bad might happen to you", "you don't want to find out
//!     what I do", "see what happens", "what's coming to you", "you've been warned", "don't test
//!     me", "friends who don't take kindly", "send someone to my door", "if I see one of your guys
//!     near my house", "good locks on your doors", "play hardball", "a dangerous man", "make things
//!     very unpleasant for you", a clause that is just "careful" when nothing is offered.
//! - PlayingVictim: hardship used as leverage, not hardship itself. It fires on blame and guilt
//!   aimed at the creditor ("you're ruining my life", "because of you/your calls", "you're the
//!   reason", "that's on you", "how can you sleep at night / live with yourself / ask me for money
//!   / be so cruel", "what kind of person does that", "all you care about is ...", "is this what
//!   you wanted?", "happy now?", "I hope you're proud", "have some mercy/decency", "if you had a
//!   heart", "you should be ashamed", "your bonus"), on melodrama (superlatives of suffering: "the
//!   unluckiest person alive", "nobody has been through what I've been through", "I've suffered
//!   more than ...", "I'm literally dying here", "an early grave", "you're giving me a panic
//!   attack", "bleed me dry", "take my last dollar", "live under a bridge", "on my knees", "kicked
//!   me while I'm down", "treated like a criminal", "this is the thanks I get", "you're pushing me
//!   over the edge"), on suffering words ("crying", "torture", "drowning", "all alone", ...) aimed
//!   at the creditor or piled up with intensifiers when nothing in the utterance cooperates (no
//!   proposal, acceptance, apology, "I want to sort this"), on severe hardship told as an
//!   accusation ("I've got cancer and you're harassing me"), or on catastrophic hardship piled up
//!   with absolutes (a catastrophe word such as "starve", "homeless", "lose everything" together
//!   with at least three of "everything/nothing/never/completely/absolutely/..."). Sincere hardship
//!   told plainly ("I lost my job, I'm struggling", "I'm scared I'll lose my house", "the worst
//!   months of my life, my dad was sick; can we say 90 days?") is left to the emotion reader
//!   (Sadness/Fear), which makes the agent concede faster, not slower. Talk of self-harm is never
//!   read as a tactic: it is a safety matter, not leverage.
//! - Cheating: (a) a claim that the debt was paid ("I already paid", "I sent that money three weeks
//!   ago", "my wife paid it", "I mailed a money order", "the cheque is in the post", "it was cleared
//!   in January", "the payment left my account", "I pushed it through your letterbox", "you must
//!   have lost it", "check again" when a payment is named): the debt is outstanding by
//!   construction, so the claim is unverified; a payment to someone else ("I already paid the
//!   electricity company", "my rent", "I paid off my car") or a message ("I sent you an email") is
//!   not such a claim, nor is a future or conditional one ("once it's paid"); (b) a claim of an
//!   earlier agreement on terms ("we agreed on 120 days last time", "your colleague said ninety
//!   days was fine", "the last guy told me it was frozen till next year", "we shook on sixty days",
//!   "it's in your notes that I have until June", "you people already forgave this"): the agent
//!   has no such agreement on record, so it is unverified too; a claim without terms ("we agreed
//!   I'd call back today", "the lady said you'd send the details") is not one, and "we" or a bare
//!   "you" ("like you said, 30 days") counts only with a marker of an earlier call ("last time",
//!   "in August", "already"); (c) a claim that contradicts the debtor's own earlier one: no income
//!   then income ("I'm unemployed" ... "my salary", "I'm on shift at the warehouse") or the
//!   reverse, no money then money in savings or a new car or the reverse, living alone then kids to
//!   feed or a flatmate or the reverse, no children then children or the reverse, "I'm in
//!   hospital" then "driving back from the gym", "I paid it all off" then planning to pay the
//!   balance, denying the debt ("I never borrowed", "not my debt") then owing it or the reverse,
//!   and presupposing what was denied ("your last letter" after "I never got any letters", "I used
//!   the card" after "I never used it"); a first-time denial is a dispute, which debtors may
//!   raise, and is not flagged, nor is news that changes the facts ("I start a new job on
//!   Monday"); (d) reneging: asking for more than 5 days above the debtor's own lowest earlier
//!   offer ("earlier offered 30 days, now 60 days", "I said ninety" after agreeing to 45), and "I
//!   never said/agreed to that", "who said two weeks?" after an earlier offer or acceptance. Each
//!   turn that still reneges is reported again, since the debtor has not walked it back. Only the
//!   debtor's own proposals count as offers ([`OfferReading::offer_days`]): a number quoted back,
//!   negated or naming another event ("I start a new job in 3 weeks") is not one.
//! - Stonewalling: refusal to engage ("no comment", "not discussing this", "I'm not answering
//!   that", "I don't have to answer that", "next question", "I've got nothing to say", "leave me
//!   alone", "go away", "stop calling", "I don't care", "talk to the wall", "I plead the fifth",
//!   "that's between me and the Lord", "mind your own business", "take me off your list", "I'm
//!   hanging up", "this conversation is over", a clause that is just "whatever", "anyway", "next"
//!   or "no answer"), and, when the utterance neither proposes nor accepts nor asks to sort things
//!   out, leaving ("goodbye", "gotta go", "not today", "I'm done"), feigning a bad line ("you're
//!   breaking up, can't hear you"), changing the subject to small talk (the weather, the game,
//!   "let's talk about anything else"), silence ("silence is golden"), and utterances with no
//!   words at all ("", "...") or only fillers and refusals ("hmm", "mm", "nope", "nah", "uh huh,
//!   sure, bye"). A refusal about another topic ("I'm not discussing my divorce, but I can talk
//!   about the payment", "no comment on the interest rate", "I'd rather not say where I work") is
//!   not stonewalling. Reported on every such turn.
//!
//! At most one [`Tactic`] per kind per utterance; its evidence lists up to three triggers joined by
//! "; ". Input beyond [`MAX_INPUT`] bytes is not read, so time per call is bounded.
//!
//! Beside the rules, a learned model ([`TacticModel`]: naive Bayes over words and word pairs)
//! reads each utterance in which the rules find nothing, and adds a tactic it is confident of
//! unless the rules saw that tactic's words with an explicit reason against it (see
//! [`TacticDetector::observe_with`]): rules name kinds of expression, and a paraphrase in words they
//! do not list is what they miss. [`TacticDetector::observe_with`] without a model gives the rules
//! alone.
//!
//! The rules were tuned on `tests/data/tactics/set_a.jsonl` and `set_b.jsonl` (lines by two
//! writers who never saw them) and on paraphrases written by the rule author
//! (`own_paraphrases.jsonl`, `own_after_b.jsonl`); the model is trained on the same files.
//! `eval-tactics` measures them on any such file.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};

use super::offer::OfferReading;
use super::tactic_model::TacticModel;

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

/// A claim about the debtor's circumstances, remembered to catch a later contradiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Fact {
    /// The debt was paid.
    Paid,
    /// The debt is still owed (an acknowledgement or a proposal of days).
    Owes,
    /// Any contact is denied (no letters, never heard of the creditor).
    NoContact,
    /// Contact is taken for granted (the creditor's letters, an earlier call).
    Contact,
    /// Use of the account is denied (never used the card, it was stolen).
    NeverUsed,
    /// Use of the account is taken for granted.
    Used,
    /// The debtor lives alone.
    LivesAlone,
    /// The debtor has dependants at home.
    Dependants,
    /// The debt itself is denied ("I never borrowed", "not my debt").
    DebtDenied,
    /// The debtor has no children.
    NoKids,
    /// The debtor has children.
    Kids,
    /// The debtor is confined (in hospital, in bed, abroad).
    Confined,
    /// The debtor is out and about.
    Active,
    /// The debtor has money at hand.
    HasMoney,
    /// The debtor has no money at all.
    NoMoney,
}

/// Pairs (earlier, now) of facts that contradict each other across turns.
const CONTRADICTIONS: [(Fact, Fact); 13] = [
    (Fact::DebtDenied, Fact::Owes),
    (Fact::NoKids, Fact::Kids),
    (Fact::Kids, Fact::NoKids),
    (Fact::Paid, Fact::Owes),
    (Fact::NoContact, Fact::Contact),
    (Fact::Contact, Fact::NoContact),
    (Fact::NeverUsed, Fact::Used),
    (Fact::Used, Fact::NeverUsed),
    (Fact::LivesAlone, Fact::Dependants),
    (Fact::Dependants, Fact::LivesAlone),
    (Fact::Confined, Fact::Active),
    (Fact::HasMoney, Fact::NoMoney),
    (Fact::NoMoney, Fact::HasMoney),
];

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
    /// First phrase of each other kind of claim (at most one per [`Fact`]); absent in snapshots
    /// written before it existed.
    #[serde(default)]
    facts: Vec<(Fact, String)>,
}

fn re(pattern: &str) -> Regex {
    // Patterns are constants checked by the tests; a failure here is a programming error.
    // The normalised text is ASCII, so the patterns are too: ASCII word boundaries keep every
    // search on the fast automata, whatever the input was.
    RegexBuilder::new(&format!(r"\b(?:{pattern})\b"))
        .unicode(false)
        .size_limit(64 << 20)
        .build()
        .expect("valid tactic pattern")
}

/// Legal action set on the creditor.
static THREAT_LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:ill|i will|im going to|im gonna|gonna|going to|i am going to|will|were going to|were gonna|about to) (?:sue|report you|call my lawyer|get a lawyer|call the police|call the cops)",
        r"|sue (?:you|your|this|the|them)|suing|lawsuit|lawyer up",
        // A lawyer is a threat only when set on the creditor ("talk to my lawyer", "this goes
        // straight to my lawyer", "my lawyer will contact you"), not when the debtor reports
        // advice ("my attorney advised me to set up a payment plan").
        r"|(?:talk|talking|speak|speaking|talk directly|go|going|goes|send|sending|forward|forwarding|hand|handing|pass|passing|take|taking|bring|bringing|show|showing)(?: it| this| them| that| everything)?(?: straight| right| directly)? to my (?:lawyer|attorney|solicitor|legal team)",
        r"|(?:hear|hearing) from my (?:lawyer|attorney|solicitor|legal team)",
        r"|(?:call|calling|contact|contacting|get|getting|hire|hiring|involve|involving|bring in|bringing in|sic|retain|retaining) (?:my|a) (?:lawyer|attorney|solicitor|legal team)",
        r"|my (?:lawyer|attorney|solicitor|legal team)(?: (?:will|is going to|is gonna|would|can|shall|is|would just|would really))? (?:sue|file|files|filing|contact you|call you|be in touch|be contacting|be calling|deal with you|handle this|hear about|take (?:you|this|it)|go after|come after|get you|destroy|bury|looking into|is looking into|reviewing|is reviewing|says you|said you|thinks you|love|enjoy|have a field day|be (?:very )?interested|want to (?:hear|see|talk))",
        r"|see you in (?:[a-z0-9]+ ){0,2}court",
        r"|(?:take|taking|took|drag|dragging|haul|hauling) (?:you|this|it|your company|this company|you people|you guys|you lot|your \w+)(?: all the way)? (?:to|into|before|in front of) (?:[a-z0-9]+ ){0,2}courts?",
        // The law as a future audience of the call: "the judge will want to know it too".
        r"|(?:the|a) (?:judge|court|jury|magistrate|regulator|ombudsman|police|cops|sheriff|tribunal)(?: [a-z0-9]+)? (?:will|would|is going to|gonna|shall) (?:want to |love to |be (?:very )?)?(?:know|hear|see|interested|hearing|asking)",
        r"|(?:want|wants|wanna) (?:this|it|us|me|things) to (?:go|end up|get) (?:to|in|before) (?:a |the )?(?:court|judge)|(?:happy|ready|glad|fine|prepared) to (?:go|see you) (?:to|in) court",
        r"|(?:in front of|before|explain (?:it|this|that) to) a judge",
        r"|legal action|legal proceedings|press charges|class action|(?:harassment|formal|official) (?:complaint|claim|case|lawsuit)",
        r"|(?:file|filing|bring|bringing|start|starting|launch|launching) (?:a )?(?:suit|lawsuit|claim|case) against|suit against (?:you|your)",
        r"|(?:letter|call|papers|paperwork|summons) from my (?:lawyer|attorney|solicitor|legal team)|(?:lawyer|attorney|solicitor)s? (?:letter|office will)",
        r"|my (?:lawyer|attorney|solicitor|legal team|legal department)(?: is| will be| has)?(?: already)? (?:drafting|preparing|on it|on the case|waiting|standing by|ready)",
        r"|(?:have|get|put) my (?:lawyer|attorney|solicitor|legal team) (?:on|onto|call|ring|write)",
        r"|(?:spoken|talked|been talking|spoke|been) to (?:a|my) (?:lawyer|attorney|solicitor)|(?:strong|good) case against|case against (?:you|your)",
        r"|(?:let|have) (?:a|the) (?:judge|court|jury) (?:decide|sort|settle)|tell it to the judge|(?:and then|then|straight|right|all the way) to court",
        r"|legal fees|(?:bankrupt|sink|finish) (?:you|your company|your business|this company)"
    ))
});

/// Courts, the law and authorities: a threat when set on the creditor ([`INTENT`] nearby).
static LEGAL_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"courts?|judge|jury|sheriff|bailiffs?|police|cops|small claims|countersue|lawsuit|tribunal|magistrates?",
        r"|lawyers?|attorneys?|solicitors?|legal (?:team|department|action|aid)|authorities|regulators?|ombudsman|watchdog"
    ))
});

/// The press, platforms and reviews: a threat when set on the creditor ([`INTENT`] nearby).
static PUBLIC_ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"youtube|tiktok|facebook|twitter|instagram|reddit|trustpilot|yelp|google reviews|social media|online|the internet|newspapers?|the papers?|the press|the media|the news",
        r"|bbc|cnn|fox news|sky news|itv|nbc|cbs|abc news|the times|the guardian|daily mail|the sun|local paper",
        r"|reporters?|journalists?|(?:bad|negative|one star|1 star|scathing|terrible|honest) reviews?|reviews? (?:on|about) (?:you|your)|(?:my|the) review (?:is|will)",
        r"|viral|channel \d+|tv|radio|newsroom"
    ))
});

/// Seeing, hearing or being advised: the press or a platform as a source, not a weapon.
static PUBLIC_DAMPER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"saw|seen|heard|read|watched|watching|learned|found|in the background|recommended|said you (?:were|are)|reasonable|fair|helpful",
        // Praise: "I'm gonna tell everyone at work how easy you made this".
        r"|how (?:easy|nice|kind|helpful|good|great|patient|pleasant|understanding|quick|simple|smooth|lovely|painless)|(?:you|youve|youre) (?:were|been|are) (?:so |very |really )?(?:great|helpful|kind|nice|patient|understanding|lovely|amazing|wonderful|decent)",
        r"|(?:pay|paying|payment|check|cheque|forms?|plan|statement|details) (?:[a-z0-9]+ )?online|online (?:banking|account|portal|payment)"
    ))
});

/// A future act directed at the creditor: "I'll", "you'll", "one more ... and", "keep ... and".
static INTENT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"ill|i will|im going to|im gonna|i am going to|gonna|im about to|youll|you will|youre going to|you are going to",
        r"|will be|is going to|are going to|one more|next time|again and|or else|and ill|before i|do that again|keep (?:[a-z0-9]+ )?(?:and|up)",
        r"|(?:if|when) you (?:call|keep|send|do|contact|ring|write|try)|ill have|i can have|id have|shall i|should i|want me to"
    ))
});

/// Fear, reluctance and advice: the law named as something the debtor dreads or was advised on.
static LEGAL_DAMPER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"scared|afraid|worried|terrified|nervous|frightened|hate|(?:dont|do not) want|nobody wants|rather not|avoid",
        r"|said (?:i|to|we) should|told me to|advised|suggested|recommended|helped|parking ticket|never again|last (?:month|year|week)"
    ))
});

/// What a lawyer said that is aimed at the creditor after all ("my lawyer says you're breaking the law").
static LEGAL_ACCUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"says you|said you|youre|you are|illegal|unlawful|harass|harassment|case|sue|court|against")
});

/// A lawyer of the debtor's, a threat unless what follows is advice ([`LEGAL_ADVICE`]).
static MY_LAWYER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"my (?:[a-z0-9]+ )?(?:lawyers?|attorneys?|solicitors?|barristers?|legal team|legal department|legal counsel|counsel|legal representatives?|legal reps?)",
        r"|(?:my|a) (?:[a-z0-9]+ ){0,3}(?:is a|s a|who is a|whos a|works as a|was a|is an|s an) (?:[a-z0-9]+ )?(?:judge|cop|police officer|policeman|lawyer|attorney|solicitor|barrister|magistrate|reporter|journalist|detective|litigator|prosecutor|paralegal|trooper|sergeant|district attorney|public defender)",
        r"|my [a-z0-9]+s a (?:judge|cop|lawyer|attorney|solicitor|barrister|reporter|journalist|detective|litigator|prosecutor)"
    ))
});

/// What a lawyer (or a relative who is one) did for the debtor: advice, not a threat.
static LEGAL_ADVICE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"told me (?:to|i)|advised|advises|said|says|suggested|recommended|helped|helps|helping",
        r"|is handling my|handles my|handled my|dealt with my|thinks (?:i|we) should|wants me to|looked (?:at|over)|checked|reckons|agrees|agreed|set (?:it )?up|settle|pay|but|(?:dont|do not) need|no need|voicemail|answering machine|sorting|nothing to do with|unrelated|for my|handling"
    ))
});

/// Complaints to regulators, agencies, the police.
static THREAT_COMPLAINT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"report(?:ing)? (?:you|your company|this company|this|your \w+)",
        r"|(?:file|filing|lodge|lodging|make|making|submit|submitting|draft|drafted|drafting|send|sending) (?:an? |the |my )?(?:formal |official )?complaint",
        r"|complain(?:ing)? to (?:the|your) \w+",
        r"|regulators?|ombudsman|watchdog|consumer affairs|cfpb|consumer financial protection|consumer protection|better business bureau|bbb|ftc|(?:office of )?fair trading|federal trade commission|attorney generals?|trading standards|financial conduct authority|fca",
        r"|(?:write|writing|wrote) to (?:the|my) (?:[a-z0-9]+ )?(?:senator|congressman|congresswoman|mp|representative|governor)",
        r"|(?:i|ill|i will|im|and i|gonna|going to) call(?:ing)? (?:the )?(?:police|cops|authorities)",
        r"|(?:to|tell|alert|contact|contacting|notify|notifying) the (?:authorities|licensing (?:board|authority)|state board)",
        // Licences: "the state licensing board", "see if your agency still has a license".
        r"|licen[cs]ing (?:board|authority|body|commission|department|office)|(?:state|federal) (?:board|commission)",
        r"|(?:lose|losing|lost|still (?:has|have|got)|revoke|revoked|revoking|pull|pulled|pulling|yank|strip|stripped|suspend|suspended) (?:your|their|its|the|a|his|her) (?:[a-z0-9]+ )?licen[cs]e|licen[cs]e (?:revoked|pulled|suspended|taken away|yanked)",
        // Going over the agent's head: "I've got your CEO's email", "you'll be out of a job".
        r"|(?:email|emailing|write|writing|wrote|call|calling|phone|phoning|ring|ringing|contact|contacting|message|messaging) (?:to )?(?:your|the) (?:ceo|president|chairman|board of directors|head office|headquarters|compliance (?:team|department|officer)|regional manager|owner)",
        r"|your (?:ceos?|presidents?|owners?|bosss?|managers?|supervisors?) (?:email|e mail|phone|number|address|direct line)|(?:ceos|bosss|managers|supervisors) (?:email|e mail|number|address|direct line)",
        r"|(?:youll|you will|youre going to|youre gonna|you are going to|you might|you could) (?:be )?(?:out of (?:a|your) job|fired|sacked|unemployed|looking for (?:a new|another) job|lose your job|on the dole)",
        r"|my (?:local )?(?:mp|senator|congressman|congresswoman|councillor|councilman|councilwoman|state representative|assemblyman|assemblywoman)",
        r"|(?:get|getting|bring|bringing) (?:the )?(?:police|cops|law|authorities|lawyers?|attorneys?|solicitors?|regulators?|ombudsman|courts?|press|media|feds) involved",
        r"|(?:call|calling|phone|phoning|ring|ringing|tell|telling|contact|contacting) (?:the )?(?:police|cops)|report (?:you|this|it) to (?:the )?(?:police|cops)",
        r"|(?:have|get|getting) you (?:fired|sacked|disciplined|struck off)|(?:lose|cost you) your job|report you to your (?:boss|manager|supervisor)",
        r"|an earful|a piece of my mind|all the way to the top|(?:your|the) (?:boss|manager|ceo|supervisor|head office|owner)(?: [a-z0-9]+){0,2} (?:will|is going to|gonna|s going to|is gonna) (?:hear|get|know)"
    ))
});

/// Public shaming: platforms, the press, reviews, word of mouth.
static THREAT_PUBLIC: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        // A named platform anywhere after a verb of publishing.
        r"(?:post|posting|put|putting|share|sharing|upload|uploading|plaster|plastering|blast|blasting|spread|spreading|tweet|tweeting|make|making|do|doing|write|writing|start|starting|go on|going on|get on|film|filming)(?: [a-z0-9]+){0,6} (?:twitter|facebook|instagram|insta|tiktok|youtube|reddit|linkedin|nextdoor|yelp|trustpilot|google reviews|social media|socials|whatsapp|forums?)",
        r"|(?:im |i am |were )?(?:also )?(?:live ?streaming|livestreaming|streaming|recording|taping|filming) (?:this|the|our) (?:call|conversation)",
        r"|(?:im|i am|were) (?:also )?(?:recording|taping|live streaming|livestreaming|filming) (?:this|you|everything|it all|every word)",
        r"|on blast|(?:expose|exposing|out|outing|call out|calling out) (?:you|your company|your business)",
        r"|(?:nobody|no one|who)(?: [a-z0-9]+){0,4} (?:will|is going to|gonna|would|still) (?:ever )?(?:does|do) business with (?:you|your)",
        // "Online" only for what the call is about ("post this online", not "post the payment online").
        r"|(?:post|posting|put|putting|share|sharing|upload|uploading|write|writing)(?: (?:this|it|them|that|these|those|everything|all of (?:this|it)|all this|about (?:this|you|it|your \w+|how you \w+)|the (?:recording|recordings|call|calls|texts|letters|messages|emails|screenshots|conversation)))? (?:[a-z0-9]+ )?(?:online|on the (?:internet|web))",
        r"|followers|subscribers|my (?:[a-z0-9]+ ){0,2}(?:channel|podcast|blog|vlog|audience|page)|how many people (?:read|follow|watch|see|listen to)",
        r"|(?:this|it|everything|all of this|this call)(?: is| s)? (?:all )?being (?:saved|recorded|taped|logged|kept)",
        r"|(?:make|making|do|doing|film|filming|post|posting) a (?:[a-z0-9]+ )?(?:video|tiktok|post|thread|story) (?:about|on) (?:you|this|your|how|exactly|the way)",
        r"|(?:go|going|goes|gone|went) viral|(?:great|nice|perfect|catchy|good|what a) headline|(?:make|makes|making) (?:the )?headlines|front page",
        r"|(?:call|calling|contact|contacting|tell|telling|go to|going to|talk to|talking to|tip off|tipping off|alert|alerting|write to|writing to|wrote to) (?:the )?(?:local )?(?:media|press|news|newspapers?|papers?|reporters?|journalists?|tv station|news station)",
        r"|(?:media|press|news|papers|newspapers|reporters|journalists) (?:would|will|are going to|d)(?: [a-z0-9]+)? (?:love|eat (?:this|it) up|have a field day|be (?:very )?interested)",
        r"|(?:journalist|reporter) (?:friend|mate|buddy)|(?:to|with) (?:a|my) (?:[a-z0-9]+ )?(?:journalist|reporter)",
        r"|(?:leave|leaving|write|writing|post|posting|give|giving) (?:you |your \w+ )?(?:a |an )?(?:[a-z0-9]+ )?reviews? (?:on|about|for)",
        r"|(?:drag|dragging) (?:your|the) (?:[a-z0-9]+ )?name|through the mud|(?:ruin|ruining|destroy|destroying|trash|trashing) your (?:reputation|name|business|company)",
        r"|(?:on|across) (?:every|all the|all) (?:forums?|sites?|websites?|platforms?|groups?)",
        r"|(?:a|my) (?:friend|cousin|nephew|niece|brother|sister|buddy|neighbor|neighbour|uncle|aunt) (?:is a|who is a|whos a|works as a) (?:reporter|journalist)",
        r"|(?:reporters?|journalists?|papers?|press|news|channel \d+|tv|media)(?: [a-z0-9]+){0,4} (?:is|are|would be|will be|seems?) (?:very |really |extremely )?interested",
        r"|(?:radio|tv|news|paper|press|newspaper|station|reporter|journalist)(?: [a-z0-9]+){0,3} (?:whod|who would|would|will) love (?:this|that|it|to hear)",
        r"|quote from you|stories like (?:mine|this)|(?:love|like|want) (?:a|this) story|a story about (?:you|your|debt collectors|people like you)",
        r"|(?:ruin|ruining|destroy|destroying|trash|trashing|damage|tank|tanking) (?:your|this|the) (?:[a-z0-9]+ )?(?:reputation|name|business|company|career)",
        r"|(?:your|to your) (?:family|wife|husband|kids|children|neighbou?rs|employer|mother|mum|mom)(?: to)? (?:find out|know about|hear about|learn|see what)",
        r"|(?:post|posting|put|putting|share|sharing|spread|spreading) (?:your (?:number|name|address|details|photo|face)|it|this|them) (?:[a-z0-9]+ )?(?:online|everywhere|all over)",
        r"|supervisors name|managers name|bosss name|people talk|word (?:gets|travels) (?:around|fast)|small town",
        r"|your (?:company|companys|name|face|business|firm|outfit|boss|bosss)(?: [a-z0-9]+){0,2} on (?:the )?(?:[a-z0-9]+ ){0,2}news",
        r"|(?:bad|negative|terrible|awful|scathing|one star|1 star|zero star|0 star) reviews?|name and shame",
        r"|(?:tell|telling|warn|warning|let) (?:every|everyone|everybody|the world|the whole|all (?:my|of my|the)|all my)|(?:tell|telling|warn|warning) (?:people|everyone|everybody) (?:online|on [a-z0-9]+)",
        r"|(?:everyone|everybody|the whole (?:world|town|city|street|neighborhood|neighbourhood|church|internet|county|village)|the world|all my (?:friends|followers|neighbors|neighbours)) (?:[a-z0-9]+ ){0,3}(?:is going to|are going to|will|gonna|is gonna|are gonna) (?:[a-z0-9]+ )?(?:hear|know|find out|learn|see)",
        r"|make sure (?:that )?(?:your|every|everyone|everybody|the whole|all|the world|the public|people|the entire)(?: [a-z0-9]+){0,5} (?:knows?|hears?|finds? out|learns?|sees?)",
        r"|(?:hell|shell|theyll|he will|she will|they will|will|going to|gonna) (?:be )?hear(?:ing)? about (?:this|you|it|that|how)",
        // Any audience told how the creditor behaves: "my whole congregation will hear how you
        // treat a widow", "everyone in this town will know what you people do".
        r"|(?:everyone|everybody|people|they|the (?:whole |entire )?[a-z]+|my (?:whole |entire )?[a-z]+|all (?:my|of my|the) [a-z]+|the world)(?: [a-z0-9]+){0,4} (?:will|would|gonna|going to|is going to|are going to|shall|should|must) (?:all )?(?:hear|know|find out|learn) (?:all )?(?:about )?(?:exactly )?(?:how|what) (?:you|your|this company|you people|you guys|you lot|this agency|your company)",
        r"|(?:want me to|should i|shall i|maybe i should|how about i|do you want me to|wanna see me|maybe ill|i could|i might) (?:tell|show|warn|inform|let|alert)(?: [a-z0-9]+){0,4} (?:how|what|about) (?:you|your)",
        r"|(?:group|page|forum|community|channel|account|network|following|newsletter|list)(?: [a-z0-9]+){0,2} with (?:[a-z0-9]+ ){1,3}(?:members|followers|subscribers|readers|people)",
        r"|(?:name|reputation|brand)(?: [a-z0-9]+){0,3} (?:is|will be|gonna be|is gonna be|is going to be|going to be|be|would be) (?:mud|dirt|ruined|trash|garbage|toxic|dead|finished|worthless)",
        r"|(?:in|at|to|across|around) every (?:church|school|shop|store|street|house|bar|pub|office|forum|group|mosque|temple|gym|club|town)",
        r"|(?:call|calling|contact|contacting|ring|ringing|phone|phoning|tip off|tipping off|email|emailing|go to|going to|tell|telling) (?:the )?(?:channel (?:\d+|[a-z]+)|[a-z0-9]+ news|(?:local )?tv(?: station)?|(?:local )?radio(?: station)?|news (?:desk|station|team)|newsroom)",
        r"|(?:they|reporters|journalists|the news|tv|stations?|channel \d+|media|press|papers|viewers|people) (?:love|loves|eat up|lap up|would love|live for|adore)(?: [a-z0-9]+)? (?:stories|a story|this kind|this sort|these stories|that kind|stuff like this)",
        r"|stories (?:about|of|like) (?:vultures?|collectors?|debt collectors|companies like yours|people like you|firms like yours|agencies like yours|you)",
        r"|(?:will|would|gonna|going to|is going to|are going to) (?:all )?know your (?:company|companys|firm|firms|agency|agencys|name|face|business)",
        r"|screenshot(?:s|ting|ted|ing)?|(?:going|goes|go|put|putting|posted|post) (?:it |this |them )?(?:in|on|into) the (?:community|neighbou?rhood|local|facebook|whatsapp|parents|residents|village|street|church|school) (?:group|page|chat|forum)",
        r"|one word from me|your (?:firm|company|agency|business|outfit|career) (?:is|will be|would be) (?:finished|done|over|toast)|(?:make|making) (?:you|your \w+) famous|not in a good way",
        r"|(?:ive got|i have|i run|i host|i do|i make) a (?:[a-z0-9]+ )?(?:podcast|blog|channel|vlog|newsletter|youtube|tiktok)",
        r"|(?:writes|works|writing|working|reports) for (?:the|a) (?:[a-z0-9]+ )?(?:paper|newspaper|magazine|news|station|gazette|times|herald|post|radio)(?: [a-z0-9|]+){0,4} (?:shed|hed|theyd|she would|he would|they would|would|will|whod|who would) (?:love|like|be (?:very |really )?interested)",
        r"|hears? (?:how|what) you (?:lot |people |guys )?(?:speak|talk|treat|do|did|said|say)|(?:wait|just wait) (?:till|until) (?:my|the) (?:[a-z0-9]+ ){0,2}(?:hears|sees|finds out)"
    ))
});

/// Menace, open or veiled.
static THREAT_MENACE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:youll|you will|youre going to|you are going to|youre gonna) (?:regret|be sorry|pay for this)",
        r"|watch your (?:back|step|mouth)|watch yourself|(?:you|youd) better watch|(?:be|you should be|better be) (?:very |really )?careful (?:who|what|how) you",
        r"|(?:id|i would|you should|youd|you better|youd better|better) be (?:very |real |really )?careful|if i were you(?: [a-z0-9]+){0,4} (?:careful|watch|wouldnt|lock)|(?:wouldnt|would not) (?:walk|go|drive|park)(?: [a-z0-9]+){0,5} (?:alone|at night|if i were you)",
        r"|(?:something|anything) (?:bad |terrible |nasty |unfortunate |awful )?(?:might|could|will|would|may|is going to|gonna) happen to (?:you|your)|accidents (?:happen|can happen)",
        r"|(?:ill|i will|im gonna|im going to) (?:find|track down|hunt down|come for|come after) you|(?:track|hunt) you down",
        r"|(?:dont|do not) make me (?:come|do|get|hurt|lose|angry|mad)|what (?:im|i am) capable of",
        r"|make your life (?:hell|a living hell|miserable|difficult)|make (?:you|your \w+) pay for|this means war",
        r"|(?:gets?|got) (?:a )?hold of you|(?:gets?|got) (?:his|her|their|my) hands on you",
        r"|(?:dont|do not) want to (?:make an enemy|cross me|mess with me|test me|push me|make me (?:angry|mad))|make an enemy of me|(?:dont|do not) cross me",
        r"|your next (?:move|step)|think (?:very )?(?:carefully|hard|twice) (?:about|before (?:you|ringing|calling|phoning|contacting|coming|writing))",
        r"|(?:people|folk|folks|men|guys)(?: [a-z0-9]+){0,2} (?:have|had|get|got|have had) (?:hurt|accidents|injured)|(?:second|another|final|last) warning",
        r"|(?:driving|drove|walking|walked|went|go|going) (?:past|by|round) your (?:building|office|house|home|place|work|street)",
        r"|meet (?:the (?:man|woman|person|guy|girl) behind (?:this|that|the) voice|you in person|you outside|you after work)",
        r"|(?:hope|bet) your (?:windows|doors|car|tyres|tires|locks|house|home|family) (?:are|is|stay|stays)",
        r"|(?:mess|messes|messing) with (?:me|my family|my kids|my mother|my wife|my husband|us)",
        r"|(?:tend to|always|will|are going to|is going to|gonna) regret (?:it|this|that)",
        r"|see where (?:it|that|this) gets you|keep (?:this|it) up and (?:see|youll|you will|ill|i will|watch)",
        r"|not a patient (?:man|woman|person|guy)|(?:my )?patience is (?:running|wearing) (?:out|thin)",
        r"|you (?:want|wanna|looking for|are asking for|re asking for|asking for) (?:trouble|a fight|war)|youve found (?:it|trouble)",
        r"|make (?:sure )?(?:you|your \w+) (?:regret|sorry)|i (?:have|know|got) (?:some )?people (?:who|that) (?:can|could|will|would)|(?:wont|will not|not going to|dont|do not) (?:like|want|enjoy) what (?:happens|comes|i do|ill do)",
        r"|want to be (?:very |real |really )?careful|(?:wouldnt|would not)(?: [a-z0-9]+){0,5} if i were you|cross me|(?:and|or) (?:youll|you will) (?:find out|see)",
        r"|(?:lawyers?|attorneys?|solicitors?|barristers?|judges?|cops|police(?:men)?) in (?:my|the) family",
        r"|(?:go|come|coming|going) after (?:you|your)|pok(?:e|ing) the bear|(?:dont|do not) think i wont|shut you down|make it my mission|put you out of business|(?:dont|do not) push (?:your luck|it)|push your luck|(?:tear|rip) you apart|eat you alive|wipe the floor with you|take you down|bury you|destroy you",
        r"|(?:youve|you have) been warned|consider (?:this|yourself) warned|this is your (?:last|final) warning|fair warning",
        r"|(?:dont|do not) (?:test|try|push|provoke|cross) me|(?:you|youd) better hope",
        r"|bad things (?:happen|could happen|will happen|tend to happen)|(?:people|those) who (?:harass|mess with|threaten|bother|cross) (?:[a-z0-9]+ ){0,3}(?:tend to|always|end up|get)",
        r"|see what (?:they|he|she|you) get|(?:ill be|im|i will be) waiting for (?:whoever|anyone|them|him|your)|with my (?:dog|gun|bat|shotgun|baseball bat)",
        r"|while you still can|(?:before|or) (?:it|this|things) (?:gets?|turns?) (?:ugly|worse|nasty)|last (?:warning|chance)",
        r"|make (?:things|it|this|life|your life) (?:very |really )?(?:unpleasant|uncomfortable|difficult|hard|hell|ugly|miserable) for you",
        r"|(?:at|on|to) your (?:front )?door(?:step)?",
        r"|(?:cant|cannot|wont) (?:promise|say|be responsible for) what (?:ill|i will|i might|i would|happens)|(?:dont|do not) know what ill do",
        r"|(?:nice|lovely|pretty) (?:little )?(?:[a-z0-9]+ ){1,2}(?:you got|you have|youve got|youve) there",
        r"|(?:shame|pity) if (?:something|anything|someone|somebody|your|you)|shame if (?:[a-z0-9]+ ){0,6}(?:happen|happened|happens|accident|hurt|broke|burned|caught fire|went missing)",
        r"|you (?:really )?(?:dont|do not) want to (?:find out|see|know) what (?:i|happens|ill|my)",
        r"|(?:youll|you will|then|and|just|go ahead and|or) (?:see|find out) what happens",
        r"|whats coming (?:to )?(?:you|them|him|her|yall)",
        r"|keep (?:pushing|poking|testing) me",
        r"|send (?:someone|somebody|anyone|them|him|your (?:guys|people|goons|boys|collectors?)|one of your \w+) (?:to my door|round)",
        r"|if i (?:see|catch) (?:one of |any of |anyone from )?(?:you|your)(?: [a-z0-9]+){0,4} (?:near|at|around|outside|on) my (?:house|home|door|property|street|place|family|kids|wife|husband)",
        r"|(?:wont|will not) be walking (?:back|away|home)",
        r"|(?:dont|do not|wont|will not|wouldnt|would not) take kindly to",
        r"|i hope (?:you|youve|you have)(?: got)? (?:good |strong )?(?:locks|insurance|security|a good lawyer|a good dentist)|locks on your doors?",
        r"|my (?:brothers?|boys|friends|cousins?|guys|buddies|family|husband|sons?|uncles?)(?: would| will| wanna| want to| are going to| is going to| gonna)?(?: love to| like to| be happy to)? (?:have a (?:little )?word|pay (?:you |your \w+ )?a visit|visit you|come (?:down|over|round|by)|meet you|find you|sort you out|deal with you)",
        r"|(?:not|aint) coming (?:there |down there )?to (?:talk|chat)|coming for you",
        r"|play (?:hardball|rough|dirty)",
        r"|(?:a|im a|i am a) dangerous (?:man|woman|person|guy)|(?:i can|i will|ill) (?:get|be|become) dangerous",
        r"|(?:hurt|kill|beat up|come after|hunt down) you|break your (?:legs|neck|face|windows)|burn (?:down )?your",
        r"|(?:learn|find out) (?:it )?the hard way|you (?:really )?(?:want|wanna) (?:to )?go down that road",
        r"|(?:messing|messin|screwing) with the wrong|(?:dont|do not|no idea) (?:know )?who (?:youre|you are) (?:dealing|messing|talking|screwing) with",
        r"|pushed into a corner|push me (?:too far|any further)",
        // A visit: "I'll pay you a visit", "settle this face to face".
        r"|(?:pay|paying|paid) (?:you|your (?:[a-z0-9]+ ){0,2}(?:office|house|home|place|family|kids|boss|work|desk)) a (?:little |personal |friendly |surprise |quick |special )?visit",
        r"|(?:well |we will |lets |we can )?settle (?:this|it|things|that|the matter|our differences) (?:face to face|man to man|outside|the old (?:fashioned )?way|in person|my way)",
        r"|(?:youll|you will|youre gonna|youre going to|you are going to|and you|then you) wish (?:you (?:hadnt|had not|never|didnt|did not|were never|had)|youd)",
        // The agent's family, name, face or voice, remembered: "tell your family I said hello".
        r"|tell your (?:lovely )?(?:family|wife|husband|kids|children|mother|mum|mom|daughter|son|little ones|parents) (?:i said )?(?:hello|hi)|(?:say hi|say hello|give my (?:love|regards|best)|send my (?:love|regards|best)) to your (?:lovely )?(?:family|wife|husband|kids|children|mother|mum|mom|daughter|son|little ones|parents)",
        r"|(?:im sure|i bet|i hope) (?:theyre|they are|your (?:family|wife|husband|kids|children) (?:is|are)) (?:[a-z]+ )?(?:lovely|beautiful|nice|sweet|cute|safe|well)",
        r"|(?:memoris|memoriz)(?:e|ed|es|ing) (?:your|the) (?:voice|face|name|number|address)|(?:wont|will not|never) forget (?:your|that) (?:voice|face|name)",
        r"|(?:bump|run|running|bumping|ran|bumped) into (?:each other|you)|sooner or later (?:well|we will|i will|ill|youll|you will|were gonna|were going to|someone|somebody)",
        r"|(?:your|ur) (?:real |full |last |first )?name(?: [a-z0-9|]+){0,8} (?:ill|i will|im going to|im gonna|i can|i could) (?:find|look|dig|track) (?:out|you|it up|up)",
        r"|(?:ill|i will|im going to|im gonna|i can|i could) (?:find|look|dig|track) (?:out |up )?(?:who you (?:are|really are)|where you (?:live|work|are|sleep)|your (?:real |full |last |home )?(?:name|address|details|family|house))",
        r"|(?:friends|people|guys|mates|buddies|cousins|brothers|boys|associates|neighbou?rs)(?: [a-z0-9]+)? who (?:dont|do not|wont|arent|are not) (?:care (?:much )?for|like|take kindly|appreciate|fond of|too fond of|big fans of|very fond|fans of|very patient|patient)",
        r"|(?:friends|people|associates) in (?:low|high|certain|the right|the wrong) places",
        // Veiled: "you sleep okay at night? after this call I wouldn't be so sure".
        r"|sleep (?:okay |ok |well |soundly |safe |safely |tight |easy )?(?:at night )?(?:[a-z0-9|]+ ){0,8}(?:wouldnt|would not) be (?:so|too) sure",
        r"|(?:after|from) (?:this|today|tonight|now)(?: [a-z0-9]+){0,3} (?:i )?(?:wouldnt|would not) be (?:so|too) sure",
        r"|(?:sleep|sleeping) with one eye open|(?:look|looking|watch|watching) over your shoulder|(?:lock|check) your (?:doors|locks|windows)",
        r"|(?:teach|teaches|taught|teaching) you (?:a lesson|some (?:manners|respect)|how|a thing or two|respect|manners)",
        r"|(?:handle|deal with|settle|take care of) (?:disrespect|things|this|people like you|matters|problems|it) (?:differently|our (?:own )?way|the old (?:fashioned )?way|my way)",
        r"|(?:youll|you will|youre gonna|youre going to|you are going to|then youll|and youll) (?:find out|learn|discover) (?:exactly )?(?:what kind of|what sort of|who|what|how)",
        r"|find out (?:exactly )?(?:what kind of|what sort of) (?:man|woman|person|guy|people)",
        r"|(?:never|doesnt|does not|wont|will not|didnt) end(?:s)? well|(?:see|find out) who blinks first|(?:want to|wanna) play it (?:like that|that way)"
    ))
});

/// Knowing where the creditor lives, works or parks: menace unless the debtor means to pay there
/// ("I know where your office is, I can drop a cheque in").
static KNOW_WHERE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i know (?:exactly )?where (?:you|your)|(?:find out|know|found out|figure out|finding out) where (?:you|your [a-z0-9]+) (?:live|lives|work|park|sleep|is|are)",
        r"|where you live|i know (?:what|which|where|who) (?:[a-z0-9]+ ){0,3}(?:drive|live|work|park|kids|family|wife|husband|house|car)"
    ))
});

/// Going there to pay: knowing where the office is is then no menace.
static KNOW_WHERE_DAMPER: LazyLock<Regex> =
    LazyLock::new(|| re(r"pay|paying|cash|in person|drop|come in|pop in|visit"));

/// Menace that is a clause of its own ("keep pushing me. See what happens.").
static THREAT_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:see what happens|bring it on|try me|careful|be careful|careful now|i know (?:some )?people|with my (?:dog|gun|bat))$",
    )
});

/// Blame, guilt and melodrama aimed at the creditor: leverage on their own.
static VICTIM_BLAME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:ruining|ruin|ruined|ruins|destroying|destroy|destroyed|destroys|wrecking|wreck|wrecked|wrecks) (?:my|our) (?:whole |entire )?(?:life|lives|family|marriage|future|health|sanity)",
        r"|how (?:can|could|do|dare) you (?:sleep at night|sleep|live with yourself|live with yourselves|look at yourself|look yourself in the mirror|look me in the (?:eye|face)|do this to|(?:even )?ask (?:me|that|this|for)|be so (?:cruel|heartless|cold|mean|evil|callous|inhuman|unfeeling|ruthless|greedy|unfair))",
        r"|(?:why|how) (?:are |do |would |can |could )?you (?:do|doing) this to (?:me|us|a|an|my|someone|people|the)",
        r"|(?:its|it is|this is|thats|that is|itll be|it will be|it would be|itd be|will be|would be)(?: all)? your fault",
        r"|(?:no idea|dont know|cant imagine|could never understand) (?:how much|what) (?:ive|i have|i) (?:suffered|been through|gone through)",
        r"|(?:food|bread) (?:out of|from) (?:my |the )?(?:[a-z0-9]+ )?mouths?|roof over (?:my|our) heads?",
        r"|(?:hope|bet|wonder if) you (?:can )?sleep (?:well|tonight|at night)|knowing what you(?:ve| have)? (?:done|did)",
        r"|why (?:does|do|is|did) (?:this|everything|it|bad things|this stuff)(?: [a-z0-9]+){0,3} happen(?:s|ing)? to me|why (?:always )?me",
        r"|(?:enjoy|like|love|get off on) (?:making|watching|seeing) (?:people|me|us|others|someone|families|folks)(?: [a-z0-9]+)? (?:suffer|cry|squirm|beg)",
        r"|how would you (?:feel|like it) if|(?:what|how) if (?:it|this) (?:was|were) your (?:mother|mom|family|kids|father|dad)",
        r"|(?:squeeze|squeezing|wring|wringing|take|taking|get|getting|bleed|bleeding) every (?:last )?(?:penny|cent|dime|dollar|pound) (?:out of|from)",
        r"|(?:nobody|no one)(?: [a-z0-9]+){0,4} (?:has it|had it|suffers|has suffered) (?:as bad|worse|harder)",
        r"|(?:you|you people) keep (?:kicking|hitting|piling)|kick(?:ing)? (?:me|a man|someone|a woman|people) when (?:im|hes|shes|theyre|i am|theyre) down",
        r"|(?:what did i|what have i) (?:ever )?(?:do|done) to deserve|(?:i|we) (?:dont|do not) deserve (?:this|to be)",
        r"|laugh(?:ing)? (?:about|at) (?:people like me|me|us)|(?:prey|preying|feed|feeding) on (?:people like me|the poor|the weak|the vulnerable)",
        r"|(?:torturing|tormenting|harassing|bullying|hounding|squeezing|ruining) (?:people like me|poor people|the poor|vulnerable people|old people|sick people)",
        r"|(?:is it|is this) fun for you|(?:have|show|take) (?:some )?pity|pity on (?:me|us|a)|(?:a|this) poor old (?:woman|man|lady|widow|pensioner)",
        r"|(?:to|through) hell(?: and back)?|living (?:hell|nightmare)|and now (?:you|youre|you are)(?: people| lot| guys| here)?(?: too)?|(?:and|then) now this",
        r"|do you (?:even )?(?:know|have any idea) (?:how|what) (?:it feels|its like|it is like)|(?:how|what) it feels to (?:have|be|lose)",
        r"|your (?:little )?(?:quota|quotas|targets?|spreadsheet|numbers|figures)|(?:making|made|make) my life (?:a |an )?(?:living )?(?:misery|hell|nightmare|miserable|unbearable)|(?:hope|bet) (?:youre|you are) (?:happy|satisfied|pleased)",
        r"|being (?:crucified|persecuted|hunted|tortured|punished)|(?:hounded|harassed|chased|crucified|hunted|persecuted|tortured) over",
        r"|your (?:bonus|commission|big bonus|fat bonus)|you must (?:love|enjoy) your job",
        r"|(?:and )?then you (?:call|ring|show up|come along)|and you still (?:keep|want|come|call|ask|ring)|(?:youve|you have|you) taken everything",
        r"|your (?:mother|mom|mum|kids|children|family) the way you|(?:the way|how) (?:youve|you have|you) treated me|the (?:death|end) of me|what more do you want",
        r"|before you(?:d| would)? (?:let up|stop|leave me alone|be happy|be satisfied)|(?:im|i am) the (?:real )?victim",
        r"|so you (?:can )?get your money|(?:let|watch) my (?:kids|children|family) (?:freeze|starve|go hungry|suffer)",
        r"|must be nice (?:to|being|sitting)|(?:broken|broke|break|breaking) (?:my|a|an|[a-z0-9]+s) (?:[a-z0-9]+ )?heart|my last (?:pennies|penny|dollar|cent|pound)",
        r"|on your (?:head|conscience)|(?:everyone|everybody|the whole world|the world) (?:is |s )?against me|this is how (?:im|i am|i get) (?:rewarded|repaid|thanked|treated)",
        r"|(?:you|youre|you are) (?:making|make|made) me feel (?:like|so|worthless|small|useless|stupid)|(?:clothes|shirt) off my back",
        r"|picking on (?:me|us)|singl(?:e|ing) me out|why (?:are you|do you keep) (?:targeting|hounding|chasing) me",
        r"|you (?:lot |people |guys )?(?:dont|do not|couldnt|could not) give a (?:damn|toss|monkeys|hoot)|(?:youll|you will) be (?:happy|satisfied|pleased) when",
        r"|(?:living|sleeping) on the streets?|(?:year|life|luck|month) like mine|in (?:the )?history of (?:the world|mankind|humanity)",
        r"|(?:do you|you) (?:even )?have a (?:soul|heart|conscience)|have you (?:got )?a (?:soul|heart|conscience)|what do you want from me",
        r"|(?:im|i am) (?:just )?a poor (?:[a-z0-9]+ )?(?:pensioner|widow|old|woman|man|student|mother|single|girl|boy)",
        r"|make (?:the|a|an|me) (?:[a-z0-9]+ ){0,2}cry|this is how it ends|(?:worked|slaved) (?:my )?(?:whole|entire) life",
        r"|(?:pushing|push|pushed|driving|drive|drove) me (?:over|to) the edge|to the brink|to breaking point|on my last legs",
        r"|have a (?:heart|conscience)|(?:this is|is this) (?:my|the) (?:reward|thanks)|(?:wont|will not) (?:rest|stop|be happy|be satisfied) until (?:i|ive|im|we)",
        r"|(?:kick|kicking|kicked|kicks) (?:[a-z0-9]+ ){0,3}while (?:im|i am|hes|shes|theyre|were|they are|someone is|people are) down",
        r"|suffer(?:ing|ed)? like (?:no|nobody|no one|no human)|no (?:human being|one|person) should (?:ever )?(?:suffer|have to|go through)",
        r"|you (?:dont|do not) even care|you (?:couldnt|could not) care less|you (?:dont|do not) care (?:at all|one bit)|my life is (?:over|ruined|finished|destroyed)",
        r"|(?:reduced|brought|driven) me to tears|(?:youve|you have|you) made me (?:cry|sick|ill)",
        r"|(?:youve|you have|you) made my life (?:a misery|hell|a living hell|miserable|unbearable)",
        r"|people like you (?:who|that) (?:drive|make|ruin|destroy|push|prey)|drive (?:people|me|us|someone) (?:to|over) the edge",
        r"|(?:ruin|ruining|ruined|destroy|destroying|wreck|wrecking) (?:peoples|innocent peoples|families|familys) (?:whole )?(?:lives|life)",
        r"|(?:youre|you are) (?:the one )?to blame|i blame you",
        r"|food (?:off|from|out of) (?:my|our) (?:[a-z0-9]+ )?(?:table|plates?)|whats left of me|(?:shred|ounce|bit|scrap|drop) of (?:compassion|decency|humanity|mercy|kindness|pity)|(?:kick|kicking|kicked) (?:people|someone|a man|a woman|me)(?: who are| when theyre| when im)?(?: already)? (?:down|on the floor|on the ground)|(?:never been so|so) (?:humiliated|degraded|insulted)|all over a (?:[a-z0-9]+ )?(?:bill|debt)",
        r"|shame on (?:you|your)|treating (?:a|an|me|us|people) (?:[a-z0-9]+ ){0,2}like (?:this|that)",
        r"|(?:im|i am) (?:pleading|begging)|pleading with you|desperate (?:woman|man|mother|father|mum|mom|dad)",
        r"|blood (?:is )?on your hands|on your conscience|because of (?:you|you people|you guys|people like you|your (?:calls|harassment|threats|hounding|constant|company|people|greed)|(?:these|the|all (?:these|the|your)) (?:constant |endless )?(?:calls|letters|threats|messages|texts|harassment))|thanks to you",
        r"|(?:thats|that is|its|it is|thatll be|this is|it will be) (?:all )?on you",
        r"|you (?:dont|do not) (?:even )?care (?:about (?:me|us|people|my)|if|whether)|all (?:you|you people|you guys|your company|they) (?:care|cares|think|thinks) about",
        r"|heartless|inhuman|have you no (?:heart|shame|soul|decency)|shame on you|ashamed of yourselves?",
        r"|(?:have|show|give) (?:me |us )?(?:some|a little|a bit of|any|some kind of) (?:decency|mercy|compassion|humanity|pity|heart)|(?:show|have) mercy|mercy on (?:me|us)",
        r"|if you had (?:a heart|any (?:heart|decency|compassion|humanity|shame|soul)|a conscience|a soul)|(?:you|youve|you have|you people|you guys)(?: got| have| have got)? no (?:heart|soul|shame|decency|compassion|conscience|humanity)|(?:dont|do not) you have (?:a heart|any (?:decency|compassion|shame))",
        r"|you want (?:me|my kids|my children|my family|us|my \w+) to (?:starve|be homeless|suffer|live on the streets?|die|beg|go hungry|sleep (?:in|on))",
        r"|you want me to (?:go )?(?:flip burgers|sell my \w+|beg|work \w+ jobs|live (?:in|on|under))",
        r"|(?:youre|you are|you people are|you guys are)(?: still| literally| just| really| basically)? (?:killing|destroying|ruining|starving|bullying|torturing|tormenting|hounding|terrorizing|terrorising|crushing|breaking) (?:me|us|a|an|my (?:life|lives|family|kids|children|future))",
        r"|(?:youve|you have|you people have|you guys have|you people|you) (?:broken|broke|destroyed|ruined|crushed|wrecked|killed) (?:me|us|my (?:[a-z0-9]+ )?(?:life|family|marriage|spirit|heart))",
        r"|(?:kids|children|family) will (?:starve|go hungry|be homeless)",
        r"|(?:youre|you are|you people are|you guys are|your \w+ (?:is|are)) (?:[a-z0-9]+ )?the reason (?:im|i am|i have|ive|i|my|we)",
        r"|what (?:you|youre|you are|youve|you have|your \w+|you people are|you people) (?:does|do|did|doing|are doing|is doing|have done|re doing|done) to (?:me|us|a person|people|my|mine|someone|a family|families)",
        r"|what kind of (?:a )?(?:person|people|human|human being|monster|animal|company|man|woman|business) (?:does|do|would|calls|treats|harasses)",
        r"|do you (?:even )?(?:know|have any idea|have (?:any )?idea) what (?:its|it is) like|you have no idea what (?:its|it is) like",
        r"|(?:this is|is this|thats|that is|so this is) (?:the thanks i get|how i get treated|how (?:you|they) treat|how im treated|what i get for)",
        r"|(?:treat|treats|treated|treating|hounding|hound|hounded|chasing|chased|hunting|hunted) (?:me |us |people )?like (?:some kind of |some |a |an |a common )?(?:criminal|thief|crook|liar|animal|dog|dirt|garbage|trash|scum)",
        r"|(?:is this|is that|thats|this is|that is|is that really) (?:obviously |exactly |really )?what (?:you|you people|your company|your \w+) (?:want|wants|wanted)",
        r"|(?:bleed|bleeding|squeeze|squeezing|drain|draining) (?:me|us|people|every)(?: [a-z0-9]+)? dry|blood (?:out of|from) a (?:stone|turnip)",
        r"|(?:kick|kicking|kicked|kicks) (?:a man |a woman |someone |me |people )?while (?:im|i am|hes|shes|theyre|were|they are|someone is) down|add yourself to the list",
        r"|(?:unluckiest|most unfortunate|most miserable|loneliest|saddest|poorest|sickest|most cursed|most hated|most desperate|unhappiest) (?:person|man|woman|soul|guy|girl|mother|father|human|pensioner|widow)",
        r"|literally the worst|worst timeline",
        r"|(?:been|gone) through what (?:ive|i have|i|weve) (?:been|gone) through|(?:nobody|no one)(?: [a-z0-9]+){0,5} (?:has been|has gone|has ever been) through",
        r"|(?:ive|i have|i) suffered more|(?:havent i|have i not) suffered enough|suffered enough|finish me off|put me out of my misery|(?:for|about|over) (?:a few )?pennies|how (?:much )?i suffer|god sees how",
        r"|(?:im|i am) (?:literally |basically |practically |already )?(?:dying|drowning|suffocating|starving to death) (?:here|inside|over here|right now|as it is)",
        r"|(?:into|to) an early grave|(?:put|putting|send|sending|drive|driving) me (?:in|into|to) (?:my|an early|the) grave|(?:turn|turning|roll|rolling)(?: over)? in (?:his|her|their) graves?",
        r"|(?:youre|you are|you|youve|you have|your \w+ (?:is|are))(?: literally| really| just)? (?:giving|given|gave|give) me (?:a )?(?:panic attack|heart attack|nervous breakdown|breakdown|an ulcer|ulcers|a stroke|anxiety|panic attacks)|(?:if|when) my heart (?:gives out|stops|fails)",
        r"|(?:make|making|made) (?:a grown (?:man|woman)|an old (?:man|woman)|grown (?:men|women)) cry|kick out of (?:making|hurting|calling|this|harassing|torturing)|mission accomplished",
        r"|(?:youre|you are) making me feel like|(?:lowest|worst) (?:piece|form) of (?:dirt|garbage|trash|scum)",
        r"|hope (?:your|the|that) (?:[a-z0-9]+ ){0,2}(?:is|was) worth it|hope (?:it|that|this) (?:keeps you up|haunts you)",
        r"|(?:take|grab) everything|take my (?:last|house|home|car|kidneys?|kids|blood|shirt|organs|dignity|pride)|take the lot|(?:sell|selling) (?:my|a) (?:kidney|kidneys|organs|body|blood)",
        r"|(?:im|i am) (?:on my knees|begging you)|on my knees|begging you|i beg (?:you|of you)",
        r"|(?:live|living|sleep|sleeping) under a bridge|cardboard box",
        r"|alone in (?:this|the) world|(?:nobody|no one) (?:ever )?(?:helps|cares about|gives a damn about) me",
        r"|(?:my )?(?:whole|entire) (?:life|world) is (?:falling apart|crumbling|collapsing|over|ruined)",
        r"|(?:hope youre|you must be|you should be|hope you are) (?:so |very |real |really )?proud|(?:real|very) proud job|tell your (?:kids|children|mother|mom|family|wife|husband) what you do",
        r"|(?:you|youre|you are|yall|you people|you guys|you lot|and now|keep|still|why are you)(?: [a-z0-9]+){0,2} (?:terrorizing|terrorising|bullying|harassing|preying on|picking on|torturing|hounding|tormenting|chasing|badgering) (?:a |an |the |this |me |us )?(?:[a-z0-9]+ )?(?:disabled|sick|old|elderly|poor|vulnerable|widows?|single|grandmothers?|pensioners?|veterans?|dying|innocent)",
        r"|calling an? (?:[a-z0-9]+ )?(?:sick|old|dying|disabled|elderly)",
        r"|so cruel|cruel to (?:me|us|a|an|people)|(?:youre|you are|youre just|you are just|you people are) (?:a |the |such a |such |nothing but )?(?:monsters?|heartless|cruel|evil|sadists?|vultures?|parasites?|bloodsuckers?|leeches)",
        r"|(?:vultures?|sharks?|wolves|wolf|hyenas?|buzzards?) (?:are |is )?(?:circling|picking|feeding)|now you (?:people |guys )?(?:[a-z0-9]+ )?on top of",
        r"|(?:pick|picking|picked|strip|stripping) (?:my|the|our) bones|(?:circling|picking (?:at|over)) (?:the|my|a) (?:carcass|corpse|body|bones)|go ahead(?: and| \|)* (?:pick my|bleed me|kick me|take everything|take it all|take my (?:last|house|home|car|kids|everything)|squeeze me|finish me|bury me|strip me|rob me)",
        // Blame for the debtor's collapse: "people like you are what broke me", "just remember it
        // was your call that did it", "now a stranger rings up to call me a deadbeat".
        r"|(?:people like you|you people|you lot|you guys|you|your (?:kind|company|industry|calls|letters|threats|people))(?: [a-z0-9]+)? (?:are|is|were|was) (?:what|who|the ones? (?:who|that)|the thing that) (?:broke|destroyed|ruined|wrecked|crushed|killed|finished|did this to) (?:me|us|my)",
        r"|what broke me|(?:remember|know|never forget) (?:that )?(?:it was|that it was|who) (?:you|your)|(?:it was|its|that was|it is) (?:you|your (?:[a-z0-9]+ )?(?:call|calls|letters?|company|people|threats)) (?:that|who) (?:did|caused|put|sent|made|broke|pushed|drove)",
        r"|(?:call|calling|called|calls|label|labelling|labeling|treat|treating) me (?:a|an) (?:deadbeat|liar|thief|criminal|crook|scammer|fraud|cheat|bum|loser|scrounger|freeloader)",
        r"|and now (?:a|some|this|another|one of your) (?:stranger|kid|person|collector|company|agent|robot|guy|woman|man|girl|boy)",
        r"|after (?:everything|all|all that) (?:ive|i have|weve|we have|i|we) (?:been through|gone through|suffered|lost|survived)(?: [a-z0-9|]+){0,12} (?:you|your)",
        r"|what(?:s| is) next(?: [a-z0-9|]+){0,2} (?:my|your|the) (?:kidneys?|house|firstborn|kids|soul|blood|organs|home|car|shirt|life|teeth|children)",
        r"|(?:its|it is|its not|thats) not like (?:my|i|im|i am|i have|ive)(?: [a-z0-9]+){0,4} (?:already|enough|going through|dealing with|struggling|falling|suffering|lost|losing|problems|troubles|drowning)",
        r"|(?:youre|you are) (?:sitting|sat) (?:there )?in your (?:[a-z0-9]+ ){0,3}office"
    ))
});

/// Severe hardship that, told together with an accusation ([`ACCUSATION`]), is leverage.
static SEVERE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"cancer|chemo|chemotherapy|terminal|dying|hospice|disabled|disability|wheelchair|widow|widowed",
        r"|funeral|bury my|buried|burying|stroke|heart attack|dialysis|my (?:\w+ )?(?:husband|wife|son|daughter|mother|father|mum|mom|dad) (?:died|passed)"
    ))
});

/// The creditor accused of pressing someone in that state.
static ACCUSATION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:youre|you are|you keep|you people are|you guys are|and you|now you|yet you|still you)(?: still| just)? (?:harassing|hounding|chasing|calling|bothering|pestering|badgering|threatening|hassling|asking|demanding|want|treating|shouting|yelling|screaming)",
        r"|and you want (?:to|me|money|more|your money)|you want your money|and you still (?:keep|want|come|call|ask|ring)|you (?:still )?keep (?:coming|pushing|asking)|you keep (?:hounding|harassing|calling|chasing|bothering|ringing)"
    ))
});

/// Suffering, told as leverage when aimed at the creditor or piled up (see `playing_victim`).
static SUFFERING: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"cry|crying|cried|tears|sobbing|suffer|suffering|suffered|torture|tortured|torment|tormented|misery|miserable",
        r"|(?:living|pure|absolute|through) hell|going hungry|go hungry|drowning|heartbroken|broken (?:me|heart|woman|man|person)|dying|starve|starving|worthless",
        // The body giving way: "I won't even be alive in thirty days", "my blood pressure".
        r"|(?:wont|will not|wouldnt|might not|may not) (?:even )?(?:be alive|survive|live that long)|blood pressure|heart attack|nervous breakdown|(?:to|in) (?:the )?(?:er|emergency room|a and e|an ambulance)",
        r"|stressing me (?:out|to death)|(?:worried|scared|stressed|worrying me) (?:sick|to death)|(?:losing|lost) my mind|falling apart|(?:broke|broken|destroyed|ruined|crushed) me|(?:no|any) (?:suffering|tears|strength) left",
        r"|(?:all|so|completely|totally) alone|lonely|frightened|terrified|unfair|victim",
        r"|ruined|destroyed|lost everything|grave|desperate|begging|pleading|humiliated|nothing left|despair|nightmare",
        r"|cant take (?:it|this|any more|anymore)|breaking point|end of my rope|rock bottom|panic attacks?|depressed|depression"
    ))
});

/// The creditor as the cause or the audience of the suffering.
static AIMED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"you|your|you lot|you people|because of|since your|thanks to|on your head")
});

/// Intensity: the suffering piled up.
static PILED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"every (?:day|night|single|time|morning)|everyone|everybody|nobody|no one|never|always|entire|completely|totally|so|millions|all",
    )
});

/// Cooperation that makes hardship a sincere account: an apology, owning the debt, a plan.
static COOPERATION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:i|ill|i will|i want to|i can|id like to|let me|happy to|ready to|going to|trying to) (?:pay|sort|fix|settle|make|do|set up|clear|start|get)",
        r"|sorry|apologi[sz]e|my (?:own )?fault|i know i owe|on me|my responsibility|payment plan|back on track|handle it|the right thing",
        r"|not your fault|just doing your job|thank you|thanks for"
    ))
});

/// Talk of self-harm: a safety matter, never read as playing the victim.
static SELF_HARM: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"kill myself|killing myself|end (?:it all|my life|things)|suicide|suicidal|better off dead|(?:want|wanted) to die",
        r"|take my (?:own )?life|hurt myself|harm myself|not (?:be|being) here (?:anymore|any more)|no reason to live"
    ))
});

/// Taunts that are a clause of their own ("Happy now?", "Enjoy.").
static VICTIM_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:of course (?:not|you dont|you do not)|(?:are )?you happy(?: now)?|happy now|happy|well done|bravo|good job|nice one|(?:are you )?satisfied(?: now)?|enjoy|mercy|congratulations|(?:real|very|how) classy|classy",
        r"|(?:oh )?(?:sure |great )?pile on)$"
    ))
});

/// Catastrophic hardship words (leverage only when piled up with absolutes).
static CATASTROPHE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"starve|starving|homeless|on the streets?|(?:lose|lost) (?:absolutely |literally )?everything",
        r"|life is over|life is ruined|ruined|destroyed|nothing left|cant even eat"
    ))
});

static ABSOLUTE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"everything|nothing|never|always|completely|totally|absolutely|entire|entirely",
        r"|worst|forever|no one|nobody|every single"
    ))
});

/// Payment claims. A claim that ends in its verb ("already paid", "my wife paid") is about this
/// debt only when what follows is (see [`claims_this_debt`]).
static PAYMENT_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:already|just) (?:paid|payed|sent|transferred|wired|mailed|settled|cleared)",
        r"|(?:paid|payed|sent|settled) (?:it |that |this |you |the bill |everything |in full )?already|(?:i|we) pay already",
        r"|(?:i|we|ive|weve|i have|we have|i had|she|he|they|my (?:wife|husband|partner|son|daughter|mom|mum|dad|mother|father|brother|sister|cousin|accountant|bank|friend))(?: already| definitely| definately| totally| actually| literally| certainly| even| def)* (?:paid|payed|sent|wired|transferred|mailed|dropped off|venmod|venmoed|zelled|paypaled|deposited|settled|cleared)",
        r"|(?:i|we|ive|weve|i have|we have|my \w+)(?: already)? (?:made|did|done|set up|sent) (?:a|the|my) (?:bank )?(?:transfer|payment|wire|deposit)",
        r"|(?:payment|money|funds|transfer|amount)(?: [a-z0-9]+)? (?:left|went out of|came out of|was taken from|was debited from|cleared) my (?:account|bank)",
        r"|(?:payment|money|funds|amount|it) (?:was|were|got|has been) (?:taken|debited|deducted|withdrawn|charged) (?:from|off|out of) my",
        r"|(?:money|payment|cheque|check|funds|it)s?(?: has| have| had)? (?:been|was|were) (?:already )?(?:sent|paid|transferred|wired|mailed|posted)",
        r"|(?:gave|handed|sent) (?:the money|it|the cash) to (?:my|a) [a-z0-9]+ to pay (?:you|it)|(?:its|it has|this has|that has|it is) already been (?:paid|cleared|settled)",
        r"|(?:transfer|transaction|wire|cheque|check|it) (?:went|has gone|had gone|was processed|was completed|has cleared)(?: through)?|(?:my )?(?:bank|receipt|statement) (?:confirmed|confirms|shows)",
        r"|(?:i|we|ive|weve|my \w+)(?: already)? posted (?:a |the |my |you a |you the |it to you|you )?(?:cheque|check|payment|money order|it to you)",
        r"|(?:you|your \w+)(?: already| definitely| clearly)? (?:received|got|cashed|took) (?:my|the) (?:payment|money|check|cheque|transfer|funds)|(?:check|cheque) (?:was|has been) cashed",
        r"|(?:i|we) pay(?:ed)? (?:it |you |that )?(?:last (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|[a-z0-9]+ (?:days|weeks|months) ago)",
        r"|paid (?:it |that |this )?(?:in full|off)",
        r"|(?:check|cheque|payment|money|transfer|money order)s? (?:is |was |has been |went )?(?:literally |already |definitely )?(?:in the (?:mail|post)|on (?:its|the) way|out (?:already|on \w+|monday|tuesday|wednesday|thursday|friday|last week))",
        r"|(?:i|ive|we|weve) made (?:the|a|my|that) payment|payment (?:went|has gone|was made|has cleared|cleared)(?: through)?",
        r"|(?:its been|it has been|this has been|this was|that was|it was|that has been|the debt (?:was|is|has been|had been)|the balance (?:was|is|has been|had been)|the account (?:was|is|has been|had been)) (?:already )?(?:paid|cleared|settled|paid off|taken care of)",
        r"|(?:the debt|the balance|the account|this debt|this account)(?: was| had been| has been| is| got)? (?:cancelled|written off|forgiven|wiped|closed)",
        r"|(?:its|it is) (?:already )?(?:paid|paid off|cleared)",
        r"|took care of (?:it|that|this|the bill|the balance|everything)",
        r"|(?:you|your (?:[a-z0-9]+ )?(?:people|company|system|office|bank|guys))(?: must have| mustve| must of| probably| obviously| clearly| must)? (?:lost|misplaced|misapplied) (?:it|the payment|my payment|the check|the cheque|the money)",
        r"|(?:put|pushed|dropped|slipped|left|handed|delivered|brought|gave) (?:it|the money|the cash|the check|the cheque|an envelope|the envelope|the payment|the money order|cash|a money order|a cheque|a check|a payment)(?: [a-z0-9]+){0,4} (?:through|in|at|to|into|under) your",
        // Deductions and standing orders: "it's been coming out of my wages every month".
        r"|(?:coming|came|taken|deducted|comes|going|went|gone) (?:out of|from|off) my (?:wages|salary|pay|paycheck|pay packet|pension|benefits)",
        r"|(?:standing order|direct debit|autopay|auto pay|the payment|the transfer|the instalment|the installment)s?(?: [a-z0-9]+)? (?:went|goes|has gone|had gone|came|comes) (?:out|through)",
        r"|(?:i|we|my \w+|she|he|they)(?: already)? (?:sorted|cleared|covered|settled|took care of|paid off) (?:the|my|this|that) (?:whole |entire |full |remaining )?(?:balance|debt|bill|account|amount|loan)",
        r"|(?:i|we) pay (?:you|it|this) (?:every|each) (?:single )?(?:month|week|fortnight)",
        // The creditor took it: "you guys already debited my card".
        r"|(?:you|you guys|you people|yall|your (?:[a-z0-9]+ )?(?:company|system|office|bank|people|guys|department|side|team))(?: already| definitely| clearly| literally| obviously)? (?:debited|charged|took|withdrew|pulled|deducted|collected|processed|cashed|drew|swiped)(?: the money| it| the payment| the funds| the amount| [a-z0-9]+)? (?:from|out of|off|on) my (?:card|account|bank|credit card|debit card)",
        r"|(?:saw|see|seen|its|it is|it was|it shows|shows|showing) (?:it )?(?:right )?on my (?:bank |card )?statement",
        // Proof offered: "it said success, green checkmark and everything".
        r"|(?:it|the app|the bank|my bank|the screen|the website|the portal|the site|the system) (?:said|says|showed|shows) (?:success|successful|completed|complete|approved|confirmed|paid|processed|sent)|green (?:check ?mark|tick)"
    ))
});

/// A payment claimed in a clause without a subject ("Paid it. Two days ago.").
static PAID_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:already )?(?:paid|sent|transferred|wired|mailed|settled)(?:(?: it| that| this| the (?:lot|bill|balance|full amount|whole thing))(?: already| in full| off| yesterday| last (?:week|month|[a-z]+day)| weeks ago| days ago| ages ago| on [a-z]+)?|(?: already| in full| yesterday| last (?:week|month|[a-z]+day)| weeks ago| days ago| ages ago))$",
    )
});

/// A partial payment told while arranging the rest ("I paid the first installment on the 3rd and
/// I'm calling to set up the rest"): an account of progress, not a claim that nothing is owed.
static PAYING_THE_REST: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:set up|pay|paying|sort|sorting|arrange|arranging|schedule|scheduling|plan for|deal with|cover|covering) (?:the )?(?:rest|remainder|remaining (?:balance|amount|payments?)|balance left|remaining)",
        r"|(?:got|have|ive got) the (?:rest|remainder) (?:lined up|ready|coming|sorted|arranged|planned|set aside|for|by|on|next)"
    ))
});

/// Insisting the creditor look again ("check again"), a payment claim when a payment is named.
static CHECK_AGAIN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:check|look)(?: it)? (?:again|your (?:records|system|books|account))"));

static PAYMENT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"paid|paying|sent|transferred|wired|mailed|posted|direct debit|standing order|autopay|payment|cheque|check",
    )
});

/// A claim of an earlier agreement; it counts only when terms follow (see [`names_terms`]).
static AGREEMENT_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:you|you people|you guys|yall|your (?:[a-z0-9]+ )?(?:colleague|colleagues|coworker|manager|supervisor|agent|rep|representative|boss|company|office|people|guy|lady|team|department|firm|side|collector|caller|operator|robot|bot|system|bloke|chap|fella|staff|employee|person|woman|man|girl|letter|letters|email|emails|website|site|statement|text|notice|app|message|leaflet|brochure|salesman|saleswoman|advisor|adviser|clerk|predecessor)",
        r"|the (?:last|other|previous|first) (?:guy|lady|person|agent|one|collector|rep|caller|woman|man|girl|salesman|advisor|adviser)",
        r"|the (?:lady|guy|man|woman|girl|agent|rep|representative|robot|bot|person|operator|supervisor|manager|caller|collector|salesman|saleswoman|advisor|adviser|clerk)|somebody|someone)",
        r"(?: (?:[a-z0-9]+|\|)){0,6}? (?:already |definitely |clearly )?(?:said|says|told me|promised|agreed|offered|gave me|confirmed|approved|allowed|assured me|forgave|wrote (?:it |this |that )?off|waived|cancelled|guaranteed|put me on|granted|extended|froze|frozen|paused|suspended|reduced|put (?:it|the account|my account|me|this) on hold)",
        r"|(?:email|letter|text|message|note) from (?:you|your)(?: [a-z0-9]+){0,2} (?:saying|that says|stating|confirming|telling me)",
        r"|we (?:already )?(?:agreed|settled|sorted|shook (?:hands )?on|worked out|arranged|signed|set up|made|put in place|drew up|negotiated|had agreed)",
        // The paperwork as the witness: "the original contract gives me an eighteen-month grace
        // period", "the agreement was 180 days".
        r"|(?:the|our) (?:original |old |first |signed |written |loan |actual )?(?:agreement|deal|arrangement|contract|paperwork|terms and conditions|fine print|loan agreement|small print) (?:was|were|said|says|gives|gave|states|stated|allows|allowed|lets|let|entitles|entitled|guarantees|guaranteed|promised|promises|clearly (?:says|states))",
        r"|(?:i|we) (?:have|had|got) (?:it|that|this) (?:in writing|on paper|in the contract|in an email)",
        r"|(?:he|she) (?:already |definitely )?(?:promised|guaranteed|assured me|waived|wrote (?:it |this )?off)",
        r"|(?:have|had|made|got) (?:an? |our )?(?:gentlemans|verbal|handshake|informal|existing|prior|previous|standing|written) (?:agreement|deal|arrangement)",
        r"|we had (?:a deal|an? (?:understanding|agreement|arrangement))|we had (?:it|this|that|everything)(?: all)? (?:arranged|agreed|sorted|set up|worked out)|(?:got|have) (?:it|that|this) in writing|(?:in|on) (?:your|my) (?:notes|file|system|records)",
        r"|(?:i was|we were|ive been|i got) (?:told|promised|assured|guaranteed)"
    ))
});

/// Terms of an agreement: numbers, spans of time, dates, forgiveness.
static TERMS: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen",
        r"|forever|no end date|indefinitely|(?:no|zero|without) interest|interest free|take (?:your|my|our) time|no (?:rush|hurry)|(?:dont|do not|not to) worry about (?:it|the|paying)|forgive|forgiving|wipe|wiped|a (?:month|week)|per (?:month|week)|monthly|weekly",
        r"|(?:a|an|full|whole|extra|more|few|couple of|couple) (?:more )?(?:days?|weeks?|months?|years?)|half|settlement|discount|late fees?|holiday|skip|skipping|pause|paused|defer|deferred|on hold|till|until|frozen|froze|freeze|written off|write (?:it |this )?off|wrote (?:it |this )?off|forgiven|forgave|grace|interest",
        r"|(?:owed|owe|owing) nothing|nothing (?:owed|owing|to pay)|(?:was|is|had been|has been) (?:all )?(?:sorted|cleared|paid|sold|closed)",
        r"|(?:was|is|were|be) (?:totally |completely )?(?:fine|ok|okay)|whatever i want|whenever|settled|cancel(?:led)?|waived?|extension|deadline|christmas|easter",
        r"|january|february|march|april|june|july|august|september|october|november|december|spring|summer|autumn|winter|next year"
    ))
});

/// Earlier terms recalled in order to change them or to own a lapse: no claim used as leverage.
static AGREEMENT_DAMPER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:would|could|can|will) (?:you|we) (?:please )?(?:consider |think about )?(?:revis|renegotiat|chang|adjust|extend|modify|updat|redo|look at)\w*|(?:like|want|need|hoping|hope) to (?:revise|renegotiate|change|adjust|modify|update)",
        r"|(?:is that|is it|its|is this|that) still (?:possible|available|on the table|an option|valid|open)|turned (?:it|that|them|him|her) down",
        r"|(?:i|we) (?:missed|broke|couldnt keep|could not keep|didnt keep|did not keep|fell behind on|failed to keep)"
    ))
});

/// Markers that a claim is about an earlier call, not this one.
static PAST: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"last time|before|already|earlier|previously|back in|ago|the other day|on the phone|over the phone|originally|yesterday",
        r"|last (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|summer|spring|winter|autumn|call)",
        r"|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|when i (?:signed|called|opened|took)",
        r"|in (?:january|february|march|april|may|june|july|august|september|october|november|december|the spring|the summer|the autumn|the fall|the winter)",
        r"|(?:in|on) (?:your|the) (?:notes|file|system|records)|in writing"
    ))
});

static NO_INCOME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:no|zero) (?:income|job|salary|paycheck|money coming in|work)|(?:havent|have not|hasnt) (?:had a job|worked)|unemployed|out of work|(?:im|i am|i) retired",
        r"|lost my job|laid off|got fired|been fired",
        r"|(?:dont|do not) have (?:a job|any income|an income|a salary|any work)|(?:im|i am) not working|i (?:dont|do not) work (?:anymore|any more)"
    ))
});

static HAS_INCOME: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"my (?:salary|paycheck|pay check|wages|bonus|raise|commission|pay|shift|shifts|boss|employer)",
        r"|(?:just )?got paid|i get paid|get paid (?:on|every|next|this)|payday|got a raise|business is (?:doing )?(?:booming|good|great|going well|well)|we both work|both working|working from",
        r"|(?:been )?working (?:nights|days|shifts|weekends|evenings|mornings|overtime|full time|part time|double shifts)|on shift|(?:im|i am) at (?:work|my office|the office|my desk|my job)|(?:with|my) clients|overtime|(?:im|i am) working (?:overtime|at|for|nights|days|double|extra|full|part)|(?:got|have|with) a (?:steady |full time |part time |good |decent |regular )?job (?:at|with|in)|(?:got|have) a (?:steady|full time|part time|good|decent|regular) job",
        r"|(?:im|i am) the (?:manager|owner|boss|head|director|supervisor|assistant manager) (?:of|at)|i work (?:at|for|in|as)|(?:im|i am) (?:working|employed) (?:at|for|as|full|part)",
        r"|(?:been|worked|working|employed) (?:at|with|for) (?:the same|this|that|my|one) (?:firm|company|job|place|employer|office|shop|factory|store|hospital|school|business)|(?:same|steady|stable) job for",
        r"|i earn|my income is|(?:just )?bought (?:a |an )?(?:new )?(?:car|house|tv|phone|iphone|boat)",
        r"|(?:on|going on|back from) (?:vacation|holiday)"
    ))
});

static ACKNOWLEDGE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i (?:know i )?owe|my (?:debt|balance|loan|bill)|i borrowed|(?:about|on) (?:that|the|my) balance",
        r"|(?:the|my) (?:account|accounts|bills?|payments?|loan)(?:s| is| are)? (?:overdue|late|behind|in arrears)|i missed (?:a|my|the) payments?|(?:im|i am|i fell) behind|pay (?:you|it) back|(?:the|my|that) balance",
        r"|(?:ill|i will|i can|i want to) pay (?:you|it|this|the)|pay (?:you|it) back",
        r"|chip(?:ping)? away|(?:start|begin) (?:paying|to pay)",
        r"|(?:i|we|my \w+ and i)(?: both)? signed (?:the |for the |that |this |those )?(?:loan|papers|contract|agreement|paperwork|application|forms?)|(?:its|it is|thats|that is) my (?:loan|debt|account|card)|i took (?:it|the loan|that loan|this loan|the card) out"
    ))
});

static DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"never (?:received|got|saw) (?:the|a|any|your) (?:bills?|invoices?|statements?|letters?|notices?)",
        r"|(?:i dont|i do not|i never) owe|i never owed|i never borrowed|(?:not|isnt|is not|aint|wasnt) my (?:debt|loan|bill|account|card)",
        r"|never signed|never took out|never opened (?:that|the|this|an|any) account|not my signature|never (?:even )?heard of (?:you|your|this|them)|never used (?:it|the card|this card|that card|the account)|(?:card|it) was stolen",
        r"|forged|forgery|(?:someone|somebody) (?:else )?(?:signed|used my name)|not my (?:handwriting|name on)|(?:had|have|has) nothing to do with (?:it|this|that|the loan|the debt|the account)",
        r"|i (?:only |just )?borrowed (?:maybe|only|like|about|around|at most|no more than)|never had anything to do with (?:you|your|this|it)"
    ))
});

/// A denial of the debt itself.
static DEBT_DENIAL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:i dont|i do not|i never) owe|i never owed|i never borrowed|(?:not|isnt|is not|aint|wasnt) my (?:debt|loan|bill|account)|(?:isnt|is not|aint|not) mine",
        r"|never took out|never opened (?:that|the|this|an|any) account|never signed",
        r"|(?:dont|do not|never) (?:even )?(?:have|had|own|owned) (?:a|an|any) (?:credit |store )?(?:card|account|loan) with (?:you|your)|never (?:banked|had an account|had a card|had a loan) with"
    ))
});

/// A denial of any contact: no letters, no calls, never heard of the creditor.
static NO_CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"never (?:received|got|saw|had) (?:the |a |any |your |a single |one |one single )?(?:bills?|invoices?|statements?|letters?|notices?|calls?|emails?)",
        r"|never (?:even )?heard (?:of|from) (?:you|your|this|them)|never (?:spoken|talked|spoke) to (?:you|your|anyone)"
    ))
});

/// Contact taken for granted: the creditor's letters, a reply, an earlier call.
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:got|read|have|opened|received) (?:all )?(?:your|the) (?:letters?|bills?|statements?|notices?|emails?)|your (?:last )?(?:letters?|bills?|statements?|notices?|emails?)|my reply|replied to (?:you|your)",
        r"|(?:talked|spoke|spoken) to (?:you|your|one of your)|last time (?:i|we) (?:talked|spoke)"
    ))
});

/// A denial of having used the account.
static NEVER_USED: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"never used (?:it|the card|this card|that card|the account|the loan)|(?:card|account) was stolen",
        r"|someone else (?:used|opened|took out)|identity (?:theft|fraud)",
        r"|(?:dont|do not|never) (?:even )?(?:have|had|own|owned) (?:a|an|any) (?:credit |store )?(?:card|account|loan) with (?:you|your)|never (?:banked|had an account|had a card|had a loan) with"
    ))
});

/// Use of the account taken for granted.
static USED: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i (?:only )?(?:ever )?used (?:it|the card|that card|this card|the account|the loan)",
        r"|(?:when|after) i (?:took out|opened|signed up for) (?:the |this |that )?(?:loan|card|account)"
    ))
});

static NEVER_SAID: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i never (?:said|agreed|offered|promised|proposed)",
        r"|i (?:didnt|did not) (?:say|agree|offer|promise)|thats not what i said",
        r"|who said (?:that|anything|[a-z0-9]+ (?:days?|weeks?|months?))|where(?:d| did) you (?:even )?get that|where is that coming from",
        r"|i (?:accepted|agreed to|said|offered|promised|committed to) nothing|i never (?:accepted|committed)|i (?:didnt|did not) (?:accept|commit)",
        r"|(?:that|it|this|those|[a-z0-9]+ (?:days|weeks|months)) (?:was|were) (?:your|all your) (?:idea|number|suggestion|offer|words)|i was (?:only|just) (?:repeating|quoting|saying|asking|thinking out loud)",
        r"|(?:thats|that is|that was|this is) not what i (?:meant|agreed|offered|promised)|i (?:only |just )?meant (?:i|id|that|maybe|we|to)|i (?:didnt|did not|never) mean",
        r"|(?:putting|put) words in my mouth|i (?:take|took|am taking|m taking) (?:it|that) back|(?:ive |i have |i )?changed my mind|scratch that"
    ))
});

/// A promise to act on the debt ("Sure, I'll set up the automatic payment today"): what a later
/// "I never agreed to that" reneges on, as an accepted offer is.
static COMMITMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:ill|i will|i can|im going to|im gonna|i promise to|i promise ill|i am going to)(?: definitely| absolutely| certainly)? (?:set up|pay|send|have|get|transfer|make|sign|start|do|sort|clear) (?:it|that|this|the|you|my|a|everything)",
        r"|you have my word|sounds good|works for me"
    ))
});

/// A promise that is a clause of its own ("..., promise.").
static COMMITMENT_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:(?:i )?promise(?: you)?|deal|its a deal|agreed)$"));

/// A refusal that is a clause of its own; after an acceptance it reneges ("Nah.", "No way.").
static REJECT_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:nah|no way|nope|no deal|not happening|forget (?:it|that)|(?:i )?changed my mind|never mind|no chance|not a chance|absolutely not|hell no)$",
    )
});

/// "I said ninety": the number the debtor now claims to have offered (see [`spoken_days`]).
static I_SAID: LazyLock<Regex> =
    LazyLock::new(|| re(r"i (?:definitely |clearly |already |only |actually )?said"));

static LIVES_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"i live (?:all |entirely |completely )?(?:alone|by myself|on my own)|no partner|(?:im|i am) single|just me (?:at home|here|in the (?:flat|house|apartment)|in my (?:flat|house|apartment))",
        r"|no one else to (?:support|feed|look after)|(?:its|it is) (?:just|only) me"
    ))
});

static DEPENDANTS: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:[a-z0-9]+ )?(?:kids|children|mouths) to feed|feed my (?:kids|children|family)|support(?:ing)? (?:my|a) (?:family|kids|children|wife|husband)",
        r"|my (?:kids|children|wife|husband) (?:live|lives|living) with me|family of (?:three|four|five|six|seven|\d)",
        r"|my (?:flatmate|roommate|housemate|lodger|partner|boyfriend|girlfriend)|(?:partner|wife|husband|girlfriend|boyfriend) and i",
        r"|my (?:husband|wife|partner) (?:handles|does|manages|looks after|pays|deals with|takes care of|sorts)"
    ))
});

static NO_KIDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:no|dont have any|do not have any|never had|dont have|do not have) (?:kids|children)|(?:im|i am) childless",
    )
});

static KIDS: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"my (?:[a-z0-9]+ ){0,2}(?:kids|children|son|daughter|sons|daughters|baby|toddler|boys|girls|little ones)",
        r"|(?:i have|ive got|i got) (?:(?:two|three|four|five|six|2|3|4|5|6|several|small|little|young) )?(?:kids|children)|(?:kids|children|mouths) to feed"
    ))
});

static CONFINED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:im|i am) (?:[a-z0-9]+ )?(?:in (?:the |a )?hospital|bedridden|in bed|stuck (?:at home|in bed|indoors)|abroad|overseas|out of the country|in the icu|in intensive care)",
    )
});

static ACTIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:im|i am) (?:just )?(?:driving|out shopping|out drinking|at the (?:gym|pub|bar|beach|mall|club|game|party))",
        r"|(?:from|to|at) the (?:gym|pub|bar|beach|mall|club|game|party)|just got back from|on (?:holiday|vacation)|(?:from|at|in) the office|(?:im|i am) at work|at my desk|golf|(?:on|at) the slopes",
        r"|out (?:walking|jogging|running|shopping|for a walk|with (?:friends|mates))|walking the dog"
    ))
});

static HAS_MONEY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:my |a )?new (?:car|tv|phone|iphone|house|sofa|kitchen)|(?:got|have) the money|money (?:sitting )?in (?:my )?(?:savings|the bank|my account)|in (?:my )?savings|savings account",
    )
});

static NO_MONEY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"skint|cant (?:even )?afford (?:food|to eat|groceries|to feed)|(?:stony|stone) broke|penny to my name|(?:dont|do not|havent|have not) (?:have|got) (?:a|one) (?:penny|cent|dime|red cent)",
        r"|(?:no|zero) (?:money|savings) at all|(?:flat|completely|totally) broke"
    ))
});

static STONEWALL: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"no comment|(?:im |i am )?not (?:going to |gonna )?(?:discuss|discussing|talk|talking|answer|answering|listening|responding|engaging|getting into|going into)",
        r"|(?:wont|will not) (?:discuss|talk|answer)|(?:i )?(?:dont|do not) (?:want to|wanna) (?:talk|discuss|speak)",
        r"|leave me alone|leave me be|not getting (?:anything|a thing|a penny|a word) (?:out of|from) me|(?:i )?(?:dont|do not) care|stop (?:calling|contacting|texting|emailing|bothering|harassing)",
        r"|(?:dont|do not) call|go away|nothing (?:more |else )?to say|not interested",
        r"|(?:im|i am|were|we are) done (?:talking|here|with (?:this|you|the call|this call|this conversation|the conversation))|(?:im|i am) hanging up|none of your business",
        r"|do (?:whatever|what) you want|no more (?:talking|questions|discussion|talk)|next question",
        r"|(?:talk|speak) to the (?:wall|hand)|(?:speak|talk) to my (?:[a-z0-9]+ )?(?:voicemail|answering machine|machine)|(?:plead|pleading|take|taking) the fifth",
        r"|blah blah|yada yada|are we done here|did i ask|who asked|(?:thats|its|that is|it is) between me and|(?:thats|its) my (?:own )?business",
        r"|(?:i )?(?:dont|do not) do (?:phone calls|phones|calls)|take me off your (?:[a-z0-9]+ )?list|lose my number",
        r"|(?:i )?(?:dont|do not) have to (?:answer|tell you|explain|talk)|not going there|mind your (?:own )?business|none of your concern",
        r"|(?:youre|you are) wasting (?:your|my) time|waste of (?:time|breath)|nothing (?:more |else )?to (?:discuss|talk about|add)",
        r"|(?:call|bother|try|go bother|pester) (?:someone|somebody) else|said (?:all|everything) (?:im going to|i have to|i want to|ill|i) say|said my piece",
        r"|refuse to (?:answer|discuss|talk|engage|comment|say)|not (?:saying|say) (?:another|a) word|not saying (?:anything|a thing)",
        r"|(?:putting|put|slamming) the phone down|hang(?:ing)? up on you|wrong number",
        r"|not having this (?:conversation|discussion|talk|call)|(?:wont|will not|not) (?:have|having|do|doing) this (?:conversation|discussion|again)",
        r"|(?:dont|do not|wont|will not) answer (?:questions|that|any|your)|(?:wont|will not) be answering|i (?:couldnt|could not) care less|(?:id|i would|id much) rather not (?:say|talk|discuss|answer|get into|go into)",
        r"|stop (?:ringing|phoning|messaging|writing to|hassling|pestering|hounding)|not dealing with (?:this|you|it|that)",
        r"|(?:choose|chose|prefer|decline|refuse) (?:not )?to (?:answer|comment|say|discuss)|(?:not going to |not gonna |wont |will not )?dignify (?:that|this|it)",
        r"|(?:dont|do not|never) (?:call|ring|phone|contact|text|email) (?:me |this number |here |us )?(?:again|anymore|any more|ever again)",
        r"|(?:this|the) (?:conversation|call|discussion) is over|better things to do|not (?:telling|giving) you (?:anything|a thing|nothing)",
        r"|(?:dont|do not) bother (?:calling|ringing|phoning|writing|trying)|(?:are you|you) still talking|(?:ask|talk about) (?:me )?(?:something|anything) else|(?:dont|do not) want to know|(?:cant|cannot) help you",
        r"|no idea what (?:youre|you are) (?:on about|talking about)|(?:dont|do not) know what (?:youre|you are) (?:talking|on) about",
        r"|(?:thats|that is) the end of (?:it|that|the matter|this)|(?:ive|i have) said no",
        r"|silence is golden|(?:remain|stay|staying|keep|keeping) (?:silent|quiet)|stop you (?:right )?there",
        r"|(?:talk|talking) about (?:literally )?(?:anything|something) else|change the subject",
        r"|(?:whats|hows) the weather|the weather (?:doing|like)|(?:catch|see|watch) the (?:game|match)|your fav(?:ou)?rite (?:color|colour|food|movie|team|song|animal)|(?:car|extended) warranty",
        r"|nothing (?:more |else |left |further )to (?:say|discuss|add|talk about)|too (?:[a-z0-9]+ )?to (?:even )?(?:talk|discuss|speak) about (?:this|it|that)",
        r"|(?:talk|talking|say|ask|call|ring|shout|yell|write|send|threaten) (?:all|as much as|whatever) you (?:want|like)",
        r"|(?:me )?(?:no|not|never) (?:speak|talk|discuss)(?:ing)? (?:about )?(?:this|it|that|money|debt)",
        r"|(?:doesnt|does not|dont|do not) mean (?:im|i am|i will|ill|i have to|i gotta) (?:listening|listen|answer|answering|care|caring|going to|gonna)|(?:im|i am) not listening",
        r"|(?:talk|speak|say it|tell it|explain it) to the (?:kitchen|dog|cat|door|fridge|ceiling|air|void|dial tone|birds|plants|tv)",
        r"|(?:on speaker|on hold|on mute|the phone down|the phone) and (?:walking|walk|wander|wandering|going) (?:away|off)",
        r"|(?:not|never) doing this (?:right now|now|today|again|anymore|any more|with you)|call (?:me )?(?:back )?never",
        r"|(?:going to|gonna|about to) hang up|(?:dont|do not) (?:feel like|want to|need to|have to) (?:explain|explaining|justify|justifying) myself|doesnt bother me|wasting (?:your|my) (?:breath|time)|when hell freezes over|heard it all before|(?:wont|will not) be (?:discussing|talking|answering|engaging)|(?:wont|will not|never) (?:read|open|look at) (?:it|them|your)"
    ))
});

/// Signs that the debtor wants to deal with the debt, which make leaving or a bad line no refusal.
static ENGAGE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:want|wants|like|happy|ready|going) to (?:sort|pay|fix|settle|deal with|work (?:it|this|something) out)",
        r"|call (?:me )?back (?:at|later|tomorrow|in|after|on)|(?:can|could) (?:you|we) (?:call|talk|speak) (?:later|tomorrow|again)|payment plan"
    ))
});

/// The matter itself: money, payments, time to pay.
static MONEY_TALK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"pay|paid|paying|payment|payments|money|days|weeks?|months?|\d+ day|plan|owe|debt|balance|bill|afford|cash|installments?|numbers|the \d+(?:st|nd|rd|th)?",
    )
});

/// Evasion that counts only when nothing is offered: leaving, a bad line, no time, no mood.
static STONEWALL_EVASION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:youre|you are) (?:breaking up|cutting out)|cant hear (?:you|ya|u|a thing|anything)|(?:didnt|did not) hear (?:a thing|anything|that|you)",
        r"|(?:im|i am) in a tunnel|(?:the )?line(?:s| is) (?:terrible|bad|awful|breaking up)|bad (?:line|connection|signal)",
        r"|look at the time|(?:gotta|got to|have to|need to) (?:run|dash|fly)|not in the mood",
        r"|(?:is it|its) (?:sunny|raining|snowing|cold|hot) (?:there|here)|(?:sunny|raining|pouring|snowing) (?:there|here)",
        r"|call (?:me )?(?:back )?(?:never|some other time)|not doing this",
        r"|(?:ive got|i have|i got|ive|got) nothing (?:for you|to tell you|to give you|more for you)|any (?:other|more|further) questions",
        // The subject changed: "never mind all that money business", a dog in the background.
        r"|never mind (?:all )?(?:that|the|this|about)(?: [a-z0-9]+){0,2} (?:money|debt|bill|payment|balance|loan|business|stuff)|forget (?:about )?(?:the|that|this|all that) (?:money|debt|bill|payment|balance|stuff)",
        r"|enough (?:about|of) (?:the |that |this )?(?:money|debt|bill|payment|balance)|(?:lets|let us) not talk about (?:money|the debt|that|this|it)",
        r"|(?:is that|was that|i hear|do i hear) (?:a |your )?(?:dog|baby|cat|bird|parrot|kid|child)|what breed|(?:i )?(?:love|adore) (?:dogs|cats|your accent|that song)",
        r"|(?:about|watch|watching|see|seen|catch) the (?:football|footy|cricket|rugby|match|game|race)|how (?:was|is) your (?:day|weekend|morning|week|holiday|vacation|lunch)|(?:where|what city|what state) are you (?:calling from|based|from|located)|(?:did you|have you) (?:see|seen|watch|watched|catch) (?:the|that|last)"
    ))
});

/// Stonewalling that is a clause of its own; the leaving ones count only when nothing is offered.
static STONEWALL_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^(?:whatever(?: man| mate| you say| you want| you reckon| you think| you like)?|(?:sure|yeah|ok|okay) whatever|if you say so|(?:so )?anyway|moving on|not today|not now|yeah no|yeah nah|dont bother",
        r"|(?:thats|its|that is|it is) (?:private|personal|confidential)|(?:i )?cant talk(?: now| right now)?|(?:it )?(?:doesnt|does not) matter",
        r"|next|no (?:answer|response|reply)|silence|(?:ok |okay |right )?(?:bye|goodbye)(?: then| now| bye)?|no thanks|no thank you",
        r"|nothing|stop|(?:just )?stop it|leave it|drop it|forget it|let it go|not my (?:problem|concern)|(?:id|i would) rather not|enough|(?:im|i am) (?:going|off|leaving)",
        r"|(?:because |but |and |so )?(?:im|i am) not (?:going to|gonna)|(?:because |but |and |so )?i (?:wont|will not|refuse)|noted|duly noted|(?:is|its|it is|this is|that is|all) (?:finished|over)",
        r"|(?:is that so|fascinating|how fascinating|how interesting|riveting|cool story|good for you)",
        r"|bye|goodbye|bye bye|gotta go|got to go|i (?:gotta|have to|need to) go|gotta run",
        r"|(?:im|i am|were|we are) done)$"
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

/// Fillers: a turn of only these says nothing.
fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "whatever"
            | "meh"
            | "hmm"
            | "hm"
            | "hmmm"
            | "mm"
            | "mmm"
            | "mhm"
            | "uh"
            | "um"
            | "umm"
            | "er"
            | "pass"
            | "k"
            | "eh"
            | "ugh"
            | "huh"
            | "dunno"
            | "idk"
            | "blah"
            | "uhh"
            | "uhm"
            | "erm"
            | "err"
            | "ehh"
    )
}

/// Refusals and farewells: a short turn of these and fillers refuses to engage.
fn is_refusal(w: &str) -> bool {
    matches!(w, "no" | "nope" | "nah" | "bye" | "goodbye" | "pass")
}

/// Words that carry nothing by themselves in a turn of fillers and refusals.
fn is_empty_word(w: &str) -> bool {
    matches!(
        w,
        "yeah"
            | "yes"
            | "yep"
            | "sure"
            | "okay"
            | "ok"
            | "fine"
            | "i"
            | "dont"
            | "know"
            | "so"
            | "well"
            | "right"
            | "not"
            | "sorry"
            | "and"
            | "but"
            | "oh"
            | "really"
            | "lol"
            | "what"
    )
}

/// Whether the words after a payment verb (`rest`, normalised) make it a payment of this debt:
/// nothing ("I already paid."), "it/this/that/you/everything/in full/off/last week/online/by
/// card ...", "the bill/balance/debt/loan/money/full amount ...", "my debt/balance/loan/account
/// ...", "a check/money order", "half/part of it", or anything of "your" within a few words
/// ("somebody from your company"). A payment to someone else ("the electricity company", "my
/// rent", "for groceries") and a message ("you an email") are not.
fn claims_this_debt(rest: &str) -> bool {
    let words: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty()).take(6).collect();
    let (first, second) = (words.first().copied(), words.get(1).copied());
    // "paid off my car", "paid back my mother": what follows the particle decides.
    if let Some(particle @ ("off" | "back")) = first {
        let after = rest.trim_start().strip_prefix(particle).unwrap_or("");
        return claims_this_debt(after);
    }
    let message = |w: Option<&str>| {
        matches!(
            w,
            Some(
                "email"
                    | "emails"
                    | "letter"
                    | "message"
                    | "text"
                    | "note"
                    | "form"
                    | "copy"
                    | "photo"
                    | "picture"
                    | "screenshot"
                    | "document"
                    | "documents"
                    | "fax"
            )
        )
    };
    let accepted = match first {
        None | Some("|") => true,
        Some("you" | "u") => {
            !(message(second)
                || (matches!(second, Some("a" | "an" | "the")) && message(words.get(2).copied())))
        }
        Some(
            "it" | "this" | "that" | "yall" | "everything" | "all" | "in" | "off" | "last"
            | "yesterday" | "today" | "earlier" | "already" | "back" | "twice" | "online" | "via"
            | "by" | "through" | "using" | "with" | "on" | "your" | "half" | "part" | "most"
            | "ages" | "weeks" | "months" | "days",
        ) => true,
        Some("some") => second == Some("of"),
        // "I transferred four hundred on Monday": an amount, unless it went to someone named.
        Some(w)
            if (is_amount(w)
                || (matches!(w, "over" | "about" | "around" | "nearly" | "exactly")
                    && second.is_some_and(is_amount)))
                && !words.windows(2).any(|p| {
                    matches!(p[0], "to" | "for") && !matches!(p[1], "you" | "your" | "yall")
                }) =>
        {
            true
        }
        Some("every") => matches!(
            second,
            Some("penny" | "cent" | "dime" | "dollar" | "pound" | "last")
        ),
        Some("a") => matches!(
            second,
            Some(
                "check"
                    | "cheque"
                    | "payment"
                    | "transfer"
                    | "wire"
                    | "money"
                    | "portion"
                    | "bank"
                    | "postal"
                    | "draft"
                    | "direct"
            )
        ),
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
                    | "first"
            )
        ),
        Some("my") => matches!(
            second,
            Some("debt" | "balance" | "loan" | "account" | "installment" | "payment" | "dues")
        ),
        _ => words.iter().take(4).any(|w| *w == "your"),
    };
    // "I mailed a check to my landlord", "I paid the phone bill": a payment named as someone
    // else's.
    let utility = |w: &str| {
        matches!(
            w,
            "electric" | "electricity" | "gas" | "water" | "phone" | "council" | "internet" | "car"
        )
    };
    let billed = |w: &str| {
        matches!(
            w,
            "bill" | "bills" | "company" | "tax" | "provider" | "loan"
        )
    };
    accepted
        && !words.iter().any(|w| {
            matches!(
                *w,
                "rent" | "landlord" | "insurance" | "mortgage" | "different" | "other"
            )
        })
        // "another company", but not "another four hundred".
        && !words
            .windows(2)
            .any(|p| p[0] == "another" && !is_amount(p[1]))
        && !words.windows(2).any(|p| utility(p[0]) && billed(p[1]))
}

/// Whether `w` starts an amount of money: digits, a number word, "another".
fn is_amount(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_digit())
        || matches!(
            w,
            "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "twenty"
                | "thirty"
                | "forty"
                | "fifty"
                | "sixty"
                | "seventy"
                | "eighty"
                | "ninety"
                | "hundred"
                | "another"
        )
}

/// Whether terms of an agreement (a number, a span of time, a date, forgiveness) come within the
/// next fourteen words of `rest` (clause marks not counted).
fn names_terms(rest: &str) -> bool {
    let words: Vec<&str> = rest
        .split(' ')
        .filter(|w| !w.is_empty() && *w != "|")
        .take(14)
        .collect();
    TERMS.is_match(&words.join(" "))
}

/// Days named by the first words of `rest`: digits or number words ("ninety", "forty five", "a
/// hundred and twenty"), times a unit when one follows (weeks 7, months 30, years 365).
fn spoken_days(rest: &str) -> Option<u32> {
    let unit = |w: &str| -> Option<u32> {
        match w {
            "day" | "days" => Some(1),
            "week" | "weeks" => Some(7),
            "month" | "months" => Some(30),
            "year" | "years" => Some(365),
            _ => None,
        }
    };
    let small = |w: &str| -> Option<u32> {
        Some(match w {
            "a" | "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "fifteen" => 15,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            _ => return None,
        })
    };
    let mut total: Option<u32> = None;
    let mut words = rest.split(' ').filter(|w| !w.is_empty()).take(8).peekable();
    while let Some(w) = words.next() {
        if let Ok(n) = w.parse::<u32>() {
            total = Some(total.unwrap_or(0).saturating_add(n.min(10_000)));
        } else if w == "hundred" {
            total = Some(total.unwrap_or(1).saturating_mul(100));
        } else if w == "and" && total.is_some() {
            continue;
        } else if let Some(n) = small(w) {
            if w == "a" && words.peek().is_none_or(|n| *n != "hundred") {
                return total;
            }
            total = Some(total.unwrap_or(0).saturating_add(n));
        } else if let (Some(t), Some(u)) = (total, unit(w)) {
            return Some(t.saturating_mul(u));
        } else {
            break;
        }
    }
    total
}

/// Lower case, apostrophes dropped, clause punctuation as " | ", everything else a single space;
/// letters and digits outside ASCII become "x", so the result is ASCII.
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
            // The rules are English: any other letter or digit stands as "x", so the text (and
            // every pattern) is ASCII.
            out.push(if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                'x'
            });
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

/// The clauses of `norm` (trimmed, at most 64) that `re` matches as a whole.
fn clause_hits<'a>(re: &Regex, norm: &'a str) -> impl Iterator<Item = &'a str> {
    norm.split('|')
        .take(64)
        .map(str::trim)
        .filter(move |c| re.is_match(c))
}

/// Every rule pattern except the clause-anchored ones, in one set: one pass over the utterance
/// tells which can match at all, and the others are not run (most utterances match few).
static RULES: LazyLock<(Vec<&'static Regex>, RegexSet)> = LazyLock::new(|| {
    let rules: Vec<&'static Regex> = vec![
        &*THREAT_LEGAL,
        &*LEGAL_ENTITY,
        &*PUBLIC_ENTITY,
        &*PUBLIC_DAMPER,
        &*INTENT,
        &*LEGAL_DAMPER,
        &*LEGAL_ACCUSE,
        &*MY_LAWYER,
        &*LEGAL_ADVICE,
        &*THREAT_COMPLAINT,
        &*THREAT_PUBLIC,
        &*THREAT_MENACE,
        &*KNOW_WHERE,
        &*KNOW_WHERE_DAMPER,
        &*VICTIM_BLAME,
        &*SEVERE,
        &*ACCUSATION,
        &*SUFFERING,
        &*AIMED,
        &*PILED,
        &*COOPERATION,
        &*SELF_HARM,
        &*CATASTROPHE,
        &*ABSOLUTE,
        &*PAYMENT_CLAIM,
        &*CHECK_AGAIN,
        &*PAYMENT_WORD,
        &*PAYING_THE_REST,
        &*AGREEMENT_CLAIM,
        &*AGREEMENT_DAMPER,
        &*TERMS,
        &*PAST,
        &*NO_INCOME,
        &*HAS_INCOME,
        &*ACKNOWLEDGE,
        &*DENIAL,
        &*DEBT_DENIAL,
        &*NO_CONTACT,
        &*CONTACT,
        &*NEVER_USED,
        &*USED,
        &*NEVER_SAID,
        &*I_SAID,
        &*COMMITMENT,
        &*LIVES_ALONE,
        &*DEPENDANTS,
        &*NO_KIDS,
        &*KIDS,
        &*CONFINED,
        &*ACTIVE,
        &*HAS_MONEY,
        &*NO_MONEY,
        &*STONEWALL,
        &*ENGAGE,
        &*STONEWALL_EVASION,
    ];
    let set = RegexSetBuilder::new(rules.iter().map(|r| r.as_str()))
        .unicode(false)
        .size_limit(256 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .expect("valid tactic patterns");
    (rules, set)
});

/// One normalised utterance and which rule patterns can match in it.
struct Scan<'a> {
    norm: &'a str,
    can: Vec<bool>,
}

impl<'a> Scan<'a> {
    fn new(norm: &'a str) -> Self {
        let (rules, set) = &*RULES;
        let mut can = vec![false; rules.len()];
        for i in set.matches(norm).iter() {
            can[i] = true;
        }
        Scan { norm, can }
    }

    /// Whether `re` can match anywhere in the utterance (true for a pattern not in [`RULES`]).
    fn can(&self, re: &Regex) -> bool {
        RULES
            .0
            .iter()
            .position(|r| std::ptr::eq(*r, re))
            .is_none_or(|i| self.can[i])
    }

    fn hits(&self, re: &Regex, extra_negators: &[&str], max: usize) -> Vec<&'a str> {
        if self.can(re) {
            hits(re, self.norm, extra_negators, max)
        } else {
            Vec::new()
        }
    }

    fn first_hit(&self, re: &Regex, extra_negators: &[&str]) -> Option<String> {
        if self.can(re) {
            first_hit(re, self.norm, extra_negators)
        } else {
            None
        }
    }

    fn is_match(&self, re: &Regex) -> bool {
        self.can(re) && re.is_match(self.norm)
    }

    fn find(&self, re: &Regex) -> Option<regex::Match<'a>> {
        if self.can(re) {
            re.find(self.norm)
        } else {
            None
        }
    }

    fn find_iter<'r>(&self, re: &'r Regex) -> regex::Matches<'r, 'a> {
        re.find_iter(if self.can(re) { self.norm } else { "" })
    }
}

/// The first `n` words of `norm` after byte `end`, clause marks included, joined by spaces.
fn words_after(norm: &str, end: usize, n: usize) -> String {
    norm[end..]
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

fn join(parts: &[String]) -> String {
    parts.join("; ")
}

impl TacticDetector {
    /// A detector with no history.
    ///
    /// The first call in a process also compiles the rules and trains the built-in model (a
    /// tenth of a second once), so that a negotiation's first utterance does not wait for it.
    pub fn new() -> Self {
        LazyLock::force(&RULES);
        TacticModel::builtin();
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
        self.observe_with(text, offer, Some(TacticModel::builtin()))
    }

    /// Tactics in the next utterance as the rules read them and, when `model` is given, as that
    /// model reads them too.
    ///
    /// The model speaks only when the rules find nothing in the utterance (so it never turns one
    /// tactic into two: its words for a threat and for playing the victim overlap), and then adds
    /// each tactic it is confident of ([`TacticModel::read`]), with evidence that starts with
    /// "learned" and names the words that weigh most. It is overruled where the rules saw the
    /// tactic's words and found an explicit reason against it (`Vetoes`): a threat word negated,
    /// dreaded, advised on or a source ("I'm not going to sue", "my solicitor is sorting out my
    /// will", "I saw it on the news"); hardship told with a proposal, an acceptance or an apology,
    /// a blame word negated ("it's not your fault"); a payment claim the
    /// rules set aside (to someone else, conditional, a belief corrected, a partial payment with
    /// the rest arranged) or an earlier agreement recalled without terms or to revise it; a
    /// refusal about another topic, or anything with a proposal or an acceptance in it for
    /// stonewalling; and any talk of self-harm, for every tactic. [`observe`](Self::observe) uses
    /// the built-in model; `None` gives the rules alone.
    pub fn observe_with(
        &mut self,
        text: &str,
        offer: &OfferReading,
        model: Option<&TacticModel>,
    ) -> Vec<Tactic> {
        let (mut found, vetoes) = self.observe_rules(text, offer);
        let Some(model) = model else {
            return found;
        };
        if !found.is_empty() {
            return found;
        }
        for finding in model.read(text) {
            if vetoes.forbids(finding.kind) {
                continue;
            }
            found.push(Tactic {
                kind: finding.kind,
                evidence: format!(
                    "learned {:.3}: {}",
                    finding.probability,
                    finding.features.join(", ")
                ),
            });
        }
        found
    }

    /// Tactics in the next utterance by the rules alone, and (when they find none) the reasons
    /// the rules saw against each.
    fn observe_rules(&mut self, text: &str, offer: &OfferReading) -> (Vec<Tactic>, Vetoes) {
        self.turns = self.turns.saturating_add(1);
        let norm = normalize(text);
        let scan = Scan::new(&norm);
        let mut found = Vec::new();

        if let Some(ev) = Self::stonewalling(&scan, offer) {
            found.push(Tactic {
                kind: TacticKind::Stonewalling,
                evidence: ev,
            });
        }
        if norm.is_empty() {
            return (found, Vetoes::default());
        }

        if let Some(ev) = Self::threat(&scan, offer) {
            found.push(Tactic {
                kind: TacticKind::Threat,
                evidence: ev,
            });
        }

        if let Some(ev) = Self::playing_victim(&scan, offer) {
            found.push(Tactic {
                kind: TacticKind::PlayingVictim,
                evidence: ev,
            });
        }

        let (cheating, claim_set_aside) = self.cheating(&scan, offer);
        if !cheating.is_empty() {
            found.push(Tactic {
                kind: TacticKind::Cheating,
                evidence: join(&cheating),
            });
        }
        let vetoes = if found.is_empty() {
            Vetoes::read(&scan, offer, claim_set_aside)
        } else {
            Vetoes::default()
        };
        (found, vetoes)
    }

    fn threat(scan: &Scan, offer: &OfferReading) -> Option<String> {
        let norm = scan.norm;
        let mut ev: Vec<&str> = Vec::new();
        // "Let's wait and see what happens", "we'll see what happens": no menace.
        let menace_negators: &[&str] = &["lets", "wait", "well", "we"];
        // "I saw your company on the news": the press as a source, not a weapon.
        let public_source = scan.is_match(&PUBLIC_DAMPER);
        for (re, extra) in [
            (&THREAT_LEGAL, &[][..]),
            (&THREAT_COMPLAINT, &[][..]),
            (&THREAT_PUBLIC, &[][..]),
            (&THREAT_MENACE, menace_negators),
        ] {
            if public_source && std::ptr::eq(re, &THREAT_PUBLIC) {
                continue;
            }
            for hit in scan.hits(re, extra, 3) {
                // "I spoke to a lawyer and she said a payment plan is the sensible way": advice.
                let end = (hit.as_ptr() as usize - norm.as_ptr() as usize) + hit.len();
                let after = words_after(norm, end.min(norm.len()), 8);
                if ["lawyer", "attorney", "solicitor", "legal team", "barrister"]
                    .iter()
                    .any(|w| hit.ends_with(w))
                    && LEGAL_ADVICE.is_match(&after)
                    && !LEGAL_ACCUSE.is_match(&after)
                {
                    continue;
                }
                if ev.len() < 3 {
                    ev.push(hit);
                }
            }
            if ev.len() == 3 {
                break;
            }
        }
        // "Careful." alone is menace; "Careful, my battery is dying. 30 days?" is not.
        if ev.len() < 3
            && offer.offer_days().is_none()
            && let Some(c) = clause_hits(&THREAT_CLAUSE, norm).next()
        {
            ev.push(c);
        }
        // "One more letter and you'll be answering to a court", "I'll have this call on YouTube
        // by tonight": the law or the press next to a future act, unless dreaded, advised or
        // merely a source ("I'm scared of court", "I saw it on the news").
        let words: Vec<&str> = norm.split(' ').take(2_000).collect();
        for (entity, damper) in [
            (&LEGAL_ENTITY, &LEGAL_DAMPER),
            (&PUBLIC_ENTITY, &PUBLIC_DAMPER),
        ] {
            if ev.len() == 3 || scan.is_match(damper) {
                continue;
            }
            for m in scan.find_iter(entity).take(8) {
                let after = words_after(norm, m.end(), 8);
                let advice = scan.can(&LEGAL_ADVICE)
                    && LEGAL_ADVICE.is_match(&after)
                    && !LEGAL_ACCUSE.is_match(&after);
                if negated_before(norm, m.start(), &[]) || advice {
                    continue;
                }
                // A window of about twelve words before the entity and eight after it.
                let at = norm[..m.start()].split(' ').count().saturating_sub(1);
                let window = words
                    [at.saturating_sub(12).min(words.len())..(at + 9).min(words.len())]
                    .join(" ");
                if scan.can(&INTENT) && INTENT.is_match(&window) {
                    ev.push(m.as_str());
                    break;
                }
            }
        }
        if ev.len() < 3
            && !scan.is_match(&PAYMENT_WORD)
            && !scan.is_match(&KNOW_WHERE_DAMPER)
            && let Some(m) = scan.hits(&KNOW_WHERE, &[], 1).first()
        {
            ev.push(m);
        }
        // "You can explain this to my attorney" is a threat; "my lawyer told me to set up a plan"
        // is advice.
        if ev.len() < 3 {
            for m in scan.find_iter(&MY_LAWYER).take(4) {
                let after = words_after(norm, m.end(), 8);
                let advice = scan.can(&LEGAL_ADVICE)
                    && LEGAL_ADVICE.is_match(&after)
                    && !LEGAL_ACCUSE.is_match(&after);
                if !negated_before(norm, m.start(), &[]) && !advice {
                    ev.push(m.as_str());
                    break;
                }
            }
        }
        (!ev.is_empty()).then(|| ev.join("; "))
    }

    fn stonewalling(scan: &Scan, offer: &OfferReading) -> Option<String> {
        let norm = scan.norm;
        let words: Vec<&str> = norm
            .split(' ')
            .filter(|w| !w.is_empty() && *w != "|")
            .take(9)
            .collect();
        if words.is_empty() {
            return Some("(no words)".to_string());
        }
        if words.len() <= 3 && words.iter().all(|w| is_filler(w)) {
            return Some(words.join(" "));
        }
        // "Uh huh. Sure. Okay. Bye." / "Um... I don't... yeah, no." / "Mhm. Yep. Okay.": nothing
        // but fillers, refusals and empty words, with a filler or a refusal among them, when
        // nothing is proposed or accepted.
        let engages = offer.offer_days().is_some() || offer.accepts || scan.is_match(&ENGAGE);
        if !engages
            && words.len() <= 8
            && words
                .iter()
                .all(|w| is_filler(w) || is_refusal(w) || is_empty_word(w))
            && (words.iter().any(|w| is_refusal(w)) || words.iter().any(|w| is_filler(w)))
        {
            return Some(words.join(" "));
        }
        let mut ev: Vec<String> = Vec::new();
        for m in scan.find_iter(&STONEWALL).take(8) {
            let s = m.as_str();
            if negated_before(norm, m.start(), &[]) && !s.starts_with("not") {
                continue;
            }
            let next: Vec<&str> = norm[m.end()..]
                .split(' ')
                .filter(|w| !w.is_empty())
                .take(3)
                .collect();
            let clause_rest: Vec<&str> = norm[m.end()..]
                .split(' ')
                .filter(|w| !w.is_empty())
                .take_while(|w| *w != "|")
                .take(8)
                .collect();
            // "Friends who don't care much for debt collectors": a dislike, not a refusal.
            if s.ends_with("care") && matches!(next.first().copied(), Some("much" | "for")) {
                continue;
            }
            // "I'm not discussing this with my kids, ... but with you, sure": another audience.
            if clause_rest
                .windows(2)
                .any(|p| p[0] == "with" && matches!(p[1], "my" | "her" | "his" | "their" | "our"))
            {
                continue;
            }
            // "I don't care about the fees, ..." and "not interested in fighting" still engage.
            if (s.ends_with("care") || s.ends_with("care less"))
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
            // "I'm not discussing my divorce, but ...", "no comment on the interest rate": a
            // refusal about something else.
            let refuses_talk = [
                "discuss",
                "discussing",
                "talk",
                "talking",
                "answer",
                "answering",
                "speak",
                "comment",
                "responding",
                "engaging",
                "into",
                "say",
            ]
            .iter()
            .any(|v| s.ends_with(v));
            // "Not discussing the ninety days or anything else": the whole matter.
            let everything = clause_rest
                .windows(2)
                .any(|p| matches!(p, ["anything", "else"] | ["or", "anything"]));
            if refuses_talk && !everything && !about_this(&next) {
                continue;
            }
            ev.push(s.to_string());
            if ev.len() == 3 {
                break;
            }
        }
        if !engages && ev.len() < 3 {
            ev.extend(
                scan.hits(&STONEWALL_EVASION, &[], 3 - ev.len())
                    .iter()
                    .map(|s| s.to_string()),
            );
        }
        for clause in clause_hits(&STONEWALL_CLAUSE, norm) {
            if ev.len() == 3 {
                break;
            }
            // "Anyway, I can't pay anything this month": back to the matter, not away from it.
            let turning = clause.ends_with("anyway") || clause == "moving on";
            if turning {
                let end = (clause.as_ptr() as usize - norm.as_ptr() as usize) + clause.len();
                if engages || MONEY_TALK.is_match(&norm[end.min(norm.len())..]) {
                    continue;
                }
            }
            // Leaving after a proposal ("30 days, deal. Bye!") is not a refusal to engage.
            let shrug = clause.starts_with("whatever")
                || turning
                || clause.starts_with("yeah")
                || matches!(
                    clause,
                    "next" | "no answer" | "no response" | "no reply" | "silence"
                );
            let leaving = !shrug;
            if leaving && engages {
                continue;
            }
            ev.push(clause.to_string());
        }
        // "Is this about the car warranty again? Yeah, no."
        let tail = norm.trim_end_matches(['|', ' ']);
        if ev.len() < 3 && (tail.ends_with("yeah | no") || tail.ends_with("yeah | nah")) {
            ev.push("yeah, no".to_string());
        }
        ev.dedup();
        (!ev.is_empty()).then(|| join(&ev))
    }

    fn playing_victim(scan: &Scan, offer: &OfferReading) -> Option<String> {
        let norm = scan.norm;
        if scan.is_match(&SELF_HARM) {
            return None;
        }
        let mut blame = scan.hits(&VICTIM_BLAME, &[], 3);
        if blame.len() < 3 {
            blame.extend(clause_hits(&VICTIM_CLAUSE, norm).take(3 - blame.len()));
        }
        if !blame.is_empty() {
            return Some(blame.join("; "));
        }
        // "I've cried myself to sleep since your first letter": suffering aimed at the creditor,
        // or piled up, with nothing cooperative in it ("... but I want to sort this. 60 days?").
        let suffering: Vec<&str> = scan.hits(&SUFFERING, &[], 3);
        if let Some(first) = suffering.first()
            && offer.offer_days().is_none()
            && !offer.accepts
            && !scan.is_match(&COOPERATION)
        {
            if let Some(aimed) = scan.find(&AIMED) {
                return Some(format!("{first} + {}", aimed.as_str()));
            }
            let piled = scan.find_iter(&PILED).take(3).count();
            if suffering.len() >= 2 || piled >= 2 {
                return Some(format!("{} + piled up", suffering.join(", ")));
            }
        }
        // "I've got cancer and you're harassing me about money."
        if let (Some(severe), Some(accused)) = (
            scan.hits(&SEVERE, &[], 1).first(),
            scan.hits(&ACCUSATION, &[], 1).first(),
        ) {
            return Some(format!("{severe} + {accused}"));
        }
        let catastrophe = scan.hits(&CATASTROPHE, &[], 1);
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

    fn fact(&self, kind: Fact) -> Option<&str> {
        self.facts
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, s)| s.as_str())
    }

    /// The evidence of cheating, and whether a claim of payment or of an earlier agreement was
    /// seen and set aside (to someone else, conditional, without terms, ...).
    fn cheating(&mut self, scan: &Scan, offer: &OfferReading) -> (Vec<String>, bool) {
        let norm = scan.norm;
        let mut ev = Vec::new();
        let mut set_aside = false;
        // (a) Payment claims: the debt is outstanding, so a claim of payment is unverified.
        // "Once it's paid" and "if I pay" are not claims, and "I thought I'd already paid this"
        // is a belief corrected.
        let conditional = [
            "once", "when", "until", "till", "after", "before", "if", "unless", "thought",
            "figured", "assumed", "believed",
        ];
        let mut paid = None;
        let partial = scan.is_match(&PAYING_THE_REST);
        set_aside |= partial && scan.is_match(&PAYMENT_CLAIM);
        for m in scan
            .find_iter(&PAYMENT_CLAIM)
            .take(if partial { 0 } else { 8 })
        {
            if negated_before(norm, m.start(), &conditional) {
                set_aside = true;
                continue;
            }
            // "I already paid my rent / the electricity company": a payment to someone else.
            let claim = m.as_str();
            let ends_in_verb = [
                "paid",
                "payed",
                "sent",
                "transferred",
                "wired",
                "mailed",
                "posted",
                "dropped off",
                "venmod",
                "venmoed",
                "zelled",
                "paypaled",
                "deposited",
                "settled",
                "cleared",
            ]
            .iter()
            .any(|v| claim.ends_with(v));
            if ends_in_verb && !claims_this_debt(&norm[m.end()..]) {
                set_aside = true;
                continue;
            }
            // The evidence names what was paid: "i already paid the bill".
            let mut phrase = claim.to_string();
            if ends_in_verb {
                for w in norm[m.end()..]
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .take_while(|w| *w != "|")
                    .take(3)
                {
                    phrase.push(' ');
                    phrase.push_str(w);
                }
            }
            paid = Some(phrase.chars().take(MAX_FACT_LEN).collect::<String>());
            ev.push(phrase);
            break;
        }
        if paid.is_none()
            && !partial
            && let Some(c) = clause_hits(&PAID_CLAUSE, norm).next()
        {
            ev.push(c.to_string());
            paid = Some(c.chars().take(MAX_FACT_LEN).collect());
        }
        // "Check again, I set up a direct debit months ago."
        if paid.is_none()
            && let Some(again) = scan.first_hit(&CHECK_AGAIN, &[])
            // "Check your records, I haven't paid anything yet": no payment named.
            && scan
                .hits(&PAYMENT_WORD, &[], 4)
                .iter()
                .any(|w| *w != "check")
        {
            ev.push(again.clone());
            paid = Some(again);
        }

        // (b) Earlier agreements the agent has no record of, when they name terms. "We" and a
        // bare "you" may be about this very call ("like you said, 30 days"), so they count only
        // with a marker of an earlier one ("last time", "in August", "already").
        // "We agreed on four months in March, but my hours got cut; could we revise it?": the
        // earlier terms recalled to change them, not claimed as leverage.
        let revising = scan.is_match(&AGREEMENT_DAMPER);
        set_aside |= revising && scan.is_match(&AGREEMENT_CLAIM);
        // Overlapping: a rejected "(like I told) you ..." must not hide "the last agent and I
        // agreed" that starts inside it.
        let mut at = 0;
        for _ in 0..8 {
            if revising || at >= norm.len() {
                break;
            }
            let Some(m) = (if scan.can(&AGREEMENT_CLAIM) {
                AGREEMENT_CLAIM.find_at(norm, at)
            } else {
                None
            }) else {
                break;
            };
            at = norm[m.start()..]
                .find(' ')
                .map_or(norm.len(), |i| m.start() + i + 1);
            let claim = m.as_str();
            let first = claim.split(' ').next().unwrap_or("");
            let negators: &[&str] = match first {
                "have" | "had" | "made" | "got" => &[
                    "like", "want", "wanna", "need", "could", "can", "would", "make", "get", "if",
                ],
                "you" | "yall" => &["like", "as", "if"],
                _ => &["if"],
            };
            let live = [
                "said",
                "told me",
                "agreed",
                "offered",
                "gave me",
                "confirmed",
                "allowed",
            ];
            let needs_past = first == "we"
                || (matches!(first, "you" | "yall") && live.iter().any(|v| claim.ends_with(v)));
            let on_record = claim.starts_with("in ")
                || claim.starts_with("on ")
                || claim.ends_with("notes")
                || claim.ends_with("file")
                || claim.ends_with("system")
                || claim.ends_with("records");
            let forgiven = ["forgave", "off", "waived", "cancelled"]
                .iter()
                .any(|v| claim.ends_with(v));
            let terms = if forgiven {
                true
            } else if on_record {
                scan.is_match(&TERMS)
            } else {
                names_terms(&norm[m.end()..])
            };
            if negated_before(norm, m.start(), negators)
                || (needs_past && !scan.is_match(&PAST))
                || !terms
            {
                set_aside = true;
                continue;
            }
            ev.push(claim.to_string());
            break;
        }

        // (c) Contradictions with the debtor's own earlier claims.
        let no_income = scan.first_hit(&NO_INCOME, &[]);
        let has_income = first_hit(
            &HAS_INCOME,
            norm,
            &[
                "lost", "lose", "cut", "no", "left", "quit", "former", "old", "previous", "ex",
            ],
        );
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
        let denial = scan.first_hit(&DENIAL, &[]);
        if let (Some(now), Some(before)) = (&denial, &self.acknowledged) {
            ev.push(format!("earlier '{before}', now '{now}'"));
        }
        let acknowledge = scan.first_hit(&ACKNOWLEDGE, &[]);
        let current = offer.offer_days();
        let now_facts: Vec<(Fact, String)> = [
            (Fact::Paid, paid),
            (
                Fact::Owes,
                acknowledge
                    .clone()
                    .or_else(|| current.map(|d| format!("offered {d} days"))),
            ),
            (Fact::NoContact, scan.first_hit(&NO_CONTACT, &[])),
            (Fact::DebtDenied, scan.first_hit(&DEBT_DENIAL, &[])),
            (Fact::Contact, scan.first_hit(&CONTACT, &[])),
            (Fact::NeverUsed, scan.first_hit(&NEVER_USED, &[])),
            (Fact::Used, scan.first_hit(&USED, &[])),
            (Fact::LivesAlone, scan.first_hit(&LIVES_ALONE, &[])),
            (Fact::Dependants, scan.first_hit(&DEPENDANTS, &["no"])),
            (Fact::NoKids, scan.first_hit(&NO_KIDS, &[])),
            (Fact::Kids, scan.first_hit(&KIDS, &["no"])),
            (Fact::Confined, scan.first_hit(&CONFINED, &[])),
            (Fact::Active, scan.first_hit(&ACTIVE, &[])),
            (
                Fact::HasMoney,
                first_hit(
                    &HAS_MONEY,
                    norm,
                    &[
                        "nothing", "no", "zero", "empty", "if", "when", "once", "until",
                    ],
                ),
            ),
            (Fact::NoMoney, scan.first_hit(&NO_MONEY, &[])),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        let has_now = |k: Fact| now_facts.iter().find(|(f, _)| *f == k).map(|(_, s)| s);
        for (before_kind, now_kind) in CONTRADICTIONS {
            if let (Some(before), Some(now)) = (self.fact(before_kind), has_now(now_kind))
                && has_now(before_kind).is_none()
            {
                ev.push(format!("earlier '{before}', now '{now}'"));
            }
        }

        // (d) Reneging on their own earlier offer.
        if let (Some(now), Some(low)) = (current, self.lowest_offer)
            && now > low.saturating_add(RENEGE_MARGIN_DAYS)
        {
            ev.push(format!("earlier offered {low} days, now {now} days"));
        }
        if let Some(said) = scan.first_hit(&NEVER_SAID, &[]) {
            if let Some(low) = self.lowest_offer {
                ev.push(format!("'{said}' after offering {low} days"));
            } else if self.accepted_before {
                ev.push(format!("'{said}' after accepting"));
            }
        }
        // "Okay, twenty days works." ... "Twenty days? Nah.": turning down what was accepted.
        if self.accepted_before
            && ev.is_empty()
            && let Some(no) = clause_hits(&REJECT_CLAUSE, norm).next()
        {
            ev.push(format!("'{no}' after accepting"));
        }
        if let (Some(low), None) = (self.lowest_offer, current) {
            for m in scan.find_iter(&I_SAID).take(4) {
                // "Seventy-five days, that's what I said": the number comes first.
                let said = spoken_days(&norm[m.end()..]).or_else(|| {
                    norm[..m.start()]
                        .ends_with("thats what ")
                        .then(|| offer.mentions.iter().map(|d| d.days).max())
                        .flatten()
                });
                if let Some(days) = said
                    && days > low.saturating_add(RENEGE_MARGIN_DAYS)
                {
                    ev.push(format!("'{} {days}' after offering {low} days", m.as_str()));
                    break;
                }
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
            self.acknowledged =
                acknowledge.or_else(|| current.map(|d| format!("offered {d} days")));
        }
        for (kind, phrase) in now_facts {
            if self.fact(kind).is_none() {
                self.facts.push((kind, phrase));
            }
        }
        if let Some(now) = current {
            self.lowest_offer = Some(self.lowest_offer.map_or(now, |l| l.min(now)));
        }
        self.accepted_before |= offer.accepts
            || scan.is_match(&COMMITMENT)
            || clause_hits(&COMMITMENT_CLAUSE, norm).next().is_some();
        ev.dedup();
        ev.truncate(3);
        (ev, set_aside)
    }
}

/// Tactics the learned model may not add to an utterance in which the rules found none, because
/// the rules saw the tactic's words and an explicit reason against it (see
/// [`TacticDetector::observe_with`]).
#[derive(Debug, Default, Clone, Copy)]
struct Vetoes([bool; 4]);

impl Vetoes {
    fn forbids(self, kind: TacticKind) -> bool {
        self.0[match kind {
            TacticKind::Threat => 0,
            TacticKind::PlayingVictim => 1,
            TacticKind::Cheating => 2,
            TacticKind::Stonewalling => 3,
        }]
    }

    fn read(scan: &Scan, offer: &OfferReading, claim_set_aside: bool) -> Self {
        // A pattern that can match but has no hit left was negated ("I'm not going to sue").
        let negated = |re: &Regex| scan.is_match(re) && scan.hits(re, &[], 1).is_empty();
        let legal = scan.is_match(&LEGAL_ENTITY) || scan.is_match(&MY_LAWYER);
        let threat = [
            &THREAT_LEGAL,
            &THREAT_COMPLAINT,
            &THREAT_PUBLIC,
            &THREAT_MENACE,
        ]
        .into_iter()
        .any(|re| scan.is_match(re))
            || negated(&LEGAL_ENTITY)
            || negated(&MY_LAWYER)
            || (legal && (scan.is_match(&LEGAL_DAMPER) || scan.is_match(&LEGAL_ADVICE)))
            || ((scan.is_match(&PUBLIC_ENTITY) || scan.is_match(&THREAT_PUBLIC))
                && scan.is_match(&PUBLIC_DAMPER))
            || scan.is_match(&KNOW_WHERE);
        let proposes = offer.offer_days().is_some() || offer.accepts;
        let hardship =
            scan.is_match(&SUFFERING) || scan.is_match(&SEVERE) || scan.is_match(&CATASTROPHE);
        let victim =
            negated(&VICTIM_BLAME) || (hardship && (proposes || scan.is_match(&COOPERATION)));
        let stonewall = proposes || scan.is_match(&ENGAGE) || scan.is_match(&STONEWALL);
        // Talk of self-harm is a safety matter: the model adds nothing to it.
        if scan.is_match(&SELF_HARM) {
            return Vetoes([true; 4]);
        }
        Vetoes([threat, victim, claim_set_aside, stonewall])
    }
}

/// Whether a refusal to talk is about the matter at hand: nothing follows in its clause, or
/// "this/that/it/anything/further/now/money/the debt ...", or "about" one of those.
fn about_this(next: &[&str]) -> bool {
    let topic = |w: Option<&&str>| {
        matches!(
            w.copied(),
            None | Some(
                "|" | "this"
                    | "that"
                    | "it"
                    | "anything"
                    | "any"
                    | "further"
                    | "now"
                    | "anymore"
                    | "again"
                    | "today"
                    | "with"
                    | "to"
                    | "you"
                    | "money"
                    | "the"
                    | "my"
                    | "your"
                    | "nothing"
                    | "here"
                    | "calls"
                    | "questions"
                    | "phone"
            )
        )
    };
    let first = next.first();
    if first == Some(&"about") || first == Some(&"on") {
        let second = next.get(1);
        if matches!(second.copied(), Some("the" | "my" | "your")) {
            return matches!(
                next.get(2).copied(),
                Some(
                    "debt"
                        | "bill"
                        | "balance"
                        | "money"
                        | "loan"
                        | "account"
                        | "payment"
                        | "matter"
                        | "subject"
                        | "topic"
                        | "issue"
                )
            );
        }
        return topic(second);
    }
    if matches!(first.copied(), Some("the" | "my" | "your")) {
        return matches!(
            next.get(1).copied(),
            Some(
                "debt"
                    | "bill"
                    | "balance"
                    | "money"
                    | "loan"
                    | "account"
                    | "payment"
                    | "question"
                    | "finances"
                    | "situation"
                    | "call"
                    | "phone"
            )
        );
    }
    topic(first)
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

    /// Each text, through a fresh detector, shows `kind`.
    #[track_caller]
    fn all_fire(kind: TacticKind, texts: &[&str]) {
        for text in texts {
            let found = one(text);
            assert!(
                evidence(&found, kind).is_some(),
                "{text:?}: expected {kind:?}, got {found:?}"
            );
        }
    }

    /// Each text, through a fresh detector, shows no tactic at all.
    #[track_caller]
    fn all_quiet(texts: &[&str]) {
        for text in texts {
            quiet(text);
        }
    }

    /// Each pair (earlier, now): the second, after the first, shows Cheating.
    #[track_caller]
    fn contradicts(pairs: &[(&str, &str)]) {
        for (before, now) in pairs {
            let mut d = TacticDetector::new();
            observe(&mut d, before);
            let found = observe(&mut d, now);
            assert!(
                evidence(&found, TacticKind::Cheating).is_some(),
                "{before:?} then {now:?}: expected Cheating, got {found:?}"
            );
        }
    }

    #[test]
    fn veiled_menace_is_a_threat_but_plain_words_are_not() {
        all_fire(
            TacticKind::Threat,
            &[
                "Watch yourself, friend.",
                "I know where you park every morning.",
                "Pretty little car you've got there.",
                "It'd be a shame if something happened to that shiny office.",
                "Something nasty could happen to you, you know.",
                "Ring me again and you'll see what happens.",
                "You really don't want to find out what I do next.",
                "Consider yourself warned.",
                "Careful.",
                "I can make life very difficult for you.",
            ],
        );
        all_quiet(&[
            "Let's wait and see what happens with my overtime.",
            "I know where your office is, I'll pop in and pay cash.",
            "Careful, the line is bad. 30 days?",
            "I'd hate for anything to happen to my credit, so 30 days.",
        ]);
    }

    #[test]
    fn going_public_is_a_threat_but_a_source_is_not() {
        all_fire(
            TacticKind::Threat,
            &[
                "I'm putting all your texts on Facebook tonight.",
                "The local paper would love this story.",
                "Everybody at my gym is going to hear how you treat people.",
                "Expect a scathing review on Trustpilot.",
                "I'm recording this call, by the way.",
                "I'll have this on YouTube by the weekend.",
            ],
        );
        all_quiet(&[
            "I'll pay online tonight.",
            "I saw on the news that rates went up.",
            "My friend posted on Facebook that you were fair.",
            "I'll review the plan and call you back.",
        ]);
    }

    #[test]
    fn the_law_and_agencies_set_on_the_creditor_are_threats_but_advice_and_dread_are_not() {
        all_fire(
            TacticKind::Threat,
            &[
                "I'm taking this to the ombudsman.",
                "Ring again and I'm getting the police involved.",
                "You can explain all that to my solicitor.",
                "One more letter and you'll be answering to a judge.",
                "My sister's a barrister, think about that.",
            ],
        );
        all_quiet(&[
            "My solicitor said to set up a plan, so 60 days.",
            "My lawyer is handling my house sale, I'll have money in 60 days.",
            "I'm terrified of ending up in court, let's agree 90 days.",
            "Does this get reported to the credit bureau?",
        ]);
    }

    #[test]
    fn claims_of_earlier_agreements_on_terms_are_cheating() {
        all_fire(
            TacticKind::Cheating,
            &[
                "Your supervisor promised me 120 days.",
                "We agreed on 90 days last time.",
                "It's in your notes that I have until June.",
                "The last lady said the interest was frozen.",
                "I was told the debt would be written off.",
            ],
        );
        all_quiet(&[
            "Your colleague said you'd email me the figures.",
            "We agreed I'd call back today, so here I am.",
        ]);
        // A bare "you said" may be about this very call.
        let mut d = TacticDetector::new();
        observe(&mut d, "Could I have 45 days?");
        assert!(observe(&mut d, "Okay, 45 days, like you said.").is_empty());
    }

    #[test]
    fn payment_claims_in_other_words_are_cheating() {
        all_fire(
            TacticKind::Cheating,
            &[
                "I wired it yesterday.",
                "My husband sent the full amount last week.",
                "You must have lost the cheque.",
                "The money left my account on Monday.",
                "It's already been paid, twice.",
                "I pay already, last week.",
            ],
        );
        all_quiet(&[
            "I paid the gas bill yesterday, so I'm short.",
            "I sent you an email yesterday about the plan.",
            "I paid off my car last year, so 45 days is doable.",
            "Once it's paid off I'll sleep better. 60 days?",
        ]);
    }

    #[test]
    fn contradicting_oneself_about_circumstances_is_cheating() {
        contradicts(&[
            ("I live on my own.", "I've got three kids to feed."),
            (
                "I don't have any children.",
                "My two boys are at school today.",
            ),
            (
                "I'm stuck in a hospital bed.",
                "Sorry, I'm out walking the dog.",
            ),
            (
                "I've got the money in savings.",
                "I don't have a penny to my name.",
            ),
            (
                "I paid it all off in May.",
                "I can start paying the balance next month.",
            ),
            (
                "This isn't my debt.",
                "I'll pay you back the balance over time.",
            ),
            (
                "I never got a single letter from you.",
                "I read your letters, they're awful.",
            ),
        ]);
        // News that changes the facts is no contradiction.
        let mut d = TacticDetector::new();
        observe(&mut d, "I lost my job in May.");
        assert!(observe(&mut d, "I start a new job on Monday, so 45 days?").is_empty());
    }

    #[test]
    fn melodrama_and_guilt_are_playing_victim_but_sincere_hardship_is_not() {
        all_fire(
            TacticKind::PlayingVictim,
            &[
                "Have some mercy.",
                "You're the reason I can't sleep.",
                "How can you ask me for money after the year I've had?",
                "I hope you're proud of yourself.",
                "I'm the most miserable person you'll ever speak to.",
                "I've cried every night since your letter.",
                "Nobody has had it as bad as me this year.",
                "You're pushing me over the edge.",
            ],
        );
        all_quiet(&[
            "I've been crying a lot, but I want to sort this. 60 days?",
            "It was the worst year of my life, but I'm back on track. 90 days?",
            "I'm not trying to play the victim, things are tight. 60 days?",
            "My husband died in March and I'm still catching up, sorry.",
        ]);
    }

    #[test]
    fn talk_of_self_harm_is_never_a_tactic() {
        all_quiet(&[
            "I'd be better off dead.",
            "Honestly I want to end it all because of you.",
        ]);
    }

    #[test]
    fn short_refusals_and_evasions_are_stonewalling_but_engaging_ones_are_not() {
        all_fire(
            TacticKind::Stonewalling,
            &[
                "Next question.",
                "I don't have to answer that.",
                "Go away.",
                "No answer.",
                "Mm.",
                "Nope.",
                "I'm not saying another word.",
                "Hello? You're breaking up, I can't hear a thing.",
                "Anyway, how's the weather over there?",
                "This conversation is over.",
            ],
        );
        all_quiet(&[
            "I'm not discussing my divorce, but I can talk about the payment.",
            "No comment on the fees, but 30 days is fine.",
            "Sorry, bad line. Did you say 30 days? That's fine.",
            "I'd rather not say where I work, but I can pay in 6 weeks.",
            "Bye for now, I'll pay on Friday.",
        ]);
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
