package connstate

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestStateKeepsTheFirstEnd(t *testing.T) {
	s := New()
	if s.Err() != nil {
		t.Fatalf("Err = %v before End", s.Err())
	}
	first, second := errors.New("first"), errors.New("second")
	if !s.End(first) {
		t.Fatal("the first End reported false")
	}
	if s.End(second) {
		t.Fatal("a second End reported true")
	}
	select {
	case <-s.Done():
	default:
		t.Fatal("Done not closed after End")
	}
	if s.Err() != first {
		t.Fatalf("Err = %v, want the first reason", s.Err())
	}
	select {
	case <-s.WritesStopped():
		t.Fatal("End stopped the writes")
	default:
	}
	s.StopWrites()
	s.StopWrites()
	select {
	case <-s.WritesStopped():
	default:
		t.Fatal("WritesStopped not closed after StopWrites")
	}
}

func TestTimingDefaults(t *testing.T) {
	var z Timing
	if err := z.Normalize("x", 16, time.Second); err != nil {
		t.Fatal(err)
	}
	if z.PongTimeout != 0 || z.SendQueue != 16 || z.CloseTimeout != time.Second || z.Log == nil {
		t.Fatalf("zero Timing normalized to %+v", z)
	}
	set := Timing{PingInterval: time.Minute, SendQueue: -1, CloseTimeout: 3 * time.Second}
	if err := set.Normalize("x", 16, time.Second); err != nil {
		t.Fatal(err)
	}
	if set.PongTimeout != time.Minute || set.SendQueue != 0 || set.CloseTimeout != 3*time.Second {
		t.Fatalf("Timing normalized to %+v", set)
	}
	bad := Timing{PingInterval: -time.Second}
	if err := bad.Normalize("wsconn", 16, time.Second); err == nil || !strings.HasPrefix(err.Error(), "wsconn: ") {
		t.Fatalf("negative PingInterval: %v", err)
	}
}

func TestTrafficAddsUpAndIgnoresNil(t *testing.T) {
	var tr Traffic
	CountRead(&tr, 3)
	CountRead(&tr, 4)
	CountWritten(&tr, 5)
	CountRead(nil, 1)
	CountWritten(nil, 1)
	if in, out := tr.BytesIn.Load(), tr.BytesOut.Load(); in != 7 || out != 5 {
		t.Fatalf("BytesIn, BytesOut = %d, %d; want 7, 5", in, out)
	}
}
