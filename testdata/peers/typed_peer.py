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
from autobahn.wamp.types import CallResult  # noqa: E402

TIMEOUT = 20.0

# fox-wamp forwards a YIELD without kwargs as a RESULT whose kwargs are null
# ([50, REQ, {}, ARGS, null], testdata/router/QUIRKS.md), which Autobahn|Python
# rejects as a protocol error, whoever the callee is. Read a null kwargs (and
# a null args) in RESULT as absent, so that this peer can be a caller at all.
_parse_result = message.Result.parse


def _parse_result_tolerant(wmsg):
    wmsg = list(wmsg)
    if len(wmsg) == 5 and wmsg[4] is None:
        wmsg.pop()
    if len(wmsg) == 4 and wmsg[3] is None:
        wmsg.pop()
    return _parse_result(wmsg)


message.Result.parse = staticmethod(_parse_result_tolerant)


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

    async def onJoin(self, details):
        try:
            if self.role == "callee":
                await self.serve(details)
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
    if len(sys.argv) < 4 or sys.argv[3] not in ("callee", "caller"):
        fatal("usage: typed_peer.py URL REALM callee | caller CALLS")
    url, realm, role = sys.argv[1:4]
    Peer.role = role
    if role == "caller":
        if len(sys.argv) != 5:
            fatal("caller needs CALLS")
        Peer.calls = json.loads(sys.argv[4])
    txaio.start_logging(out=sys.stderr, level="warn")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if role == "caller":
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
