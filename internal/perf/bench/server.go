package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// Router is the bench router: a minimal WAMP peer on 127.0.0.1 that plays
// dealer and callee in one, and a simple broker, so that a benchmark measures
// the client rather than a router's routing.
//
//   - HELLO is answered with WELCOME (roles dealer and broker, with the
//     features it honours); there is no authentication.
//   - CALL, for any procedure, is answered at once with RESULT echoing the
//     call's arguments and keyword arguments. CANCEL is ignored: every call
//     has already been answered when it arrives.
//   - SUBSCRIBE is answered with SUBSCRIBED (one subscription id per topic,
//     exact match only), UNSUBSCRIBE with UNSUBSCRIBED.
//   - PUBLISH sends EVENT to every session subscribed to the topic, the
//     publisher excluded unless Options.exclude_me is false, then PUBLISHED
//     if Options.acknowledge is true.
//   - GOODBYE is answered with GOODBYE; the client then closes the
//     connection.
//   - REGISTER, UNREGISTER get ERROR wamp.error.not_authorized; any other
//     message ends the session with ABORT.
//
// Each session runs on one goroutine reading the connection in order; an
// EVENT is sent from the publisher's goroutine. A Router is safe for
// concurrent use. Close it when done: it ends every session and waits for
// every goroutine it started.
type Router struct {
	codecs []codec.Codec
	srv    *httptest.Server
	ctx    context.Context // ends at Close: bounds every Send
	cancel context.CancelFunc

	lastSession atomic.Uint64
	lastPub     atomic.Uint64

	mu       sync.Mutex
	closed   bool                  // guarded by mu
	sessions map[*session]struct{} // guarded by mu
	topics   map[protocol.URI]*topicSubs
	bySubID  map[protocol.ID]*topicSubs // guarded by mu
	lastSub  protocol.ID                // guarded by mu
	wg       sync.WaitGroup             // session goroutines
	raw      *rawServer                 // RawSocket endpoint, started by RawURL; guarded by mu
}

// topicSubs is one topic's subscription. subs is copied on write, so a
// publisher may iterate a snapshot without holding the lock.
type topicSubs struct {
	id    protocol.ID
	topic protocol.URI
	subs  []*session
}

// StartRouter starts a bench router offering codecs (nil: every codec of
// package codec) on a new HTTP server bound to 127.0.0.1:0.
func StartRouter(codecs ...codec.Codec) *Router {
	if len(codecs) == 0 {
		codecs = codec.Default()
	}
	r := &Router{
		codecs:   codecs,
		sessions: map[*session]struct{}{},
		topics:   map[protocol.URI]*topicSubs{},
		bySubID:  map[protocol.ID]*topicSubs{},
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.srv = httptest.NewServer(r)
	return r
}

// URL is the router's WebSocket URL, ws://127.0.0.1:port/.
func (r *Router) URL() string { return wsURL(r.srv.URL) }

// Sessions reports how many sessions are connected.
func (r *Router) Sessions() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sessions)
}

// Close stops the HTTP server, closes every session's connection and waits
// for every session goroutine to exit. It is safe to call more than once.
func (r *Router) Close() {
	r.mu.Lock()
	r.closed = true
	open := make([]*session, 0, len(r.sessions))
	for s := range r.sessions {
		open = append(open, s)
	}
	r.mu.Unlock()
	r.cancel()
	r.srv.Close()
	r.closeRaw()
	for _, s := range open {
		s.conn.Close()
	}
	r.wg.Wait()
}

// ServeHTTP accepts a WebSocket connection and serves one WAMP session on
// it until the connection ends. The goroutine of the request serves it.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	conn, err := wsconn.Accept(w, req, &wsconn.AcceptOptions{Codecs: r.codecs})
	if err != nil {
		return // Accept has answered the request
	}
	r.serveConn(conn)
}

// serveConn serves one WAMP session on conn, over any transport, until the
// connection ends; it closes conn.
func (r *Router) serveConn(conn protocol.Transport) {
	s := &session{r: r, conn: conn, id: r.lastSession.Add(1), subs: map[protocol.ID]bool{}}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		conn.Close()
		return
	}
	r.sessions[s] = struct{}{}
	r.wg.Add(1)
	r.mu.Unlock()
	defer r.wg.Done()
	s.serve()
}

// session is one client connection. Its fields other than r, conn and id
// are owned by its goroutine (serve).
type session struct {
	r      *Router
	conn   protocol.Transport
	id     protocol.ID
	joined bool
	subs   map[protocol.ID]bool // subscription ids held
}

func (s *session) serve() {
	defer s.conn.Close()
	defer s.r.leave(s)
	for msg := range s.conn.Receive() {
		if !s.handle(msg) {
			return
		}
	}
}

// send hands msg to the connection; a failure means the connection is
// ending, which the read loop will see.
func (s *session) send(msg protocol.Message) {
	s.conn.Send(s.r.ctx, msg)
}

// handle answers one message, reporting whether the session goes on.
func (s *session) handle(msg protocol.Message) bool {
	if !s.joined {
		if _, ok := msg.(*protocol.Hello); !ok {
			s.abort("wamp.error.protocol_violation", "expected HELLO")
			return false
		}
		s.joined = true
		s.send(&protocol.Welcome{Session: s.id, Details: welcomeDetails()})
		return true
	}
	switch m := msg.(type) {
	case *protocol.Call:
		s.send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: m.Payload})
	case *protocol.Cancel, *protocol.Yield:
		// Every call was answered when it arrived; nothing is invoked.
	case *protocol.Publish:
		pub := s.r.publish(s, m)
		if ack, _ := m.Options["acknowledge"].(bool); ack {
			s.send(&protocol.Published{Request: m.Request, Publication: pub})
		}
	case *protocol.Subscribe:
		if match, _ := m.Options["match"].(string); match != "" && match != protocol.MatchExact {
			s.sendError(protocol.TypeSubscribe, m.Request, "wamp.error.invalid_argument")
			return true
		}
		id := s.r.subscribe(s, m.Topic)
		s.subs[id] = true
		s.send(&protocol.Subscribed{Request: m.Request, Subscription: id})
	case *protocol.Unsubscribe:
		if !s.subs[m.Subscription] {
			s.sendError(protocol.TypeUnsubscribe, m.Request, "wamp.error.no_such_subscription")
			return true
		}
		delete(s.subs, m.Subscription)
		s.r.unsubscribe(s, m.Subscription)
		s.send(&protocol.Unsubscribed{Request: m.Request})
	case *protocol.Register:
		s.sendError(protocol.TypeRegister, m.Request, "wamp.error.not_authorized")
	case *protocol.Unregister:
		s.sendError(protocol.TypeUnregister, m.Request, "wamp.error.no_such_registration")
	case *protocol.Goodbye:
		s.r.leaveTopics(s)
		s.send(&protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
	case *protocol.Abort:
		return false
	default:
		s.abort("wamp.error.protocol_violation", "unexpected "+msg.Type().String())
		return false
	}
	return true
}

func (s *session) sendError(t protocol.MessageType, req protocol.ID, uri protocol.URI) {
	s.send(&protocol.Error{RequestType: t, Request: req, Details: protocol.Dict{}, Error: uri})
}

func (s *session) abort(reason protocol.URI, message string) {
	s.send(&protocol.Abort{Reason: reason, Details: protocol.Dict{"message": message}})
}

// welcomeDetails is WELCOME.Details: the router's roles with the features
// the bench router honours.
func welcomeDetails() protocol.Dict {
	return protocol.Dict{
		"authid":     "bench",
		"authrole":   "anonymous",
		"authmethod": "anonymous",
		"agent":      "wampgo-bench-router",
		"roles": protocol.Dict{
			protocol.RoleDealer: protocol.Dict{"features": protocol.Dict{
				// Calls are answered at once, so canceling (ignored
				// CANCEL: the answer has been sent) and timeouts are
				// trivially honoured.
				protocol.FeatureCallCanceling: true,
				protocol.FeatureCallTimeout:   true,
			}},
			protocol.RoleBroker: protocol.Dict{"features": protocol.Dict{
				protocol.FeaturePublisherExclusion:      true,
				protocol.FeaturePublisherIdentification: true,
			}},
		},
	}
}

// subscribe adds s to topic's subscription and returns its id.
func (r *Router) subscribe(s *session, topic protocol.URI) protocol.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.topics[topic]
	if t == nil {
		r.lastSub++
		t = &topicSubs{id: r.lastSub, topic: topic}
		r.topics[topic] = t
		r.bySubID[t.id] = t
	}
	subs := make([]*session, 0, len(t.subs)+1)
	subs = append(subs, t.subs...)
	t.subs = append(subs, s)
	return t.id
}

// unsubscribe removes s from the subscription id.
func (r *Router) unsubscribe(s *session, id protocol.ID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked(s, id)
}

func (r *Router) removeLocked(s *session, id protocol.ID) {
	t := r.bySubID[id]
	if t == nil {
		return
	}
	subs := make([]*session, 0, len(t.subs))
	for _, x := range t.subs {
		if x != s {
			subs = append(subs, x)
		}
	}
	t.subs = subs
	if len(subs) == 0 {
		delete(r.topics, t.topic)
		delete(r.bySubID, id)
	}
}

// leaveTopics removes every subscription of s; only s's goroutine calls it.
func (r *Router) leaveTopics(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range s.subs {
		r.removeLocked(s, id)
	}
	clear(s.subs)
}

// leave forgets s; only s's goroutine calls it, as it exits.
func (r *Router) leave(s *session) {
	r.leaveTopics(s)
	r.mu.Lock()
	delete(r.sessions, s)
	r.mu.Unlock()
}

// publish sends the publication to the topic's subscribers and returns its
// id. It runs on the publisher's goroutine; a subscriber whose connection is
// slow slows the publisher down (its Send blocks), as TCP would.
func (r *Router) publish(from *session, m *protocol.Publish) protocol.ID {
	pub := r.lastPub.Add(1)
	r.mu.Lock()
	t := r.topics[m.Topic]
	var subs []*session
	var subID protocol.ID
	if t != nil {
		subs, subID = t.subs, t.id
	}
	r.mu.Unlock()
	if len(subs) == 0 {
		return pub
	}
	excludeMe := true
	if v, ok := m.Options["exclude_me"].(bool); ok {
		excludeMe = v
	}
	details := protocol.Dict{}
	if disclose, _ := m.Options["disclose_me"].(bool); disclose {
		details["publisher"] = from.id
	}
	ev := &protocol.Event{Subscription: subID, Publication: pub, Details: details, Payload: m.Payload}
	for _, s := range subs {
		if s == from && excludeMe {
			continue
		}
		s.send(ev)
	}
	return pub
}

// wsURL turns an http:// URL into the matching ws:// one.
func wsURL(httpURL string) string {
	if rest, ok := strings.CutPrefix(httpURL, "http://"); ok {
		return "ws://" + rest + "/"
	}
	return httpURL
}
