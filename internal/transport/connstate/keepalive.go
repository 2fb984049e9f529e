package connstate

import (
	"sync"
	"time"
)

// Keepalive runs a connection's pings on a timer instead of a goroutine:
// interval after the previous ping succeeded, the timer's function pings
// (on a goroutine of its own that lives as long as that one ping). An idle
// connection with keepalive holds a timer, nothing more.
type Keepalive struct {
	interval time.Duration
	done     <-chan struct{} // closed when the connection ends: no more pings
	ping     func() bool     // pings and waits for the answer; false: the connection ended

	mu      sync.Mutex
	timer   *time.Timer    // guarded by mu
	stopped bool           // guarded by mu
	wg      sync.WaitGroup // the ping in progress; Add under mu while not stopped
}

// StartKeepalive arms the first ping, interval from now. ping sends one
// ping and waits for its answer, reporting whether the connection is still
// up; no ping follows a false, nor starts once done is closed (the
// connection ended: after a protocol violation its reader reads no more
// answers). A zero or negative interval returns nil, whose Stop does
// nothing.
func StartKeepalive(interval time.Duration, done <-chan struct{}, ping func() bool) *Keepalive {
	if interval <= 0 {
		return nil
	}
	k := &Keepalive{interval: interval, done: done, ping: ping}
	k.mu.Lock()
	k.timer = time.AfterFunc(interval, k.tick)
	k.mu.Unlock()
	return k
}

func (k *Keepalive) tick() {
	select {
	case <-k.done:
		return
	default:
	}
	k.mu.Lock()
	if k.stopped {
		k.mu.Unlock()
		return
	}
	k.wg.Add(1)
	k.mu.Unlock()
	defer k.wg.Done()
	if !k.ping() {
		return
	}
	k.mu.Lock()
	if !k.stopped {
		k.timer.Reset(k.interval)
	}
	k.mu.Unlock()
}

// Stop disarms the timer and waits for a ping in progress to return (the
// owner ends the connection first, which ends the ping). Safe on nil and
// more than once.
func (k *Keepalive) Stop() {
	if k == nil {
		return
	}
	k.mu.Lock()
	k.stopped = true
	k.timer.Stop()
	k.mu.Unlock()
	k.wg.Wait()
}
