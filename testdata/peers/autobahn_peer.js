#!/usr/bin/env node
// autobahn_peer.js: a scriptable autobahn-js WAMP peer for wampgo's interop
// tests. Every line it writes to stdout is one JSON object; diagnostics go to
// stderr.
//
// Usage:
//   node autobahn_peer.js URL REALM ROLE [ROLE ARGS...] [FLAGS...]
//
// Roles:
//   callee                      register the com.peer.* procedures (below),
//                               print {"type":"ready"} and serve until SIGTERM,
//                               SIGINT, --count invocations, or (with
//                               WAMPGO_EXIT_ON_STDIN_EOF=1) end of stdin.
//   caller PROCEDURE [ARG...]   call PROCEDURE once with receive_progress; print
//                               every progressive result and the final result.
//   subscriber TOPIC [N]        subscribe, print {"type":"ready"}, print each
//                               event; exit after N events (default 1, 0 = run
//                               until a signal).
//   publisher TOPIC [N] [ARG...]
//                               publish N events (default 1) with acknowledge;
//                               event i (1-based) carries args [i, ARG...].
//
// ARG values are parsed as JSON when possible ("2" -> 2, '{"a":1}' -> object)
// and used as strings otherwise.
//
// Flags (anywhere after ROLE):
//   --kwargs JSON        keyword arguments for caller / publisher
//   --no-progress        caller: do not ask for progressive results
//   --match MODE         subscriber: subscription match policy (prefix|wildcard)
//   --exclude-me=false   publisher: also deliver to this session's subscriptions
//   --count N            callee: exit after N invocations (default 0 = never)
//   --delay MS           publisher: pause between publications;
//                        callee: pause between progressive results (default 5)
//   --timeout MS         give up after MS milliseconds (0 = never); default
//                        20000 for caller and publisher, 0 for callee and
//                        subscriber, which the test stops (SIGTERM / stdin)
//   --serializer NAME    json (default), msgpack or cbor
//
// Callee procedures:
//   com.peer.add2 [a, b]        -> a + b
//   com.peer.progress [n]       -> n progressive results [1] .. [n] (only when
//                                  the caller asked for them), then final [n]
//   com.peer.echo args, kwargs  -> the same args and kwargs
//   com.peer.fail               -> application error com.peer.error
//                                  (args ["boom"], kwargs {"code": 42})
//   com.peer.slow [ms]          -> waits ms milliseconds, then returns ms
//
// Output lines (field "type"):
//   ready       {"type":"ready","role":...,"session":ID,...}
//   invocation  callee: {"type":"invocation","procedure":..,"args":[..],"kwargs":{..},"progress":bool}
//   progress    caller: {"type":"progress","args":[..],"kwargs":{..}}
//   result      caller: {"type":"result","args":[..],"kwargs":{..}}
//   error       caller: {"type":"error","error":URI,"args":[..],"kwargs":{..}}
//   event       subscriber: {"type":"event","topic":..,"publication":ID,"publisher":ID|null,"args":[..],"kwargs":{..}}
//   published   publisher: {"type":"published","seq":i,"publication":ID}
//   done        {"type":"done","count":N}, or {"type":"done","signal":"SIGTERM"}
//   fatal       {"type":"fatal","message":..} (connection failure, timeout, bad usage)
//
// autobahn-js folds a result's positional arguments before handing them over
// (a single argument arrives unwrapped, none arrives as null); this script
// turns them back into an args list, so "args" is always a list and "kwargs"
// always an object. To see the exact bytes on the wire use the raw WebSocket
// from Go instead.
//
// Exit status: 0 success, 1 the call ended in a WAMP error, 2 usage or
// connection failure, 3 timeout.
'use strict'

const path = require('path')

const MODULES = path.join(__dirname, '..', 'router', 'node_modules')

// autobahn 26 uses the platform WebSocket, which Node has as a global only
// from version 22 on. Older Node gets the ws package instead.
if (typeof globalThis.WebSocket === 'undefined') {
  const WS = require(path.join(MODULES, 'ws'))
  // autobahn sets no onerror handler; a ws 'error' event without a listener
  // would crash the process before autobahn sees the close.
  globalThis.WebSocket = class extends WS {
    constructor (...args) {
      super(...args)
      this.on('error', (err) => console.error('websocket error:', err.message))
    }
  }
}
const autobahn = require(path.join(MODULES, 'autobahn'))

const EXIT_OK = 0
const EXIT_CALL_ERROR = 1
const EXIT_USAGE = 2
const EXIT_TIMEOUT = 3

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

let exiting = false
function finish (code) {
  if (exiting) return
  exiting = true
  process.exitCode = code
  // Leave the session politely (GOODBYE) when it is open; onclose then
  // exits. Do not wait long for the router's answer.
  let closing = false
  try {
    if (connection && connection.isOpen) {
      connection.close()
      closing = true
    }
  } catch (_) {}
  if (closing) {
    setTimeout(() => process.exit(code), 500).unref()
  } else {
    setImmediate(() => process.exit(code))
  }
}

function fatal (message, code) {
  emit({ type: 'fatal', message: String(message) })
  finish(code === undefined ? EXIT_USAGE : code)
}

function parseValue (s) {
  try {
    return JSON.parse(s)
  } catch (_) {
    return s
  }
}

function parseArgv (argv) {
  const positional = []
  const flags = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    if (eq >= 0) {
      flags[a.slice(2, eq)] = a.slice(eq + 1)
    } else if (a === '--no-progress') {
      flags['no-progress'] = 'true'
    } else {
      if (i + 1 >= argv.length) throw new Error(`flag ${a} needs a value`)
      flags[a.slice(2)] = argv[++i]
    }
  }
  return { positional, flags }
}

function intFlag (flags, name, def) {
  if (flags[name] === undefined) return def
  const n = Number(flags[name])
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`)
  return n
}

function objFlag (flags, name) {
  if (flags[name] === undefined) return undefined
  const v = JSON.parse(flags[name])
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`--${name} must be a JSON object`)
  return v
}

// Deferreds with a notify hook, so progressive results work without
// depending on the optional when.js package.
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

// Undo autobahn's folding of result arguments.
function unfold (value) {
  if (value instanceof autobahn.Result) {
    return { args: value.args || [], kwargs: value.kwargs || {} }
  }
  if (value === null || value === undefined) return { args: [], kwargs: {} }
  return { args: [value], kwargs: {} }
}

function serializerFor (name) {
  switch (name || 'json') {
    case 'json': return new autobahn.serializer.JSONSerializer()
    case 'msgpack':
      if (!autobahn.serializer.MsgpackSerializer) throw new Error('msgpack serializer not available')
      return new autobahn.serializer.MsgpackSerializer()
    case 'cbor':
      if (!autobahn.serializer.CBORSerializer) throw new Error('cbor serializer not available')
      return new autobahn.serializer.CBORSerializer()
    default: throw new Error(`unknown serializer ${name}`)
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- roles ----------------------------------------------------------------

async function runCallee (session, pos, flags) {
  const maxCalls = intFlag(flags, 'count', 0)
  const delay = intFlag(flags, 'delay', 5)
  let calls = 0

  function wrap (name, fn) {
    return async (args, kwargs, details) => {
      emit({ type: 'invocation', procedure: name, args, kwargs, progress: typeof details.progress === 'function' })
      try {
        return await fn(args, kwargs, details)
      } finally {
        calls++
        if (maxCalls > 0 && calls >= maxCalls) {
          // let the YIELD go out first
          setTimeout(() => { emit({ type: 'done', count: calls }); finish(EXIT_OK) }, 50)
        }
      }
    }
  }

  const procedures = {
    'com.peer.add2': (args) => {
      if (args.length !== 2 || typeof args[0] !== 'number' || typeof args[1] !== 'number') {
        throw new autobahn.Error('wamp.error.invalid_argument', ['add2 expects two numbers'])
      }
      return args[0] + args[1]
    },
    'com.peer.progress': async (args, kwargs, details) => {
      const n = Number(args[0] || 0)
      if (details.progress) {
        for (let i = 1; i <= n; i++) {
          details.progress([i])
          if (delay > 0) await sleep(delay)
        }
      }
      return n
    },
    'com.peer.echo': (args, kwargs) => new autobahn.Result(args, kwargs),
    'com.peer.fail': () => {
      throw new autobahn.Error('com.peer.error', ['boom'], { code: 42 })
    },
    'com.peer.slow': async (args) => {
      const ms = Number(args[0] || 0)
      await sleep(ms)
      return ms
    }
  }

  const registered = []
  for (const [name, fn] of Object.entries(procedures)) {
    const reg = await session.register(name, wrap(name, fn))
    registered.push({ procedure: name, registration: reg.id })
  }
  emit({ type: 'ready', role: 'callee', session: session.id, registrations: registered })
}

async function runCaller (session, pos, flags) {
  if (pos.length < 1) throw new Error('caller needs PROCEDURE')
  const procedure = pos[0]
  const args = pos.slice(1).map(parseValue)
  const kwargs = objFlag(flags, 'kwargs')
  const options = {}
  if (flags['no-progress'] === undefined) options.receive_progress = true

  const p = session.call(procedure, args, kwargs, options)
  p.onProgress = (value) => emit({ type: 'progress', ...unfold(value) })
  try {
    const res = await p
    emit({ type: 'result', ...unfold(res) })
    finish(EXIT_OK)
  } catch (err) {
    if (err instanceof autobahn.Error) {
      emit({ type: 'error', error: err.error, args: err.args, kwargs: err.kwargs })
      finish(EXIT_CALL_ERROR)
    } else {
      throw err
    }
  }
}

async function runSubscriber (session, pos, flags) {
  if (pos.length < 1) throw new Error('subscriber needs TOPIC')
  const topic = pos[0]
  const want = pos.length > 1 ? Number(pos[1]) : 1
  if (!Number.isInteger(want) || want < 0) throw new Error('N must be a non-negative integer')
  const options = {}
  if (flags.match) options.match = flags.match
  let seen = 0
  const sub = await session.subscribe(topic, (args, kwargs, details) => {
    if (exiting) return
    seen++
    emit({
      type: 'event',
      topic: details.topic,
      publication: details.publication,
      publisher: details.publisher === undefined ? null : details.publisher,
      args,
      kwargs
    })
    if (want > 0 && seen >= want) {
      emit({ type: 'done', count: seen })
      finish(EXIT_OK)
    }
  }, options)
  emit({ type: 'ready', role: 'subscriber', session: session.id, topic, subscription: sub.id })
}

async function runPublisher (session, pos, flags) {
  if (pos.length < 1) throw new Error('publisher needs TOPIC')
  const topic = pos[0]
  const n = pos.length > 1 ? Number(pos[1]) : 1
  if (!Number.isInteger(n) || n < 0) throw new Error('N must be a non-negative integer')
  const extra = pos.slice(2).map(parseValue)
  const kwargs = objFlag(flags, 'kwargs')
  const delay = intFlag(flags, 'delay', 0)
  const options = { acknowledge: true }
  if (flags['exclude-me'] !== undefined) options.exclude_me = flags['exclude-me'] !== 'false'
  for (let i = 1; i <= n; i++) {
    const pub = await session.publish(topic, [i, ...extra], kwargs, { ...options })
    emit({ type: 'published', seq: i, publication: pub.id })
    if (delay > 0 && i < n) await sleep(delay)
  }
  emit({ type: 'done', count: n })
  finish(EXIT_OK)
}

const ROLES = {
  callee: runCallee,
  caller: runCaller,
  subscriber: runSubscriber,
  publisher: runPublisher
}

// ---- main -----------------------------------------------------------------

let connection = null

function main () {
  let parsed
  try {
    parsed = parseArgv(process.argv.slice(2))
  } catch (e) {
    return fatal(e.message)
  }
  const [url, realm, role, ...rest] = parsed.positional
  const flags = parsed.flags
  if (!url || !realm || !role || !ROLES[role]) {
    return fatal('usage: autobahn_peer.js URL REALM callee|caller|subscriber|publisher [ARGS...] [FLAGS...]')
  }

  let timeout, serializer
  try {
    const longRunning = role === 'callee' || role === 'subscriber'
    timeout = intFlag(flags, 'timeout', longRunning ? 0 : 20000)
    serializer = serializerFor(flags.serializer)
  } catch (e) {
    return fatal(e.message)
  }
  if (timeout > 0) {
    setTimeout(() => fatal(`timeout after ${timeout} ms`, EXIT_TIMEOUT), timeout).unref()
  }

  process.on('SIGTERM', () => { emit({ type: 'done', signal: 'SIGTERM' }); finish(EXIT_OK) })
  process.on('SIGINT', () => { emit({ type: 'done', signal: 'SIGINT' }); finish(EXIT_OK) })
  if (process.env.WAMPGO_EXIT_ON_STDIN_EOF === '1') {
    process.stdin.on('end', () => finish(EXIT_OK))
    process.stdin.on('error', () => finish(EXIT_OK))
    process.stdin.resume()
  }

  let opened = false
  connection = new autobahn.Connection({
    url,
    realm,
    serializers: [serializer],
    max_retries: 0,
    retry_if_unreachable: false,
    use_deferred: makeDeferred,
    // handler exceptions are expected in some tests (com.peer.fail)
    on_user_error: (err, msg) => console.error(msg || 'user error:', err && err.error ? err.error : err)
  })
  connection.onopen = (session) => {
    opened = true
    ROLES[role](session, rest, flags).catch((e) => fatal(e && e.message ? e.message : JSON.stringify(e)))
  }
  connection.onclose = (reason, details) => {
    if (exiting) {
      setImmediate(() => process.exit(process.exitCode))
    } else {
      const why = details && details.reason ? `${reason}: ${details.reason}` : reason
      fatal(opened ? `connection closed (${why})` : `could not connect to ${url} (${why})`)
    }
    return true // no reconnects
  }
  connection.open()
}

main()
