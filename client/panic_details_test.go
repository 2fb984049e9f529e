package client_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

const panicSecret = "cannot reach postgres://app:hunter2@db.internal/orders"

// panicInvocation registers a handler that panics with panicSecret,
// invokes it, and returns the ERROR sent back, the error handler's report
// and the log.
func panicInvocation(t *testing.T, opts ...client.Option) (*protocol.Error, *client.HandlerPanicError, string) {
	t.Helper()
	var log lockedBuffer
	reports := make(chan error, 4)
	opts = append(opts, client.WithLogger(slog.New(slog.NewTextHandler(&log, nil))),
		client.WithErrorHandler(func(err error) { reports <- err }))
	c, r := clienttest.Joined(t, opts...)
	clienttest.Register(t, c, r, "svc", 1, func(context.Context, *client.Invocation) (client.Result, error) {
		panic(panicSecret)
	})
	r.Send(&protocol.Invocation{Request: 5, Registration: 1, Details: protocol.Dict{}})
	e := scripted.Expect[*protocol.Error](r)
	var pe *client.HandlerPanicError
	if err := <-reports; !errors.As(err, &pe) {
		t.Fatalf("error handler got %v, want a *HandlerPanicError", err)
	}
	return e, pe, log.String()
}

func TestHandlerPanicStaysPrivate(t *testing.T) {
	e, pe, log := panicInvocation(t)
	if e.Error != client.URIRuntimeError {
		t.Fatalf("ERROR URI %q", e.Error)
	}
	scripted.Equal(t, "args", e.Args, protocol.List{"internal error"})
	if len(e.Kwargs) != 0 {
		t.Fatalf("kwargs %v leave the process", e.Kwargs)
	}
	if pe.Value != panicSecret || !bytes.Contains(pe.Stack, []byte("panic_details_test.go")) {
		t.Fatalf("error handler: value %v, stack %s", pe.Value, pe.Stack)
	}
	if !strings.Contains(log, "hunter2") || !strings.Contains(log, "panic_details_test.go") {
		t.Fatalf("log lacks the panic value or its stack:\n%s", log)
	}
}

func TestHandlerPanicDetailsOptIn(t *testing.T) {
	e, pe, _ := panicInvocation(t, client.WithPanicDetails(true))
	scripted.Equal(t, "args", e.Args, protocol.List{"panic: " + panicSecret})
	if pe.Value != panicSecret {
		t.Fatalf("error handler: value %v", pe.Value)
	}
}
