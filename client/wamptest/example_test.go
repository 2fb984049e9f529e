package wamptest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func ExampleRouter_Connect() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	fmt.Println("joined", c.Session().Realm, "as", c.Session().AuthRole)
	// Output: joined realm1 as anonymous
}

// The router authenticates the users a test gives it, with the methods
// their credentials allow.
func ExampleWithUser() {
	ctx := context.Background()
	router := wamptest.NewRouter(
		wamptest.WithoutAnonymous(),
		wamptest.WithUser(wamptest.User{AuthID: "alice", AuthRole: "admin", Password: "s3cret"}),
	)
	defer router.Close()

	c, err := router.Connect(ctx, "realm1", client.WithAuth("alice", auth.SCRAM("s3cret")))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	fmt.Println(c.Session().AuthID, c.Session().AuthRole, c.Session().AuthMethod)

	_, err = router.Connect(ctx, "realm1", client.WithAuth("alice", auth.SCRAM("guess")))
	fmt.Println("wrong password:", errors.Is(err, client.ErrAuthentication))
	// Output:
	// alice admin wamp-scram
	// wrong password: true
}

// Kill ends a session as an operator would, for a test of what the client
// does then.
func ExampleRouter_Kill() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	router.Kill(c.Session().ID, "com.example.maintenance", "back in five minutes")

	var goodbye *client.GoodbyeError
	if err := c.Wait(ctx); errors.As(err, &goodbye) {
		fmt.Println("router said goodbye:", goodbye.Reason)
	}
	// Output: router said goodbye: com.example.maintenance
}

// Log shows the messages of a session, here to check the options a call
// went out with.
func ExampleRouter_Log() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	c.Call(ctx, "com.example.missing", nil, nil, client.DiscloseMe()).Await(ctx)

	for _, m := range router.Log(c.Session().ID).Sent(protocol.TypeCall) {
		call := m.(*protocol.Call)
		fmt.Println(call.Procedure, "disclose_me:", call.Options["disclose_me"])
	}
	for _, m := range router.Log(c.Session().ID).Received(protocol.TypeError) {
		fmt.Println("answered:", m.(*protocol.Error).Error)
	}
	// Output:
	// com.example.missing disclose_me: true
	// answered: wamp.error.no_such_procedure
}
