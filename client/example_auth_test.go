package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// vaultTicket answers the "ticket" method with a token looked up for each
// CHALLENGE. It implements client.Authenticator without package auth (which
// has Ticket and TicketFunc ready-made): a program that brings its own
// methods links none of auth's cryptography.
type vaultTicket struct {
	lookup func(ctx context.Context) (string, error)
}

func (v vaultTicket) Method() string            { return "ticket" }
func (v vaultTicket) HelloExtra() protocol.Dict { return nil }
func (v vaultTicket) Authenticate(ctx context.Context, _ *protocol.Challenge) (string, protocol.Dict, error) {
	token, err := v.lookup(ctx)
	return token, nil, err
}
func (v vaultTicket) VerifyWelcome(*protocol.Welcome) error { return nil }

// String prints the method's name only: never the token.
func (v vaultTicket) String() string { return "ticket(****)" }

// An authentication method of your own, given to WithAuth. The router
// here is the test kit's, which knows bob by his ticket.
func ExampleAuthenticator() {
	ctx := context.Background()
	router := wamptest.NewRouter(wamptest.WithoutAnonymous(),
		wamptest.WithUser(wamptest.User{AuthID: "bob", Ticket: "t0k3n"}))
	defer router.Close()
	ws := router.ListenWebSocket()

	lookup := func(context.Context) (string, error) { return "t0k3n", nil }
	c, err := client.Dial(ctx, ws.URL(), "realm1", client.WithAuth("bob", vaultTicket{lookup}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	fmt.Println("joined as", c.Session().AuthID, "with", c.Session().AuthMethod)
	// Output:
	// joined as bob with ticket
}
