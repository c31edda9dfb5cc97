"""The demo's scripted debtor: an rclpy peer that negotiates with the running node and prints the
conversation with the emotions and offers of every turn.

    scripts/netns python3 ros/demo_debtor.py [--start DAYS] [--step DAYS] [--turns N]

It starts from DAYS days (default 90), moves STEP days toward the creditor's offer each turn, and
accepts once the creditor's offer is within 5 days of its own. Its lines carry some emotion (worry,
frustration, relief) so the node's emotion reading and stance have something to work with.
"""

import argparse
import sys

from peer import Debtor

LINES = [
    "I'm really worried about this, I lost hours at work. Could I have {days} days?",
    "Honestly this is frustrating, I can't just find the money. {days} days is what I can do.",
    "I'm trying my best here. What about {days} days?",
    "Okay, I hear you. I could stretch to {days} days.",
    "That's still tight for me, but {days} days might work.",
    "I'm scared of falling behind on rent. Please, {days} days.",
]
ACCEPT = "Alright, {days} days works for me. Thank you, deal."


def show_state(s):
    if s.turn > 0:
        probs = ", ".join(
            f"{label} {p:.2f}"
            for label, p in sorted(zip(s.emotion_labels, s.emotion_distribution), key=lambda x: -x[1])[:3]
        )
        tactics = f" | tactics {', '.join(s.tactics)}" if s.tactics else ""
        offer = f"{s.debtor_offer_days} days" if s.debtor_offer_days >= 0 else "none"
        print(f"    [debtor emotion {s.debtor_emotion} ({probs}) | debtor offer {offer}{tactics}]")
    top = max(range(len(s.belief)), key=lambda i: s.belief[i])
    print(f"    [belief {s.disposition_labels[top]} {s.belief[top]:.2f} | {s.strategy} -> creditor "
          f"{s.creditor_emotion}, offer {s.creditor_offer_days} days | {s.speaker}"
          f"{', template completed it' if s.fallback else ''} | first sentence {s.first_sentence_latency_ms:.1f} ms]")
    print(f"creditor: {s.reply}")


def main():
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--start", type=int, default=90)
    args.add_argument("--step", type=int, default=10)
    args.add_argument("--turns", type=int, default=12)
    opts = args.parse_args()

    debtor = Debtor("demo_debtor")
    try:
        debtor.wait_for_node(timeout=300)
        response, opening = debtor.reset(timeout=300)
        print(f"session {response.message}")
        show_state(opening.state)
        days = opts.start
        state = opening.state
        for turn in range(opts.turns):
            offer = state.creditor_offer_days
            if abs(days - offer) <= 5 or days <= offer:
                line = ACCEPT.format(days=offer)
            else:
                line = LINES[turn % len(LINES)].format(days=days)
            print(f"debtor: {line}")
            state = debtor.say(line, timeout=300).state
            show_state(state)
            if state.finished:
                outcome = f"agreement on {state.agreement_days} days" if state.agreement_reached else "no agreement"
                print(f"*** {outcome} after {state.turn} turns ***")
                return 0
            days = max(state.creditor_offer_days, days - opts.step)
        print("*** the debtor gave up ***")
        return 0
    finally:
        debtor.close()


if __name__ == "__main__":
    sys.exit(main())
