// Command wampgo is a WAMP v2 client for the shell, built on package
// github.com/wampgo/wampgo/client.
//
// Install it with
//
//	go install github.com/wampgo/wampgo/internal/cmd/wampgo@latest
//
// or build it into bin/wampgo with `make cli`.
//
// # Usage
//
//	wampgo [global flags] COMMAND [args]
//
//	wampgo call PROC [ARG...] [-k KEY=VALUE ...] [--stdin]
//	wampgo publish TOPIC [ARG...] [-k KEY=VALUE ...] [--acknowledge]
//	wampgo subscribe TOPIC [--count N] [--match prefix|wildcard]
//	wampgo register PROC (--echo | -- COMMAND [ARG...]) [--concurrency N] [--match prefix|wildcard]
//	wampgo meta sessions|registrations|subscriptions|session ID
//	wampgo probe
//
// Global flags (they may also follow COMMAND):
//
//	--url URL           router URL: ws, wss, rs, rss, tcp, tcps or unix; a
//	                    comma-separated list is tried in turn (env WAMPGO_URL)
//	--realm REALM       realm to join (env WAMPGO_REALM; default realm1)
//	--serializer S      json, msgpack or cbor (env WAMPGO_SERIALIZER;
//	                    default: offer all three)
//	--authid ID         authentication id (env WAMPGO_AUTHID), with one of
//	--ticket T          ticket (env WAMPGO_TICKET, or --ticket-file FILE)
//	--secret S          WAMP-CRA secret (env WAMPGO_SECRET, or --secret-file FILE)
//	--private-key FILE  WAMP-Cryptosign key file (env WAMPGO_PRIVATE_KEY)
//	--password P        WAMP-SCRAM password (env WAMPGO_PASSWORD, or
//	                    --password-file FILE)
//	--timeout D         bound on joining and on each one-shot command (default 30s)
//	--tls-ca FILE       PEM certificates to trust for wss, rss and tcps
//	--insecure          do not verify the router's TLS certificate
//	--verbose           log the session and its traffic to stderr
//
// Prefer the environment or a file to a secret on the command line, where
// other users of the machine can read it. Secrets are never printed: not in
// --verbose output, not in error messages.
//
// # Arguments
//
// Each ARG and each VALUE of -k KEY=VALUE is read as JSON when it parses as
// JSON, else taken as a string: 1 is the integer 1, '"two"' the string
// "two", '{"a":3}' a dict, hello the string "hello". An ARG that starts with
// "-" and is not a JSON number, or any ARG after "--", is taken as is.
//
// # Output
//
// Every result, progressive result and event is one JSON object on one line
// of stdout, with the keys "args", "kwargs" and "details" where there are
// any; a progressive result's details carry "progress": true, and a call
// prints each one as it arrives. Binary values are printed as strings made
// of a NUL character ("\u0000") followed by their standard base64, the
// convention of WAMP's JSON serializer. Numbers a JSON document cannot hold
// (NaN, ±Inf) are printed as the strings "NaN", "Infinity" and "-Infinity".
//
// register prints each invocation it serves as a line on stdout (with the
// key "procedure" added). subscribe and register say on stderr when they are
// ready ("wampgo: subscribed TOPIC", "wampgo: registered PROC").
//
// register -- COMMAND runs COMMAND once per invocation, with the invocation
// as one JSON object (keys procedure, args, kwargs, details) on its stdin.
// Its stdout, read as an ARG is, becomes the one positional result (no
// result when it is empty); an exit status other than 0 answers with ERROR
// wamp.error.runtime_error whose argument is COMMAND's stderr. At most
// --concurrency invocations (default 1) run at once; a canceled call kills
// its COMMAND. COMMAND inherits wampgo's environment except WAMPGO_TICKET,
// WAMPGO_SECRET and WAMPGO_PASSWORD.
//
// call --stdin streams stdin as progressive call inputs: each line is one
// more input chunk (read as an ARG is), and the end of stdin sends the final
// one.
//
// probe prints one JSON object per router URL: "serializers" (each of
// json, msgpack and cbor with "ok" or why joining with it alone failed),
// "session" (the session joined with the flags: id, realm, authid,
// authrole, authmethod, serializer), "anonymous" (with credentials given:
// whether the router also admits a session without them), "roles" (the
// features each router role announced), "welcome" (the rest of WELCOME's
// details, where routers announce limits and extras) and "error" when no
// session could be joined there. Routers do not announce which
// authentication methods they accept; probe reports the one that worked.
//
// # Exit status
//
//	0  success
//	1  a WAMP error: its URI and payload are printed on stderr
//	2  usage: a bad flag, argument, URI or option
//	3  connection or authentication failure, or the session was lost
//
// SIGINT (Ctrl-C) or SIGTERM cancels a call in kill mode (the call then
// ends with the router's answer, usually ERROR wamp.error.canceled: exit
// status 1), ends subscribe and register (exit status 0), and closes the
// session with GOODBYE. A second signal ends wampgo at once.
package main
