package wamptest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// FuzzRouter feeds a joined session arbitrary JSON frames, one per line,
// while a second session holds a registration and a subscription the
// frames may reach. The router must neither panic nor hang: Close returns
// with every goroutine gone, whatever the frames did.
func FuzzRouter(f *testing.F) {
	for _, seed := range []string{
		`[48,1,{},"com.example.p",[1]]`,
		`[48,1,{"receive_progress":true,"timeout":1},"com.example.p"]` + "\n" + `[49,1,{"mode":"kill"}]`,
		`[16,1,{"acknowledge":true,"retain":true,"exclude":[1,2],"eligible_authrole":["x"]},"com.example.t",["a"],{"k":1}]`,
		`[32,1,{"match":"prefix","get_retained":true},"com"]` + "\n" + `[34,2,1]`,
		`[64,1,{"match":"wildcard","invoke":"roundrobin"},"com..p"]` + "\n" + `[66,2,1]`,
		`[48,1,{},"wamp.session.add_testament",["com.example.t",[1],{}],{"scope":"detached","publish_options":{"exclude_me":false}}]`,
		`[48,1,{},"wamp.registration.lookup",["com.example.p",{"match":"prefix"}]]`,
		`[48,1,{},"wamp.subscription.match",["com.example.t"]]`,
		`[48,1,{},"wamp.session.kill_all",[],{"reason":"wamp.close.x","message":"m"}]`,
		`[48,1,{"progress":true},"com.example.p",[1]]` + "\n" + `[48,1,{"progress":false},"com.example.p",[2]]`,
		`[70,1,{},"x"]` + "\n" + `[6,{},"wamp.close.close_realm"]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, frames []byte) {
		r := NewRouter(WithCloseGrace(100 * time.Millisecond))
		defer r.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		roles := protocol.Dict{"callee": protocol.Dict{"features": protocol.Dict{"call_canceling": true, "progressive_call_results": true}},
			"subscriber": protocol.Dict{}, "caller": protocol.Dict{"features": protocol.Dict{"progressive_call_invocations": true}}}
		other := r.Pipe()
		other.Send(ctx, &protocol.Hello{Realm: "realm1", Details: protocol.Dict{"roles": roles}})
		other.Send(ctx, &protocol.Register{Request: 1, Options: protocol.Dict{}, Procedure: "com.example.p"})
		other.Send(ctx, &protocol.Subscribe{Request: 2, Options: protocol.Dict{}, Topic: "com.example.t"})
		fuzzed := r.Pipe().(*memconn.Conn)
		fuzzed.Send(ctx, &protocol.Hello{Realm: "realm1", Details: protocol.Dict{"roles": roles}})
		for _, frame := range bytes.Split(frames, []byte("\n")) {
			if err := fuzzed.SendRaw(ctx, frame); err != nil {
				break
			}
		}
		// Drain both sides until the router is closed, so that no send
		// waits on a full pipe.
		done := make(chan struct{})
		for _, c := range []protocol.Transport{other, fuzzed} {
			go func() {
				for range c.Receive() {
				}
				done <- struct{}{}
			}()
		}
		r.Close()
		<-done
		<-done
	})
}
