package client

import (
	"sync/atomic"

	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/protocol"
)

// Stats is a snapshot of a client's counters since it was created,
// summed over every session of a reconnecting client. Pending and
// PeakPending are gauges; the rest only grow.
type Stats struct {
	// CallsStarted counts Call invocations; CallsSucceeded and CallsFailed
	// the calls completed with a final result or with an error (canceled,
	// timed out, ERROR, session ended, refused before sending).
	CallsStarted, CallsSucceeded, CallsFailed uint64
	// Results counts the RESULT messages received, progressive and final.
	Results uint64
	// Invocations counts the invocations whose handler has returned;
	// InvocationsFailed those among them that returned an error or panicked.
	Invocations, InvocationsFailed uint64
	// EventsReceived counts the EVENT messages received; EventsDelivered
	// the events whose handler has returned (one per local subscription
	// sharing the router's subscription); EventsDropped those dropped because a
	// subscription's mailbox was full (Drop policy).
	EventsReceived, EventsDelivered, EventsDropped uint64
	// Publications counts the PUBLISH messages sent.
	Publications uint64
	// MessagesIn and MessagesOut count the WAMP messages received and sent
	// on joined sessions (the opening handshake aside).
	MessagesIn, MessagesOut uint64
	// BytesIn and BytesOut count the bytes of the encoded WAMP messages
	// received and sent over the connections that Dial opens, WebSocket
	// (ws://, wss://) and RawSocket (rs://, rss://, tcp://, tcps://,
	// unix://) alike, including those a reconnecting client opens later
	// with the default Reconnect.Dial. Every message counts, with its
	// length as the serializer encoded it: the opening handshake and
	// authentication (which MessagesIn and MessagesOut leave out) and
	// GOODBYE too. What carries the messages does not: over WebSocket, the
	// HTTP upgrade, frame headers, and ping, pong and close frames (with
	// compression, a message counts with its uncompressed length); over
	// RawSocket, the 4-octet handshake, the 4-octet frame prefixes, and
	// PING and PONG frames. A message counts as sent when the connection's
	// writer starts writing it, and as received once read whole, before it
	// is decoded. Other connections are not counted: BytesIn and BytesOut
	// stay 0 for a transport passed to Connect, and leave out the
	// transports a custom Reconnect.Dial returns.
	BytesIn, BytesOut uint64
	// Reconnects counts the sessions a reconnecting client joined after its
	// first one.
	Reconnects uint64
	// RestoresPending is a gauge: how many registrations and subscriptions
	// a reconnecting client has still to restore (StateRestoring), or,
	// while it has no session, will restore once it rejoins. Each failed
	// attempt also reaches the error handler as a *RestoreError.
	RestoresPending int64
	// CallRetries counts the CALLs sent again because the dealer had no
	// callee yet (WaitForCallee).
	CallRetries uint64
	// Pending is how many events and invocations wait in handler mailboxes
	// or are being handled now; PeakPending is the highest Pending seen.
	Pending, PeakPending int64
}

// counters are the client's statistics. Every field is an atomic updated
// where the thing happens (the session loop, a handler goroutine, a
// caller's goroutine), without locks, so that they can stay on in
// production; Stats reads them one by one, so a snapshot taken while the
// client works may be off by the operations in progress.
type counters struct {
	callsStarted, callsSucceeded, callsFailed      atomic.Uint64
	results                                        atomic.Uint64
	invocations, invocationsFailed                 atomic.Uint64
	eventsReceived, eventsDelivered, eventsDropped atomic.Uint64
	publications                                   atomic.Uint64
	messagesIn, messagesOut                        atomic.Uint64
	traffic                                        connstate.Traffic // bytes, counted by Dial's connections
	reconnects                                     atomic.Uint64
	callRetries                                    atomic.Uint64
	restoresPending                                atomic.Int64
	pending, peakPending                           atomic.Int64
}

// Stats returns a snapshot of the client's counters. It never blocks and
// may be called from any goroutine, also after the client has ended.
func (c *Client) Stats() Stats {
	k := c.stats()
	return Stats{
		CallsStarted:      k.callsStarted.Load(),
		CallsSucceeded:    k.callsSucceeded.Load(),
		CallsFailed:       k.callsFailed.Load(),
		Results:           k.results.Load(),
		Invocations:       k.invocations.Load(),
		InvocationsFailed: k.invocationsFailed.Load(),
		EventsReceived:    k.eventsReceived.Load(),
		EventsDelivered:   k.eventsDelivered.Load(),
		EventsDropped:     k.eventsDropped.Load(),
		Publications:      k.publications.Load(),
		MessagesIn:        k.messagesIn.Load(),
		MessagesOut:       k.messagesOut.Load(),
		BytesIn:           k.traffic.BytesIn.Load(),
		BytesOut:          k.traffic.BytesOut.Load(),
		Reconnects:        k.reconnects.Load(),
		CallRetries:       k.callRetries.Load(),
		RestoresPending:   k.restoresPending.Load(),
		Pending:           k.pending.Load(),
		PeakPending:       k.peakPending.Load(),
	}
}

// stats returns the client's counters. They live in the client's config,
// which exists before the client does, so that Dial can hand the byte
// counters to the connections it opens.
func (c *Client) stats() *counters { return &c.cfg.stats }

// received counts a message from the router. The session loop calls it.
func (k *counters) received(msg protocol.Message) {
	k.messagesIn.Add(1)
	switch msg.(type) {
	case *protocol.Result:
		k.results.Add(1)
	case *protocol.Event:
		k.eventsReceived.Add(1)
	}
}

// sent counts a message written to the router. The session loop calls it.
func (k *counters) sent(msg protocol.Message) {
	k.messagesOut.Add(1)
	if _, ok := msg.(*protocol.Publish); ok {
		k.publications.Add(1)
	}
}

// callEnded counts a call's final result.
func (k *counters) callEnded(err error) {
	if err != nil {
		k.callsFailed.Add(1)
		return
	}
	k.callsSucceeded.Add(1)
}

// queued counts an event or invocation put into a handler's mailbox.
func (k *counters) queued() {
	n := k.pending.Add(1)
	for {
		peak := k.peakPending.Load()
		if n <= peak || k.peakPending.CompareAndSwap(peak, n) {
			return
		}
	}
}

// handled counts an event or invocation whose handler returned, and items
// a closing mailbox threw away unhandled (n of them).
func (k *counters) handled(n uint64) { k.pending.Add(-int64(n)) }

// dropped counts an event dropped for a full mailbox.
func (k *counters) dropped() { k.eventsDropped.Add(1) }

// eventDone counts an event whose handler returned (or panicked).
func (k *counters) eventDone() {
	k.eventsDelivered.Add(1)
	k.handled(1)
}

// invocationHandled counts one invocation handed to its handler, and
// whether the handler failed, once it has returned.
func (k *counters) invocationHandled(err error) {
	k.invocations.Add(1)
	if err != nil {
		k.invocationsFailed.Add(1)
	}
	k.handled(1)
}
