"""Node benchmark over the real DDS path: time from publishing an utterance to receiving the
first tts/say sentence, for 20 turns, next to the speaker's own time to first sentence measured
in the same turn by the node. Prints a table per speaker.

    scripts/bench-node [--turns N] [--speakers template,slm]
"""

import argparse
import statistics

from peer import Debtor, Node

LINES = [
    "I need {d} days, I really can't do it sooner.",
    "Honestly, {d} days is the best I can manage.",
    "I'm worried about money this month, could we say {d} days?",
    "That doesn't work for me. {d} days.",
]


def run(speaker, turns):
    node = Node(f"node.speaker:={speaker}", 'record.directory:=""', "node.detector:=lexicon", log="warn")
    debtor = Debtor("bench_debtor")
    rows = []
    try:
        debtor.wait_for_node(timeout=300, process=node)
        debtor.reset(timeout=300)
        for t in range(1, turns + 1):
            # Always far above the creditor's limit, so the negotiation runs all the turns.
            turn = debtor.say(LINES[t % len(LINES)].format(d=200 + 10 * t), timeout=300)
            s = turn.state
            e2e = turn.first_sentence_s * 1e3
            rows.append((s.turn, e2e, s.speaker_first_sentence_ms, s.first_sentence_latency_ms))
    finally:
        debtor.close()
        node.stop()
    return rows


def main():
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--turns", type=int, default=20)
    args.add_argument("--speakers", default="template,slm")
    opts = args.parse_args()
    summary = []
    for speaker in opts.speakers.split(","):
        rows = run(speaker, opts.turns)
        print(f"\n{speaker} speaker: publish -> first tts/say sentence, over DDS")
        print("| turn | end to end ms | speaker's own ms | node inbound ms | added by the node ms |")
        print("|---:|---:|---:|---:|---:|")
        for turn, e2e, own, inbound in rows:
            print(f"| {turn} | {e2e:.2f} | {own:.2f} | {inbound:.2f} | {e2e - own:.2f} |")
        added = [e2e - own for _, e2e, own, _ in rows]
        k = max(1, len(rows) // 4)
        summary.append((speaker, statistics.median(added), max(added),
                        statistics.median(added[:k]), statistics.median(added[-k:]),
                        statistics.median([own for _, _, own, _ in rows])))
    print("\n| speaker | speaker's own median ms | added median ms | added max ms | added, first quarter | added, last quarter |")
    print("|---|---:|---:|---:|---:|---:|")
    for speaker, med, mx, first, last, own in summary:
        print(f"| {speaker} | {own:.2f} | {med:.2f} | {mx:.2f} | {first:.2f} | {last:.2f} |")
    print("\n'added by the node' = end to end - the speaker's own time: DDS both ways, the node's")
    print("queueing, perception and decision. 'node inbound' = the node's own time from the")
    print("utterance's arrival to publishing the first sentence. Target: added at most 5 ms, not")
    print("growing with the turn.")


if __name__ == "__main__":
    main()
