package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestJoinAnnouncesRolesAndFeatures(t *testing.T) {
	ct, rt := memconn.Pipe("json")
	r := scripted.New(t, rt)
	done := make(chan *client.Client, 1)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1",
			client.WithHelloDetails(protocol.Dict{"agent": "test-agent"}))
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	hello := r.Welcome(99, scripted.Roles())
	c := <-done
	defer func() { rt.Close(); c.Close(context.Background()) }()
	if hello.Realm != "realm1" || hello.Details["agent"] != "test-agent" {
		t.Fatalf("HELLO = %+v", hello)
	}
	roles := hello.Details["roles"].(protocol.Dict)
	for role, feats := range map[string][]string{
		"caller":     {"progressive_call_results", "call_canceling", "call_timeout", "caller_identification", "progressive_call_invocations"},
		"callee":     {"progressive_call_results", "pattern_based_registration", "shared_registration", "call_canceling"},
		"publisher":  {"publisher_exclusion", "subscriber_blackwhite_listing", "publisher_identification"},
		"subscriber": {"pattern_based_subscription", "publisher_identification"},
	} {
		rd, ok := roles[role].(protocol.Dict)
		if !ok {
			t.Fatalf("role %s missing from HELLO", role)
		}
		f := rd["features"].(protocol.Dict)
		for _, name := range feats {
			if f[name] != true {
				t.Errorf("%s.%s not announced", role, name)
			}
		}
	}
	s := c.Session()
	if s.ID != 99 || s.Realm != "realm1" || s.AuthID != "anon" || s.AuthRole != "anonymous" || s.AuthMethod != "anonymous" {
		t.Fatalf("Session = %+v", s)
	}
	if !s.HasFeature("dealer", "call_canceling") || s.HasFeature("dealer", "no_such_feature") {
		t.Fatal("HasFeature wrong")
	}
	if str := c.String(); !strings.Contains(str, "session=99") || !strings.Contains(str, `realm="realm1"`) {
		t.Fatalf("String = %s", str)
	}
}

func TestJoinAbortIsTyped(t *testing.T) {
	ct, rt := memconn.Pipe("json")
	r := scripted.New(t, rt)
	done := make(chan error, 1)
	go func() {
		_, err := client.Connect(context.Background(), ct, "realm1")
		done <- err
	}()
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{"message": "no realm"}})
	err := <-done
	var ae *client.AbortError
	if !errors.As(err, &ae) || ae.Reason != "wamp.error.no_such_realm" || ae.Message() != "no realm" {
		t.Fatalf("err = %v", err)
	}
	rt.Close()
}

func TestJoinRejectsUnexpectedMessage(t *testing.T) {
	ct, rt := memconn.Pipe("json")
	r := scripted.New(t, rt)
	done := make(chan error, 1)
	go func() {
		_, err := client.Connect(context.Background(), ct, "realm1")
		done <- err
	}()
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Result{Request: 1, Details: protocol.Dict{}})
	abort := scripted.Expect[*protocol.Abort](r)
	if abort.Reason != "wamp.error.protocol_violation" {
		t.Fatalf("ABORT reason %s", abort.Reason)
	}
	if err := <-done; !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("err = %v", err)
	}
	rt.Close()
}

func TestJoinRejectsInvalidRealm(t *testing.T) {
	ct, rt := memconn.Pipe("json")
	defer rt.Close()
	if _, err := client.Connect(context.Background(), ct, "bad realm"); err == nil {
		t.Fatal("invalid realm accepted")
	}
}
