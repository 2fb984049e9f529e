package client_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ctxT returns a context that ends with the test, or after 5s.
func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// await waits for a call's final result within the test's bound.
func await(t *testing.T, call *client.Call) (client.Result, error) {
	t.Helper()
	return call.Await(ctxT(t))
}
