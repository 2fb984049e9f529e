package meta_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// A meta event whose payload is not what the spec describes does not
// reach the handler: its *PayloadError goes to the client's error
// handler, as a SubscribeTyped event that does not fit does; the next,
// well-formed event is handled.
func TestMetaEventBadPayloadGoesToErrorHandler(t *testing.T) {
	errs := make(chan error, 4)
	c, r := clienttest.Joined(t, client.WithErrorHandler(func(err error) { errs <- err }))
	ctx := ctxT(t)
	left := make(chan meta.SessionLeft, 4)
	go func() {
		m := scripted.Expect[*protocol.Subscribe](r)
		r.Send(&protocol.Subscribed{Request: m.Request, Subscription: 7})
		r.Send(&protocol.Event{Subscription: 7, Publication: 1, Details: protocol.Dict{},
			Payload: protocol.Payload{Args: protocol.List{"not an id"}}})
		r.Send(&protocol.Event{Subscription: 7, Publication: 2, Details: protocol.Dict{},
			Payload: protocol.Payload{Args: protocol.List{int64(42), "bob", "user"}}})
	}()
	if _, err := meta.OnLeave(ctx, c, func(_ context.Context, l meta.SessionLeft) { left <- l }); err != nil {
		t.Fatal(err)
	}
	err := recv(t, errs)
	var pe *meta.PayloadError
	if !errors.Is(err, meta.ErrBadPayload) || !errors.As(err, &pe) || pe.Path != "args[0]" {
		t.Fatalf("error handler got %v", err)
	}
	if l := recv(t, left); l != (meta.SessionLeft{ID: 42, AuthID: "bob", AuthRole: "user"}) {
		t.Fatalf("handler got %+v", l)
	}
	select {
	case l := <-left:
		t.Fatalf("the bad event reached the handler too: %+v", l)
	default:
	}
}
