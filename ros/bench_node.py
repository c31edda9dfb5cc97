"""Node benchmark over the real DDS path: time from publishing an utterance to receiving the
first tts/say sentence, for 20 turns, next to the speaker's own time to first sentence measured
in the same turn by the node. Prints a table per speaker.

    scripts/bench-node [--turns N] [--speakers template,slm]
    scripts/bench-node --incremental [--turns N]

--incremental: a ROS4HRI voice speaks each line word by word as partial recognition
(hri_msgs/LiveSpeech `incremental`) over two seconds, and its `final` follows after the
recogniser's end-of-speech silence (--endpoint-s, 0.5 s), on every other turn; on the turns
between, the same seconds pass and only `final` is sent. It prints the time from `final` to the first sentence of the voice's reply
(tts/sentences), with and without, and their ratio, with the language model speaking.
"""

import argparse
import os
import queue
import statistics
import time

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


def run_incremental(turns, speaking_s=2.0, endpoint_s=0.5):
    from eq_negotiator.msg import Sentence
    from hri_msgs.msg import IdsList, LiveSpeech
    node = Node("node.speaker:=slm", 'record.directory:=""', "node.detector:=lexicon",
                log=os.environ.get("BENCH_NODE_LOG", "warn"))
    debtor = Debtor("bench_debtor")
    tracked = debtor.node.create_publisher(IdsList, "/humans/voices/tracked", 10)
    speech = debtor.node.create_publisher(LiveSpeech, "/humans/voices/bench/speech", 10)
    sentences = queue.Queue()
    debtor.node.create_subscription(
        Sentence, "tts/sentences", lambda m: sentences.put((time.monotonic(), m)), 100
    )
    rows = []
    try:
        debtor.wait_for_node(timeout=300, process=node)
        deadline = time.monotonic() + 60
        while debtor.node.count_subscribers("/humans/voices/bench/speech") == 0:
            if time.monotonic() > deadline:
                raise TimeoutError("the node did not follow the voice")
            tracked.publish(IdsList(ids=["bench"]))
            time.sleep(0.2)
        first_turn = None
        for t in range(1, turns + 1):
            # The opening, or the last reply, is over before the next line starts.
            time.sleep(3.0)
            while not sentences.empty():
                sentences.get_nowait()
            line = LINES[t % len(LINES)].format(d=200 + 10 * t)
            with_partials = t % 2 == 1
            words = line.split()
            for i in range(1, len(words) + 1):
                if with_partials:
                    speech.publish(LiveSpeech(incremental=" ".join(words[:i]), confidence=0.5))
                time.sleep(speaking_s / len(words))
            # The recogniser's end-of-speech silence before it gives the final result.
            time.sleep(endpoint_s)
            sent = time.monotonic()
            speech.publish(LiveSpeech(incremental=line, final=line, confidence=0.9))
            while True:
                at, message = sentences.get(timeout=300)
                if message.voice_id == "bench" and message.turn > 0:
                    break
            first_turn = first_turn or message.turn
            rows.append((message.turn, with_partials, (at - sent) * 1e3))
    finally:
        debtor.close()
        node.stop()
    if os.environ.get("BENCH_NODE_LOG"):
        print("\n".join(l for l in node.lines if "prefill" in l or "reply prompt" in l))
    print("\nslm speaker, a ROS4HRI voice: final -> first sentence of the reply, over DDS")
    print("| turn | partial words before final | ms |")
    print("|---:|---|---:|")
    for turn, partial, ms in rows:
        print(f"| {turn} | {'yes' if partial else 'no'} | {ms:.0f} |")
    with_ms = statistics.median(ms for _, p, ms in rows if p)
    without_ms = statistics.median(ms for _, p, ms in rows if not p)
    print("\n| partial words | median ms to the first sentence | turns |")
    print("|---|---:|---:|")
    print(f"| yes, over the last {speaking_s:.0f} s of speech | {with_ms:.0f} | {sum(1 for r in rows if r[1])} |")
    print(f"| no | {without_ms:.0f} | {sum(1 for r in rows if not r[1])} |")
    print(f"\nratio with / without: {with_ms / without_ms:.2f} (target at most 0.6); final came "
          f"{endpoint_s:.2f} s after the last word (the recogniser's end-of-speech silence)")


def main():
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--turns", type=int, default=20)
    args.add_argument("--speakers", default="template,slm")
    args.add_argument("--incremental", action="store_true",
                      help="partial recognition before final, against final alone (slm)")
    args.add_argument("--endpoint-s", type=float, default=0.5,
                      help="--incremental: seconds of silence after the last word before final")
    opts = args.parse_args()
    if opts.incremental:
        run_incremental(opts.turns, endpoint_s=opts.endpoint_s)
        return
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
