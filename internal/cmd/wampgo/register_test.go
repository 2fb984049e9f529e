package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// callJSON calls procedure and returns the result as an output line, or
// the error.
func callJSON(t *testing.T, c *client.Client, procedure protocol.URI, args protocol.List, kwargs protocol.Dict) (string, error) {
	t.Helper()
	res, err := c.Call(t.Context(), procedure, args, kwargs).Await(t.Context())
	if err != nil {
		return "", err
	}
	return jsonLine(payloadLine(res.Args, res.Kwargs, nil)), nil
}

func TestRegisterEchoUntilInterrupted(t *testing.T) {
	k := newKit(t)
	caller := k.r.Client(t, "realm1")
	k.transports(t, func(t *testing.T, url string) {
		before := k.r.Sessions("realm1")
		p := start(t, nil, "", "--url", url, "register", "com.test.echo", "--echo")
		p.waitStderr(t, "wampgo: registered com.test.echo")
		cli := newSession(t, before, k.r.Sessions("realm1"))
		got, err := callJSON(t, caller, "com.test.echo", protocol.List{1, "x", []byte("b")}, protocol.Dict{"k": true})
		if err != nil || got != `{"args":[1,"x","\u0000Yg=="],"kwargs":{"k":true}}` {
			t.Fatalf("call = %s, %v", got, err)
		}
		p.signal(t, syscall.SIGTERM)
		res := p.wait(t)
		res.want(t, 0, lines(`{"procedure":"com.test.echo","args":[1,"x","\u0000Yg=="],"kwargs":{"k":true}}`))
		if len(k.r.Log(cli).Sent(protocol.TypeGoodbye)) != 1 {
			t.Fatal("no GOODBYE after the interrupt")
		}
	})
}

func TestRegisterEchoStreamsProgressiveInputsBack(t *testing.T) {
	k := newKit(t)
	p := start(t, nil, "", "--url", k.ws, "register", "com.test.echo", "--echo")
	p.waitStderr(t, "wampgo: registered com.test.echo")
	runCLI(t, nil, "a\n2\n", "--url", k.rs, "call", "com.test.echo", "--stdin", "first").want(t, 0, lines(
		`{"args":["first"],"details":{"progress":true}}`,
		`{"args":["a"],"details":{"progress":true}}`,
		`{"args":[2],"details":{"progress":true}}`,
		`{}`))
}

func TestRegisterCommand(t *testing.T) {
	k := newKit(t, wamptestNoAnonymousUser())
	caller := k.r.Client(t, "realm1")
	for _, tc := range []struct {
		name    string
		command []string
		want    string // the result, or
		err     string // the ERROR: URI and payload
	}{
		{"stdin is the invocation", []string{"cat"}, `{"args":[{"args":[1,"two"],"kwargs":{"k":"v"},"procedure":"com.test.cmd"}]}`, ""},
		{"json answer", []string{"echo", `{"n":[1,2]}`}, `{"args":[{"n":[1,2]}]}`, ""},
		{"string answer", []string{"echo", "hello world"}, `{"args":["hello world"]}`, ""},
		{"no answer", []string{"true"}, `{}`, ""},
		{"no secrets inherited", []string{"sh", "-c", `echo "${WAMPGO_TICKET-unset}"`}, `{"args":["unset"]}`, ""},
		{"exit status", []string{"sh", "-c", "echo partial; echo boom >&2; exit 3"}, "", `wamp.error.runtime_error {"args":["boom"]}`},
		{"exit status without stderr", []string{"sh", "-c", "exit 4"}, "", `wamp.error.runtime_error {"args":["exit status 4"]}`},
		{"no such command", []string{"/nonexistent/wampgo-helper"}, "", `wamp.error.runtime_error {"args":["fork/exec /nonexistent/wampgo-helper: no such file or directory"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// wampgo joins with a ticket from its environment, which
			// the command does not inherit.
			env := []string{"WAMPGO_AUTHID=alice", "WAMPGO_TICKET=" + ticketSecret}
			p := start(t, env, "", append([]string{"--url", k.ws, "register", "com.test.cmd", "--"}, tc.command...)...)
			p.waitStderr(t, "wampgo: registered com.test.cmd")
			got, err := callJSON(t, caller, "com.test.cmd", protocol.List{1, "two"}, protocol.Dict{"k": "v"})
			var we *client.Error
			switch {
			case tc.err == "" && (err != nil || got != tc.want):
				t.Fatalf("call = %s, %v; want %s", got, err, tc.want)
			case tc.err != "" && (!errors.As(err, &we) || string(we.URI)+" "+jsonLine(payloadLine(we.Args, we.Kwargs, nil)) != tc.err):
				t.Fatalf("call = %s, %v; want ERROR %s", got, err, tc.err)
			}
			p.signal(t, syscall.SIGINT)
			if res := p.wait(t); res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
		})
	}
}

func TestRegisterCommandConcurrencyLimit(t *testing.T) {
	k := newKit(t)
	caller := k.r.Client(t, "realm1")
	dir := t.TempDir()
	// Each run notes its start and end in the log (one write each, so
	// lines do not mix), and waits for the gate file before ending.
	script := fmt.Sprintf(`echo start >> %[1]s/log; while [ ! -e %[1]s/gate ]; do sleep 0.01; done; echo end >> %[1]s/log`, dir)
	p := start(t, nil, "", "--url", k.ws, "register", "com.test.slow", "--concurrency", "2", "--", "sh", "-c", script)
	p.waitStderr(t, "wampgo: registered com.test.slow")
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := caller.Call(context.Background(), "com.test.slow", nil, nil).Await(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	// Two runs start; no third can until one ends.
	pollUntil(t, "two runs started", func() bool {
		select {
		case <-p.done:
			t.Fatalf("exited: %+v", p.wait(t))
		default:
		}
		return strings.Count(readFile(t, filepath.Join(dir, "log")), "start") >= 2
	})
	if err := os.WriteFile(filepath.Join(dir, "gate"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	running, most := 0, 0
	for _, l := range strings.Fields(readFile(t, filepath.Join(dir, "log"))) {
		if l == "start" {
			running++
		} else {
			running--
		}
		most = max(most, running)
	}
	if most != 2 {
		t.Fatalf("%d commands ran at once, want 2; log:\n%s", most, readFile(t, filepath.Join(dir, "log")))
	}
	p.signal(t, syscall.SIGINT)
	p.wait(t)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(b)
}

func TestRegisterInterruptKillsTheCommand(t *testing.T) {
	k := newKit(t)
	caller := k.r.Client(t, "realm1")
	dir := t.TempDir()
	script := fmt.Sprintf(`echo $$ > %[1]s/pid; exec sleep 600`, dir)
	p := start(t, nil, "", "--url", k.ws, "register", "com.test.forever", "--", "sh", "-c", script)
	p.waitStderr(t, "wampgo: registered com.test.forever")
	call := caller.Call(t.Context(), "com.test.forever", nil, nil)
	pollUntil(t, "the command started", func() bool { return readFile(t, filepath.Join(dir, "pid")) != "" })
	p.signal(t, syscall.SIGINT)
	if res := p.wait(t); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	// The callee left: the call fails rather than hanging.
	if _, err := call.Await(t.Context()); err == nil {
		t.Fatal("call succeeded")
	}
	var pid int
	fmt.Sscan(readFile(t, filepath.Join(dir, "pid")), &pid)
	if err := syscall.Kill(pid, 0); err == nil {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("the command (pid %d) outlived wampgo", pid)
	}
}

func TestRegisterPatternMatch(t *testing.T) {
	k := newKit(t)
	caller := k.r.Client(t, "realm1")
	p := start(t, nil, "", "--url", k.rs, "register", "com.test", "--match", "prefix", "--echo")
	p.waitStderr(t, "wampgo: registered com.test")
	if got, err := callJSON(t, caller, "com.test.any.thing", protocol.List{"x"}, nil); err != nil || got != `{"args":["x"]}` {
		t.Fatalf("call = %s, %v", got, err)
	}
	p.signal(t, syscall.SIGINT)
	res := p.wait(t)
	ls := parseLines(t, res.stdout)
	if res.code != 0 || len(ls) != 1 || ls[0]["procedure"] != "com.test.any.thing" {
		t.Fatalf("exit %d, stdout %s", res.code, res.stdout)
	}
}

// pollUntil waits for cond, made true by another process (which no
// channel of the test's can signal), checking it every 10ms; the test
// fails if it is still false after 20s.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
