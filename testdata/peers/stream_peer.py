#!/usr/bin/python3
"""stream_peer.py: an Autobahn|Python peer for wampgo's byte-stream interop tests.

Every line it writes to stdout is one JSON object; diagnostics go to stderr.
Stream bytes are pattern(n): byte i is (i * 31 + 7) % 256.

Usage:
  stream_peer.py URL REALM callee
      register com.stream.py.download(n) and com.stream.py.upload(data), print
      {"type":"ready"} and serve until stdin is closed or SIGTERM.
        download(n): sends pattern(n) but its last 1000 bytes as progressive
          results, one bytes argument per 64 KiB chunk (details.progress),
          and returns the last 1000 bytes (the final chunk);
        upload(data): returns {"bytes": len(data), "sha256": hex digest}.
  stream_peer.py URL REALM download PROCEDURE N
      call PROCEDURE(N) with on_progress, joining the bytes of each progressive
      result and of the final one when it is bytes; print
      {"type":"result","bytes","sha256","chunks"} and leave.
  stream_peer.py URL REALM upload PROCEDURE N
      call PROCEDURE(pattern(N)), a plain call (Autobahn|Python has no
      progressive call invocations), print {"type":"result","value"} and leave.

Exit status: 0 success, 2 usage or connection failure, 3 timeout.
"""
import asyncio
import hashlib
import json
import os
import signal
import sys

import txaio

txaio.use_asyncio()

from autobahn.asyncio.wamp import ApplicationRunner, ApplicationSession  # noqa: E402
from autobahn.wamp import message  # noqa: E402
from autobahn.wamp.serializer import JsonSerializer  # noqa: E402
from autobahn.wamp.types import CallOptions, RegisterOptions  # noqa: E402

TIMEOUT = 30.0
CHUNK = 64 * 1024


# fox-wamp sends RESULT kwargs as null (testdata/router/QUIRKS.md); read it
# as absent, as typed_peer.py does.
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


def pattern(n):
    return bytes((i * 31 + 7) % 256 for i in range(n))


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fatal(msg, code=2):
    emit({"type": "fatal", "message": str(msg)})
    sys.stdout.flush()
    os._exit(code)


class Peer(ApplicationSession):
    role = None
    procedure = None
    n = 0

    async def onJoin(self, details):
        try:
            if self.role == "callee":
                await self.serve(details)
            elif self.role == "download":
                await self.download()
                self.leave()
            else:
                res = await self.call(self.procedure, pattern(self.n))
                emit({"type": "result", "value": res})
                self.leave()
        except Exception as e:  # report, never hang
            fatal("%s: %s" % (type(e).__name__, e))

    async def serve(self, details):
        def download(n, details=None):
            data = pattern(n)
            last = min(1000, n)
            body = data[:n - last]
            if details is not None and details.progress:
                for i in range(0, len(body), CHUNK):
                    details.progress(body[i:i + CHUNK])
            return data[n - last:]

        def upload(data):
            return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}

        await self.register(download, "com.stream.py.download", options=RegisterOptions(details_arg="details"))
        await self.register(upload, "com.stream.py.upload")
        emit({"type": "ready", "role": "callee", "session": details.session})
        loop = asyncio.get_event_loop()

        def on_stdin():
            if not os.read(sys.stdin.fileno(), 4096):
                loop.remove_reader(sys.stdin.fileno())
                self.leave()

        loop.add_reader(sys.stdin.fileno(), on_stdin)

    async def download(self):
        h, got = hashlib.sha256(), {"bytes": 0, "chunks": 0}

        def on_progress(chunk=None, *rest, **kw):
            if not isinstance(chunk, bytes):
                fatal("progressive result is not bytes: %r" % (type(chunk),))
            h.update(chunk)
            got["bytes"] += len(chunk)
            got["chunks"] += 1

        res = await self.call(self.procedure, self.n, options=CallOptions(on_progress=on_progress))
        if isinstance(res, bytes):
            h.update(res)
            got["bytes"] += len(res)
        emit({"type": "result", "bytes": got["bytes"], "chunks": got["chunks"], "sha256": h.hexdigest()})

    def onLeave(self, details):
        self.disconnect()

    def onDisconnect(self):
        asyncio.get_event_loop().stop()


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in ("callee", "download", "upload"):
        fatal("usage: stream_peer.py URL REALM callee | download PROCEDURE N | upload PROCEDURE N")
    url, realm, role = sys.argv[1:4]
    Peer.role = role
    if role != "callee":
        if len(sys.argv) != 6:
            fatal(role + " needs PROCEDURE N")
        Peer.procedure, Peer.n = sys.argv[4], int(sys.argv[5])
    txaio.start_logging(out=sys.stderr, level="warn")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if role != "callee":
        loop.call_later(TIMEOUT, fatal, "timeout after %s s" % TIMEOUT, 3)
    loop.add_signal_handler(signal.SIGTERM, lambda: os._exit(0))
    runner = ApplicationRunner(url, realm, serializers=[JsonSerializer()])
    try:
        runner.run(Peer, log_level="warn")
    except Exception as e:
        fatal("could not connect to %s: %s" % (url, e))
    sys.exit(0)


if __name__ == "__main__":
    main()
