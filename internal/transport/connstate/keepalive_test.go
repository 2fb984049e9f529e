package connstate

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Pings run interval after the previous one returned, on the timer, and
// stop after a failed ping, once done is closed, and at Stop.
func TestKeepalivePingsOnTheTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var pings atomic.Int32
		done := make(chan struct{})
		k := StartKeepalive(time.Second, done, func() bool {
			pings.Add(1)
			time.Sleep(100 * time.Millisecond) // the answer's round trip
			return true
		})
		time.Sleep(3*time.Second + 350*time.Millisecond) // pings at 1s, 2.1s, 3.2s
		synctest.Wait()
		if n := pings.Load(); n != 3 {
			t.Fatalf("%d pings in 3.35s, want 3", n)
		}
		close(done)
		time.Sleep(5 * time.Second)
		if n := pings.Load(); n != 3 {
			t.Fatalf("%d pings after done, want 3", n)
		}
		k.Stop()
		k.Stop()
	})
	synctest.Test(t, func(t *testing.T) {
		var pings atomic.Int32
		k := StartKeepalive(time.Second, make(chan struct{}), func() bool {
			pings.Add(1)
			return false
		})
		time.Sleep(10 * time.Second)
		if n := pings.Load(); n != 1 {
			t.Fatalf("%d pings after a failed one, want 1", n)
		}
		k.Stop()
	})
	var none *Keepalive = StartKeepalive(0, nil, nil)
	none.Stop() // nil: pings disabled
}

// Stop waits for the ping in progress.
func TestKeepaliveStopWaitsForThePing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var ended atomic.Bool
		k := StartKeepalive(time.Second, make(chan struct{}), func() bool {
			<-release
			ended.Store(true)
			return true
		})
		time.Sleep(time.Second)
		synctest.Wait() // the ping waits for its answer
		stopped := make(chan struct{})
		go func() { k.Stop(); close(stopped) }()
		synctest.Wait()
		select {
		case <-stopped:
			t.Fatal("Stop returned during a ping")
		default:
		}
		close(release)
		<-stopped
		if !ended.Load() {
			t.Fatal("the ping did not end")
		}
	})
}
