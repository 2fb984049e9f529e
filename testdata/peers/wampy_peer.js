#!/usr/bin/env node
// wampy_peer.js: a second, independent JavaScript WAMP peer (wampy) for
// wampgo's interop tests. Same command line and output lines as
// autobahn_peer.js, with fewer features:
//
//   node wampy_peer.js URL REALM callee
//   node wampy_peer.js URL REALM caller PROCEDURE [ARG...] [--kwargs JSON] [--no-progress]
//   node wampy_peer.js URL REALM subscriber TOPIC [N]
//   node wampy_peer.js URL REALM publisher TOPIC [N] [ARG...] [--kwargs JSON]
//   common flag: --timeout MS (0 = never; default 20000 for caller and
//   publisher, 0 for callee and subscriber)
//
// The callee registers com.peer.add2 and com.peer.progress (see
// autobahn_peer.js). Unlike autobahn, wampy hands over positional and
// keyword arguments as they arrived, so "args" here is exactly the list the
// router sent (fox-wamp may send null, printed as []).
//
// Exit status: 0 success, 1 the call ended in a WAMP error, 2 usage or
// connection failure, 3 timeout.
'use strict'

const path = require('path')

const MODULES = path.join(__dirname, '..', 'router', 'node_modules')
const WebSocket = require(path.join(MODULES, 'ws'))
const { Wampy } = require(path.join(MODULES, 'wampy'))

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
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

function parseValue (s) {
  try {
    return JSON.parse(s)
  } catch (_) {
    return s
  }
}

const list = (v) => (Array.isArray(v) ? v : [])
const dict = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {})

const roles = {
  async callee (pos, flags) {
    await wampy.register('com.peer.add2', ({ argsList }) => {
      const a = list(argsList)
      emit({ type: 'invocation', procedure: 'com.peer.add2', args: a, kwargs: {} })
      return { argsList: [a[0] + a[1]] }
    })
    await wampy.register('com.peer.progress', async ({ argsList, details, result_handler: send }) => {
      const n = Number(list(argsList)[0] || 0)
      emit({ type: 'invocation', procedure: 'com.peer.progress', args: list(argsList), kwargs: {}, progress: !!details.receive_progress })
      if (details.receive_progress) {
        for (let i = 1; i <= n; i++) send({ argsList: [i], options: { progress: true } })
      }
      return { argsList: [n] }
    })
    emit({ type: 'ready', role: 'callee', session: wampy.getSessionId() })
  },

  async caller (pos, flags) {
    if (pos.length < 1) throw new Error('caller needs PROCEDURE')
    const payload = { argsList: pos.slice(1).map(parseValue) }
    if (flags.kwargs) payload.argsDict = JSON.parse(flags.kwargs)
    const opts = {}
    if (!flags['no-progress']) {
      opts.progress_callback = ({ argsList, argsDict }) => emit({ type: 'progress', args: list(argsList), kwargs: dict(argsDict) })
    }
    try {
      const res = await wampy.call(pos[0], payload, opts)
      emit({ type: 'result', args: list(res.argsList), kwargs: dict(res.argsDict) })
      finish(0)
    } catch (e) {
      if (e && e.errorUri) {
        emit({ type: 'error', error: e.errorUri, args: list(e.argsList), kwargs: dict(e.argsDict) })
        finish(1)
      } else {
        throw e
      }
    }
  },

  async subscriber (pos, flags) {
    if (pos.length < 1) throw new Error('subscriber needs TOPIC')
    const want = pos.length > 1 ? Number(pos[1]) : 1
    let seen = 0
    const sub = await wampy.subscribe(pos[0], ({ argsList, argsDict, details }) => {
      if (exiting) return
      seen++
      emit({ type: 'event', topic: details.topic, publisher: details.publisher === undefined ? null : details.publisher, args: list(argsList), kwargs: dict(argsDict) })
      if (want > 0 && seen >= want) {
        emit({ type: 'done', count: seen })
        finish(0)
      }
    })
    emit({ type: 'ready', role: 'subscriber', session: wampy.getSessionId(), topic: pos[0], subscription: sub.subscriptionId })
  },

  async publisher (pos, flags) {
    if (pos.length < 1) throw new Error('publisher needs TOPIC')
    const n = pos.length > 1 ? Number(pos[1]) : 1
    const extra = pos.slice(2).map(parseValue)
    for (let i = 1; i <= n; i++) {
      const payload = { argsList: [i, ...extra] }
      if (flags.kwargs) payload.argsDict = JSON.parse(flags.kwargs)
      // wampy waits for PUBLISHED when acknowledge is set
      const res = await wampy.publish(pos[0], payload, { acknowledge: true })
      emit({ type: 'published', seq: i, publication: res && res.publicationId !== undefined ? res.publicationId : null })
    }
    emit({ type: 'done', count: n })
    finish(0)
  }
}

async function main () {
  const positional = []
  const flags = {}
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--no-progress') flags['no-progress'] = true
    else if (a.startsWith('--')) flags[a.slice(2)] = argv[++i]
    else positional.push(a)
  }
  const [url, realm, role, ...rest] = positional
  if (!url || !realm || !roles[role]) {
    return fatal('usage: wampy_peer.js URL REALM callee|caller|subscriber|publisher [ARGS...] [FLAGS...]')
  }
  const longRunning = role === 'callee' || role === 'subscriber'
  const timeout = flags.timeout !== undefined ? Number(flags.timeout) : (longRunning ? 0 : 20000)
  if (timeout > 0) setTimeout(() => fatal(`timeout after ${timeout} ms`, 3), timeout).unref()
  process.on('SIGTERM', () => finish(0))
  process.on('SIGINT', () => finish(0))
  if (process.env.WAMPGO_EXIT_ON_STDIN_EOF === '1') {
    process.stdin.on('end', () => finish(0))
    process.stdin.resume()
  }

  wampy = new Wampy(url, {
    realm,
    ws: WebSocket,
    autoReconnect: false,
    debug: false,
    onClose: () => { if (!exiting) fatal('connection closed') },
    onError: (e) => { if (!exiting) fatal(`websocket error: ${e && e.message ? e.message : e}`) }
  })
  try {
    await wampy.connect()
  } catch (e) {
    return fatal(`could not connect to ${url}: ${e && e.message ? e.message : JSON.stringify(e)}`)
  }
  try {
    await roles[role](rest, flags)
  } catch (e) {
    fatal(e && e.message ? e.message : JSON.stringify(e))
  }
}

main()
