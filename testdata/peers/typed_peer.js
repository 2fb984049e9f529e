#!/usr/bin/env node
// typed_peer.js: an autobahn-js peer for wampgo's typed RPC interop tests,
// the JavaScript twin of typed_peer.py. Every line it writes to stdout is
// one JSON object; diagnostics go to stderr.
//
// Usage:
//   node typed_peer.js URL REALM callee
//       register the com.typed.js.* procedures below, print {"type":"ready"}
//       and serve until SIGTERM or (WAMPGO_EXIT_ON_STDIN_EOF=1) end of stdin.
//   node typed_peer.js URL REALM caller CALLS
//       CALLS is a JSON list of {"label", "procedure", "args", "kwargs"}; make
//       each call as session.call(procedure, args, kwargs) and print
//       {"type":"result","label",...,"value"} (an autobahn.Result as "args"
//       and "kwargs") or {"type":"error","label",...,"error","args","kwargs"};
//       then print {"type":"done"} and leave.
//   node typed_peer.js URL REALM subscriber TOPIC N
//       subscribe, print {"type":"ready"}, print N events as
//       {"type":"event","args","kwargs"}, then leave.
//   node typed_peer.js URL REALM publisher TOPIC
//       publish two readings with acknowledge, the two ways a JavaScript
//       developer would: publish(TOPIC, [], {sensor: 'js', celsius: 21.5}) and
//       publish(TOPIC, [{sensor: 'js', celsius: 22.5}]); then leave.
//
// Procedures, written as a JavaScript developer would:
//   com.typed.js.add   (args, {a, b})   -> {total: a + b, by: 'js'}
//   com.typed.js.half  ([x])            -> x / 2
//   com.typed.js.greet ([name])         -> 'Hello, <name>!'
//   com.typed.js.stats (args, {values}) -> new Result([], {count, mean})
//
// Exit status: 0 success, 2 usage or connection failure, 3 timeout.
'use strict'

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

async function runCallee (session) {
  const procedures = {
    'com.typed.js.add': (args, kwargs) => ({ total: kwargs.a + kwargs.b, by: 'js' }),
    'com.typed.js.half': (args) => args[0] / 2,
    'com.typed.js.greet': (args) => `Hello, ${args[0]}!`,
    'com.typed.js.stats': (args, kwargs) => new autobahn.Result([], {
      count: kwargs.values.length,
      mean: kwargs.values.reduce((s, x) => s + x, 0) / kwargs.values.length
    })
  }
  for (const [name, fn] of Object.entries(procedures)) {
    await session.register(name, fn)
  }
  emit({ type: 'ready', role: 'callee', session: session.id })
}

async function runCaller (session, calls) {
  for (const c of calls) {
    const label = c.label || c.procedure
    try {
      const res = await session.call(c.procedure, c.args || [], c.kwargs || {})
      if (res instanceof autobahn.Result) {
        emit({ type: 'result', label, args: res.args || [], kwargs: res.kwargs || {} })
      } else {
        emit({ type: 'result', label, value: res === undefined ? null : res })
      }
    } catch (err) {
      if (!(err instanceof autobahn.Error)) throw err
      emit({ type: 'error', label, error: err.error, args: err.args || [], kwargs: err.kwargs || {} })
    }
  }
  emit({ type: 'done' })
  finish(0)
}

async function runSubscriber (session, topic, want) {
  let seen = 0
  await session.subscribe(topic, (args, kwargs) => {
    emit({ type: 'event', args: args || [], kwargs: kwargs || {} })
    if (++seen === want) {
      emit({ type: 'done' })
      finish(0)
    }
  })
  emit({ type: 'ready', role: 'subscriber', session: session.id })
}

async function runPublisher (session, topic) {
  const options = { acknowledge: true }
  await session.publish(topic, [], { sensor: 'js', celsius: 21.5 }, options)
  await session.publish(topic, [{ sensor: 'js', celsius: 22.5 }], {}, options)
  emit({ type: 'done' })
  finish(0)
}

function main () {
  const [url, realm, role, arg, count] = process.argv.slice(2)
  const callsJSON = arg
  const roles = ['callee', 'caller', 'subscriber', 'publisher']
  if (!url || !realm || !roles.includes(role) || (role !== 'callee' && !arg)) {
    return fatal('usage: typed_peer.js URL REALM callee | caller CALLS | subscriber TOPIC N | publisher TOPIC')
  }
  let calls = []
  if (role === 'caller') {
    try {
      calls = JSON.parse(callsJSON)
    } catch (e) {
      return fatal(`CALLS: ${e.message}`)
    }
  }
  if (role === 'caller' || role === 'publisher') {
    setTimeout(() => fatal('timeout after 20000 ms', 3), 20000).unref()
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
    retry_if_unreachable: false
  })
  connection.onopen = (session) => {
    const runs = {
      callee: () => runCallee(session),
      caller: () => runCaller(session, calls),
      subscriber: () => runSubscriber(session, arg, Number(count || 1)),
      publisher: () => runPublisher(session, arg)
    }
    const run = runs[role]()
    run.catch((e) => fatal(e && e.message ? e.message : JSON.stringify(e)))
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
