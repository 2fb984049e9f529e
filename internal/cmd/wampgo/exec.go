package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// Bounds on what a command of register -- COMMAND may print: its answer
// and its error message.
const (
	maxCommandOutput = 16 << 20
	maxCommandStderr = 64 << 10
)

// commandHandler runs argv once per invocation: the invocation as one JSON
// object on its stdin (keys procedure, args, kwargs, details), its stdout,
// read as an ARG is, as the one positional result (none when empty). An
// exit status other than 0 answers with ERROR wamp.error.runtime_error whose
// argument is the command's stderr (or, if it printed none, its exit
// status). The invocation's end (a cancel, the session's end) kills the
// command. Failures are also logged on logw, without the payload.
func commandHandler(argv []string, logw io.Writer) client.Handler {
	return func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		l := payloadLine(inv.Args, inv.Kwargs, inv.Details)
		l.Procedure = inv.Procedure
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Stdin = strings.NewReader(jsonLine(l) + "\n")
		cmd.Env = commandEnv()
		stdout := &cappedBuffer{limit: maxCommandOutput}
		stderr := &cappedBuffer{limit: maxCommandStderr}
		cmd.Stdout, cmd.Stderr = stdout, stderr
		// Children of the command that keep its pipes open must not hold
		// the answer forever.
		cmd.WaitDelay = time.Second
		err := cmd.Run()
		if ctx.Err() != nil {
			return client.Result{}, ctx.Err()
		}
		if err != nil {
			msg := strings.TrimSpace(stderr.String())
			var exitErr *exec.ExitError
			if msg == "" || !errors.As(err, &exitErr) {
				msg = strings.TrimSpace(msg + "\n" + err.Error())
			}
			fmt.Fprintf(logw, "wampgo: %s: %s failed: %v\n", inv.Procedure, argv[0], err)
			return client.Result{}, client.NewError(client.URIRuntimeError, protocol.List{msg}, nil)
		}
		if stdout.overflow {
			fmt.Fprintf(logw, "wampgo: %s: %s printed more than %d bytes\n", inv.Procedure, argv[0], maxCommandOutput)
			return client.Result{}, client.NewError(client.URIRuntimeError,
				protocol.List{fmt.Sprintf("the answer is longer than %d bytes", maxCommandOutput)}, nil)
		}
		answer := strings.TrimRight(stdout.String(), "\r\n")
		if answer == "" {
			return client.Result{}, nil
		}
		return client.Result{Args: protocol.List{parseValue(answer)}}, nil
	}
}

// cappedBuffer keeps the first limit bytes written to it and notes that
// more came; writing never fails, so that the command is not killed by a
// broken pipe.
type cappedBuffer struct {
	bytes.Buffer
	limit    int
	overflow bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); len(p) > room {
		b.overflow = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

// secretEnv are the environment variables that carry wampgo's secrets; a
// command of register -- COMMAND does not inherit them.
var secretEnv = []string{"WAMPGO_TICKET", "WAMPGO_SECRET", "WAMPGO_PASSWORD"}

// commandEnv is wampgo's environment without secretEnv.
func commandEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(secretEnv, name) {
			env = append(env, kv)
		}
	}
	return env
}
