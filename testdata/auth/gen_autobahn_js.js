#!/usr/bin/env node
// Writes vectors_autobahn_js.json: WAMP-CRA and WAMP-Cryptosign values
// computed by autobahn-js (the npm package installed in
// testdata/router/node_modules by `make router`), for the same inputs as
// gen_autobahn_py.py, so the two files can be compared too.
//
//   node testdata/auth/gen_autobahn_js.js > testdata/auth/vectors_autobahn_js.json
//
// Who computes what:
//   - wampcra: autobahn/lib/auth/cra.js derive_key and sign (over crypto-js).
//   - cryptosign: autobahn/lib/auth/cryptosign.js sign_challenge and
//     public_key (over tweetnacl), with key pairs from tweetnacl's
//     sign.keyPair.fromSeed. autobahn-js has no TLS channel binding, so the
//     cases with a channel id are left out.
// Node's crypto module only derives the fixed inputs (SHA-256 of labels).
'use strict'

const crypto = require('crypto')
const path = require('path')

const modules = path.join(__dirname, '..', 'router', 'node_modules')
// cryptosign.js pulls in autobahn's connection module, which warns about a
// circular require on stderr; stdout stays clean.
const cra = require(path.join(modules, 'autobahn', 'lib', 'auth', 'cra.js'))
const cs = require(path.join(modules, 'autobahn', 'lib', 'auth', 'cryptosign.js'))
const nacl = require(path.join(modules, 'tweetnacl'))
const autobahnVersion = require(path.join(modules, 'autobahn', 'package.json')).version

function det (label, n = 32) {
  let out = Buffer.alloc(0)
  for (let i = 0; out.length < n; i++) {
    const h = crypto.createHash('sha256').update(`wampgo-auth-vectors/${label}/${i}`).digest()
    out = Buffer.concat([out, h])
  }
  return out.subarray(0, n)
}

function craVectors () {
  const tpl = (nonce, session) => `{"nonce": "${nonce}", "authprovider": "userdb", "authid": "peter", ` +
    `"timestamp": "2014-06-22T16:36:25.448Z", "authrole": "user", "authmethod": "wampcra", "session": ${session}}`
  const cases = [
    ['secret1', null, null, null],
    ['p\u00e4ssw\u00f6rd \u2603', null, null, null],
    ['', null, null, null],
    ['secret1', 'salt123', 1000, 32],
    ['secret2', 'salt456', 100, 16],
    ['p\u00e4ssw\u00f6rd', 's\u00e4lt', 5000, 64]
  ]
  return cases.map(([secret, salt, iterations, keylen], i) => {
    const challenge = tpl(det(`cra-nonce-${i}`, 12).toString('base64'), 1000 + i)
    let key = secret
    let derived = null
    if (salt !== null) {
      derived = cra.derive_key(secret, salt, iterations, keylen)
      key = derived
    }
    return { secret, challenge, salt, iterations, keylen, derived_key: derived, signature: cra.sign(key, challenge) }
  })
}

function cryptosignVectors () {
  const out = []
  for (let i = 0; i < 6; i++) {
    if (i % 2) continue // channel binding: not in autobahn-js
    const seed = det(`cs-seed-${i}`)
    const challenge = i === 0 ? Buffer.alloc(32) : det(`cs-challenge-${i}`)
    const pkey = nacl.sign.keyPair.fromSeed(new Uint8Array(seed))
    out.push({
      seed: seed.toString('hex'),
      pubkey: cs.public_key(pkey),
      challenge: challenge.toString('hex'),
      channel_id: null,
      signature: cs.sign_challenge(pkey, { challenge: challenge.toString('hex') })
    })
  }
  return out
}

const doc = {
  generator: 'testdata/auth/gen_autobahn_js.js',
  implementations: { autobahn: autobahnVersion, node: process.version },
  wampcra: craVectors(),
  cryptosign: cryptosignVectors()
}
process.stdout.write(JSON.stringify(doc, null, 1) + '\n')
