package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

func TestJoinAnnouncesRolesAndFeatures(t *testing.T) {
	c, hello := clienttest.Start(t, client.WithHelloDetails(protocol.Dict{"agent": "test-agent"})).Welcome()
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
	if s.ID != clienttest.Session || s.Realm != "realm1" || s.AuthID != "anon" || s.AuthRole != "anonymous" || s.AuthMethod != "anonymous" {
		t.Fatalf("Session = %+v", s)
	}
	if !s.HasFeature("dealer", "call_canceling") || s.HasFeature("dealer", "no_such_feature") {
		t.Fatal("HasFeature wrong")
	}
	if str := c.String(); !strings.Contains(str, fmt.Sprintf("session=%d", clienttest.Session)) || !strings.Contains(str, `realm="realm1"`) {
		t.Fatalf("String = %s", str)
	}
}

func TestJoinAbortIsTyped(t *testing.T) {
	j := clienttest.Start(t)
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{"message": "no realm"}})
	_, err := j.Wait()
	var ae *client.AbortError
	if !errors.As(err, &ae) || ae.Reason != "wamp.error.no_such_realm" || ae.Message() != "no realm" {
		t.Fatalf("err = %v", err)
	}
}

func TestJoinRejectsUnexpectedMessage(t *testing.T) {
	j := clienttest.Start(t)
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(&protocol.Result{Request: 1, Details: protocol.Dict{}})
	abort := scripted.Expect[*protocol.Abort](j.Router)
	if abort.Reason != "wamp.error.protocol_violation" {
		t.Fatalf("ABORT reason %s", abort.Reason)
	}
	if _, err := j.Wait(); !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("err = %v", err)
	}
}

func TestJoinRejectsInvalidRealm(t *testing.T) {
	ct, rt := memconn.Pipe("json")
	defer rt.Close()
	if _, err := client.Connect(context.Background(), ct, "bad realm"); err == nil {
		t.Fatal("invalid realm accepted")
	}
}
