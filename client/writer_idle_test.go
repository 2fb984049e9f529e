package client_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// writers counts the goroutines running a connection's writer.
func writers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return bytes.Count(buf, []byte("client.(*outbound).write("))
}

// A joined session that sends nothing has no writer goroutine; sending
// starts one, which stays while traffic goes on and exits once the queue
// has been empty a while; the next message starts another.
func TestWriterRunsOnlyWithTraffic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, wire)
		defer j.Stop()
		r := j.Router
		synctest.Wait()
		if n := writers(); n != 0 {
			t.Fatalf("%d writers in an idle session, want none", n)
		}
		call := func(want protocol.ID) {
			t.Helper()
			f := c.Call(context.Background(), "com.p", nil, nil)
			m := scripted.Expect[*protocol.Call](r)
			if m.Request != want {
				t.Fatalf("CALL request %d, want %d", m.Request, want)
			}
			r.Send(&protocol.Result{Request: m.Request})
			if _, err := f.Await(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		call(1)
		synctest.Wait()
		if n := writers(); n != 1 {
			t.Fatalf("%d writers after a call, want 1", n)
		}
		time.Sleep(500 * time.Millisecond) // fake time
		call(2)
		// The writer exits between one and two seconds after its last
		// write.
		time.Sleep(900 * time.Millisecond)
		synctest.Wait()
		if n := writers(); n != 1 {
			t.Fatalf("%d writers 0.9s after the last call, want 1 (it lingers)", n)
		}
		time.Sleep(1200 * time.Millisecond)
		synctest.Wait()
		if n := writers(); n != 0 {
			t.Fatalf("%d writers 2.1s after the last call, want none", n)
		}
		call(3)
	})
}
