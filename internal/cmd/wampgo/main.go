// Command wampgo calls, publishes, subscribes, registers and looks at a WAMP
// router from the shell. See doc.go for the interface, or run `wampgo -h`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The first SIGINT or SIGTERM cancels ctx: a call is canceled, a
	// subscription or registration ends, and the session says GOODBYE.
	// A second one ends the process at once, as if wampgo did not catch
	// signals.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}
