package meta_test

import (
	"context"
	"fmt"
	"log"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// A monitoring client counts the sessions of its realm, describes one and
// watches who leaves. The in-process router of package wamptest stands in
// for a real one; with a real router, use client.Dial.
func Example() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	monitor, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer monitor.Close(ctx)
	left := make(chan meta.SessionLeft, 1)
	_, err = meta.OnLeave(ctx, monitor, func(_ context.Context, l meta.SessionLeft) {
		left <- l
	})
	if err != nil {
		log.Fatal(err)
	}

	worker, err := router.Connect(ctx, "realm1", client.WithHelloDetails(protocol.Dict{"authrole": "worker"}))
	if err != nil {
		log.Fatal(err)
	}
	n, err := meta.SessionCount(ctx, monitor, "worker")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("workers:", n)
	info, err := meta.GetSession(ctx, monitor, worker.Session().ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("role:", info.AuthRole, "method:", info.AuthMethod)

	worker.Close(ctx)
	l := <-left
	fmt.Println("left:", l.ID == info.ID, l.AuthRole)
	// Output:
	// workers: 1
	// role: worker method: anonymous
	// left: true worker
}

// A testament is published by the router when its session is lost, here
// by a dropped connection.
func ExampleAddTestament() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	watcher, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer watcher.Close(ctx)
	gone := make(chan string, 1)
	_, err = watcher.Subscribe(ctx, "com.example.gone", func(_ context.Context, ev *client.Event) {
		name, _ := ev.Args[0].(string)
		gone <- name
	})
	if err != nil {
		log.Fatal(err)
	}

	device, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer device.Close(ctx)
	if err := meta.AddTestament(ctx, device, "com.example.gone", protocol.List{"sensor-7"}, nil); err != nil {
		log.Fatal(err)
	}
	router.Drop(device.Session().ID) // as if the network failed
	fmt.Println("gone:", <-gone)
	// Output: gone: sensor-7
}
