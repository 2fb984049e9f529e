// Command demo starts the fox-wamp router from testdata/router, runs the
// wampgo client against it — a procedure streaming progressive results and
// a topic with several subscribers — prints what happens, and stops the
// router. It is what `make demo` runs.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run runs the whole demo, printing to out.
func run(w io.Writer) error {
	out := &lockedWriter{w: w} // handlers print from their own goroutines
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	router, err := startRouter(ctx)
	if err != nil {
		return err
	}
	defer router.stop()
	fmt.Fprintf(out, "router: fox-wamp listening on %s\n", router.url)

	callee, err := client.Dial(ctx, router.url, "demo")
	if err != nil {
		return fmt.Errorf("callee: %w", err)
	}
	defer callee.Close(ctx)
	caller, err := client.Dial(ctx, router.url, "demo")
	if err != nil {
		return fmt.Errorf("caller: %w", err)
	}
	defer caller.Close(ctx)
	fmt.Fprintf(out, "joined: callee %s\n        caller %s\n", callee, caller)

	if err := rpcDemo(ctx, out, callee, caller); err != nil {
		return err
	}
	return pubsubDemo(ctx, out, callee, caller)
}

// rpcDemo registers a countdown that streams each step as a progressive
// result, and calls it.
func rpcDemo(ctx context.Context, out io.Writer, callee, caller *client.Client) error {
	reg, err := callee.Register(ctx, "demo.countdown", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		var from int64
		if err := inv.Decode(&from); err != nil || from < 1 || from > 10 {
			return client.Result{}, client.NewError("demo.error.bad_start", protocol.List{"start must be 1..10"}, nil)
		}
		for n := from; n > 0; n-- {
			if inv.ReceiveProgress {
				if err := inv.SendProgress(ctx, protocol.List{n}, nil); err != nil {
					return client.Result{}, err
				}
			}
		}
		return client.Result{Args: protocol.List{"liftoff"}}, nil
	})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	fmt.Fprintf(out, "\nrpc: registered demo.countdown (registration %d)\n", reg.ID())

	call := caller.Call(ctx, "demo.countdown", protocol.List{int64(5)}, nil, client.ReceiveProgress())
	for res := range call.Results() {
		switch {
		case res.Err != nil:
			return fmt.Errorf("call: %w", res.Err)
		case res.Progress:
			fmt.Fprintf(out, "rpc: progressive result %v\n", res.Args)
		default:
			fmt.Fprintf(out, "rpc: final result %v\n", res.Args)
		}
	}

	_, err = caller.Call(ctx, "demo.countdown", protocol.List{int64(99)}, nil).Await(ctx)
	fmt.Fprintf(out, "rpc: a bad start is an error: %v\n", err)
	return reg.Unregister(ctx)
}

// pubsubDemo subscribes three handlers on two sessions to one topic and
// publishes to it with acknowledgement.
func pubsubDemo(ctx context.Context, out io.Writer, a, b *client.Client) error {
	const topic = "demo.news"
	var wg sync.WaitGroup
	handler := func(name string) client.EventHandler {
		return func(_ context.Context, ev *client.Event) {
			fmt.Fprintf(out, "pubsub: %-10s got %v (publication %d)\n", name, ev.Args, ev.Publication)
			wg.Done()
		}
	}
	for _, s := range []struct {
		c    *client.Client
		name string
	}{{a, "a/first"}, {a, "a/second"}, {b, "b/only"}} {
		if _, err := s.c.Subscribe(ctx, topic, handler(s.name)); err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
	}
	fmt.Fprintf(out, "\npubsub: three subscribers on %s\n", topic)
	for i, headline := range []string{"wampgo speaks WAMP", "progressive results work"} {
		wg.Add(3)
		pub, err := b.Publish(ctx, topic, protocol.List{headline}, nil, client.Acknowledge(), client.ExcludeMe(false))
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		fmt.Fprintf(out, "pubsub: published #%d, acknowledged as publication %d\n", i+1, pub)
		wg.Wait()
	}
	fmt.Fprintln(out, "\ndemo: done")
	return nil
}

// lockedWriter serializes writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
