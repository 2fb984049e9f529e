// Package connstate is the skeleton both transports (wsconn and
// internal/transport/rawsocket) run on: Conn, the reader goroutine, the
// writer (Writer), the keepalive timer (Keepalive, Pinger) and the record
// of why a connection ended (State), around a transport's Framing, which
// supplies only how messages and control frames are framed on the stream
// (the handshake is done before). It also holds the defaults of their
// keepalive, queue and close settings (Timing) and the byte counters of
// their messages (Traffic).
package connstate

import (
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// State records the end of one connection: the first reason it ended
// (Err, Done) and whether its write side has stopped (WritesStopped). Its
// methods are safe for concurrent use. Create it with New.
type State struct {
	mu   sync.Mutex
	err  error         // first end reason; guarded by mu
	done chan struct{} // closed by End once err is set
	// wstop is closed once writes stopped (wstopped): made by the first
	// caller of WritesStopped, since only a sender waiting for room selects
	// on it (an idle connection holds none); guarded by mu.
	wstop    chan struct{}
	wstopped atomic.Bool // set by the first StopWrites, under mu
}

// New returns the state of a connection that runs.
func New() *State {
	s := new(State)
	s.init()
	return s
}

// init makes s, in place, the state of a connection that runs: for an
// owner that embeds its State. s must not be in use.
func (s *State) init() {
	s.done = make(chan struct{})
}

// End records err as the end reason unless one was recorded, and closes
// Done. It reports whether err was the first. Any goroutine may call it.
func (s *State) End(err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false
	}
	s.err = err
	close(s.done)
	return true
}

// Err returns the reason recorded by the first End, or nil while the
// connection runs. It never changes once set.
func (s *State) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Done is closed by the first End.
func (s *State) Done() <-chan struct{} { return s.done }

// StopWrites closes WritesStopped; later calls do nothing.
func (s *State) StopWrites() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wstopped.Load() {
		return
	}
	s.wstopped.Store(true)
	if s.wstop != nil {
		close(s.wstop)
	}
}

// WritesStopped is closed by the first StopWrites: the connection takes
// no more messages and its writer exits. For a check that does not wait,
// StoppedWrites is cheaper.
func (s *State) WritesStopped() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wstop == nil {
		s.wstop = make(chan struct{})
		if s.wstopped.Load() {
			close(s.wstop)
		}
	}
	return s.wstop
}

// StoppedWrites reports whether StopWrites was called (whether
// WritesStopped is closed).
func (s *State) StoppedWrites() bool { return s.wstopped.Load() }

// Timing is the part of a connection's settings that both transports
// take, as given in their options.
type Timing struct {
	PingInterval time.Duration // 0: no keepalive pings; negative: an error
	PongTimeout  time.Duration // <= 0: PingInterval
	SendQueue    int           // 0: the default; negative: unbuffered
	CloseTimeout time.Duration // <= 0: the default
	Log          *slog.Logger  // nil: discard
}

// Normalize fills in the defaults (sendQueue and closeTimeout for the
// zero values of SendQueue and CloseTimeout). It fails on a negative
// PingInterval, with an error whose text starts with pkg.
func (t *Timing) Normalize(pkg string, sendQueue int, closeTimeout time.Duration) error {
	if t.PingInterval < 0 {
		return errors.New(pkg + ": negative PingInterval")
	}
	if t.PongTimeout <= 0 {
		t.PongTimeout = t.PingInterval
	}
	switch {
	case t.SendQueue == 0:
		t.SendQueue = sendQueue
	case t.SendQueue < 0:
		t.SendQueue = 0
	}
	if t.CloseTimeout <= 0 {
		t.CloseTimeout = closeTimeout
	}
	if t.Log == nil {
		t.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}
