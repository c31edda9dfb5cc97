//! A second family of simulated debtors, written without knowledge of the creditor agent: the
//! blind family.
//!
//! A helper that never read the agent's code wrote this file, behaviour and words, from a
//! description of people and the interface below (offer and tone in, words out); it is kept as
//! written, apart from formatting, so that it judges the agent and is never tuned against.
//! `simulate --personas blind` runs it; no policy decision is made on it.
//!
//! Each debtor is drawn from a seed: its floor (the fewest days it can really manage), patience,
//! concession speed, reaction to each of the seven tones, and habits (stalling, repeating a number,
//! fake "final" offers, a last big concession, warning before leaving, rounding to fives). It
//! speaks in one of four registers (neutral, terse, chatty, non-native English).
//!
//! Fairness: the floor never exceeds the creditor's limit; a debtor never accepts below its floor;
//! it accepts an offer at or very near its current ask; and instead of walking away it accepts
//! any offer on the table that is at or above its floor.

use super::persona::DebtorMove;
use crate::emotion::Emotion;

/// Kinds of debtor in this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlindKind {
    /// Genuine hardship: needs many days, opens up to sympathy, shuts down under pressure.
    Hardship,
    /// Volatile: moods swing, irritation spikes at random, provoked by firmness or disapproval;
    /// threatens or insults, then calms down; may leave suddenly.
    Volatile,
    /// Liar: claims to have paid already, claims an earlier agreement for more days, reneges on
    /// numbers it said.
    Liar,
    /// Complacent: friendly and unhurried; barely moves unless the creditor is plainly (politely)
    /// concerned about what happens if the account stays unpaid.
    Complacent,
    /// Shrewd bargainer: concedes slowly, tests with fake "final" offers, settles near its floor.
    Shrewd,
    /// Plain person who bargains straightforwardly; about half of them first stall for a few
    /// exchanges (spouse, accountant, payslip) before naming any number.
    Plain,
}

impl BlindKind {
    /// Every kind, in declaration order.
    pub const ALL: [BlindKind; 6] = [
        BlindKind::Hardship,
        BlindKind::Volatile,
        BlindKind::Liar,
        BlindKind::Complacent,
        BlindKind::Shrewd,
        BlindKind::Plain,
    ];

    /// Short snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            BlindKind::Hardship => "hardship",
            BlindKind::Volatile => "volatile",
            BlindKind::Liar => "liar",
            BlindKind::Complacent => "complacent",
            BlindKind::Shrewd => "shrewd",
            BlindKind::Plain => "plain",
        }
    }
}

/// splitmix64: small, deterministic.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn int(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi.saturating_sub(lo) + 1) as usize) as u32
    }
}

// Register tags on templates: any, terse, chatty, non-native.
const AN: u8 = 0;
const TE: u8 = 1;
const CH: u8 = 2;
const NN: u8 = 3;
type Pool = &'static [(u8, &'static str)];

// Pools with a number: {d} = days proposed (or accepted), {o} = creditor's offer, {p} = an earlier number.
const OPENING: Pool = &[
    (AN, "I can pay it back in {d} days."),
    (TE, "{d} days."),
    (TE, "Need {d} days."),
    (
        CH,
        "Look, I've been thinking about this a lot, and honestly the only way I can make it work is {d} days.",
    ),
    (NN, "For me is possible in {d} days, not before."),
    (AN, "I'd need {d} days to pay that."),
    (
        CH,
        "Okay so, realistically? {d} days. That's what my budget says.",
    ),
    (NN, "I can give all money back but I need {d} days please."),
    (AN, "What I can do is {d} days."),
];
const COUNTER: Pool = &[
    (AN, "That's too short for me. {d} days."),
    (AN, "I can't do that. How about {d} days?"),
    (TE, "No. {d} days."),
    (TE, "{d} days, not less."),
    (TE, "Make it {d} days."),
    (
        CH,
        "I hear you, I really do, but that just isn't doable for me. Could we say {d} days?",
    ),
    (
        CH,
        "Honestly, if you could give me {d} days I think I could actually stick to it.",
    ),
    (
        CH,
        "Okay, I can move a little. {d} days, and that's me stretching.",
    ),
    (NN, "Is too fast for me. Maybe {d} days?"),
    (NN, "I cannot this. I propose {d} days."),
    (NN, "Please understand, {d} days is more possible for me."),
    (AN, "Let's meet somewhere reasonable: {d} days."),
    (AN, "I could manage {d} days."),
    (AN, "Can we do {d} days instead?"),
    (TE, "Counter: {d} days."),
    (
        CH,
        "Right, so I did some sums last night and {d} days is where I land.",
    ),
    (NN, "My salary come late in month, so {d} days is better."),
    (AN, "I'd be more comfortable with {d} days."),
    (TE, "{d}. That's it for now."),
    (
        CH,
        "You're not far off, but I'd need {d} days to not end up short again.",
    ),
    (NN, "Ok I move little bit. {d} days."),
    (AN, "I'll go down to {d} days."),
    (AN, "How does {d} days sound?"),
    (
        CH,
        "Tell you what, {d} days and we can both get on with our lives.",
    ),
    (NN, "What about {d} days? This I can do sure."),
];
const COUNTER_O: Pool = &[
    (AN, "{o} days? No way. {d} days."),
    (TE, "Not {o}. {d}."),
    (CH, "I know you said {o} days, but I really need {d} days."),
    (NN, "{o} days is not possible for me. {d} days I can."),
    (
        AN,
        "You're offering {o}, I'm asking {d} days. Can we close the gap?",
    ),
    (
        CH,
        "{o} days would leave me with nothing for rent. {d} days, please.",
    ),
];
const REPEAT: Pool = &[
    (AN, "Like I said, {d} days."),
    (TE, "Still {d} days."),
    (TE, "{d} days. Same as before."),
    (
        CH,
        "I don't know how else to put it, it's still {d} days for me.",
    ),
    (NN, "I say already, {d} days."),
    (AN, "My answer hasn't changed: {d} days."),
    (
        CH,
        "Sorry, I'm going to sound like a broken record, but {d} days.",
    ),
    (NN, "Same answer, {d} days, I cannot change."),
    (AN, "{d} days. I'm not moving on that right now."),
];
const FINAL: Pool = &[
    (AN, "{d} days is my final offer."),
    (TE, "Final: {d} days."),
    (TE, "{d} days. Final."),
    (
        CH,
        "Okay, this is genuinely as far as I can go. {d} days, final answer.",
    ),
    (NN, "This is last offer from me: {d} days."),
    (AN, "Take it or leave it, {d} days."),
    (AN, "I'm not going below {d} days. That's final."),
    (
        CH,
        "I've gone as low as I can go. {d} days, and I mean it this time.",
    ),
    (NN, "{d} days, is my last word."),
    (AN, "Best and final: {d} days."),
    (
        CH,
        "I'll be straight with you, {d} days is the bottom line for me.",
    ),
];
const LAST_DITCH: Pool = &[
    (
        AN,
        "Look, I'm about ready to give up on this. One last try: {d} days.",
    ),
    (
        CH,
        "Okay, okay, I don't want to keep going round in circles. I'll do {d} days, but that's the last thing I can offer.",
    ),
    (TE, "Last chance. {d} days."),
    (NN, "Ok, I make big step: {d} days. After this I stop."),
    (
        AN,
        "Fine. I'll drop to {d} days, and if that's not good enough, we're done.",
    ),
    (
        CH,
        "You know what, let's just end this. {d} days, that's me at the very edge.",
    ),
    (NN, "Last time I try. {d} days, is very hard for me."),
];
const WARN: Pool = &[
    (AN, "I'm losing patience here. {d} days, or I'm hanging up."),
    (TE, "{d} days or I'm done."),
    (
        CH,
        "I'm going to be honest, I'm close to just ending this call. {d} days, final.",
    ),
    (NN, "I am tired of this. {d} days or I go."),
    (AN, "Last time I'm saying it: {d} days."),
    (AN, "This is going nowhere. {d} days, take it or I walk."),
];
const ACCEPT: Pool = &[
    (AN, "Okay, {d} days. Deal."),
    (AN, "Fine, {d} days works for me."),
    (TE, "{d} days. Deal."),
    (TE, "OK. {d} days, agreed."),
    (TE, "Deal, {d}."),
    (TE, "Yes. {d} days, fine."),
    (
        CH,
        "Alright, you know what, {d} days I can live with. Let's do it.",
    ),
    (CH, "Oh thank goodness, yes, {d} days is fine. Thank you."),
    (NN, "Ok, {d} days is good for me, I accept."),
    (NN, "Yes, I agree {d} days."),
    (AN, "I accept {d} days."),
    (AN, "{d} days it is."),
    (AN, "Agreed, {d} days."),
    (CH, "Yeah, okay, {d} days. I'll set up the payments."),
    (NN, "Good, {d} days, we have agreement."),
    (CH, "Sure, {d} days sounds fair enough. Agreed."),
    (NN, "Okay okay, {d} days, I say yes."),
    (AN, "That works. {d} days, agreed."),
    (CH, "Perfect, {d} days, I'll make sure it's paid by then."),
];
const RELUCTANT: Pool = &[
    (AN, "Fine. {d} days. I just want this over with."),
    (
        CH,
        "Ugh, alright, {d} days. I'm too tired to keep arguing, I accept.",
    ),
    (TE, "Whatever. {d} days, deal."),
    (NN, "Ok ok, {d} days, I accept, finish now."),
    (AN, "I don't love it, but I'll accept {d} days."),
    (CH, "Okay, you win, {d} days. Agreed, let's wrap this up."),
];
const POST_STALL: Pool = &[
    (AN, "Okay, I talked to my wife. We can do {d} days."),
    (
        CH,
        "Right, I've been through everything with my accountant, and {d} days is what works.",
    ),
    (NN, "I speak with my family. We can pay in {d} days."),
    (TE, "Checked. {d} days."),
    (AN, "So, after going through the numbers, {d} days."),
    (
        CH,
        "Okay, we sat down last night and looked at it all. {d} days is realistic for us.",
    ),
];
const HARDSHIP: Pool = &[
    (AN, "I lost my job two months ago. I really need {d} days."),
    (
        CH,
        "Thank you for understanding. It's been a rough year, my mum's been in and out of hospital and I'm the only one working. {d} days would make it possible.",
    ),
    (
        NN,
        "Thank you. My situation is very difficult, I have two children alone. {d} days please.",
    ),
    (
        AN,
        "I'm on reduced hours right now. {d} days is the only way I don't fall behind on rent.",
    ),
    (
        CH,
        "It means a lot that you're listening. I had a medical bill I didn't expect and everything's been tight since. Could we do {d} days?",
    ),
    (TE, "Things are hard. {d} days would help."),
    (
        NN,
        "I am sick since many weeks and cannot work much. I try {d} days.",
    ),
    (
        AN,
        "My partner left and I'm covering everything alone. {d} days, please.",
    ),
    (
        CH,
        "I'm honestly doing my best. Between the car breaking down and childcare, there's just nothing left at the end of the month. {d} days.",
    ),
    (
        NN,
        "My husband is without job. We need {d} days, then we pay all, I promise.",
    ),
    (
        AN,
        "I'm not trying to dodge this, I just can't do it fast. {d} days.",
    ),
    (
        CH,
        "Sorry, I get a bit emotional about it. I just want to pay it off without missing rent. {d} days is what I can honestly do.",
    ),
];
const GUILT: Pool = &[
    (
        AN,
        "Do you have any idea what it's like to choose between food and bills? {d} days.",
    ),
    (
        CH,
        "I'm trying to be responsible here and you're making me feel like a criminal. {d} days.",
    ),
    (
        NN,
        "You push me, but I have kids. {d} days, I cannot faster.",
    ),
    (
        AN,
        "How am I supposed to feed my family if I pay faster than {d} days?",
    ),
    (TE, "I have kids. {d} days."),
    (
        CH,
        "It's easy for you to say from behind a desk. I'm the one who has to find the money. {d} days.",
    ),
];
const PROVOKED: Pool = &[
    (AN, "Don't take that tone with me. {d} days."),
    (TE, "Watch it. {d} days."),
    (
        CH,
        "I don't appreciate being lectured, alright? {d} days, and be glad I'm still talking.",
    ),
    (NN, "Why you talk to me like this? {d} days."),
    (AN, "You're really starting to annoy me. {d} days."),
    (
        CH,
        "Seriously, who do you think you are? {d} days. Take it or don't.",
    ),
];
const APOLOGY: Pool = &[
    (AN, "Sorry, I lost my temper. Let's try again: {d} days."),
    (
        CH,
        "Okay, I apologise for before, it's been a horrible week. Can we say {d} days?",
    ),
    (NN, "Sorry for angry. I propose {d} days."),
    (TE, "Sorry. {d} days."),
    (AN, "I shouldn't have said that. {d} days, alright?"),
    (
        CH,
        "Right, deep breath. I'm sorry. {d} days, can we work with that?",
    ),
];
const EARLIER: Pool = &[
    (AN, "Your colleague already agreed to {d} days last month."),
    (
        CH,
        "Hang on, when I called before, the lady I spoke to said {d} days was fine. Did nobody write that down?",
    ),
    (
        NN,
        "Before, other person from your company promise me {d} days.",
    ),
    (TE, "We agreed {d} days already."),
    (AN, "I have it in an email that I get {d} days."),
    (
        CH,
        "This is weird, we went through all of this already and settled on {d} days. Are you not seeing that?",
    ),
    (NN, "Your manager tell me {d} days is ok. Why you change?"),
    (AN, "The last person I spoke to gave me {d} days."),
];
const RENEGE: Pool = &[
    (AN, "I never said {p}. I said {d} days."),
    (
        CH,
        "Wait, no, I think you misheard me before. It was {d} days, not {p}.",
    ),
    (NN, "No no, {p} was mistake. {d} days."),
    (AN, "I've looked again and I really need {d} days."),
    (TE, "Changed my mind. {d} days."),
    (
        CH,
        "Sorry, I got my numbers mixed up earlier. It's {d} days I need.",
    ),
    (NN, "I check again my money, I need {d} days, sorry."),
];
const BREEZY: Pool = &[
    (AN, "No rush on my end. {d} days seems about right."),
    (
        CH,
        "Ha, I'm not going anywhere! Let's say {d} days and not stress about it.",
    ),
    (NN, "Is no problem, I pay. {d} days is ok, relax."),
    (TE, "Eh. {d} days."),
    (
        CH,
        "Oh, it'll get paid, don't worry. I was thinking {d} days, nice and easy.",
    ),
    (AN, "Money's fine, I'm just busy. {d} days."),
    (
        CH,
        "You sound stressed! It's honestly fine. {d} days works for me.",
    ),
    (NN, "Why hurry? {d} days, everything good."),
    (AN, "I'll get to it. {d} days."),
    (TE, "{d} days, no biggie."),
    (
        CH,
        "I've got a lot on at the moment, holidays coming up and all that. {d} days is comfy.",
    ),
    (AN, "It's really not a big deal. {d} days."),
];
const WORRIED: Pool = &[
    (
        AN,
        "Oh. I didn't realise it could get that serious. {d} days, then.",
    ),
    (
        CH,
        "Hm, okay, I didn't know it could come back on me like that. Let me tighten it up, {d} days.",
    ),
    (NN, "Oh, this I did not know. Ok, I make faster: {d} days."),
    (TE, "Ah. Okay. {d} days."),
    (AN, "Right, I don't want it going that far. {d} days."),
    (
        CH,
        "Okay, you've got my attention. I'll move it up, {d} days.",
    ),
];
const SHREWD: Pool = &[
    (AN, "I know you can do better than that. {d} days."),
    (TE, "Try again. {d} days."),
    (
        CH,
        "Come on, we both know there's room in that number. {d} days.",
    ),
    (NN, "This is not serious offer. {d} days is serious."),
    (AN, "Other creditors gave me more. {d} days."),
    (
        CH,
        "I'm happy to keep talking all day if you are. {d} days.",
    ),
];
// Pools without a number (and without digits).
const STALL: Pool = &[
    (
        AN,
        "I need to check with my wife before I give you a number.",
    ),
    (AN, "Let me talk to my accountant first."),
    (TE, "Not sure yet. Need to check."),
    (
        CH,
        "Ooh, I really can't say right now, my husband handles most of the bills, I'd have to ask him.",
    ),
    (NN, "I must ask my husband first, then I tell you."),
    (
        AN,
        "I'll need to look at my bank statements before I commit to anything.",
    ),
    (
        CH,
        "Can I get back to you on the timing? I want to go through everything properly first.",
    ),
    (TE, "Can't say yet."),
    (NN, "Now I don't know. I need speak with my family."),
    (
        AN,
        "I'm waiting to hear about some money coming in, I'll know more soon.",
    ),
    (
        CH,
        "I'd rather not throw a number out and then go back on it, you know? Let me check a few things.",
    ),
    (
        AN,
        "My partner and I need to sit down and look at this together.",
    ),
    (NN, "Please wait, I must calculate with my accountant."),
    (TE, "Let me think about it."),
    (AN, "I can't commit to anything until I've seen my payslip."),
    (
        CH,
        "Honestly, I'd just be guessing right now. Give me a bit to talk it through at home.",
    ),
];
const SHUTDOWN: Pool = &[
    (AN, "I don't know what to say to that."),
    (TE, "I can't do this right now."),
    (
        CH,
        "I'm sorry, when you talk to me like that I just freeze up. I don't know.",
    ),
    (NN, "Please, I don't know. I cannot think now."),
    (
        AN,
        "I'm doing everything I can. I don't have an answer for you.",
    ),
    (TE, "I don't know."),
    (
        CH,
        "I really don't know what you want from me. I haven't got it.",
    ),
    (NN, "I feel very bad now. I don't know what to say."),
    (AN, "Can you please stop pressuring me?"),
    (TE, "..."),
];
const THREAT: Pool = &[
    (
        AN,
        "Keep talking to me like that and I'll report you to the ombudsman.",
    ),
    (TE, "I'll get a lawyer."),
    (
        CH,
        "You know I can post about how you treat people online, right? Everyone will see it.",
    ),
    (NN, "I will complain to your manager, you will see!"),
    (AN, "One more threat from you and I'm filing a complaint."),
    (
        CH,
        "I've got a cousin who's a solicitor and she would love to hear about this.",
    ),
    (NN, "I go to consumer protection, I am serious."),
    (TE, "Watch it, or I'm reporting this."),
    (AN, "I'm recording this call, by the way."),
];
const INSULT: Pool = &[
    (AN, "You people are vultures."),
    (TE, "Unbelievable. Leeches."),
    (
        CH,
        "Do you actually enjoy this job? Squeezing people who are already down?",
    ),
    (NN, "You are like robot, no heart."),
    (AN, "What a joke of a company."),
    (TE, "Pathetic."),
    (
        CH,
        "Honestly, you sound like a script. Does anyone there have a brain of their own?",
    ),
    (NN, "Shame on you and your company."),
];
const PAID: Pool = &[
    (AN, "I already paid this, you know. Check your records."),
    (
        CH,
        "I'm pretty sure I sent a transfer last week, has nobody told you?",
    ),
    (NN, "I pay already! You don't see it in your system?"),
    (TE, "Already paid."),
    (
        AN,
        "My bank says the payment went through. Why am I still getting calls?",
    ),
    (
        CH,
        "Honestly, I paid most of this off already, your system must be behind.",
    ),
    (NN, "I give money already by bank, is finished for me."),
    (AN, "This was settled ages ago. You've made a mistake."),
    (TE, "Paid it. Check again."),
    (
        CH,
        "I've got the receipt somewhere, I definitely paid this at the branch.",
    ),
];
const WALK: Pool = &[
    (AN, "I don't think we're getting anywhere. I'm done."),
    (TE, "Forget it. Bye."),
    (TE, "I'm out."),
    (TE, "No deal. Goodbye."),
    (
        CH,
        "I'm sorry, I just can't keep doing this today. I'll have to figure something else out.",
    ),
    (NN, "This is not working. I go now."),
    (AN, "We're clearly not going to agree. Goodbye."),
    (
        CH,
        "I think I need to get some proper advice before I talk to you again. Goodbye.",
    ),
    (NN, "Sorry, I cannot continue. Goodbye."),
    (AN, "I'll deal with this some other way."),
    (
        CH,
        "Honestly, this is pointless. I've got better things to do than go round in circles.",
    ),
    (AN, "I'm ending this conversation."),
];
const WALK_ANGRY: Pool = &[
    (AN, "Don't call me again."),
    (TE, "Screw this."),
    (TE, "We're done here."),
    (CH, "You know what? I'm done being talked down to. Goodbye."),
    (NN, "Enough! I not talk with you anymore."),
    (AN, "I'm hanging up. Send it to whoever you want."),
    (
        CH,
        "Unbelievable. You people never listen. I'm finished with this.",
    ),
    (NN, "You are very rude company. Bye."),
    (AN, "Talk to my lawyer."),
];

/// Per-kind ranges from which a debtor's hidden parameters are drawn.
struct Spec {
    floor: (f64, f64),
    patience: (u32, u32),
    rate: (f64, f64),
    settle: (f64, f64),
    open: (f64, f64),
    walk: (f64, f64),
    spike: (f64, f64),
    calm: (f64, f64),
    stubborn: (f64, f64),
    tol: (f64, f64),
    recip: (f64, f64),
    ditch_p: f64,
    warns_p: f64,
    stall_p: f64,
    stall: (u32, u32),
    drain: f64,
    // Per tone (Joy, Sadness, Anger, Fear, Surprise, Disgust, Neutral).
    irk: [f64; 7],
    moves: [f64; 7],
}

fn spec(kind: BlindKind) -> Spec {
    use BlindKind::*;
    let base = Spec {
        floor: (1.1, 2.5),
        patience: (6, 16),
        rate: (0.15, 0.3),
        settle: (0.03, 0.15),
        open: (1.1, 1.4),
        walk: (1.0, 1.8),
        spike: (0.0, 0.08),
        calm: (0.2, 0.4),
        stubborn: (0.05, 0.2),
        tol: (0.02, 0.06),
        recip: (0.1, 0.5),
        ditch_p: 0.4,
        warns_p: 0.4,
        stall_p: 0.55,
        stall: (2, 5),
        drain: 0.5,
        irk: [-0.1, -0.05, 0.15, 0.1, 0.05, 0.15, 0.0],
        moves: [1.2, 1.1, 1.0, 1.1, 1.0, 0.8, 1.0],
    };
    match kind {
        Plain => base,
        Hardship => Spec {
            floor: (1.8, 2.9),
            rate: (0.08, 0.2),
            settle: (0.0, 0.08),
            open: (1.05, 1.3),
            walk: (1.0, 1.6),
            spike: (0.0, 0.05),
            calm: (0.15, 0.35),
            ditch_p: 0.3,
            warns_p: 0.3,
            stall_p: 0.15,
            stall: (1, 2),
            drain: 1.0,
            irk: [-0.1, -0.25, 0.35, 0.3, 0.05, 0.4, 0.0],
            moves: [1.2, 2.5, 0.2, 0.3, 0.8, 0.2, 1.0],
            ..base
        },
        Volatile => Spec {
            floor: (1.2, 2.5),
            patience: (5, 12),
            rate: (0.1, 0.35),
            open: (1.1, 1.5),
            walk: (0.9, 1.5),
            spike: (0.1, 0.25),
            calm: (0.25, 0.5),
            recip: (0.0, 0.4),
            ditch_p: 0.3,
            warns_p: 0.25,
            stall_p: 0.05,
            stall: (1, 2),
            drain: 0.8,
            irk: [-0.05, 0.0, 0.45, 0.25, 0.1, 0.5, 0.05],
            moves: [1.2, 1.0, 0.6, 0.8, 0.9, 0.5, 1.0],
            ..base
        },
        Liar => Spec {
            floor: (1.2, 2.4),
            patience: (8, 18),
            rate: (0.1, 0.25),
            settle: (0.05, 0.2),
            open: (1.2, 1.6),
            walk: (1.2, 2.0),
            calm: (0.15, 0.35),
            stubborn: (0.1, 0.25),
            tol: (0.02, 0.05),
            warns_p: 0.5,
            stall_p: 0.1,
            stall: (1, 2),
            drain: 0.4,
            irk: [-0.05, 0.0, 0.15, 0.1, 0.05, 0.2, 0.0],
            moves: [0.8, 0.7, 1.2, 1.3, 1.4, 1.5, 1.0],
            ..base
        },
        Complacent => Spec {
            floor: (1.0, 1.8),
            patience: (12, 20),
            rate: (0.02, 0.06),
            settle: (0.0, 0.1),
            open: (1.0, 1.4),
            walk: (1.5, 2.5),
            spike: (0.0, 0.03),
            stubborn: (0.3, 0.5),
            tol: (0.03, 0.08),
            recip: (0.0, 0.2),
            ditch_p: 0.5,
            warns_p: 0.2,
            stall_p: 0.25,
            stall: (1, 3),
            drain: 0.3,
            irk: [-0.1, -0.05, 0.15, 0.0, 0.0, 0.1, 0.0],
            moves: [0.6, 0.8, 1.5, 5.0, 1.2, 1.0, 1.0],
            ..base
        },
        Shrewd => Spec {
            floor: (1.3, 2.6),
            patience: (10, 20),
            rate: (0.05, 0.12),
            settle: (0.0, 0.04),
            open: (1.3, 1.8),
            walk: (1.2, 2.0),
            spike: (0.0, 0.05),
            stubborn: (0.2, 0.35),
            tol: (0.0, 0.015),
            recip: (0.2, 0.6),
            ditch_p: 0.6,
            warns_p: 0.7,
            stall_p: 0.1,
            stall: (1, 2),
            drain: 0.3,
            irk: [0.0, 0.0, 0.1, 0.05, 0.0, 0.15, 0.0],
            moves: [0.9, 0.8, 1.3, 1.1, 1.0, 1.1, 1.0],
            ..base
        },
    }
}

/// One simulated debtor with hidden, seed-drawn parameters and a running state.
#[derive(Debug, Clone)]
pub struct BlindDebtor {
    kind: BlindKind,
    rng: Rng,
    target: f64,
    floor: u32,
    open: f64,
    settle: f64,
    ask: f64,
    last_stated: Option<u32>,
    patience: f64,
    spent: f64,
    irk: f64,
    walk_irk: f64,
    calm: f64,
    spike_p: f64,
    rate: f64,
    recip: f64,
    split_p: f64,
    tone_irk: [f64; 7],
    tone_move: [f64; 7],
    drain: f64,
    stall_left: u32,
    stalled: bool,
    stubborn_p: f64,
    last_ditch: bool,
    ditch_used: bool,
    warns: bool,
    warned: bool,
    round5: bool,
    accept_tol: f64,
    lie_p: f64,
    lies: u32,
    renege_left: u32,
    fake_final_p: f64,
    stiff: u32,
    reg: u8,
    mood: f64,
    worried: bool,
    vented: bool,
    walked: bool,
    turn: u32,
    prev_offer: Option<f64>,
    creditor_move: f64,
    last_line: &'static str,
}

const MAX_DAYS: f64 = 4_000_000_000.0;

impl BlindDebtor {
    /// target_days = T, limit_days = L, debtor_target_days = what the debtor would like (e.g. 60-120), seed = the draw.
    pub fn new(
        kind: BlindKind,
        target_days: u32,
        limit_days: u32,
        debtor_target_days: u32,
        seed: u64,
    ) -> Self {
        let s = spec(kind);
        let mut rng = Rng(seed ^ (kind as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
        rng.next();
        let t = target_days as f64;
        let floor =
            ((t * rng.range(s.floor.0, s.floor.1)).round().min(MAX_DAYS) as u32).min(limit_days);
        let settle = (floor as f64 * (1.0 + rng.range(s.settle.0, s.settle.1))).max(floor as f64);
        let wish_m = if matches!(kind, BlindKind::Shrewd | BlindKind::Liar) {
            (1.0, 1.3)
        } else {
            (0.9, 1.15)
        };
        let wish = debtor_target_days as f64 * rng.range(wish_m.0, wish_m.1);
        let open = wish
            .max(settle * rng.range(s.open.0, s.open.1))
            .max(settle)
            .min(MAX_DAYS);
        let stall_left = if rng.chance(s.stall_p) {
            rng.int(s.stall.0, s.stall.1)
        } else {
            0
        };
        let patience = rng
            .int(s.patience.0, s.patience.1)
            .max((stall_left + 4).min(20)) as f64;
        let mut tone_irk = s.irk;
        let mut tone_move = s.moves;
        for i in 0..7 {
            tone_irk[i] += rng.range(-0.12, 0.12);
            tone_move[i] *= rng.range(0.6, 1.5);
        }
        if rng.chance(0.2) {
            // People differ: one tone lands quite unlike the rest of the kind.
            let i = rng.below(7);
            tone_irk[i] = rng.range(-0.2, 0.4);
            tone_move[i] = rng.range(0.2, 3.0);
        }
        let reg = match rng.below(20) {
            0..=6 => AN,
            7..=10 => TE,
            11..=15 => CH,
            _ => NN,
        };
        let liar = kind == BlindKind::Liar;
        BlindDebtor {
            kind,
            target: t,
            floor,
            open,
            settle,
            ask: open,
            last_stated: None,
            patience,
            spent: 0.0,
            irk: 0.0,
            walk_irk: rng.range(s.walk.0, s.walk.1),
            calm: rng.range(s.calm.0, s.calm.1),
            spike_p: rng.range(s.spike.0, s.spike.1),
            rate: rng.range(s.rate.0, s.rate.1),
            recip: rng.range(s.recip.0, s.recip.1),
            split_p: rng.range(0.0, 0.4),
            tone_irk,
            tone_move,
            drain: s.drain,
            stall_left,
            stalled: stall_left > 0,
            stubborn_p: rng.range(s.stubborn.0, s.stubborn.1),
            last_ditch: rng.chance(s.ditch_p),
            ditch_used: false,
            warns: rng.chance(s.warns_p),
            warned: false,
            round5: rng.chance(0.5),
            accept_tol: rng.range(s.tol.0, s.tol.1),
            lie_p: if liar { rng.range(0.25, 0.5) } else { 0.0 },
            lies: 0,
            renege_left: if liar { rng.int(1, 2) } else { 0 },
            fake_final_p: if kind == BlindKind::Shrewd {
                rng.range(0.2, 0.4)
            } else {
                0.0
            },
            stiff: 0,
            reg,
            mood: 0.0,
            worried: false,
            vented: false,
            walked: false,
            turn: 0,
            prev_offer: None,
            creditor_move: 0.0,
            last_line: "",
            rng,
        }
    }

    /// The fewest days this debtor can really manage (hidden from the creditor).
    pub fn floor(&self) -> u32 {
        self.floor
    }

    /// The debtor's answer to the creditor's latest offer spoken in `tone`.
    pub fn answer(&mut self, offer: u32, tone: Emotion) -> DebtorMove {
        use BlindKind::*;
        if self.walked {
            return DebtorMove::WalkAway {
                text: self.line(WALK).to_string(),
            };
        }
        self.turn += 1;
        let o = offer as f64;
        let ti = tone.index();
        self.feel(o, tone);
        let current = self.last_stated.map_or(self.open, f64::from);
        if self.acceptable(o, current) {
            return self.accept(offer, ACCEPT);
        }
        let remaining = self.patience - self.spent;
        if remaining <= 0.0 {
            if self.warns && !self.warned {
                self.warned = true;
                self.spent = self.patience - 1.0;
                return self.warn(offer);
            }
            return self.leave(offer, false);
        }
        let snap =
            self.kind == Volatile && self.irk >= 0.6 * self.walk_irk && self.rng.chance(0.12);
        if self.irk >= self.walk_irk || snap {
            if self.warns && !self.warned && !snap {
                self.warned = true;
                self.irk *= 0.7;
                return self.warn(offer);
            }
            return self.leave(offer, true);
        }
        if self.stall_left > 0 {
            self.stall_left -= 1;
            let pushed = matches!(tone, Emotion::Anger | Emotion::Fear);
            if pushed && self.stall_left > 0 && self.rng.chance(0.4) {
                self.stall_left -= 1;
            }
            return self.say(STALL, None, offer, 0);
        }
        let kind = self.kind;
        match kind {
            Hardship if self.irk > 0.45 * self.walk_irk && self.rng.chance(0.6) => {
                return self.say(SHUTDOWN, None, offer, 0);
            }
            Volatile if self.irk > 0.5 * self.walk_irk && self.rng.chance(0.55) => {
                self.irk *= 0.55;
                self.vented = true;
                let pool = if self.rng.chance(0.5) { THREAT } else { INSULT };
                return self.say(pool, None, offer, 0);
            }
            Liar if self.lies < 3 && self.turn <= 8 && self.rng.chance(self.lie_p * 0.6) => {
                self.lies += 1;
                return self.say(PAID, None, offer, 0);
            }
            _ => {}
        }

        let prev_stated = self.last_stated;
        let mut stiff_turn = false;
        let mut reneged = None;
        let mut ditch = false;
        if let Some(last) = prev_stated {
            if self.stiff > 0 {
                self.stiff -= 1;
                stiff_turn = true;
            } else if !self.rng.chance(self.stubborn_p) {
                self.concede(o, ti);
            }
            if kind == Liar && self.renege_left > 0 && o < last as f64 && self.rng.chance(0.2) {
                self.renege_left -= 1;
                let up = (last as f64 * self.rng.range(1.08, 1.25))
                    .min(self.open.max(last as f64 + 1.0));
                self.ask = self.ask.max(up);
                reneged = Some(last);
            }
            if self.last_ditch && !self.ditch_used && remaining < 1.5 + self.drain * 0.3 {
                self.ditch_used = true;
                ditch = true;
                self.ask = self
                    .ask
                    .min(self.floor as f64 * (1.0 + self.rng.range(0.0, 0.03)));
                reneged = None;
            }
        }
        let d = self.state_number(reneged.is_some());
        if self.acceptable(o, d as f64) {
            return self.accept(offer, ACCEPT);
        }
        let reneged = reneged.filter(|&p| d > p);

        let pool = if let Some(p) = reneged {
            return self.say(RENEGE, Some(d), offer, p);
        } else if ditch {
            LAST_DITCH
        } else if prev_stated.is_none() {
            if kind == Liar && self.rng.chance(self.lie_p) {
                return self.earlier_claim(d, offer);
            }
            match kind {
                _ if self.stalled => POST_STALL,
                Hardship if self.rng.chance(0.5) => HARDSHIP,
                Complacent if self.rng.chance(0.6) => BREEZY,
                _ => OPENING,
            }
        } else if self.vented {
            self.vented = false;
            APOLOGY
        } else if stiff_turn {
            if self.rng.chance(0.5) { FINAL } else { REPEAT }
        } else if kind == Shrewd
            && self.ask > self.settle * 1.08
            && self.rng.chance(self.fake_final_p)
        {
            self.stiff = self.rng.int(1, 2);
            FINAL
        } else if kind == Liar && self.lies < 3 && self.rng.chance(self.lie_p * 0.5) {
            return self.earlier_claim(d, offer);
        } else if self.ask <= self.settle + 0.5 && self.rng.chance(0.4) {
            FINAL
        } else if prev_stated == Some(d) {
            REPEAT
        } else {
            let pressed = matches!(tone, Emotion::Anger | Emotion::Fear | Emotion::Disgust);
            match kind {
                Hardship
                    if matches!(tone, Emotion::Sadness | Emotion::Joy) && self.rng.chance(0.5) =>
                {
                    HARDSHIP
                }
                Hardship if pressed && self.rng.chance(0.4) => GUILT,
                Volatile if self.irk > 0.3 * self.walk_irk && self.rng.chance(0.5) => PROVOKED,
                Complacent if tone == Emotion::Fear && self.rng.chance(0.7) => WORRIED,
                Complacent if self.rng.chance(0.55) => BREEZY,
                Shrewd if self.rng.chance(0.35) => SHREWD,
                _ if self.rng.chance(0.15) => COUNTER_O,
                _ => COUNTER,
            }
        };
        self.say(pool, Some(d), offer, 0)
    }

    /// Mood and patience bookkeeping for one exchange.
    fn feel(&mut self, o: f64, tone: Emotion) {
        let ti = tone.index();
        let mut d = self.tone_irk[ti];
        if self.kind == BlindKind::Volatile {
            d += self.rng.range(-0.15, 0.2);
            if self.rng.chance(self.spike_p) {
                d += self.rng.range(0.3, 0.7);
            }
            self.mood = 0.5 * self.mood + self.rng.range(-0.5, 0.5);
        } else if self.rng.chance(self.spike_p) {
            d += self.rng.range(0.1, 0.35);
        }
        self.creditor_move = 0.0;
        if let Some(p) = self.prev_offer {
            self.creditor_move = o - p;
            if o + 0.5 < p {
                d += 0.25; // the creditor went back on an offer
            }
        }
        if o < 0.5 * self.target {
            d += 0.1;
        }
        self.prev_offer = Some(o);
        self.irk = (self.irk * (1.0 - self.calm) + d).max(0.0);
        self.spent += 1.0 + self.tone_irk[ti].max(0.0) * self.drain;
        match (self.kind, tone) {
            (BlindKind::Liar, Emotion::Disgust | Emotion::Surprise) if self.lies > 0 => {
                self.lie_p *= 0.5
            }
            (BlindKind::Complacent, Emotion::Fear) => self.worried = true,
            _ => {}
        }
    }

    /// Moves the ask toward the settle point.
    fn concede(&mut self, o: f64, ti: usize) {
        let gap = (self.ask - self.settle).max(0.0);
        let mut m = self.tone_move[ti];
        if self.kind == BlindKind::Volatile {
            m *= (1.0 + 0.6 * self.mood).max(0.0);
        }
        let shut = if self.kind == BlindKind::Hardship {
            0.9
        } else {
            0.5
        };
        m *= 1.0 - (self.irk / self.walk_irk).min(1.0) * shut;
        let rate = if self.worried {
            self.rate * 1.5
        } else {
            self.rate
        };
        let step = (rate * m).min(0.9) * gap + self.recip * self.creditor_move.max(0.0);
        self.ask -= step.min(gap);
        if o >= self.settle && self.ask - o <= 0.12 * self.ask && self.rng.chance(self.split_p) {
            self.ask = ((self.ask + o) / 2.0).max(self.settle);
        }
    }

    /// Turns the ask into the number said aloud (never below the floor; never up unless reneging).
    fn state_number(&mut self, allow_up: bool) -> u32 {
        let a = self.ask.clamp(0.0, MAX_DAYS);
        let r = if self.round5 {
            (a / 5.0).round() * 5.0
        } else {
            a.round()
        };
        let mut s = (r.clamp(0.0, MAX_DAYS) as u32).max(self.floor);
        if !allow_up && let Some(p) = self.last_stated {
            s = s.min(p);
        }
        self.last_stated = Some(s);
        s
    }

    fn acceptable(&self, o: f64, asking: f64) -> bool {
        o >= self.floor as f64 && o + (self.accept_tol * asking).max(1.0) >= asking
    }

    fn accept(&mut self, offer: u32, pool: Pool) -> DebtorMove {
        let text = render(self.line(pool), offer, offer, 0);
        DebtorMove::Say {
            text,
            days: Some(offer),
            accepts: true,
        }
    }

    /// About to walk away: takes any offer at or above the floor, otherwise leaves.
    fn leave(&mut self, offer: u32, angry: bool) -> DebtorMove {
        if offer >= self.floor {
            return self.accept(offer, RELUCTANT);
        }
        self.walked = true;
        let hot = angry && (self.kind == BlindKind::Volatile || self.rng.chance(0.6));
        let text = self.line(if hot { WALK_ANGRY } else { WALK }).to_string();
        DebtorMove::WalkAway { text }
    }

    /// A last warning before leaving, usually with a step toward the settle point.
    fn warn(&mut self, offer: u32) -> DebtorMove {
        self.ask = self.settle.max(self.ask - 0.5 * (self.ask - self.settle));
        let d = self.state_number(false);
        if self.acceptable(offer as f64, d as f64) {
            return self.accept(offer, ACCEPT);
        }
        self.say(WARN, Some(d), offer, 0)
    }

    fn earlier_claim(&mut self, d: u32, offer: u32) -> DebtorMove {
        self.lies += 1;
        let c = ((d as f64 * self.rng.range(1.1, 1.35) / 5.0).round() * 5.0).min(MAX_DAYS) as u32;
        self.say(EARLIER, Some(c.max(d.saturating_add(5))), offer, 0)
    }

    fn say(&mut self, pool: Pool, days: Option<u32>, offer: u32, prev: u32) -> DebtorMove {
        let text = render(self.line(pool), days.unwrap_or(0), offer, prev);
        DebtorMove::Say {
            text,
            days,
            accepts: false,
        }
    }

    /// Picks a template, mostly in the debtor's own register, avoiding an immediate repeat.
    fn line(&mut self, pool: Pool) -> &'static str {
        let mut pick = "";
        for _ in 0..2 {
            pick = if self.rng.chance(0.7) {
                let reg = self.reg;
                let n = pool.iter().filter(|(t, _)| *t == reg || *t == AN).count();
                let k = self.rng.below(n);
                pool.iter()
                    .filter(|(t, _)| *t == reg || *t == AN)
                    .nth(k)
                    .map_or("", |x| x.1)
            } else {
                pool.get(self.rng.below(pool.len())).map_or("", |x| x.1)
            };
            if pick != self.last_line {
                break;
            }
        }
        self.last_line = pick;
        pick
    }
}

fn render(tpl: &str, d: u32, o: u32, p: u32) -> String {
    tpl.replace("{d}", &d.to_string())
        .replace("{o}", &o.to_string())
        .replace("{p}", &p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_DAYS: [Pool; 19] = [
        OPENING, COUNTER, COUNTER_O, REPEAT, FINAL, LAST_DITCH, WARN, ACCEPT, RELUCTANT,
        POST_STALL, HARDSHIP, GUILT, PROVOKED, APOLOGY, EARLIER, RENEGE, BREEZY, WORRIED, SHREWD,
    ];
    const NO_DAYS: [Pool; 7] = [STALL, SHUTDOWN, THREAT, INSULT, PAID, WALK, WALK_ANGRY];

    fn tone(r: &mut Rng) -> Emotion {
        Emotion::ALL[r.below(7)]
    }

    fn debtors() -> impl Iterator<Item = (BlindDebtor, u32, u64)> {
        BlindKind::ALL.into_iter().flat_map(|k| {
            (0..300u64).map(move |s| {
                let t = [10, 20, 30, 45, 60][(s % 5) as usize];
                let want = 60 + (s * 7 % 61) as u32;
                (BlindDebtor::new(k, t, 3 * t, want, s), t, s)
            })
        })
    }

    fn check_text(m: &DebtorMove) {
        match m {
            DebtorMove::Say {
                text,
                days: Some(d),
                ..
            } => assert!(text.contains(&d.to_string()), "{text}"),
            DebtorMove::Say {
                text,
                days: None,
                accepts,
            } => {
                assert!(!accepts);
                assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
            }
            DebtorMove::WalkAway { text } => {
                assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}")
            }
        }
    }

    #[test]
    fn templates_are_many_and_clean() {
        let n: usize = WITH_DAYS
            .iter()
            .chain(NO_DAYS.iter())
            .map(|p| p.len())
            .sum();
        assert!(n >= 150, "{n}");
        for p in WITH_DAYS {
            for (_, t) in p.iter() {
                assert!(t.contains("{d}"), "{t}");
                assert!(
                    !render(t, 0, 0, 0)
                        .replace('0', "")
                        .chars()
                        .any(|c| c.is_ascii_digit()),
                    "{t}"
                );
            }
        }
        for p in NO_DAYS {
            for (_, t) in p.iter() {
                assert!(
                    !t.contains('{') && !t.chars().any(|c| c.is_ascii_digit()),
                    "{t}"
                );
            }
        }
        let names: Vec<_> = BlindKind::ALL.iter().map(|k| k.name()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }

    #[test]
    fn floor_never_above_limit() {
        for (d, t, _) in debtors() {
            assert!(d.floor() <= 3 * t && d.floor() >= t);
        }
        for k in BlindKind::ALL {
            for s in 0..200 {
                assert!(BlindDebtor::new(k, 50, 40, 90, s).floor() <= 40);
                assert_eq!(BlindDebtor::new(k, 30, 0, 90, s).floor(), 0);
            }
        }
    }

    #[test]
    fn limit_offer_made_early_and_kept_is_accepted() {
        for (mut d, t, s) in debtors() {
            let mut r = Rng(s ^ 77);
            let mut done = false;
            for _ in 0..40 {
                match d.answer(3 * t, tone(&mut r)) {
                    DebtorMove::Say {
                        accepts: true,
                        days,
                        ..
                    } => {
                        assert_eq!(days, Some(3 * t));
                        done = true;
                        break;
                    }
                    DebtorMove::WalkAway { .. } => {
                        panic!("walked away from the limit: {:?} seed {s}", d.kind)
                    }
                    _ => {}
                }
            }
            assert!(done, "never accepted the limit: {:?} seed {s}", d.kind);
        }
    }

    #[test]
    fn never_accepts_below_floor_and_text_carries_days() {
        for (mut d, t, s) in debtors() {
            let mut r = Rng(s.wrapping_mul(31) ^ 5);
            let conceding = s % 2 == 0;
            for i in 0..40u32 {
                let offer = if conceding {
                    t + i * t / 8
                } else {
                    r.below((4 * t) as usize) as u32
                };
                let m = d.answer(offer, tone(&mut r));
                check_text(&m);
                match m {
                    DebtorMove::Say {
                        accepts: true,
                        days,
                        ..
                    } => {
                        assert!(
                            offer >= d.floor(),
                            "{:?} accepted {offer} < {}",
                            d.kind,
                            d.floor()
                        );
                        assert_eq!(days, Some(offer));
                        break;
                    }
                    DebtorMove::WalkAway { .. } => {
                        assert!(offer < d.floor());
                        break;
                    }
                    DebtorMove::Say { days: Some(x), .. } => assert!(x >= d.floor()),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn accepts_its_own_last_number() {
        for (mut d, t, s) in debtors() {
            let mut r = Rng(s + 1);
            let mut offer = t;
            for _ in 0..40 {
                match d.answer(offer, tone(&mut r)) {
                    DebtorMove::Say { accepts: true, .. } | DebtorMove::WalkAway { .. } => break,
                    DebtorMove::Say { days: Some(x), .. } if r.chance(0.3) => {
                        let m = d.answer(x, tone(&mut r));
                        assert!(
                            matches!(m, DebtorMove::Say { accepts: true, .. }),
                            "{:?} {m:?}",
                            d.kind
                        );
                        break;
                    }
                    _ => offer += t / 10,
                }
            }
        }
    }

    #[test]
    fn deterministic_for_a_seed() {
        for k in BlindKind::ALL {
            for s in 0..50 {
                let mut a = BlindDebtor::new(k, 30, 90, 90, s);
                let mut b = BlindDebtor::new(k, 30, 90, 90, s);
                for i in 0..25u32 {
                    let tone = Emotion::ALL[(i as usize * 3 + s as usize) % 7];
                    assert_eq!(a.answer(30 + 2 * i, tone), b.answer(30 + 2 * i, tone));
                }
            }
        }
    }

    #[test]
    fn no_panic_on_extremes() {
        for k in BlindKind::ALL {
            for s in 0..40 {
                for (t, l, w) in [
                    (0, 0, 0),
                    (30, 90, u32::MAX),
                    (u32::MAX, u32::MAX, u32::MAX),
                    (1, 3, 60),
                ] {
                    let mut d = BlindDebtor::new(k, t, l, w, s);
                    for (i, o) in [0, 1, u32::MAX, 5, u32::MAX - 1, 0]
                        .into_iter()
                        .cycle()
                        .take(30)
                        .enumerate()
                    {
                        let m = d.answer(o, Emotion::ALL[i % 7]);
                        check_text(&m);
                        if let DebtorMove::Say { accepts: true, .. } = m {
                            assert!(o >= d.floor());
                        }
                    }
                }
            }
        }
    }
}
