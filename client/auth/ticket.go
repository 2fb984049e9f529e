package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// Ticket returns the Authenticator for ticket-based authentication
// ("ticket"): the router's CHALLENGE is answered with ticket as the
// signature. The ticket travels in clear text inside the WAMP connection:
// package client answers a ticket CHALLENGE only over TLS or to a loopback
// host or Unix socket (see client.WithPlaintextSecrets).
func Ticket(ticket string) Authenticator {
	s := newSecret(ticket)
	return &ticketAuth{get: func(context.Context) (*secret, error) { return s, nil }}
}

// TicketFunc is Ticket for tickets that change, such as tokens that expire:
// fn is called for each CHALLENGE, with the join's context, and its ticket
// is sent. An error from fn ends the join (its text goes to the router in
// ABORT, so it must hold no secret).
func TicketFunc(fn func(ctx context.Context) (string, error)) Authenticator {
	return &ticketAuth{get: func(ctx context.Context) (*secret, error) {
		if fn == nil {
			return nil, errors.New("no ticket function")
		}
		t, err := fn(ctx)
		if err != nil {
			return nil, err
		}
		return newSecret(t), nil
	}}
}

type ticketAuth struct {
	get func(context.Context) (*secret, error)
}

func (a *ticketAuth) Method() string            { return "ticket" }
func (a *ticketAuth) HelloExtra() protocol.Dict { return nil }
func (a *ticketAuth) Authenticate(ctx context.Context, _ *protocol.Challenge) (string, protocol.Dict, error) {
	s, err := a.get(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("getting the ticket: %w", err)
	}
	return string(s.b), nil, nil
}
func (a *ticketAuth) VerifyWelcome(*protocol.Welcome) error { return nil }

// String, GoString and Format print "ticket(****)", never the ticket.
func (a *ticketAuth) String() string             { return "ticket(****)" }
func (a *ticketAuth) GoString() string           { return a.String() }
func (a *ticketAuth) Format(f fmt.State, _ rune) { redacted(f, "ticket") }
