package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// A publisher that sends bursts keeps at most 64 KiB queued for its
// connection: past that, Publish waits for the writer (bounded by its
// context) instead of the queue growing. A message larger than the bound
// still goes, alone.
func ExampleWithWriteQueue() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	sub, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close(ctx)
	got := make(chan int, 1000)
	_, err = sub.Subscribe(ctx, "com.example.burst", func(ctx context.Context, ev *client.Event) {
		got <- len(ev.Args[0].(string))
	}, client.OnOverflow(client.Block))
	if err != nil {
		log.Fatal(err)
	}

	pub, err := router.Connect(ctx, "realm1", client.WithWriteQueue(64<<10))
	if err != nil {
		log.Fatal(err)
	}
	defer pub.Close(ctx)
	chunk := strings.Repeat("x", 4<<10)
	for range 100 {
		if _, err := pub.Publish(ctx, "com.example.burst", protocol.List{chunk}, nil); err != nil {
			log.Fatal(err)
		}
	}
	// Larger than the whole queue: it waits for the queue to empty, then
	// goes.
	big := strings.Repeat("y", 256<<10)
	if _, err := pub.Publish(ctx, "com.example.burst", protocol.List{big}, nil, client.Acknowledge()); err != nil {
		log.Fatal(err)
	}

	bytes := 0
	for range 101 {
		bytes += <-got
	}
	fmt.Println("events: 101, bytes:", bytes)
	// Output: events: 101, bytes: 671744
}

// A caller that only wants the latest progress of a long call drops what it
// has no room for, instead of queueing it (Block, the default, never drops).
// Here the caller reads nothing until the call is over: of five
// progressive results, the two that fit in its buffer are kept.
func ExampleOnProgressOverflow() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	callee, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.download", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for pct := 20; pct <= 100; pct += 20 {
			if err := inv.SendProgress(ctx, protocol.List{pct}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"done"}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	for _, policy := range []client.OverflowPolicy{client.Drop, client.Block} {
		call := caller.Call(ctx, "com.example.download", nil, nil,
			client.ReceiveProgress(), client.ProgressBuffer(2), client.OnProgressOverflow(policy))
		if _, err := call.Await(ctx); err != nil {
			log.Fatal(err)
		}
		var seen []string
		for res := range call.Results() {
			seen = append(seen, fmt.Sprint(res.Args[0]))
		}
		fmt.Printf("read %s, dropped %d\n", strings.Join(seen, " "), call.Dropped())
	}
	// Output:
	// read 20 40 done, dropped 3
	// read 20 40 60 80 100 done, dropped 0
}

// Under Block, results that find Results full wait in a queue whose
// bounds ProgressQueueLimits sets; past them, the session stops reading
// from the router until the caller catches up. Nothing is dropped.
func ExampleProgressQueueLimits() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	callee, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.lines", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for i := range 50 {
			line := fmt.Sprintf("line %d", i)
			if err := inv.SendProgress(ctx, protocol.List{line}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"eof"}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	call := caller.Call(ctx, "com.example.lines", nil, nil, client.ReceiveProgress(),
		client.ProgressBuffer(4), client.ProgressQueueLimits(client.Limits{MaxMessages: 8, MaxBytes: 1 << 10}))
	n := 0
	var last any
	for res := range call.Results() {
		if res.Err != nil {
			log.Fatal(res.Err)
		}
		n++
		last = res.Args[0]
	}
	fmt.Println("results:", n, "last:", last, "dropped:", call.Dropped())
	// Output: results: 51 last: eof dropped: 0
}

// Options the package has no function for go in RawOptions. They are
// checked before anything is sent: a value the session's serializer cannot
// carry fails the operation in the caller's goroutine, naming the option.
func ExampleRawOptions() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)

	_, err = c.Publish(ctx, "com.example.topic", nil, nil, client.RawOptions(protocol.Dict{"x_trace": "\xff\xfe"}))
	var ae *client.ArgumentError
	if errors.Is(err, client.ErrInvalidArgument) && errors.As(err, &ae) {
		fmt.Println("refused:", ae.Op, ae.Arg)
	}

	_, err = c.Publish(ctx, "com.example.topic", nil, nil, client.RawOptions(protocol.Dict{"x_trace": "4bf92f35"}), client.Acknowledge())
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range router.Log(c.Session().ID).Sent(protocol.TypePublish) {
		fmt.Println("sent:", m.(*protocol.Publish).Options["x_trace"])
	}
	// Output:
	// refused: Publish option "x_trace"
	// sent: 4bf92f35
}

// The error handler receives what no caller waits for: here, the panic of
// an event handler (the subscription goes on).
func ExampleWithErrorHandler() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	errs := make(chan error, 1)
	c, err := router.Connect(ctx, "realm1", client.WithErrorHandler(func(err error) { errs <- err }))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	_, err = c.Subscribe(ctx, "com.example.topic", func(ctx context.Context, ev *client.Event) {
		panic("unexpected event")
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Publish(ctx, "com.example.topic", nil, nil, client.ExcludeMe(false)); err != nil {
		log.Fatal(err)
	}
	var pe *client.HandlerPanicError
	if err := <-errs; errors.As(err, &pe) {
		fmt.Println("handler panicked:", pe.Value)
	}
	// Output: handler panicked: unexpected event
}
