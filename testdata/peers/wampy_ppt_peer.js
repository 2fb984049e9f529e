#!/usr/bin/env node
// wampy_ppt_peer.js: wampy as a peer in payload passthru mode
// (advanced/payload_passthru_mode.md), for wampgo's interop tests.
//
//   node wampy_ppt_peer.js URL REALM SESSION caller PROCEDURE SCHEME SERIALIZER
//       calls PROCEDURE with args ["hello", 2, {"deep": [true]}] and
//       kwargs {"k": "v"} in passthru mode; prints the result, or the error
//   node wampy_ppt_peer.js URL REALM SESSION callee SCHEME SERIALIZER
//       registers com.peer.ppt_echo, which answers with the arguments it
//       got, in passthru mode with the invocation's scheme and serializer
//
// SESSION is the session serializer: json, msgpack or cbor. SERIALIZER
// (ppt_serializer) may be any of them too: wampy packs {args, kwargs} with
// it. wampy's json serializer reads text only, so a json payload it gets
// as binary (the spec's form, in any session) fails to decode there.
//
// Output: one JSON object per line (type ready, invocation, result, error,
// fatal). Exit status: 0 success, 1 a WAMP error, 2 usage or connection
// failure, 3 timeout.
'use strict'

const path = require('path')

const MODULES = path.join(__dirname, '..', 'router', 'node_modules')
const WebSocket = require(path.join(MODULES, 'ws'))
const { Wampy } = require(path.join(MODULES, 'wampy'))
const SERIALIZERS = path.join(MODULES, 'wampy', 'dist', 'cjs', 'serializers')
const { JsonSerializer } = require(path.join(SERIALIZERS, 'json-serializer.cjs'))
const { MsgpackSerializer } = require(path.join(SERIALIZERS, 'msgpack-serializer.cjs'))
const { CborSerializer } = require(path.join(SERIALIZERS, 'cbor-serializer.cjs'))
const serializers = { json: new JsonSerializer(), msgpack: new MsgpackSerializer(), cbor: new CborSerializer() }

// emit prints obj as one JSON line; BigInts (msgpackr's 64-bit integers)
// become numbers when exact, else strings.
function emit (obj) {
  const big = (_, v) => typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v
  process.stdout.write(JSON.stringify(obj, big) + '\n')
}

let wampy = null
let exiting = false

function finish (code) {
  if (exiting) return
  exiting = true
  process.exitCode = code
  const done = () => process.exit(code)
  setTimeout(done, 500).unref()
  if (wampy) {
    wampy.disconnect().then(done, done)
  } else {
    setImmediate(done)
  }
}

function fatal (message, code) {
  emit({ type: 'fatal', message: String(message) })
  finish(code === undefined ? 2 : code)
}

const roles = {
  async caller ([procedure, scheme, serializer]) {
    const payload = { argsList: ['hello', 2, { deep: [true] }], argsDict: { k: 'v' } }
    try {
      const res = await wampy.call(procedure, payload, { ppt_scheme: scheme, ppt_serializer: serializer })
      emit({ type: 'result', args: res.argsList, kwargs: res.argsDict, details: res.details })
      finish(0)
    } catch (e) {
      emit({ type: 'error', error: e && e.errorUri ? e.errorUri : String(e && e.message ? e.message : e), args: e && e.argsList })
      finish(1)
    }
  },

  async callee ([scheme, serializer]) {
    await wampy.register('com.peer.ppt_echo', ({ argsList, argsDict, details }) => {
      emit({ type: 'invocation', args: argsList, kwargs: argsDict, details })
      return { argsList, argsDict, options: { ppt_scheme: scheme, ppt_serializer: serializer } }
    })
    emit({ type: 'ready', role: 'callee', session: wampy.getSessionId() })
  }
}

async function main () {
  const [url, realm, session, role, ...rest] = process.argv.slice(2)
  if (!url || !realm || !serializers[session] || !roles[role]) {
    return fatal('usage: wampy_ppt_peer.js URL REALM json|msgpack|cbor caller|callee ARGS...')
  }
  if (role === 'caller') setTimeout(() => fatal('timeout after 20000 ms', 3), 20000).unref()
  process.on('SIGTERM', () => finish(0))
  process.on('SIGINT', () => finish(0))
  wampy = new Wampy(url, {
    realm,
    ws: WebSocket,
    autoReconnect: false,
    debug: false,
    serializer: serializers[session],
    payloadSerializers: serializers,
    onClose: () => { if (!exiting) fatal('connection closed') },
    onError: (e) => { if (!exiting) fatal(`websocket error: ${e && e.message ? e.message : e}`) }
  })
  try {
    await wampy.connect()
  } catch (e) {
    return fatal(`could not connect to ${url}: ${e && e.message ? e.message : JSON.stringify(e)}`)
  }
  try {
    await roles[role](rest)
  } catch (e) {
    fatal(e && e.message ? e.message : JSON.stringify(e))
  }
}

main()
