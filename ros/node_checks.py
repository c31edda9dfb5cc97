"""Checks of the eq_negotiator node over real DDS, with rclpy as the independent peer.

    scripts/netns python3 ros/node_checks.py CASE

Each case starts its own node (on its own ROS_DOMAIN_ID, so cases can run side by side),
prints what it saw, and exits non-zero at the first failed check. tests/node.rs runs them.
"""

import math
import os
import sys
import tempfile
import time
from pathlib import Path

from peer import ROOT, Debtor, Node

TARGET, LIMIT = 14, 45  # the built-in scenario's target and reservation limit


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def latest_diagnostics(debtor):
    """The key-values of the newest diagnostics message, after the next one arrives."""
    while not debtor.diagnostics.empty():
        debtor.diagnostics.get_nowait()
    diag = debtor.diagnostics.get(timeout=5)
    return {kv.key: kv.value for kv in diag.status[0].values}


def check_turn(turn, number, session):
    s = turn.state
    check(s.turn == number, f"turn {s.turn}, expected {number}")
    check(s.session_id == session, f"session {s.session_id}, expected {session}")
    check(turn.said == s.reply, f"tts/say {turn.sentences!r} != state reply {s.reply!r}")
    check(len(turn.sentences) >= 1, "no sentence published")
    check(TARGET <= s.creditor_offer_days <= LIMIT, f"offer {s.creditor_offer_days} off the curve")
    check(f"{s.creditor_offer_days} days" in s.reply, f"reply does not state the offer: {s.reply}")
    check(len(s.belief) == 4 and abs(sum(s.belief) - 1) < 1e-6, f"belief {list(s.belief)}")
    check(list(s.disposition_labels) == ["cooperative", "confrontational", "distressed", "strategic"], "labels")
    check(s.strategy in ("hmm", "wsls", "learned"), f"strategy {s.strategy}")
    check(not s.interrupted, "interrupted")
    if number > 0:
        check(len(s.emotion_distribution) == 7 and abs(sum(s.emotion_distribution) - 1) < 1e-6, "distribution")
        check(s.debtor_emotion == s.emotion_labels[max(range(7), key=lambda i: s.emotion_distribution[i])], "emotion")
        check(s.turn_latency_ms > 0 and s.first_sentence_latency_ms > 0, "latency figures")
    print(f"  turn {s.turn}: debtor {s.debtor_emotion or '-'} offer {s.debtor_offer_days} | "
          f"{s.strategy} {s.creditor_emotion} offer {s.creditor_offer_days} | {s.reply}")


# How the robot's face shows each stance (README, The ROS 2 node).
FACE = {"joy": "happy", "sadness": "sad", "anger": "annoyed", "fear": "scared",
        "surprise": "surprised", "disgust": "skeptical", "neutral": "neutral"}


def check_face(debtor, turn, only=True):
    """One hri_msgs/Expression for the turn's reply, showing its emotion. `only=False` for a reply that may follow another just before it (the node's own
    opening at start, then the reset's), of which the newest counts."""
    _, expression = debtor.expressions.get(timeout=5)
    if not only:
        time.sleep(0.5)
        while not debtor.expressions.empty():
            _, expression = debtor.expressions.get_nowait()
    emotion = turn.state.creditor_emotion
    check(expression.expression == FACE[emotion], f"face {expression.expression} for {emotion}")
    check(-1 <= expression.valence <= 1 and -1 <= expression.arousal <= 1, "valence and arousal in [-1, 1]")
    check(debtor.expressions.empty(), "one expression per reply")


def negotiation(records):
    """Turn by turn to an agreement, the face showing each reply's emotion; then reset starts a
    new session."""
    node = Node("node.speaker:=template", f"record.directory:={records}")
    debtor = Debtor()
    try:
        debtor.wait_for_node(process=node)
        response, opening = debtor.reset()
        check(response.success and response.message, f"reset answered {response}")
        session = response.message
        check_turn(opening, 0, session)
        check(opening.state.creditor_offer_days == TARGET, "the opening states the target")
        lines = [
            "I can't pay that fast, I need 90 days.",
            "I lost my job last month and I'm really struggling, 80 days please.",
            "Look, I'm trying here. Could we say 60 days?",
            "I could manage 50 days if I cut back on everything.",
        ]
        check_face(debtor, opening, only=False)
        offers = []
        faces = []
        for i, line in enumerate(lines, start=1):
            turn = debtor.say(line)
            check_turn(turn, i, session)
            faces.append(turn.state.creditor_emotion)
            check_face(debtor, turn)
            check(turn.state.utterance == line, "utterance echoed")
            check(turn.state.debtor_offer_days > 0, "debtor offer read")
            check(not turn.state.agreement_reached, "no agreement yet")
            offers.append(turn.state.creditor_offer_days)
        check(offers == sorted(offers), f"the creditor concedes monotonically: {offers}")
        print(f"  faces: {[FACE[e] for e in faces]}")
        final = debtor.say("Okay, that works for me, deal.")
        check_turn(final, len(lines) + 1, session)
        check(final.state.agreement_reached and final.state.finished, "agreement")
        check(final.state.agreement_days == offers[-1], f"agreed {final.state.agreement_days} vs {offers[-1]}")
        # After the end, utterances are ignored until a reset.
        debtor.transcript.publish(__import__("std_msgs.msg", fromlist=["String"]).String(data="hello?"))
        deadline = time.monotonic() + 10
        while latest_diagnostics(debtor)["ignored_utterances"] != "1":
            check(time.monotonic() < deadline, "the utterance after the end was ignored")
        response, opening = debtor.reset()
        check(response.success and response.message != session, "a new session id")
        check_turn(opening, 0, response.message)
        check(opening.state.creditor_offer_days == TARGET, "the new session starts at the target")
        record = Path(records) / f"{session}.jsonl"
        lines_in_record = record.read_text().splitlines()
        check(len(lines_in_record) == len(lines) + 2, f"{len(lines_in_record)} record lines")
        check(oct(record.stat().st_mode & 0o777) == "0o600", "record is owner-only")
        values = latest_diagnostics(debtor)
        for key in ("model_loaded", "turns", "last_turn_latency_ms", "tokens_per_second", "fallbacks"):
            check(key in values, f"diagnostics lack {key}: {values}")
        check(values["turns"] == str(len(lines) + 1), f"diagnostics turns {values['turns']}")
        print("  diagnostics:", values)
    finally:
        debtor.close()
        node.stop()
    check(node.proc.returncode is not None, "node stopped")


def bad_input(records):
    """Empty, whitespace, huge and control-character input, and a burst: the node stays up."""
    # How many burst lines get answered depends on the machine's speed; with the default 30 turns
    # a fast run could end the negotiation inside the burst, after which (by design) the node
    # ignores what follows until a reset.
    node = Node("node.speaker:=template", f"record.directory:={records}", "negotiation.max_turns:=2000")
    debtor = Debtor()
    try:
        debtor.wait_for_node(process=node)
        response, _ = debtor.reset()
        session = response.message
        from std_msgs.msg import String
        for text in ["", "   ", "\t\n\r", "\x00\x01\x1b[2J\x7f"]:
            debtor.transcript.publish(String(data=text))
        time.sleep(0.5)
        check(debtor.states.empty(), "blank input made no turn")
        huge = debtor.say("I need 90 days. " + "blah " * 20_000)
        check(huge.state.turn == 1 and len(huge.state.utterance) <= 2000, "100 kB cut to 2,000 characters")
        ctrl = debtor.say("I can pay\x01 in 60 days\x07 maybe\x1b[0m")  # (a NUL would end the ROS string)
        check(ctrl.state.turn == 2 and "\x01" not in ctrl.state.utterance, "control characters removed")
        check(ctrl.state.debtor_offer_days == 60, f"offer read through the noise: {ctrl.state.debtor_offer_days}")
        rss_before = node.rss_kib()
        for i in range(1000):
            debtor.transcript.publish(String(data=f"I need {100 + i % 50} days, burst {i}"))
        # The newest wins: a few turns are answered, the rest dropped and counted.
        deadline = time.monotonic() + 60
        last = None
        while time.monotonic() < deadline:
            try:
                last = debtor.states.get(timeout=3)
            except Exception:
                break
        check(last is not None, "the burst was answered")
        check(node.alive(), "the node survived the burst")
        print(f"  burst: last answered turn {last.turn} ({last.utterance!r}), dropped {last.dropped_utterances}")
        check(last.dropped_utterances > 0, "older utterances were dropped")
        check(not last.finished, "the burst did not end the negotiation")
        debtor.drain()
        after = debtor.say("Could we do 45 days?")
        check(after.state.session_id == session and after.state.turn == last.turn + 1, "answers the next utterance")
        check(after.said == after.state.reply, "its reply is published")
        rss_after = node.rss_kib()
        print(f"  memory: {rss_before} KiB before the burst, {rss_after} KiB after")
        check(rss_after < rss_before + 64 * 1024, "memory stays bounded")
    finally:
        debtor.close()
        node.stop()


def parameters(records):
    """Bad parameters fail at start with a clear error; the YAML file is a valid params file."""
    for bad, needle in [
        ("policy.gate_window:=abc", "gate_window"),
        ("policy.temperature_decay:=2.0", "temperature_decay"),
        ("offer.agreement_gap_days:=2.5", "agreement_gap_days"),
        ("node.speaker:=loud", "speaker"),
        ("no_such.key:=1", "no_such"),
        ("record.directory:=", "record.directory:="),
        ("llm.model_path:=/nonexistent/model.gguf", "/nonexistent/model.gguf"),
    ]:
        node = Node(bad, "node.speaker:=slm" if "model_path" in bad else "node.detector:=lexicon",
                    f"record.directory:={records}")
        code = node.wait_exit(timeout=60)
        log = node.log()
        print(f"  -p {bad}: exit {code}: {log.splitlines()[-1] if log else ''}")
        check(code != 0, f"{bad} must fail")
        check("error:" in log and needle in log, f"the error names {needle}: {log}")
        check("panicked" not in log, "no panic")
    node = Node("node.speaker:=template", f"record.directory:={records}",
                params_file=ROOT / "config/eq_negotiator.yaml")
    debtor = Debtor()
    try:
        debtor.wait_for_node(process=node)
        response, opening = debtor.reset()
        check(response.success and opening.state.creditor_offer_days == TARGET, "starts from the params file")
    finally:
        debtor.close()
        node.stop()
    # Scenario from parameters.
    node = Node("node.speaker:=template", f"record.directory:={records}",
                "scenario.target_days:=20", "scenario.reservation_days:=60")
    debtor = Debtor()
    try:
        debtor.wait_for_node(process=node)
        _, opening = debtor.reset()
        check(opening.state.creditor_offer_days == 20, "target from scenario.target_days")
    finally:
        debtor.close()
        node.stop()


def barge_in(records):
    """With the language model speaking, a new utterance cuts the reply in progress."""
    node = Node("node.speaker:=slm", f"record.directory:={records}")
    debtor = Debtor()
    try:
        debtor.wait_for_node(timeout=120, process=node)
        response, opening = debtor.reset(timeout=120)
        session = response.message
        from std_msgs.msg import String
        debtor.drain()
        debtor.transcript.publish(String(data="I need 90 days, I'm struggling."))
        # Long enough for the agent to take the first utterance, far shorter than the model's
        # reply (its first sentence alone takes most of a second here).
        time.sleep(0.3)
        debtor.transcript.publish(String(data="Actually, could we do 60 days?"))
        states = [debtor.states.get(timeout=120), debtor.states.get(timeout=120)]
        cut, answered = states
        print(f"  cut turn {cut.turn}: interrupted={cut.interrupted} reply={cut.reply!r}")
        print(f"  next turn {answered.turn}: interrupted={answered.interrupted} reply={answered.reply!r}")
        check(cut.session_id == session and cut.turn == 1, "the first utterance made turn 1")
        check(cut.interrupted, "turn 1 says it was interrupted")
        check(answered.turn == 2 and not answered.interrupted, "turn 2 answered in full")
        check(answered.debtor_offer_days == 60, "turn 2 read the new offer")
        check(f"{answered.creditor_offer_days} days" in answered.reply, "turn 2 states the offer")
        values = latest_diagnostics(debtor)
        check(values["model_loaded"] == "true", f"model loaded: {values}")
        check(float(values["tokens_per_second"]) > 0, f"tokens/s: {values}")
        # The log is a pipe here, as it is under a launch file or a service manager.
        lines = node.lines
        check(not any("\x1b[" in line for line in lines), "no colour codes in a log that is not a terminal")
        llama_info = [line for line in lines if "INFO" in line and "llama-cpp-2" in line]
        check(not llama_info, f"llama.cpp's info lines stay out of an info log: {llama_info[:3]}")
        check(any("INFO" in line and "eq_negotiator" in line for line in lines),
              f"the node's own info lines are there: {lines[:5]}")
    finally:
        debtor.close()
        node.stop()


RESTART_LINES = [
    "This is outrageous, I'm furious about these letters! I need 90 days.",
    "I lost my job and I'm struggling, could we say 70 days?",
    "I could stretch to 50 days.",
    "Okay, that works for me, deal.",
]


def restart_run(records, kill_after):
    """Negotiates RESTART_LINES; with `kill_after`, SIGKILLs the node after that many turns,
    tears the record's last line as a power cut would, restarts, and goes on. Returns the states
    and the session id."""
    import signal
    params = ("node.speaker:=template", f"record.directory:={records}")
    node = Node(*params)
    debtor = Debtor()
    states = []
    try:
        debtor.wait_for_node(process=node)
        response, opening = debtor.reset()
        session = response.message
        states.append(opening.state)
        for i, line in enumerate(RESTART_LINES):
            if kill_after is not None and i == kill_after:
                old_listeners = debtor.transcript_listeners()
                node.stop(signal.SIGKILL)
                record = Path(records) / f"{session}.jsonl"
                with open(record, "a") as f:
                    f.write('{"version":1,"session":"' + session + '","turn":')  # torn
                node = Node(*params)
                debtor.wait_for_new_node(old_listeners, node)
                debtor.drain()
            states.append(debtor.say(line).state)
    finally:
        debtor.close()
        node.stop()
    return states, session, node.log()


def restart(records):
    """SIGKILL mid-negotiation and a torn last line: the restarted node resumes the negotiation
    from its record, no turn lost or duplicated, the belief as it was."""
    with tempfile.TemporaryDirectory() as reference_records:
        reference, _, _ = restart_run(reference_records, None)
    resumed, session, log = restart_run(records, 2)
    check("torn" in log, f"the torn line is reported:\n{log}")
    check("resumed" in log, f"the node says it resumed:\n{log}")
    for ref, got in zip(reference, resumed):
        print(f"  turn {got.turn}: belief {[round(b, 4) for b in got.belief]} offer {got.creditor_offer_days}")
        check(got.session_id == session, "same session after the restart")
        check(got.turn == ref.turn, f"turn {got.turn} vs {ref.turn}")
        check(list(got.belief) == list(ref.belief), f"belief at turn {got.turn}: {list(got.belief)} vs {list(ref.belief)}")
        check(got.creditor_offer_days == ref.creditor_offer_days, "offer")
        check(got.reply == ref.reply, "reply")
        check(got.agreement_reached == ref.agreement_reached, "agreement")
    check(resumed[-1].agreement_reached, "the resumed negotiation reached its agreement")
    lines = (Path(records) / f"{session}.jsonl").read_text().splitlines()
    turns = [__import__("json").loads(l)["turn"] for l in lines]
    check(turns == list(range(len(RESTART_LINES) + 1)), f"record turns {turns}: none lost, none twice")


def soak(records):
    """200 negotiations back to back through the node: memory, turns per second, the record."""
    import json
    node = Node("node.speaker:=template", f"record.directory:={records}", log="warn")
    debtor = Debtor()
    try:
        debtor.wait_for_node(process=node)
        debtor.reset()
        rss_start = node.rss_kib()
        started = time.monotonic()
        turns = 0
        sessions = []
        for n in range(200):
            response, _ = debtor.reset()
            sessions.append(response.message)
            for line in (f"I need {60 + n % 40} days.", "I'm struggling, 40 days?", "Okay, deal."):
                state = debtor.say(line).state
                turns += 1
                if state.finished:
                    break
            check(state.finished, f"negotiation {n} finished")
        elapsed = time.monotonic() - started
        rss_end = node.rss_kib()
        check(node.alive(), "node alive")
    finally:
        debtor.close()
        node.stop()
    recorded = 0
    for session in sessions:
        lines = (Path(records) / f"{session}.jsonl").read_text().splitlines()
        check([json.loads(l)["turn"] for l in lines] == list(range(len(lines))), "turns in order")
        recorded += len(lines) - 1
    print(f"  200 negotiations, {turns} turns in {elapsed:.1f} s: {turns / elapsed:.1f} turns/s "
          f"(with 200 resets)")
    print(f"  memory (VmRSS): {rss_start} KiB at the start, {rss_end} KiB at the end, "
          f"growth {rss_end - rss_start} KiB")
    print(f"  record: {recorded} debtor turns recorded of {turns}")
    check(recorded == turns, "every turn is in the record")
    check(rss_end - rss_start < 16 * 1024, "memory grows by less than 16 MiB")


def learned_file(records):
    import json
    path = Path(records) / "learned.json"
    return json.loads(path.read_text()) if path.exists() else None


def effective(ledger):
    """The learned HMM counts of a ledger: its base plus every robot's contribution."""
    def flat(counts):
        return [x for block in counts["transition"] for row in block for x in row] + \
               [x for row in counts["emission"] for x in row]
    total = flat(ledger["base"]["hmm"])
    for c in ledger["contributions"].values():
        total = [a + b for a, b in zip(total, flat(c["learned"]["hmm"]))]
    return total


def fleet(records):
    """Two robots share what they learn on one topic; one is SIGKILLed and restarted midway.
    Both end with the same counts: the prior plus each robot's negotiations, each once."""
    import json
    import signal
    rounds = int(os.environ.get("FLEET_ROUNDS", "100"))
    dirs = {r: Path(records) / r for r in ("a", "b")}

    def start(robot):
        return Node("node.speaker:=template", f"record.directory:={dirs[robot]}",
                    f"negotiation.robot_id:={robot}", "node.learning_topic:=/fleet/learning",
                    cli=(), log="warn", namespace=f"/{robot}")

    nodes = {r: start(r) for r in dirs}
    peers = {r: Debtor(f"debtor_{r}", namespace=f"/{r}") for r in dirs}
    turns = {r: 0 for r in dirs}
    started = time.monotonic()
    try:
        for r in dirs:
            peers[r].wait_for_node(process=nodes[r])
        for n in range(rounds):
            if n == rounds // 2:
                before = learned_file(dirs["b"])
                old = peers["b"].transcript_listeners()
                nodes["b"].stop(signal.SIGKILL)
                nodes["b"] = start("b")
                peers["b"].wait_for_new_node(old, nodes["b"])
                peers["b"].drain()
                after = learned_file(dirs["b"])
                check(after["contributions"]["b"] == before["contributions"]["b"],
                      "the restarted robot keeps what it had learned")
                print(f"  robot b killed and restarted after {n} negotiations: "
                      f"{after['contributions']['b']['sequence']} of its own kept")
            for r in dirs:
                peers[r].reset()
                for line in (f"I need {50 + n % 30} days.", "Okay, deal."):
                    state = peers[r].say(line).state
                    turns[r] += 1
                    if state.finished:
                        break
                check(state.finished, f"robot {r} negotiation {n} finished")
        elapsed = time.monotonic() - started
        # Wait for the last contributions to cross.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            files = {r: learned_file(dirs[r]) for r in dirs}
            seqs = {r: {k: c["sequence"] for k, c in f["contributions"].items()} for r, f in files.items()}
            if all(s == {"a": rounds, "b": rounds} for s in seqs.values()):
                break
            time.sleep(0.2)
        check(all(s == {"a": rounds, "b": rounds} for s in seqs.values()), f"contributions held: {seqs}")
    finally:
        for r in dirs:
            nodes[r].stop()
        for i, r in enumerate(dirs):
            peers[r].close(shutdown=i == len(dirs) - 1)
    counts = {r: effective(files[r]) for r in dirs}
    diff = max(abs(x - y) for x, y in zip(counts["a"], counts["b"]))
    check(diff < 1e-6, f"both robots hold the same counts (largest difference {diff})")
    # Every debtor turn adds one unit of transition mass: the prior plus each turn, once.
    prior = sum(x for block in files["a"]["base"]["hmm"]["transition"] for row in block for x in row)
    mass = sum(x for block in files["a"]["base"]["hmm"]["transition"] for row in block for x in row)
    for c in files["a"]["contributions"].values():
        mass += sum(x for block in c["learned"]["hmm"]["transition"] for row in block for x in row)
    recorded = 0
    for r in dirs:
        for record in dirs[r].glob("*.jsonl"):
            recorded += sum(1 for l in record.read_text().splitlines() if json.loads(l)["turn"] > 0)
    print(f"  {2 * rounds} negotiations, {sum(turns.values())} debtor turns in {elapsed:.1f} s; "
          f"transition mass {mass:.6f} = prior {prior:.1f} + {recorded} recorded turns")
    check(recorded == sum(turns.values()), f"{recorded} recorded turns of {sum(turns.values())}")
    check(abs(mass - prior - recorded) < 1e-6, "each robot's turns counted exactly once")


def parameter_value(message):
    """The Python value of an rcl_interfaces/ParameterValue."""
    from rcl_interfaces.msg import ParameterType as T
    field = {T.PARAMETER_BOOL: "bool_value", T.PARAMETER_INTEGER: "integer_value",
             T.PARAMETER_DOUBLE: "double_value", T.PARAMETER_STRING: "string_value",
             T.PARAMETER_DOUBLE_ARRAY: "double_array_value"}.get(message.type)
    return getattr(message, field) if field else None


def set_request(srv, **values):
    """A SetParameters or SetParametersAtomically request for `values` (dots as __)."""
    from rcl_interfaces.msg import Parameter, ParameterType as T, ParameterValue
    request = srv.Request()
    for key, value in values.items():
        v = ParameterValue()
        if isinstance(value, bool):
            v.type, v.bool_value = T.PARAMETER_BOOL, value
        elif isinstance(value, int):
            v.type, v.integer_value = T.PARAMETER_INTEGER, value
        elif isinstance(value, float):
            v.type, v.double_value = T.PARAMETER_DOUBLE, value
        else:
            v.type, v.string_value = T.PARAMETER_STRING, value
        request.parameters.append(Parameter(name=key.replace("__", "."), value=v))
    return request


class Parameters:
    """The node's parameter services, called as `ros2 param` calls them."""

    def __init__(self, debtor, node="eq_negotiator"):
        self.debtor, self.node = debtor, node

    def call(self, srv, service, request):
        return self.debtor.call(srv, f"/{self.node}/{service}", request)

    def list(self):
        from rcl_interfaces.srv import ListParameters
        return list(self.call(ListParameters, "list_parameters", ListParameters.Request()).result.names)

    def describe(self, *names):
        from rcl_interfaces.srv import DescribeParameters
        response = self.call(DescribeParameters, "describe_parameters", DescribeParameters.Request(names=list(names)))
        return {d.name: d for d in response.descriptors}

    def get(self, *names):
        from rcl_interfaces.srv import GetParameters
        response = self.call(GetParameters, "get_parameters", GetParameters.Request(names=list(names)))
        return [parameter_value(v) for v in response.values]

    def set(self, **values):
        from rcl_interfaces.srv import SetParameters
        return list(self.call(SetParameters, "set_parameters", set_request(SetParameters, **values)).results)

    def set_atomically(self, **values):
        from rcl_interfaces.srv import SetParametersAtomically
        return self.call(SetParametersAtomically, "set_parameters_atomically",
                         set_request(SetParametersAtomically, **values)).result


def live_parameters(records):
    """The standard parameter services: list, describe, get, a set that takes effect at the next
    turn, sets refused with their reasons, an atomic set that changes nothing when one value is
    bad; the change is announced on /parameter_events and shown in the diagnostics."""
    import queue as queues
    from rcl_interfaces.msg import ParameterEvent
    node = Node("node.speaker:=template", f"record.directory:={records}")
    debtor = Debtor()
    events = queues.Queue()
    debtor.node.create_subscription(ParameterEvent, "/parameter_events", events.put, 100)
    params = Parameters(debtor)
    try:
        debtor.wait_for_node(process=node)
        names = params.list()
        print(f"  list_parameters: {len(names)} names, e.g. {names[:3]}")
        for name in ("policy.gate_window", "offer.concession_turns", "hmm.transition_prior.cooperative",
                     "llm.model_path", "node.autostart", "negotiation.max_turns"):
            check(name in names, f"{name} is listed")
        described = params.describe("policy.temperature_decay", "policy.gate_window", "llm.model_path",
                                    "negotiation.max_turns")
        decay = described["policy.temperature_decay"]
        print(f"  describe policy.temperature_decay: {decay.description!r}, "
              f"range {[(r.from_value, r.to_value) for r in decay.floating_point_range]}, "
              f"{decay.additional_constraints!r}")
        check("multiplied" in decay.description, "a description from the parameters file")
        check([(r.from_value, r.to_value) for r in decay.floating_point_range] == [(0.0, 1.0)], "its range")
        window = described["policy.gate_window"]
        check([(r.from_value, r.to_value) for r in window.integer_range] == [(1, 50)], "an integer range")
        check("only while the node is unconfigured" in described["llm.model_path"].additional_constraints,
              "the model path cannot change while configured")
        check("from the next turn" in described["negotiation.max_turns"].additional_constraints, "the turn limit can")
        check(params.get("offer.concession_turns", "node.speaker", "negotiation.max_turns") == [12, "template", 30],
              "get_parameters gives the values in force")

        response, opening = debtor.reset()
        session = response.message
        first = debtor.say("I can't pay that fast, I need 90 days.")
        check(first.state.turn == 1 and not first.state.finished, "turn 1 goes on")
        results = params.set(negotiation__max_turns=2)
        check(results[0].successful, f"max_turns set: {results[0].reason}")
        check(params.get("negotiation.max_turns") == [2], "the new value is in force")
        second = debtor.say("I could do 80 days, maybe.")
        print(f"  after negotiation.max_turns:=2, turn {second.state.turn}: finished={second.state.finished} "
              f"agreement={second.state.agreement_reached}")
        check(second.state.session_id == session and second.state.turn == 2, "the same negotiation")
        check(second.state.finished and not second.state.agreement_reached,
              "the next turn hit the new limit: the negotiation ended without a deal")

        refusals = {
            "llm__model_path": ("/other/model.gguf", "read at configure"),
            "node__say_topic": ("tts/other", "read at configure"),
            "policy__temperature_decay": (2.0, "between 0 and 1"),
            "policy__gate_window": ("abc", "gate_window"),
            "no_such__key": (1, "no parameter"),
        }
        for key, (value, needle) in refusals.items():
            result = params.set(**{key: value})[0]
            print(f"  set {key.replace('__', '.')}={value!r}: refused: {result.reason}")
            check(not result.successful and needle in result.reason, f"{key}: {result.reason}")
        check(params.get("policy.temperature_decay", "llm.model_path")[0] == 0.95, "refused values changed nothing")

        atomic = params.set_atomically(offer__concession_turns=6, policy__temperature_decay=-1.0)
        check(not atomic.successful and "temperature_decay" in atomic.reason, f"atomic refusal: {atomic.reason}")
        check(params.get("offer.concession_turns") == [12], "nothing of a refused atomic set was applied")
        atomic = params.set_atomically(offer__concession_turns=6, policy__turn_exploration=0.25)
        check(atomic.successful, f"atomic set: {atomic.reason}")
        check(params.get("offer.concession_turns", "policy.turn_exploration") == [6, 0.25], "both applied")

        changed = set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not {"negotiation.max_turns", "offer.concession_turns"} <= changed:
            try:
                event = events.get(timeout=0.5)
            except queues.Empty:
                continue
            if event.node.endswith("eq_negotiator"):
                changed |= {p.name for p in event.changed_parameters}
        check({"negotiation.max_turns", "offer.concession_turns"} <= changed, f"/parameter_events: {changed}")
        values = latest_diagnostics(debtor)
        print(f"  diagnostics: parameter_changes={values['parameter_changes']} last={values['last_parameter_change']!r}")
        check(values["parameter_changes"] == "3", f"three changes: {values}")
        check("policy.turn_exploration=0.25" in values["last_parameter_change"] or
              "offer.concession_turns=6" in values["last_parameter_change"], "the last change is shown")
        check("parameter changed" in node.log(), "changes are logged")
        check(node.alive(), "the node runs on")
    finally:
        debtor.close()
        node.stop()


class Lifecycle:
    """The node's lifecycle services, called as `ros2 lifecycle` calls them."""

    def __init__(self, debtor, node="eq_negotiator"):
        self.debtor, self.node = debtor, node

    def state(self):
        from lifecycle_msgs.srv import GetState
        return self.debtor.call(GetState, f"/{self.node}/get_state", GetState.Request()).current_state.label

    def available(self):
        from lifecycle_msgs.srv import GetAvailableTransitions
        response = self.debtor.call(GetAvailableTransitions, f"/{self.node}/get_available_transitions",
                                    GetAvailableTransitions.Request())
        return [t.transition.label for t in response.available_transitions]

    def change(self, label):
        from lifecycle_msgs.msg import Transition
        from lifecycle_msgs.srv import ChangeState
        request = ChangeState.Request(transition=Transition(label=label))
        return self.debtor.call(ChangeState, f"/{self.node}/change_state", request, timeout=120).success


def lifecycle(records):
    """A managed node: each transition, what is advertised and heard in each state, a configure
    error that goes through error processing, and a negotiation kept across deactivate and
    cleanup."""
    import queue as queues
    from lifecycle_msgs.msg import TransitionEvent
    from std_msgs.msg import String
    from std_srvs.srv import Trigger
    node = Node("node.autostart:=false", "node.speaker:=template", f"record.directory:={records}")
    debtor = Debtor()
    events = queues.Queue()
    debtor.node.create_subscription(TransitionEvent, "/eq_negotiator/transition_event", events.put, 100)
    managed, params = Lifecycle(debtor), Parameters(debtor)

    def path():
        seen = []
        while True:
            try:
                e = events.get(timeout=1.0)
            except queues.Empty:
                return seen
            seen.append(f"{e.start_state.label}>{e.goal_state.label}")

    def advertised():
        return (debtor.node.count_publishers("/tts/say"), debtor.node.count_publishers("/negotiation/state"),
                debtor.node.count_subscribers("/speech/transcript"))

    try:
        check(managed.state() == "unconfigured", "it starts unconfigured")
        check(managed.available() == ["configure", "shutdown"], f"unconfigured offers {managed.available()}")
        time.sleep(1.0)
        check(advertised() == (0, 0, 0), f"nothing advertised before configure: {advertised()}")
        refused = debtor.call(Trigger, "negotiation/reset", Trigger.Request())
        check(not refused.success and "unconfigured" in refused.message, f"reset refused: {refused.message}")
        check(params.set(scenario__target_days=20)[0].successful, "any parameter changes while unconfigured")

        check(managed.change("configure"), "configure")
        check(path() == ["unconfigured>configuring", "configuring>inactive"], "configure's events")
        check(managed.state() == "inactive", "inactive after configure")
        check(managed.available() == ["cleanup", "activate", "shutdown"], f"inactive offers {managed.available()}")
        time.sleep(1.0)
        say, state, transcript = advertised()
        print(f"  inactive: tts/say publishers {say}, state publishers {state}, transcript subscribers {transcript}")
        check(say == 1 and state == 1, "configure advertised the outputs")
        refused = params.set(llm__model_path="/other/model.gguf")[0]
        check(not refused.successful, "the model path is fixed once configured")

        debtor.drain()
        check(managed.change("activate"), "activate")
        check(managed.state() == "active", "active")
        debtor.wait_for_node(process=node)
        opening = debtor.collect(0, 30)
        session = opening.state.session_id
        check(opening.state.creditor_offer_days == 20, "the opening uses the target set while unconfigured")
        first = debtor.say("I can't pay that fast, I need 90 days.")
        check(first.state.turn == 1 and first.state.session_id == session, "turn 1 when active")

        check(managed.change("deactivate"), "deactivate")
        check(managed.state() == "inactive", "inactive again")
        debtor.drain()
        debtor.transcript.publish(String(data="Hello? I need 80 days."))
        time.sleep(2.0)
        check(debtor.states.empty() and debtor.sentences.empty(), "an inactive node neither hears nor speaks")
        values = latest_diagnostics(debtor)
        check(values["lifecycle_state"] == "inactive" and values["unheard_while_inactive"] == "1",
              f"the diagnostics say so: {values}")

        check(managed.change("activate"), "activate again")
        second = debtor.say("Could we say 60 days?")
        check(second.state.session_id == session and second.state.turn == 2, "the negotiation was kept")

        check(managed.change("deactivate") and managed.change("cleanup"), "deactivate, cleanup")
        check(managed.state() == "unconfigured", "unconfigured after cleanup")
        time.sleep(1.0)
        say, state, _ = advertised()
        check(say == 0 and state == 0, f"cleanup withdrew the outputs: {advertised()}")
        path()

        # An error at configure: error processing, back to unconfigured, the node still up.
        check(params.set(node__speaker="slm", llm__model_path="/nonexistent/model.gguf")[0].successful,
              "set while unconfigured")
        check(not managed.change("configure"), "configure fails without the model")
        seen = path()
        print(f"  configure with a missing model: {seen}")
        check(seen == ["unconfigured>configuring", "configuring>errorprocessing", "errorprocessing>unconfigured"],
              f"through error processing: {seen}")
        check(managed.state() == "unconfigured" and node.alive(), "unconfigured, and the node runs on")
        check("/nonexistent/model.gguf" in node.log(), "the log names the missing file")

        check(params.set(node__speaker="template")[0].successful, "fixed while unconfigured")
        check(managed.change("configure") and managed.change("activate"), "configure and activate")
        third = debtor.say("Okay, 50 days and we're done.")
        print(f"  resumed after cleanup: session {third.state.session_id == session}, turn {third.state.turn}")
        check(third.state.session_id == session and third.state.turn == 3,
              "the negotiation resumes from its record after cleanup and configure")

        check(managed.change("shutdown"), "shutdown")
        check(node.wait_exit(timeout=30) == 0, "finalized: the process ends cleanly")
    finally:
        debtor.close()
        node.stop()


class StateStream:
    """The node's state messages, taken by what they are for; the others are kept for later."""

    def __init__(self, debtor):
        self.debtor, self.kept = debtor, []

    def next(self, wanted, timeout=30.0):
        for i, state in enumerate(self.kept):
            if wanted(state):
                return self.kept.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                state = self.debtor.states.get(timeout=remaining)
            except Exception:
                return None
            if wanted(state):
                return state
            self.kept.append(state)


def voices(records):
    """ROS4HRI: two voices negotiate at once without mixing, each with its session and record;
    only final speech makes a turn; a voice that leaves is no longer heard and resumes when it
    comes back; a voice beyond node.max_voices waits for a free place."""
    import json
    import queue as queues
    from eq_negotiator.msg import Sentence
    from hri_msgs.msg import IdsList, LiveSpeech
    node = Node("node.speaker:=template", f"record.directory:={records}", "node.max_voices:=2")
    debtor = Debtor()
    tracked = debtor.node.create_publisher(IdsList, "/humans/voices/tracked", 10)
    speech = {v: debtor.node.create_publisher(LiveSpeech, f"/humans/voices/{v}/speech", 10)
              for v in ("alice", "bob", "carol", "dave")}
    sentences = queues.Queue()
    debtor.node.create_subscription(Sentence, "tts/sentences", sentences.put, 1000)
    states = StateStream(debtor)

    def track(*ids):
        tracked.publish(IdsList(ids=list(ids)))

    def hears(voice):
        return debtor.node.count_subscribers(f"/humans/voices/{voice}/speech") > 0

    def say(voice, final="", incremental=""):
        speech[voice].publish(LiveSpeech(incremental=incremental, final=final, confidence=0.9, language="en-GB"))

    def of(voice, turn=None):
        return lambda s: s.voice_id == voice and (turn is None or s.turn == turn)

    def until(condition, what, timeout=20.0):
        deadline = time.monotonic() + timeout
        while not condition():
            check(time.monotonic() < deadline, what)
            time.sleep(0.05)

    try:
        debtor.wait_for_node(process=node)
        states.next(of(""), timeout=10)  # the plain topic's own opening
        # ROS4HRI republishes the tracked list; so does this peer until both voices are heard.
        deadline = time.monotonic() + 20
        while not (hears("alice") and hears("bob")):
            check(time.monotonic() < deadline, "the node subscribes to both voices' speech")
            track("alice", "bob")
            time.sleep(0.2)
        openings = {v: states.next(of(v, 0)) for v in ("alice", "bob")}
        check(all(openings.values()), f"both voices get an opening: {openings}")
        sessions = {v: s.session_id for v, s in openings.items()}
        check(sessions["alice"] != sessions["bob"], "two sessions")
        print(f"  openings: alice {sessions['alice']}, bob {sessions['bob']}")

        say("alice", incremental="I need nine")
        say("alice", incremental="I need ninety days")
        check(states.next(of("alice"), timeout=1.5) is None, "incremental speech makes no turn")
        say("alice", final="I need 90 days.", incremental="I need 90 days.")
        first = states.next(of("alice", 1))
        check(first is not None and first.utterance == "I need 90 days." and first.debtor_offer_days == 90,
              f"the final text makes alice's turn 1: {first}")

        # A burst from both at once: every turn goes to the voice that spoke.
        for i in range(20):
            say("alice", final=f"Alice here, I could do {60 + i} days.")
            say("bob", final=f"Bob speaking, I need {150 + i} days.")
        turns, wrong = {"alice": [], "bob": []}, []
        while True:
            state = states.next(lambda s: s.voice_id in ("alice", "bob"), timeout=3.0)
            if state is None:
                break
            turns[state.voice_id].append(state.turn)
            mine = "Alice here" if state.voice_id == "alice" else "Bob speaking"
            if not state.utterance.startswith(mine) or state.session_id != sessions[state.voice_id]:
                wrong.append((state.voice_id, state.utterance))
        print(f"  burst of 20 + 20: alice turns {turns['alice']}, bob turns {turns['bob']}, wrong {len(wrong)}")
        check(not wrong, f"utterances routed to the wrong negotiation: {wrong}")
        check(turns["alice"] and turns["bob"], "both voices were answered")
        check(all(b > a for t in turns.values() for a, b in zip(t, t[1:])), "turns in order per voice")
        labelled = []
        while not sentences.empty():
            message = sentences.get_nowait()
            if message.voice_id:  # the plain topic's own opening has none
                labelled.append(message)
        check(labelled and all(m.voice_id in sessions and m.session_id == sessions[m.voice_id] for m in labelled),
              f"tts/sentences says whose negotiation each sentence answers: "
              f"{[(m.voice_id, m.session_id) for m in labelled if m.session_id != sessions.get(m.voice_id)]}")
        for voice, mine in (("alice", "Alice here"), ("bob", "Bob speaking")):
            path = Path(records) / "voices" / voice / f"{sessions[voice]}.jsonl"
            said = [json.loads(l).get("utterance") for l in path.read_text().splitlines()]
            other = "Bob speaking" if voice == "alice" else "Alice here"
            check(not any(u and u.startswith(other) for u in said), f"{voice}'s record holds only its own lines")
            check(sum(1 for u in said if u and u.startswith(mine)) == len(turns[voice]), f"{voice}'s turns recorded")

        # Bob leaves: no longer heard.
        track("alice")
        until(lambda: latest_diagnostics(debtor)["voices"] == "1", "bob's negotiation leaves memory")
        say("bob", final="Bob again, 120 days?")
        check(states.next(of("bob"), timeout=2.0) is None, "a voice that left is not heard")

        # Carol and Dave appear; with two places Dave waits. Carol's opening comes within one turn.
        track("alice", "carol", "dave")
        say("alice", final="Alice here, 70 days then.")
        order = [states.next(lambda s: s.voice_id in ("alice", "carol"), timeout=20) for _ in range(2)]
        check(any(s and s.voice_id == "carol" and s.turn == 0 for s in order),
              f"carol's negotiation opens within one turn: {[(s.voice_id, s.turn) for s in order if s]}")
        until(lambda: latest_diagnostics(debtor)["voices_waiting"] == "1", "dave waits for a place")
        track("alice", "dave")
        check(states.next(of("dave", 0)) is not None, "dave gets carol's place")

        # Bob comes back (Dave leaves): his negotiation resumes from its record.
        before = max(turns["bob"])
        until(lambda: (track("alice", "bob") or True) and hears("bob"), "bob is heard again")
        time.sleep(0.5)
        say("bob", final="Bob here again, 110 days.")
        back = states.next(of("bob"))
        print(f"  bob back: session kept {back.session_id == sessions['bob']}, turn {back.turn} after {before}")
        check(back.session_id == sessions["bob"] and back.turn == before + 1, "bob's negotiation resumed")
        check(node.alive(), "node alive")
    finally:
        debtor.close()
        node.stop()


CASES = {f.__name__: f for f in (negotiation, bad_input, parameters, barge_in, restart, soak, fleet,
                                 live_parameters, lifecycle, voices)}

if __name__ == "__main__":
    case = sys.argv[1]
    os.environ.setdefault("ROS_DOMAIN_ID", str(list(CASES).index(case) + 11))
    with tempfile.TemporaryDirectory() as records:
        print(f"{case}:")
        CASES[case](records)
    print(f"{case}: ok")
