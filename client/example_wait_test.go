package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// A caller that starts before its callee (or while the callee restarts)
// waits for it with WaitForCallee instead of failing with
// wamp.error.no_such_procedure: the call is sent again, with backoff,
// until a callee answers or the call's context ends.
func ExampleWaitForCallee() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	caller, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	call := caller.Call(callCtx, "com.example.greet", protocol.List{"Ada"}, nil, client.WaitForCallee())

	// The callee comes up after the router has refused the call once.
	for caller.Stats().CallRetries == 0 && callCtx.Err() == nil {
		time.Sleep(time.Millisecond) // Stats is polled: it has no change signal
	}
	callee, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.greet", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{fmt.Sprint("hello, ", inv.Args[0])}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	res, err := call.Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Args[0])
	// Output: hello, Ada
}
