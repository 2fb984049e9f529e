// auth.js: opt-in authentication for the test router (server.js), the
// router's side of WAMP ticket, WAMP-CRA, WAMP-Cryptosign and WAMP-SCRAM as
// the WAMP spec describes them. fox-wamp itself only ships hooks (an auth
// handler object with getAuthMethods, <method>_extra and <method>_auth,
// see node_modules/fox-wamp/lib/wamp/gate.js); the checks are ours.
//
// Enabled by server.js when $WAMPGO_ROUTER_AUTH holds a JSON config:
//
//   {
//     "ticket":     {"<authid>": {"ticket": "...", "role": "user"}},
//     "wampcra":    {"<authid>": {"secret": "...", "role": "user",
//                                 "salt": "...", "iterations": 1000, "keylen": 32}},
//     "cryptosign": {"<pubkey hex>": {"authid": "...", "role": "device"}},
//     "wamp-scram": {"<authid>": {"kdf": "pbkdf2", "salt": "<base64>",
//                                 "iterations": 4096, "stored_key": "<base64>",
//                                 "server_key": "<base64>", "role": "user"}}
//   }
//
// ("salt", "iterations" and "keylen" of wampcra are optional: salted
// secrets. WAMP-SCRAM supports the pbkdf2 KDF only: Node 20 has no Argon2.)
// The router prefers the methods in the order wamp-scram, cryptosign,
// wampcra, ticket, among those configured and offered by the client
// (fox-wamp picks the first of its own list that the client offers).
//
// On success WELCOME carries authid, authrole, authmethod and
// authprovider "wampgo-test" (and, for WAMP-SCRAM, authextra.verifier); on
// failure fox-wamp sends ABORT wamp.error.authentication_failed (no
// method in common, or an unknown authid at the CHALLENGE step:
// wamp.error.no_auth_method).
'use strict'

const crypto = require('crypto')
const path = require('path')

const PREFERENCE = ['wamp-scram', 'cryptosign', 'wampcra', 'ticket']
const PROVIDER = 'wampgo-test'

// Keys of per-session state kept on the HELLO details object, which fox-wamp
// hands to both hooks of a method.
const STATE = Symbol('wampgo-auth-state')

function equalStrings (a, b) {
  const x = Buffer.from(String(a))
  const y = Buffer.from(String(b))
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

function hmac (key, msg) {
  return crypto.createHmac('sha256', key).update(msg).digest()
}

// Ed25519 public key (32 raw bytes) as a KeyObject: SubjectPublicKeyInfo
// prefix for id-Ed25519, then the key.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

function ed25519Key (raw) {
  return crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
}

function welcome (authid, role, extra) {
  const w = { authid, authrole: role || 'user', authprovider: PROVIDER }
  if (extra) w.authextra = extra
  return { welcome: w }
}

function makeHandler (cfg) {
  const h = {
    getAuthMethods: () => PREFERENCE.filter((m) => cfg[m])
  }

  h.ticket_auth = (realm, details, signature, extra, cb) => {
    const user = cfg.ticket[details.authid]
    if (!user || !equalStrings(signature, user.ticket)) return cb(new Error('bad ticket'))
    cb(null, welcome(details.authid, user.role))
  }

  h.wampcra_extra = (realm, details, cb) => {
    const user = cfg.wampcra[details.authid]
    if (!user) return cb(new Error('unknown authid'))
    const challenge = JSON.stringify({
      nonce: crypto.randomBytes(16).toString('base64'),
      authprovider: PROVIDER,
      authid: details.authid,
      timestamp: new Date().toISOString(),
      authrole: user.role || 'user',
      authmethod: 'wampcra',
      session: crypto.randomInt(1, 2 ** 48)
    })
    details[STATE] = { challenge }
    const extra = { challenge }
    if (user.salt !== undefined) {
      extra.salt = user.salt
      extra.iterations = user.iterations
      extra.keylen = user.keylen
    }
    cb(null, extra)
  }

  h.wampcra_auth = (realm, details, signature, extra, cb) => {
    const user = cfg.wampcra[details.authid]
    const st = details[STATE]
    if (!user || !st) return cb(new Error('no challenge'))
    let key = user.secret
    if (user.salt !== undefined) {
      key = crypto.pbkdf2Sync(user.secret, user.salt, user.iterations, user.keylen, 'sha256').toString('base64')
    }
    const want = hmac(key, st.challenge).toString('base64')
    if (!equalStrings(signature, want)) return cb(new Error('bad signature'))
    cb(null, welcome(details.authid, user.role))
  }

  h.cryptosign_extra = (realm, details, cb) => {
    const pubkey = details.authextra && details.authextra.pubkey
    const user = typeof pubkey === 'string' && cfg.cryptosign[pubkey.toLowerCase()]
    if (!user) return cb(new Error('unknown public key'))
    const challenge = crypto.randomBytes(32)
    details[STATE] = { challenge, pubkey: Buffer.from(pubkey, 'hex'), user }
    cb(null, { challenge: challenge.toString('hex'), channel_binding: null })
  }

  h.cryptosign_auth = (realm, details, signature, extra, cb) => {
    const st = details[STATE]
    if (!st || typeof signature !== 'string' || !/^[0-9a-fA-F]{192}$/.test(signature)) return cb(new Error('bad signature'))
    const raw = Buffer.from(signature, 'hex')
    const sig = raw.subarray(0, 64)
    const msg = raw.subarray(64)
    if (!msg.equals(st.challenge) || !crypto.verify(null, msg, ed25519Key(st.pubkey), sig)) {
      return cb(new Error('bad signature'))
    }
    cb(null, welcome(st.user.authid || st.pubkey.toString('hex'), st.user.role))
  }

  h['wamp-scram_extra'] = (realm, details, cb) => {
    const user = cfg['wamp-scram'][details.authid]
    const cnonce = details.authextra && details.authextra.nonce
    if (!user || typeof cnonce !== 'string' || user.kdf !== 'pbkdf2') return cb(new Error('cannot challenge'))
    const nonce = cnonce + crypto.randomBytes(16).toString('base64')
    const escaped = details.authid.replace(/=/g, '=3D').replace(/,/g, '=2C')
    const first = `n=${escaped},r=${cnonce},r=${nonce},s=${user.salt},i=${user.iterations}`
    details[STATE] = { nonce, first, user }
    cb(null, { nonce, salt: user.salt, kdf: user.kdf, iterations: user.iterations, memory: null })
  }

  h['wamp-scram_auth'] = (realm, details, signature, extra, cb) => {
    const st = details[STATE]
    if (!st || !extra || extra.nonce !== st.nonce || extra.channel_binding != null) return cb(new Error('bad exchange'))
    const authMessage = `${st.first},c=${Buffer.from('n,,').toString('base64')},r=${st.nonce}`
    const storedKey = Buffer.from(st.user.stored_key, 'base64')
    const proof = Buffer.from(String(signature), 'base64')
    if (proof.length !== 32) return cb(new Error('bad proof'))
    const clientSig = hmac(storedKey, authMessage)
    const clientKey = Buffer.alloc(32)
    for (let i = 0; i < 32; i++) clientKey[i] = clientSig[i] ^ proof[i]
    const recovered = crypto.createHash('sha256').update(clientKey).digest()
    if (!crypto.timingSafeEqual(recovered, storedKey)) return cb(new Error('bad proof'))
    const verifier = hmac(Buffer.from(st.user.server_key, 'base64'), authMessage).toString('base64')
    cb(null, welcome(details.authid, st.user.role, { verifier }))
  }

  return h
}

// install makes fox-wamp's WELCOME carry what our hooks returned in
// userDetails.welcome (fox-wamp itself sends only authid and authmethod).
function install (modulesDir) {
  const { WampGate } = require(path.join(modulesDir, 'fox-wamp', 'lib', 'wamp', 'gate'))
  const sendWelcome = WampGate.prototype.sendWelcome
  WampGate.prototype.sendWelcome = function (ctx, sessionId, details) {
    const session = ctx.getSession && ctx.getSession()
    const ud = session && session.getUserDetails && session.getUserDetails()
    if (ud && ud.welcome) Object.assign(details, ud.welcome)
    return sendWelcome.call(this, ctx, sessionId, details)
  }
}

// fromEnv parses the JSON config and returns fox-wamp's auth handler.
function fromEnv (json, modulesDir) {
  const cfg = JSON.parse(json)
  for (const m of Object.keys(cfg)) {
    if (!PREFERENCE.includes(m)) throw new Error(`auth.js: unknown method ${m}`)
  }
  install(modulesDir)
  return makeHandler(cfg)
}

exports.fromEnv = fromEnv
