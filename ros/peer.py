"""An independent ROS 2 peer of the eq_negotiator node, in rclpy: plays the debtor's side.

Used by the node tests (ros/node_checks.py), the demo's scripted debtor (ros/demo_debtor.py)
and the node benchmark (ros/bench_node.py). Run everything through scripts/netns, with the
environment of scripts/ros-env.
"""

import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

import rclpy
from rclpy.executors import SingleThreadedExecutor
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
from diagnostic_msgs.msg import DiagnosticArray
from eq_negotiator.msg import NegotiationState
from hri_msgs.msg import Expression
from std_msgs.msg import String
from std_srvs.srv import Trigger

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(os.environ.get("EQ_NEGOTIATOR_BIN", ROOT / "target/release/eq_negotiator"))


class Node:
    """The eq_negotiator node as a child process."""

    def __init__(self, *ros_params, params_file=None, cli=(), log="info", namespace=None):
        args = [str(BINARY), "--log", log, *cli, "node", "--ros-args"]
        if namespace:
            args += ["-r", f"__ns:={namespace}"]
        for p in ros_params:
            args += ["-p", p]
        if params_file:
            args += ["--params-file", str(params_file)]
        self.args = args
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def log(self):
        return "\n".join(self.lines)

    def rss_kib(self):
        """Resident memory of the node process, KiB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGINT):
        if self.alive():
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._reader.join(timeout=5)


class Turn:
    """One turn as the peer saw it: the sentences on tts/say and the state message."""

    def __init__(self, sentences, state, first_sentence_s):
        self.sentences = sentences
        self.state = state
        self.first_sentence_s = first_sentence_s

    @property
    def said(self):
        return " ".join(self.sentences)


class Debtor:
    """The debtor's side: publishes transcripts, listens to tts/say, state and diagnostics."""

    def __init__(self, name="debtor_peer", namespace=None):
        # Several peers may share the process (one per node in a fleet case).
        if not rclpy.ok():
            rclpy.init()
        self.node = rclpy.create_node(name, namespace=namespace) if namespace else rclpy.create_node(name)
        reliable = QoSProfile(depth=1000, reliability=ReliabilityPolicy.RELIABLE)
        latched = QoSProfile(
            depth=10,
            reliability=ReliabilityPolicy.RELIABLE,
            durability=DurabilityPolicy.TRANSIENT_LOCAL,
        )
        self.transcript = self.node.create_publisher(String, "speech/transcript", reliable)
        self.sentences = queue.Queue()
        self.states = queue.Queue()
        self.diagnostics = queue.Queue()
        self.node.create_subscription(
            String, "tts/say", lambda m: self.sentences.put((time.monotonic(), m.data)), reliable
        )
        self.node.create_subscription(NegotiationState, "negotiation/state", self.states.put, latched)
        self.node.create_subscription(DiagnosticArray, "/diagnostics", self.diagnostics.put, 10)
        self.expressions = queue.Queue()
        self.node.create_subscription(
            Expression, "/robot_face/expression", lambda m: self.expressions.put((time.monotonic(), m)), reliable
        )
        self.reset_client = self.node.create_client(Trigger, "negotiation/reset")
        self.executor = SingleThreadedExecutor()
        self.executor.add_node(self.node)
        self._spin = threading.Thread(target=self.executor.spin, daemon=True)
        self._spin.start()

    def close(self, shutdown=True):
        # Stop spinning and wait for the spin thread before tearing the node down; the other
        # order aborts the interpreter at exit. `shutdown=False` leaves rclpy to other peers.
        self.executor.shutdown()
        self._spin.join(timeout=10)
        self.node.destroy_node()
        if shutdown:
            rclpy.try_shutdown()

    def wait_for_node(self, timeout=60.0, process=None):
        """Waits until the node's reset service and transcript subscription are matched; fails
        at once if `process` (a Node) exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and not process.alive():
                raise RuntimeError(f"the node exited ({process.proc.returncode}):\n{process.log()}")
            if (
                self.reset_client.service_is_ready()
                and self.transcript.get_subscription_count() > 0
            ):
                return
            time.sleep(0.05)
        raise TimeoutError("the node did not come up")

    def transcript_listeners(self):
        """Identities (GIDs) of the subscriptions to speech/transcript that DDS knows of."""
        infos = self.node.get_subscriptions_info_by_topic(self.transcript.topic_name)
        return {bytes(info.endpoint_gid) for info in infos}

    def wait_for_new_node(self, old_listeners, process, timeout=60.0):
        """After a restart: waits for a transcript subscription that is not one of
        `old_listeners` (a killed node's endpoints linger in DDS until their lease ends)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.alive():
                raise RuntimeError(f"the node exited ({process.proc.returncode}):\n{process.log()}")
            if self.transcript_listeners() - old_listeners:
                # Discovery runs both ways; give the node a moment to match our publisher too.
                time.sleep(0.5)
                return
            time.sleep(0.05)
        raise TimeoutError("the restarted node did not come up")

    def drain(self):
        """Forgets everything received so far."""
        for q in (self.sentences, self.states, self.expressions):
            while not q.empty():
                q.get_nowait()

    def call(self, srv_type, name, request, timeout=60.0):
        """Calls the service `name` (relative to this peer's namespace) and returns its
        response; one client per service name, made on first use."""
        clients = self.__dict__.setdefault("_clients", {})
        if name not in clients:
            clients[name] = self.node.create_client(srv_type, name)
        client = clients[name]
        if not client.wait_for_service(timeout_sec=timeout):
            raise TimeoutError(f"{name} is not offered")
        future = client.call_async(request)
        deadline = time.monotonic() + timeout
        while not future.done():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} was not answered")
            time.sleep(0.01)
        return future.result()

    def reset(self, timeout=60.0):
        """Calls negotiation/reset; returns (response, opening Turn)."""
        self.drain()
        future = self.reset_client.call_async(Trigger.Request())
        deadline = time.monotonic() + timeout
        while not future.done():
            if time.monotonic() > deadline:
                raise TimeoutError("reset was not answered")
            time.sleep(0.01)
        response = future.result()
        return response, self.collect(0, timeout, session=response.message)

    def say(self, text, timeout=60.0):
        """Publishes one utterance and returns the Turn it caused."""
        sent = time.monotonic()
        self.transcript.publish(String(data=text))
        return self.collect(None, timeout, sent=sent)

    def collect(self, turn, timeout, sent=None, session=None):
        """Sentences and the state message of the next turn (or of `turn`)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no state message for turn {turn}")
            state = self.states.get(timeout=remaining)
            if turn is not None and state.turn != turn:
                continue
            if session is not None and state.session_id != session:
                continue
            break
        sentences, first = [], None
        # Sentences are published before the state message, on another topic: wait until they
        # add up to the reply (or a little while, for a reply that was cut).
        while " ".join(sentences) != state.reply:
            try:
                at, text = self.sentences.get(timeout=2.0)
            except queue.Empty:
                break
            sentences.append(text)
            # A sentence of an earlier reply still in the queue (the opening published at start,
            # before a reset) is not part of this one: drop from the front until they fit.
            while sentences and not state.reply.startswith(" ".join(sentences)):
                sentences.pop(0)
            if first is None and sentences:
                first = at
        first_s = None if (sent is None or first is None) else first - sent
        return Turn(sentences, state, first_s)
