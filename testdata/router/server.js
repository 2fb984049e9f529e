#!/usr/bin/env node
// Test router for wampgo's interop tests: fox-wamp on a loopback WebSocket.
//
// Usage: node server.js [port]
//   The port comes from argv[2], else $WAMP_ROUTER_PORT, else 0 (the kernel
//   picks one). The WebSocket endpoint is ws://127.0.0.1:<port>/ws and only
//   the wamp.2.json subprotocol is accepted (see QUIRKS.md).
//
// Once listening, exactly one line "READY <port>" is written to stdout.
// Anything else the router writes goes to stderr, so stdout stays parseable.
// SIGTERM / SIGINT close all connections and exit with status 0; so does the
// end of stdin when WAMPGO_EXIT_ON_STDIN_EOF=1 is set.
// Set WAMP_ROUTER_TRACE=1 to log every WAMP message (to stderr).
// Set WAMPGO_ROUTER_AUTH to a JSON config of users (see auth.js) to require
// authentication (ticket, wampcra, cryptosign, wamp-scram); unset, the
// router admits every client anonymously.
'use strict'

const http = require('http')
const path = require('path')

// fox-wamp calls console.log for a few diagnostics (bad JSON, unsupported
// subprotocol, trace output). Keep stdout for the readiness line only.
const writeOut = process.stdout.write.bind(process.stdout)
console.log = (...args) => console.error(...args)

const FoxRouter = require(path.join(__dirname, 'node_modules', 'fox-wamp'))

const WS_PATH = '/ws'
const HOST = '127.0.0.1'

function parsePort (raw) {
  if (raw === undefined || raw === '') return 0
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`server.js: invalid port ${JSON.stringify(raw)}`)
    process.exit(2)
  }
  return n
}

const port = parsePort(process.argv[2] !== undefined ? process.argv[2] : process.env.WAMP_ROUTER_PORT)

// fox-wamp validates the realm name inside an un-awaited async function, so
// a HELLO for a bad realm (e.g. "Realm1") becomes an unhandled promise
// rejection, which would terminate Node. Log it and keep serving instead;
// the offending client simply gets no WELCOME (see QUIRKS.md).
process.on('unhandledRejection', (reason) => {
  console.error('server.js: unhandled rejection:', reason && reason.message ? reason.message : reason)
})

const router = new FoxRouter()
if (process.env.WAMP_ROUTER_TRACE) {
  router.setLogTrace(true)
}

const httpServer = http.createServer((req, res) => {
  // Plain HTTP requests get a short answer; WebSocket upgrades on WS_PATH
  // are handled by fox-wamp's ws server.
  res.writeHead(req.url === '/health' ? 200 : 404, { 'Content-Type': 'text/plain' })
  res.end(req.url === '/health' ? 'ok\n' : 'not found\n')
})

// Opt-in authentication; without it listenWAMP gets no auth handler, as
// before.
let authHandler
if (process.env.WAMPGO_ROUTER_AUTH) {
  try {
    authHandler = require('./auth.js').fromEnv(process.env.WAMPGO_ROUTER_AUTH, path.join(__dirname, 'node_modules'))
  } catch (err) {
    console.error('server.js: bad WAMPGO_ROUTER_AUTH:', err.message)
    process.exit(2)
  }
}

const wss = router.listenWAMP({ server: httpServer, path: WS_PATH }, authHandler)

// Track raw sockets so shutdown does not wait for idle clients.
const sockets = new Set()
httpServer.on('connection', (sock) => {
  sockets.add(sock)
  sock.on('close', () => sockets.delete(sock))
})

// ws re-emits the HTTP server's errors on its own server object; without
// a listener there, a taken port would crash Node with a stack trace.
function listenFailed (err) {
  console.error('server.js: listen failed:', err.code || '', err.message)
  process.exit(1)
}
httpServer.on('error', listenFailed)
wss.on('error', listenFailed)

httpServer.listen(port, HOST, () => {
  writeOut(`READY ${httpServer.address().port}\n`)
})

let stopping = false
function shutdown (signal) {
  if (stopping) return
  stopping = true
  console.error(`server.js: ${signal}, shutting down`)
  // Close WebSocket clients with 1001 (going away), then the listener.
  for (const client of wss.clients) {
    try { client.close(1001, 'router shutting down') } catch (_) {}
  }
  wss.close()
  httpServer.close(() => process.exit(0))
  // Give clients a moment for the close handshake, then drop what is left.
  setTimeout(() => {
    for (const sock of sockets) sock.destroy()
  }, 200).unref()
  setTimeout(() => process.exit(0), 1000).unref()
}

process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))

// The Go test helper keeps our stdin open as a pipe and sets this variable:
// if the test binary dies without stopping us, the pipe closes and we go
// away instead of lingering as an orphan.
if (process.env.WAMPGO_EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', () => shutdown('stdin closed'))
  process.stdin.on('error', () => shutdown('stdin error'))
  process.stdin.resume()
}
