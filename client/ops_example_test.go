package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// A service that starts before its router: Dial returns at once and the
// client joins when the router comes up.
func ExampleReconnect_retryOnFailedConnect() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()
	// Stands in for a router that is not listening yet.
	var up atomic.Bool
	dial := func(ctx context.Context, url string) (protocol.Transport, error) {
		if !up.Load() {
			return nil, errors.New("connection refused")
		}
		return router.Pipe(), nil
	}

	c, err := client.Dial(ctx, "ws://127.0.0.1:8080/ws", "realm1", client.WithReconnect(client.Reconnect{
		Dial:                 dial,
		RetryOnFailedConnect: true,
		MinDelay:             10 * time.Millisecond,
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	fmt.Println("after Dial:", c.State())

	up.Store(true)
	if err := c.WaitJoined(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("later:", c.State())
	// Output:
	// after Dial: connecting
	// later: joined
}

func ExampleClient_Drain() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	worker, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	_, err = worker.Subscribe(ctx, "com.example.jobs", func(ctx context.Context, ev *client.Event) {
		time.Sleep(10 * time.Millisecond) // a job takes a while
		fmt.Println("finished job", ev.Args[0])
	})
	if err != nil {
		log.Fatal(err)
	}

	producer, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer producer.Close(ctx)
	for i := range 3 {
		if _, err := producer.Publish(ctx, "com.example.jobs", protocol.List{int64(i)}, nil, client.Acknowledge()); err != nil {
			log.Fatal(err)
		}
	}

	// Stop taking jobs, finish those the router sent, then leave; at most
	// 5s.
	drainCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := worker.Drain(drainCtx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("worker:", worker.State())
	// Output:
	// finished job 0
	// finished job 1
	// finished job 2
	// worker: closed
}

func ExampleClient_Stats() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := client.Connect(ctx, router.Pipe(), "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	_, err = c.Register(ctx, "com.example.ping", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"pong"}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		if _, err := c.Call(ctx, "com.example.ping", nil, nil).Await(ctx); err != nil {
			log.Fatal(err)
		}
	}
	c.Call(ctx, "com.example.missing", nil, nil).Await(ctx)

	s := c.Stats()
	fmt.Printf("calls: %d started, %d succeeded, %d failed\n", s.CallsStarted, s.CallsSucceeded, s.CallsFailed)
	fmt.Printf("invocations handled: %d\n", s.Invocations)
	// Output:
	// calls: 3 started, 2 succeeded, 1 failed
	// invocations handled: 2
}
