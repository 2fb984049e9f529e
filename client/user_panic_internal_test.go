package client

import (
	"context"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/mailbox"
)

// The panic types of the actor and mailbox packages reach the user as the
// one type a user matches, *HandlerPanicError, with the value and stack.
func TestUserPanicIsTheClientsPanicType(t *testing.T) {
	for name, p := range map[string]error{
		"actor":   &actor.PanicError{Value: "boom", Stack: []byte("stack")},
		"mailbox": &mailbox.PanicError{Value: "boom", Stack: []byte("stack")},
	} {
		var hp *HandlerPanicError
		if err := userPanic(p); !errors.As(err, &hp) || hp.Value != "boom" || string(hp.Stack) != "stack" || !errors.Is(err, ErrHandlerPanic) {
			t.Errorf("%s: userPanic = %#v", name, err)
		}
	}
	other := errors.New("other")
	if userPanic(other) != other || userPanic(nil) != nil {
		t.Error("userPanic changed an error that is not a panic")
	}
}

// A panic of the session loop (a bug of this package) ends the session
// with a *HandlerPanicError, not with the actor package's type.
func TestLoopPanicEndsTheSessionWithHandlerPanicError(t *testing.T) {
	c := &Client{done: make(chan struct{}), cfg: newConfig(nil)}
	c.conn.Store(&connInfo{})
	c.base, c.cancelBase = context.WithCancel(context.Background())
	c.loop = actor.SpawnThen(0, func(actor.Inbox[command]) error { panic("loop bug") }, nil, c.reap)
	<-c.Done()
	var hp *HandlerPanicError
	if !errors.As(c.Err(), &hp) || hp.Value != "loop bug" {
		t.Fatalf("Err = %#v, want a *HandlerPanicError", c.Err())
	}
}
