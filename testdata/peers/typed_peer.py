#!/usr/bin/python3
"""typed_peer.py: an Autobahn|Python peer for wampgo's typed RPC interop tests.

Every line it writes to stdout is one JSON object; diagnostics go to stderr.

Usage:
  typed_peer.py URL REALM callee
      register the com.typed.py.* procedures below, print {"type":"ready"} and
      serve until stdin is closed or SIGTERM.
  typed_peer.py URL REALM caller CALLS
      CALLS is a JSON list of {"label", "procedure", "args", "kwargs"}; make
      each call as session.call(procedure, *args, **kwargs) and print
      {"type":"result","label",...,"value"} (a CallResult as "args" and
      "kwargs") or {"type":"error","label",...,"error","args","kwargs"};
      then print {"type":"done"} and leave.
  typed_peer.py URL REALM subscriber TOPIC N
      subscribe, print {"type":"ready"}, print N events as
      {"type":"event","args","kwargs"}, then leave.
  typed_peer.py URL REALM publisher TOPIC
      publish two readings with acknowledge, the two ways a Python developer
      would: publish(TOPIC, sensor="py", celsius=21.5) and
      publish(TOPIC, {"sensor": "py", "celsius": 22.5}); then leave.

Procedures, written as a Python developer would:
  com.typed.py.add(a, b)     -> {"total": a + b, "by": "py"}
  com.typed.py.half(x)       -> x / 2
  com.typed.py.greet(name)   -> "Hello, <name>!"
  com.typed.py.stats(values) -> CallResult(count=..., mean=...)  (as kwargs)

Exit status: 0 success, 2 usage or connection failure, 3 timeout.
"""
import asyncio
import json
import os
import signal
import sys

import txaio

txaio.use_asyncio()

from autobahn.asyncio.wamp import ApplicationRunner, ApplicationSession  # noqa: E402
from autobahn.wamp import message  # noqa: E402
from autobahn.wamp.exception import ApplicationError  # noqa: E402
from autobahn.wamp.serializer import JsonSerializer  # noqa: E402
from autobahn.wamp.types import CallResult, PublishOptions  # noqa: E402

TIMEOUT = 20.0

# fox-wamp forwards a YIELD or PUBLISH without kwargs as a RESULT or EVENT
# whose kwargs are null ([50, REQ, {}, ARGS, null], testdata/router/QUIRKS.md),
# which Autobahn|Python rejects as a protocol error, whoever the other peer
# is. Read a null kwargs (and then a null args) as absent, so that this peer
# can be a caller and a subscriber at all.
def _tolerate_null_payload(klass, args_at):
    parse = klass.parse

    def tolerant(wmsg):
        wmsg = list(wmsg)
        if len(wmsg) == args_at + 2 and wmsg[args_at + 1] is None:
            wmsg.pop()
        if len(wmsg) == args_at + 1 and wmsg[args_at] is None:
            wmsg.pop()
        return parse(wmsg)

    klass.parse = staticmethod(tolerant)


_tolerate_null_payload(message.Result, 3)
_tolerate_null_payload(message.Event, 4)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fatal(message, code=2):
    emit({"type": "fatal", "message": str(message)})
    sys.stdout.flush()
    os._exit(code)


class Peer(ApplicationSession):
    role = None
    calls = []
    topic = None
    want = 1

    async def onJoin(self, details):
        try:
            if self.role == "callee":
                await self.serve(details)
            elif self.role == "subscriber":
                await self.subscribe_events(details)
            elif self.role == "publisher":
                opts = PublishOptions(acknowledge=True)
                await self.publish(self.topic, sensor="py", celsius=21.5, options=opts)
                await self.publish(self.topic, {"sensor": "py", "celsius": 22.5}, options=opts)
                emit({"type": "done"})
                self.leave()
            else:
                await self.make_calls()
                emit({"type": "done"})
                self.leave()
        except Exception as e:  # report, never hang
            fatal("%s: %s" % (type(e).__name__, e))

    async def serve(self, details):
        def add(a, b):
            return {"total": a + b, "by": "py"}

        def half(x):
            return x / 2

        def greet(name):
            return "Hello, %s!" % name

        def stats(values):
            return CallResult(count=len(values), mean=sum(values) / len(values))

        for fn, name in ((add, "add"), (half, "half"), (greet, "greet"), (stats, "stats")):
            await self.register(fn, "com.typed.py." + name)
        emit({"type": "ready", "role": "callee", "session": details.session})
        loop = asyncio.get_event_loop()

        def on_stdin():
            if not os.read(sys.stdin.fileno(), 4096):
                loop.remove_reader(sys.stdin.fileno())
                self.leave()

        loop.add_reader(sys.stdin.fileno(), on_stdin)

    async def subscribe_events(self, details):
        seen = []

        def on_event(*args, **kwargs):
            emit({"type": "event", "args": list(args), "kwargs": kwargs})
            seen.append(1)
            if len(seen) == self.want:
                emit({"type": "done"})
                self.leave()

        await self.subscribe(on_event, self.topic)
        emit({"type": "ready", "role": "subscriber", "session": details.session})

    async def make_calls(self):
        for c in self.calls:
            label = c.get("label", c["procedure"])
            try:
                res = await self.call(c["procedure"], *c.get("args", []), **c.get("kwargs", {}))
            except ApplicationError as e:
                emit({"type": "error", "label": label, "error": e.error,
                      "args": list(e.args), "kwargs": e.kwargs or {}})
                continue
            if isinstance(res, CallResult):
                emit({"type": "result", "label": label, "args": list(res.results),
                      "kwargs": res.kwresults})
            else:
                emit({"type": "result", "label": label, "value": res})

    def onLeave(self, details):
        self.disconnect()

    def onDisconnect(self):
        asyncio.get_event_loop().stop()


def main():
    roles = ("callee", "caller", "subscriber", "publisher")
    if len(sys.argv) < 4 or sys.argv[3] not in roles:
        fatal("usage: typed_peer.py URL REALM callee | caller CALLS | subscriber TOPIC N | publisher TOPIC")
    url, realm, role = sys.argv[1:4]
    Peer.role = role
    if role == "caller":
        if len(sys.argv) != 5:
            fatal("caller needs CALLS")
        Peer.calls = json.loads(sys.argv[4])
    if role in ("subscriber", "publisher"):
        if len(sys.argv) < 5:
            fatal(role + " needs TOPIC")
        Peer.topic = sys.argv[4]
        Peer.want = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    txaio.start_logging(out=sys.stderr, level="warn")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if role in ("caller", "publisher"):
        loop.call_later(TIMEOUT, fatal, "timeout after %s s" % TIMEOUT, 3)
    loop.add_signal_handler(signal.SIGTERM, lambda: os._exit(0))
    runner = ApplicationRunner(url, realm, serializers=[JsonSerializer()])
    try:
        runner.run(Peer, log_level="warn")  # logging already goes to stderr
    except Exception as e:
        fatal("could not connect to %s: %s" % (url, e))
    sys.exit(0)


if __name__ == "__main__":
    main()
