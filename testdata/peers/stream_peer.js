#!/usr/bin/env node
// stream_peer.js: an autobahn-js peer for wampgo's byte-stream interop tests,
// the JavaScript twin of stream_peer.py. Every line it writes to stdout is
// one JSON object; diagnostics go to stderr. Stream bytes are pattern(n):
// byte i is (i * 31 + 7) % 256.
//
// autobahn-js 26's JSONSerializer has no binary support (JSON.stringify
// turns a Uint8Array into an object of indices), so this peer carries bytes
// the way the WAMP spec says binaries travel in JSON, written by hand: a
// string of a NUL character then base64. It has no progressive call
// invocations (neither has fox-wamp), so an upload is one plain call.
//
// Usage:
//   node stream_peer.js URL REALM callee
//       register com.stream.js.download([n]): pattern(n) but its last 1000
//       bytes as progressive results (one binary argument per 64 KiB chunk,
//       when the caller asked for progress), then the last 1000 bytes as the
//       final result; print {"type":"ready"}, serve until SIGTERM or
//       (WAMPGO_EXIT_ON_STDIN_EOF=1) end of stdin.
//   node stream_peer.js URL REALM download PROCEDURE N
//       call PROCEDURE([N]) with receive_progress, join the binary arguments
//       of the progressive results and of the final one, print
//       {"type":"result","bytes","chunks","sha256"} and leave.
//   node stream_peer.js URL REALM upload PROCEDURE N
//       call PROCEDURE([pattern(N)]), print {"type":"result","value"}, leave.
//
// Exit status: 0 success, 2 usage or connection failure, 3 timeout.
'use strict'

const crypto = require('crypto')
const path = require('path')

const MODULES = path.join(__dirname, '..', 'router', 'node_modules')

// autobahn 26 uses the platform WebSocket, a global only from Node 22 on.
if (typeof globalThis.WebSocket === 'undefined') {
  const WS = require(path.join(MODULES, 'ws'))
  globalThis.WebSocket = class extends WS {
    constructor (...args) {
      super(...args)
      this.on('error', (err) => console.error('websocket error:', err.message))
    }
  }
}
const autobahn = require(path.join(MODULES, 'autobahn'))

const CHUNK = 64 * 1024

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

let connection = null
let exiting = false
function finish (code) {
  if (exiting) return
  exiting = true
  process.exitCode = code
  try {
    if (connection && connection.isOpen) connection.close()
  } catch (_) {}
  setTimeout(() => process.exit(code), 500).unref()
}

function fatal (message, code) {
  emit({ type: 'fatal', message: String(message) })
  finish(code === undefined ? 2 : code)
}

function pattern (n) {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) % 256
  return b
}

// makeDeferred gives autobahn deferreds with a notify hook, so that
// progressive results reach promise.onProgress without the optional when.js
// package.
function makeDeferred () {
  const d = {}
  d.promise = new Promise((resolve, reject) => {
    d.resolve = resolve
    d.reject = reject
  })
  d.notify = (value) => {
    if (typeof d.promise.onProgress === 'function') d.promise.onProgress(value)
  }
  return d
}

// binary and unbinary are the WAMP JSON convention for binaries.
const binary = (buf) => '\u0000' + buf.toString('base64')
function unbinary (v) {
  if (typeof v !== 'string' || v[0] !== '\u0000') throw new Error(`not a binary: ${JSON.stringify(v).slice(0, 40)}`)
  return Buffer.from(v.slice(1), 'base64')
}

async function runCallee (session) {
  await session.register('com.stream.js.download', (args, kwargs, details) => {
    const data = pattern(args[0])
    const last = Math.min(1000, data.length)
    const body = data.subarray(0, data.length - last)
    if (details && details.progress) {
      for (let i = 0; i < body.length; i += CHUNK) {
        details.progress([binary(body.subarray(i, i + CHUNK))])
      }
    }
    return binary(data.subarray(data.length - last))
  })
  emit({ type: 'ready', role: 'callee', session: session.id })
}

async function runDownload (session, procedure, n) {
  const h = crypto.createHash('sha256')
  let bytes = 0
  let chunks = 0
  const add = (v) => {
    const b = unbinary(v)
    h.update(b)
    bytes += b.length
  }
  const p = session.call(procedure, [n], {}, { receive_progress: true })
  p.onProgress = (value) => {
    chunks++
    add(value instanceof autobahn.Result ? (value.args || [])[0] : value)
  }
  const res = await p
  const final = res instanceof autobahn.Result ? (res.args || [])[0] : res
  if (typeof final === 'string' && final[0] === '\u0000') add(final)
  emit({ type: 'result', bytes, chunks, sha256: h.digest('hex') })
  finish(0)
}

async function runUpload (session, procedure, n) {
  const res = await session.call(procedure, [binary(pattern(n))])
  emit({ type: 'result', value: res instanceof autobahn.Result ? res.args : res })
  finish(0)
}

function main () {
  const [url, realm, role, procedure, n] = process.argv.slice(2)
  const roles = ['callee', 'download', 'upload']
  if (!url || !realm || !roles.includes(role) || (role !== 'callee' && !n)) {
    return fatal('usage: stream_peer.js URL REALM callee | download PROCEDURE N | upload PROCEDURE N')
  }
  if (role !== 'callee') {
    setTimeout(() => fatal('timeout after 30000 ms', 3), 30000).unref()
  }
  process.on('SIGTERM', () => finish(0))
  process.on('SIGINT', () => finish(0))
  if (process.env.WAMPGO_EXIT_ON_STDIN_EOF === '1') {
    process.stdin.on('end', () => finish(0))
    process.stdin.on('error', () => finish(0))
    process.stdin.resume()
  }
  connection = new autobahn.Connection({
    url,
    realm,
    serializers: [new autobahn.serializer.JSONSerializer()],
    max_retries: 0,
    retry_if_unreachable: false,
    use_deferred: makeDeferred
  })
  connection.onopen = (session) => {
    const runs = {
      callee: () => runCallee(session),
      download: () => runDownload(session, procedure, Number(n)),
      upload: () => runUpload(session, procedure, Number(n))
    }
    runs[role]().catch((e) => fatal(e && e.message ? e.message : JSON.stringify(e)))
  }
  connection.onclose = (reason, details) => {
    if (exiting) {
      setImmediate(() => process.exit(process.exitCode))
    } else {
      fatal(`connection closed (${reason}${details && details.reason ? ': ' + details.reason : ''})`)
    }
    return true
  }
  connection.open()
}

main()
