#!/usr/bin/python3
"""Writes vectors_autobahn_py.json: WAMP-CRA, WAMP-Cryptosign and WAMP-SCRAM
values computed by implementations independent of wampgo, for the same
inputs wampgo's tests feed to its own code.

Run with Debian's python3 and packages (what .ci/run installs):
    apt-get install -y python3-autobahn python3-argon2
    /usr/bin/python3 testdata/auth/gen_autobahn_py.py > testdata/auth/vectors_autobahn_py.json

Who computes what:
  - wampcra: autobahn.wamp.auth.derive_key and compute_wcs (Autobahn|Python).
  - cryptosign: autobahn.wamp.cryptosign.CryptosignKey (Autobahn|Python over
    PyNaCl/libsodium), with and without a tls-unique channel id; key files
    read by autobahn (raw seed, Crossbar key file, OpenSSH) and by
    python3-cryptography (PKCS#8 PEM).
  - wamp-scram: Autobahn|Python 22.7 only has a pre-spec prototype ("scram",
    different AuthMessage), so it is not used. SaltedPassword comes from
    argon2-cffi (libargon2, the reference implementation) and
    hashlib.pbkdf2_hmac (OpenSSL); the SCRAM algebra below is RFC 5802 as the
    WAMP-SCRAM spec lays it out, and is checked first against the
    SCRAM-SHA-256 test vector of RFC 7677 section 3.

Inputs are fixed (derived from labels with SHA-256), so the output is
reproducible byte for byte.
"""
import base64
import hashlib
import hmac
import json
import os
import sys

import autobahn
from autobahn.wamp import auth as ab_auth
from autobahn.wamp import cryptosign as ab_cs
from autobahn.wamp.types import Challenge
import argon2
from argon2.low_level import Type, hash_secret_raw
import asyncio
import txaio

txaio.use_asyncio()
LOOP = asyncio.new_event_loop()
asyncio.set_event_loop(LOOP)
txaio.config.loop = LOOP

HERE = os.path.dirname(os.path.abspath(__file__))


def det(label, n=32):
    """n fixed pseudo-random bytes for label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(("wampgo-auth-vectors/%s/%d" % (label, i)).encode()).digest()
        i += 1
    return out[:n]


def b64(b):
    return base64.b64encode(b).decode("ascii")


# --- WAMP-CRA -------------------------------------------------------------

def cra_vectors():
    challenge_tpl = ('{"nonce": "%s", "authprovider": "userdb", "authid": "peter", '
                     '"timestamp": "2014-06-22T16:36:25.448Z", "authrole": "user", '
                     '"authmethod": "wampcra", "session": %d}')
    cases = [
        ("secret1", None, None, None),
        ("p\u00e4ssw\u00f6rd \u2603", None, None, None),
        ("", None, None, None),
        ("secret1", "salt123", 1000, 32),
        ("secret2", "salt456", 100, 16),
        ("p\u00e4ssw\u00f6rd", "s\u00e4lt", 5000, 64),
    ]
    out = []
    for i, (secret, salt, iterations, keylen) in enumerate(cases):
        nonce = b64(det("cra-nonce-%d" % i, 12))
        challenge = challenge_tpl % (nonce, 1000 + i)
        key = secret.encode("utf8")
        derived = None
        if salt is not None:
            key = ab_auth.derive_key(key, salt, iterations, keylen)
            derived = key.decode("ascii")
        sig = ab_auth.compute_wcs(key, challenge.encode("utf8")).decode("ascii")
        out.append({"secret": secret, "challenge": challenge, "salt": salt,
                    "iterations": iterations, "keylen": keylen,
                    "derived_key": derived, "signature": sig})
    return out


# --- WAMP-Cryptosign ------------------------------------------------------

def sign(key, challenge_hex, channel_id):
    ch = Challenge("cryptosign", {"challenge": challenge_hex})
    f = key.sign_challenge(ch, channel_id=channel_id,
                           channel_id_type="tls-unique" if channel_id else None)
    return LOOP.run_until_complete(f)


def cryptosign_vectors():
    out = []
    for i in range(6):
        seed = det("cs-seed-%d" % i)
        challenge = det("cs-challenge-%d" % i)
        if i == 0:
            challenge = b"\x00" * 32
        channel_id = det("cs-channel-%d" % i) if i % 2 else None
        key = ab_cs.CryptosignKey.from_bytes(seed)
        out.append({"seed": seed.hex(), "pubkey": key.public_key(binary=False),
                    "challenge": challenge.hex(),
                    "channel_id": channel_id.hex() if channel_id else None,
                    "signature": sign(key, challenge.hex(), channel_id)})
    return out


def keyfile_vectors():
    from cryptography.hazmat.primitives import serialization
    out = []
    k = ab_cs.CryptosignKey.from_ssh_file(os.path.join(HERE, "keys", "openssh_ed25519"))
    out.append({"file": "keys/openssh_ed25519", "pubkey": k.public_key(binary=False)})
    with open(os.path.join(HERE, "keys", "pkcs8_ed25519.pem"), "rb") as f:
        pk = serialization.load_pem_private_key(f.read(), password=None)
    pub = pk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    out.append({"file": "keys/pkcs8_ed25519.pem", "pubkey": pub.hex()})
    k = ab_cs.CryptosignKey.from_file(os.path.join(HERE, "keys", "raw_seed.bin"))
    out.append({"file": "keys/raw_seed.bin", "pubkey": k.public_key(binary=False)})
    k = ab_cs.CryptosignKey.from_keyfile(os.path.join(HERE, "keys", "crossbar.priv"))
    out.append({"file": "keys/crossbar.priv", "pubkey": k.public_key(binary=False)})
    with open(os.path.join(HERE, "keys", "hex_seed.txt")) as f:
        k = ab_cs.CryptosignKey.from_bytes(bytes.fromhex(f.read().strip()))
    out.append({"file": "keys/hex_seed.txt", "pubkey": k.public_key(binary=False)})
    return out


# --- WAMP-SCRAM -----------------------------------------------------------

def scram(password, authid, client_nonce, server_nonce, salt_b64, kdf, iterations, memory,
          cb_name=None, cb_data=None):
    salt = base64.b64decode(salt_b64)
    if kdf == "pbkdf2":
        salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf8"), salt, iterations, 32)
    elif kdf == "argon2id13":
        salted = hash_secret_raw(password.encode("utf8"), salt, time_cost=iterations,
                                 memory_cost=memory, parallelism=1, hash_len=32,
                                 type=Type.ID, version=19)
    else:
        raise ValueError(kdf)
    escaped = authid.replace("=", "=3D").replace(",", "=2C")
    cbind_input = b"n,," if cb_name is None else b"p=" + cb_name.encode() + b",," + cb_data
    auth_message = ("n=%s,r=%s,r=%s,s=%s,i=%d,c=%s,r=%s" % (
        escaped, client_nonce, server_nonce, salt_b64, iterations,
        b64(cbind_input), server_nonce))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    client_sig = hmac.new(stored_key, auth_message.encode("utf8"), hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, client_sig))
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    server_sig = hmac.new(server_key, auth_message.encode("utf8"), hashlib.sha256).digest()
    return {"authid": authid, "password": password, "client_nonce": client_nonce,
            "server_nonce": server_nonce, "salt": salt_b64, "kdf": kdf,
            "iterations": iterations, "memory": memory,
            "channel_binding": cb_name, "cbind_data": b64(cb_data) if cb_data is not None else None,
            "auth_message": auth_message, "salted_password": b64(salted),
            "client_proof": b64(proof), "server_signature": b64(server_sig)}


def check_rfc7677():
    v = scram("pencil", "user", "rOprNGfwEbeRWgbNEkqO",
              "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
              "W22ZaJ0SNY7soEsUEjb6gQ==", "pbkdf2", 4096, None)
    assert v["client_proof"] == "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", v
    assert v["server_signature"] == "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", v


def scram_vectors():
    out = []
    cases = [
        ("pencil", "user", "pbkdf2", 4096, None, None),
        ("correct horse battery staple", "joe,admin=1", "pbkdf2", 5000, None, None),
        ("pencil", "user", "argon2id13", 3, 1024, None),
        ("s3cr\u00e9t", "alice", "argon2id13", 2, 4096, None),
        ("pencil", "user", "pbkdf2", 4096, None, "tls-unique"),
        ("pencil", "bob", "argon2id13", 1, 2048, "tls-exporter"),
    ]
    for i, (password, authid, kdf, iterations, memory, cb) in enumerate(cases):
        client_nonce = b64(det("scram-cnonce-%d" % i, 16))
        server_nonce = client_nonce + b64(det("scram-snonce-%d" % i, 16))
        salt = b64(det("scram-salt-%d" % i, 16))
        cb_data = None
        if cb == "tls-unique":
            cb_data = det("scram-cb-%d" % i, 12)
        elif cb == "tls-exporter":
            cb_data = det("scram-cb-%d" % i, 32)
        out.append(scram(password, authid, client_nonce, server_nonce, salt, kdf,
                         iterations, memory, cb, cb_data))
    return out


def write_key_fixtures():
    keys = os.path.join(HERE, "keys")
    seed = det("keyfile-raw")
    with open(os.path.join(keys, "raw_seed.bin"), "wb") as f:
        f.write(seed)
    with open(os.path.join(keys, "hex_seed.txt"), "w") as f:
        f.write(det("keyfile-hex").hex() + "\n")
    cb = ab_cs.CryptosignKey.from_bytes(det("keyfile-crossbar"))
    with open(os.path.join(keys, "crossbar.priv"), "w") as f:
        f.write("Crossbar-style key file for wampgo's tests (not a real key).\n\n"
                "creator: wampgo-tests\n"
                "public-key-ed25519: %s\n"
                "private-key-ed25519: %s\n" % (cb.public_key(binary=False), det("keyfile-crossbar").hex()))


def main():
    check_rfc7677()
    if "--write-key-fixtures" in sys.argv:
        write_key_fixtures()
    doc = {
        "generator": "testdata/auth/gen_autobahn_py.py",
        "implementations": {
            "autobahn": autobahn.__version__,
            "argon2-cffi": argon2.__version__,
            "python": sys.version.split()[0],
        },
        "wampcra": cra_vectors(),
        "cryptosign": cryptosign_vectors(),
        "keyfiles": keyfile_vectors(),
        "scram": scram_vectors(),
    }
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
