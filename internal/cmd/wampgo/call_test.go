package main

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// echo registers procedure on c, answering with the call's payload.
func echo(t *testing.T, c *client.Client, procedure protocol.URI) {
	t.Helper()
	_, err := c.Register(t.Context(), procedure, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: inv.Args, Kwargs: inv.Kwargs}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCallArgumentsEveryTransportAndSerializer(t *testing.T) {
	k := newKit(t)
	echo(t, k.r.Client(t, "realm1"), "com.test.echo")
	k.transports(t, func(t *testing.T, url string) {
		for _, ser := range []string{"json", "msgpack", "cbor"} {
			t.Run(ser, func(t *testing.T) {
				// Each ARG and VALUE is JSON when it parses, else a string;
				// flags may come among the ARGs; "--" ends them.
				runCLI(t, nil, "", "--url", url, "--serializer", ser, "call", "com.test.echo",
					"1", `"two"`, `{"a":3}`, "hello", "-1", "2.5", "true", "null", `[1,"x"]`, `"\u0000AQID"`,
					"-k", "n=7", "-k", "s=text", "-k", `j={"b":[1]}`, "-k", "e=", "x=y", "--", "-k", "--verbose").
					want(t, 0, lines(`{"args":[1,"two",{"a":3},"hello",-1,2.5,true,null,[1,"x"],"\u0000AQID","x=y","-k","--verbose"],"kwargs":{"e":"","j":{"b":[1]},"n":7,"s":"text"}}`))
			})
		}
	})
}

func TestCallGlobalFlagsAfterCommandAndEnv(t *testing.T) {
	k := newKit(t)
	echo(t, k.r.Client(t, "other.realm"), "com.test.echo")
	runCLI(t, nil, "", "call", "com.test.echo", "--url", k.ws, "--realm", "other.realm", "hi").
		want(t, 0, lines(`{"args":["hi"]}`))
	runCLI(t, []string{"WAMPGO_URL=" + k.rs, "WAMPGO_REALM=other.realm", "WAMPGO_SERIALIZER=msgpack"}, "", "call", "com.test.echo", "-k", "a=1").
		want(t, 0, lines(`{"kwargs":{"a":1}}`))
	// A flag wins over the environment.
	runCLI(t, []string{"WAMPGO_URL=ws://127.0.0.1:1/", "WAMPGO_REALM=realm1"}, "", "--url", k.ws, "--realm", "other.realm", "call", "com.test.echo").
		want(t, 0, lines(`{}`))
}

func TestCallProgressiveResults(t *testing.T) {
	k := newKit(t)
	_, err := k.r.Client(t, "realm1").Register(t.Context(), "com.test.countdown", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for i := int64(2); i > 0; i-- {
			if err := inv.SendProgress(ctx, protocol.List{i}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"liftoff"}, Kwargs: protocol.Dict{"bin": []byte{0xff}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	k.transports(t, func(t *testing.T, url string) {
		runCLI(t, nil, "", "--url", url, "call", "com.test.countdown").want(t, 0, lines(
			`{"args":[2],"details":{"progress":true}}`,
			`{"args":[1],"details":{"progress":true}}`,
			`{"args":["liftoff"],"kwargs":{"bin":"\u0000/w=="}}`))
	})
}

func TestCallStdinStreamsProgressiveInputs(t *testing.T) {
	k := newKit(t)
	_, err := k.r.Client(t, "realm1").Register(t.Context(), "com.test.stream", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		all := append(protocol.List{}, inv.Args...)
		for in := range inv.Inputs() {
			if in.Final {
				all = append(all, protocol.List{"final", len(in.Args)}...)
				break
			}
			all = append(all, in.Args...)
			if err := inv.SendProgress(ctx, in.Args, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: all}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	k.transports(t, func(t *testing.T, url string) {
		runCLI(t, nil, "1\n\"two\"\nthree\n", "--url", url, "call", "com.test.stream", "first", "--stdin").want(t, 0, lines(
			`{"args":[1],"details":{"progress":true}}`,
			`{"args":["two"],"details":{"progress":true}}`,
			`{"args":["three"],"details":{"progress":true}}`,
			`{"args":["first",1,"two","three","final",0]}`))
	})
}

func TestCallErrorsExitOne(t *testing.T) {
	k := newKit(t)
	_, err := k.r.Client(t, "realm1").Register(t.Context(), "com.test.fail", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{}, client.NewError("com.test.oops", protocol.List{"detail", 2}, protocol.Dict{"k": "v"})
	})
	if err != nil {
		t.Fatal(err)
	}
	k.transports(t, func(t *testing.T, url string) {
		res := runCLI(t, nil, "", "--url", url, "call", "com.test.fail")
		res.want(t, 1, "")
		if res.stderr != "wampgo: ERROR com.test.oops {\"args\":[\"detail\",2],\"kwargs\":{\"k\":\"v\"}}\n" {
			t.Fatalf("stderr %q", res.stderr)
		}
		res = runCLI(t, nil, "", "--url", url, "call", "com.test.nobody")
		res.want(t, 1, "")
		if !strings.HasPrefix(res.stderr, "wampgo: ERROR wamp.error.no_such_procedure") {
			t.Fatalf("stderr %q", res.stderr)
		}
	})
}

func TestCallInterruptCancelsInKillModeAndSaysGoodbye(t *testing.T) {
	k := newKit(t)
	started, ended := make(chan struct{}, 1), make(chan error, 1)
	_, err := k.r.Client(t, "realm1").Register(t.Context(), "com.test.block", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		started <- struct{}{}
		<-ctx.Done()
		ended <- context.Cause(ctx)
		return client.Result{}, ctx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	before := k.r.Sessions("realm1")
	p := start(t, nil, "", "--url", k.ws, "call", "com.test.block")
	select {
	case <-started:
	case <-p.done:
		t.Fatalf("wampgo exited: %+v", p.wait(t))
	}
	cli := newSession(t, before, k.r.Sessions("realm1"))
	p.signal(t, syscall.SIGINT)
	res := p.wait(t)
	res.want(t, 1, "")
	if !strings.Contains(res.stderr, "wamp.error.canceled") {
		t.Fatalf("stderr %q", res.stderr)
	}
	var ie *client.InterruptError
	if err := <-ended; !errors.As(err, &ie) || ie.Mode != client.CancelKill {
		t.Fatalf("callee's context ended with %v, want an interrupt in kill mode", err)
	}
	log := k.r.Log(cli)
	cancels := log.Sent(protocol.TypeCancel)
	if len(cancels) != 1 || cancels[0].(*protocol.Cancel).Options["mode"] != "kill" {
		t.Fatalf("CANCEL sent: %v", cancels)
	}
	if len(log.Sent(protocol.TypeGoodbye)) != 1 {
		t.Fatalf("the session did not say GOODBYE: %v", log.Records())
	}
}

// newSession returns the one session id of after that before lacks.
func newSession(t *testing.T, before, after []protocol.ID) protocol.ID {
	t.Helper()
	var found []protocol.ID
	for _, id := range after {
		if !containsID(before, id) {
			found = append(found, id)
		}
	}
	if len(found) != 1 {
		t.Fatalf("new sessions %v (before %v, after %v)", found, before, after)
	}
	return found[0]
}

func containsID(ids []protocol.ID, id protocol.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestVerboseLogsTheSessionAndItsTraffic(t *testing.T) {
	k := newKit(t)
	echo(t, k.r.Client(t, "realm1"), "com.test.echo")
	res := runCLI(t, nil, "", "--url", k.ws, "--verbose", "call", "com.test.echo", "42")
	res.want(t, 0, lines(`{"args":[42]}`))
	for _, s := range []string{"msg=dialing", "msg=joined", "authmethod=anonymous", "msg=CALL procedure=com.test.echo", `payload="{\"args\":[42]}"`, "msg=RESULT"} {
		if !strings.Contains(res.stderr, s) {
			t.Errorf("verbose output lacks %q:\n%s", s, res.stderr)
		}
	}
}
