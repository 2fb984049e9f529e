package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// The examples run against the in-process router of package
// client/wamptest, wampgo's test kit: Pipe returns an in-memory transport to
// it, which Connect joins like any other. With a real router, use Dial (see
// ExampleDial). Copied into a test of your own module, they run as they are.

func ExampleClient_Call() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	callee, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.add", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		// Decode checks the arguments: a 2.5 is an error, not a silent 0.
		var a, b int64
		if err := inv.Decode(&a, &b); err != nil {
			return client.Result{}, client.NewError("wamp.error.invalid_argument", protocol.List{err.Error()}, nil)
		}
		return client.Result{Args: protocol.List{a + b}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	// Arguments may be any Go values (see package client/payload).
	res, err := caller.Call(ctx, "com.example.add", protocol.List{2, 3}, nil).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("2 + 3 =", res.Args[0])
	// Output: 2 + 3 = 5
}

func ExampleClient_Call_progressive() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	callee, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.countdown", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for i := int64(3); i > 0; i-- {
			if err := inv.SendProgress(ctx, protocol.List{i}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"liftoff"}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	call := caller.Call(ctx, "com.example.countdown", nil, nil, client.ReceiveProgress())
	// Results delivers each progressive result, then the final one, and is
	// closed after it.
	for res := range call.Results() {
		switch {
		case res.Err != nil:
			log.Fatal(res.Err)
		case res.Progress:
			fmt.Println("progress:", res.Args[0])
		default:
			fmt.Println("final:", res.Args[0])
		}
	}
	// Output:
	// progress: 3
	// progress: 2
	// progress: 1
	// final: liftoff
}

func ExampleClient_Register() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	callee, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.greet", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		var name string
		if err := inv.Decode(&name); err != nil || name == "" {
			// An *Error reaches the caller with its URI and payload.
			return client.Result{}, client.NewError("com.example.error.invalid_name",
				protocol.List{"name must be a non-empty string"}, nil)
		}
		return client.Result{Args: protocol.List{"Hello, " + name + "!"}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	for _, arg := range []any{"Ada", int64(42)} {
		res, err := caller.Call(ctx, "com.example.greet", protocol.List{arg}, nil).Await(ctx)
		var werr *client.Error
		switch {
		case errors.As(err, &werr):
			fmt.Println("error:", werr.URI, werr.Args[0])
		case err != nil:
			log.Fatal(err)
		default:
			fmt.Println(res.Args[0])
		}
	}
	// Output:
	// Hello, Ada!
	// error: com.example.error.invalid_name name must be a non-empty string
}

func ExampleClient_Subscribe() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)

	// Two handlers on one topic: each gets every event, on its own
	// goroutine.
	received := make(chan string, 2)
	for _, name := range []string{"audit", "billing"} {
		_, err := c.Subscribe(ctx, "com.example.orders", func(ctx context.Context, ev *client.Event) {
			received <- fmt.Sprintf("%s got order %v", name, ev.Args[0])
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// A publisher does not receive its own events unless ExcludeMe(false);
	// Acknowledge waits for the router to accept the publication.
	id, err := c.Publish(ctx, "com.example.orders", protocol.List{"A-17"}, nil,
		client.Acknowledge(), client.ExcludeMe(false))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("published:", id != 0)

	got := []string{<-received, <-received}
	slices.Sort(got) // the handlers run concurrently
	fmt.Println(strings.Join(got, "\n"))
	// Output:
	// published: true
	// audit got order A-17
	// billing got order A-17
}

func ExampleClient_Close() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	// Close says GOODBYE, waits for the router's answer and for every
	// goroutine of the client to exit.
	if err := c.Close(ctx); err != nil {
		log.Fatal(err)
	}
	<-c.Done() // already closed: Close waited for it
	fmt.Println("session error:", c.Err())

	// Every operation on a closed client fails with ErrClosed.
	_, err = c.Call(ctx, "com.example.add", nil, nil).Await(ctx)
	fmt.Println("call after Close:", errors.Is(err, client.ErrClosed))
	// Output:
	// session error: <nil>
	// call after Close: true
}

func ExampleDial() {
	router := wamptest.NewRouter()
	defer router.Close()
	ws := router.ListenWebSocket() // a loopback WebSocket listener; Close closes it too
	url := ws.URL()                // ws://127.0.0.1:port

	ctx := context.Background()
	c, err := client.Dial(ctx, url, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)

	// wamp.session.count is a meta procedure the router itself answers.
	res, err := c.Call(ctx, "wamp.session.count", nil, nil).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("joined", c.Session().Realm, "with", res.Args[0], "session")
	// Output: joined realm1 with 1 session
}

// A reconnecting client survives the loss of its connection: here the test
// kit's router drops it, and the client rejoins over a new in-memory pipe
// (the router's Dial), its registrations restored.
func ExampleWithReconnect() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	joined := make(chan protocol.ID, 2)
	svc, err := router.Connect(ctx, "realm1", client.WithReconnect(client.Reconnect{
		URLs:     []string{"mem://router"},
		Dial:     router.Dial,
		MinDelay: 10 * time.Millisecond,
		OnStateChange: func(sc client.StateChange) {
			if sc.State == client.StateJoined {
				joined <- sc.Session
			}
		},
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close(ctx)
	_, err = svc.Register(ctx, "com.example.ping", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"pong"}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}
	<-joined

	router.Drop(svc.Session().ID) // as if the network failed
	<-joined

	caller, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	res, err := caller.Call(ctx, "com.example.ping", nil, nil).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Args[0])
	// Output: pong
}
