#!/usr/bin/python3
"""encodings.py: the bytes Autobahn|Python's MessagePack and JSON serializers
put on the wire for everyday Python values, for wampgo's codec corpus
(codec/testdata/peer_encodings_py.json, checked by
codec/peer_corpus_test.go). The Python twin of encodings.js.

Usage: /usr/bin/python3 encodings.py > ../../codec/testdata/peer_encodings_py.json

Autobahn packs with the msgpack package (use_bin_type=True), or with
umsgpack when AUTOBAHN_USE_UMSGPACK is set (and on PyPy); this script runs
itself once more with that variable to cover both. Each value travels as
the only argument of a PUBLISH that autobahn.wamp.message.Publish builds and
MsgPackSerializer serializes. A value the serializer cannot pack (both
refuse datetime, the msgpack package refuses integers beyond 64 bits) is
listed with its error and no bytes: it never reaches the wire. Python's
CBOR serializer needs cbor2, which Debian's python3-autobahn does not pull
in, so it is not covered.

JsonSerializer runs on Python's json module, which writes NaN and the
infinities as the bare words NaN, Infinity and -Infinity.

The output is deterministic: a change means a library or this file changed.
"""

import datetime
import json
import os
import subprocess
import sys

import txaio

txaio.use_asyncio()

from autobahn.wamp import message, serializer  # noqa: E402

UMSGPACK = "AUTOBAHN_USE_UMSGPACK" in os.environ


def values():
    """[name, description, value]: the name keys the value the Go test
    expects."""
    out = [
        ["null", "None", None],
        ["true", "True", True],
        ["false", "False", False],
        ["int-small", "[1, -1, 127, 128, -32, -33, 255, 256, -129]", [1, -1, 127, 128, -32, -33, 255, 256, -129]],
        ["py-int-64", "[2**32, -2**31 - 1, 2**53 + 1, 2**63 - 1, -2**63, 2**64 - 1]",
         [2**32, -2**31 - 1, 2**53 + 1, 2**63 - 1, -2**63, 2**64 - 1]],
        ["py-int-2-pow-64", "2**64", 2**64],
        ["float", "1.5", 1.5],
        ["float-tenth", "0.1", 0.1],
        ["nan", "float('nan')", float("nan")],
        ["infinity", "float('inf')", float("inf")],
        ["negative-zero", "-0.0", -0.0],
        ["py-bytes", "b'\\x00\\x01\\xff'", b"\x00\x01\xff"],
        ["py-bytes-empty", "b''", b""],
        ["py-bytearray", "bytearray(b'ab')", bytearray(b"ab")],
        ["py-tuple", "(1, 'a')", (1, "a")],
        ["string-bmp", "'héllo wörld ✓'", "héllo wörld ✓"],
        ["string-astral", "'\\U0001F600\\U0001D11E'", "\U0001F600\U0001D11E"],
        ["string-nul-led", "'\\x00abc'", "\x00abc"],
        ["string-lone-surrogate", "'\\ud800' (a lone surrogate)", "\ud800"],
        ["nested", "{'a': {'b': [1, {'c': None}], 'd': []}, 'e': 'f'}", {"a": {"b": [1, {"c": None}], "d": []}, "e": "f"}],
        ["object-empty", "{}", {}],
        ["array-empty", "[]", []],
        ["py-int-keys", "{1: 'one'}", {1: "one"}],
        ["py-datetime-utc", "datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=timezone.utc)",
         datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc)],
        ["py-datetime-naive", "datetime(2023, 11, 14, 22, 13, 20)", datetime.datetime(2023, 11, 14, 22, 13, 20)],
    ]
    if UMSGPACK:
        import umsgpack
        out.append(["py-ext", "umsgpack.Ext(42, b'xy')", umsgpack.Ext(42, b"xy")])
    else:
        import msgpack
        out += [
            ["py-ext", "msgpack.ExtType(42, b'xy')", msgpack.ExtType(42, b"xy")],
            ["py-timestamp-32", "msgpack.Timestamp(1700000000)", msgpack.Timestamp(1700000000)],
            ["py-timestamp-64", "msgpack.Timestamp.from_datetime(datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=timezone.utc))",
             msgpack.Timestamp.from_datetime(datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc))],
            ["py-timestamp-96", "msgpack.Timestamp(-1, 999000000)", msgpack.Timestamp(-1, 999000000)],
            ["py-timestamp-year-10000", "msgpack.Timestamp(253402300800, 1)", msgpack.Timestamp(253402300800, 1)],
        ]
    return out


def samples():
    if UMSGPACK:
        import umsgpack
        library = "umsgpack " + ".".join(map(str, umsgpack.version))
    else:
        import msgpack
        library = "msgpack " + ".".join(map(str, msgpack.version))
    import autobahn
    peer = "Autobahn|Python " + autobahn.__version__
    sers = [("msgpack", library, serializer.MsgPackSerializer())]
    if not UMSGPACK:
        # Python's json module (allow_nan: NaN and Infinity as bare words).
        sers.append(("json", "json (Python standard library)", serializer.JsonSerializer()))
    out = []
    for codec, lib, ser in sers:
        for name, description, value in values():
            sample = {"peer": peer, "codec": codec, "library": lib, "name": name,
                      "description": "Publish(1, 'com.peer.values', args=[" + description + "])"}
            try:
                data, _ = ser.serialize(message.Publish(1, "com.peer.values", args=[value]))
                sample["hex"] = data.hex()
            except Exception as e:  # noqa: BLE001: the error is the sample
                sample["peer_error"] = type(e).__name__ + ": " + str(e).split("\n")[0]
            out.append(sample)
    return out


def main():
    if UMSGPACK:
        json.dump(samples(), sys.stdout)
        return
    env = dict(os.environ, AUTOBAHN_USE_UMSGPACK="1")
    other = subprocess.run([sys.executable, os.path.abspath(__file__)], env=env, check=True,
                           stdout=subprocess.PIPE).stdout
    out = samples() + json.loads(other)
    sys.stdout.write(json.dumps({"generator": "testdata/peers/encodings.py", "samples": out},
                                indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
