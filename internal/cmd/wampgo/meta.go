package main

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/protocol"
)

// runMeta asks the router's meta API and prints one JSON object per
// session, registration or subscription.
func runMeta(ctx context.Context, g *globals, args []string, io stdio) error {
	const synopsis = "sessions|registrations|subscriptions|session ID"
	fs := newFlagSet("meta", synopsis, g, io)
	pos, tail, _, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	pos = append(pos, tail...)
	g.fromEnv()
	var what func(ctx context.Context, c *client.Client) ([]any, error)
	switch {
	case len(pos) == 1 && pos[0] == "sessions":
		what = metaSessions
	case len(pos) == 1 && pos[0] == "registrations":
		what = metaRegistrations
	case len(pos) == 1 && pos[0] == "subscriptions":
		what = metaSubscriptions
	case len(pos) == 2 && pos[0] == "session":
		id, err := strconv.ParseUint(pos[1], 10, 64)
		if err != nil || id == 0 || id > 1<<53 {
			return usageErrorf("meta session: %q is not a session id", pos[1])
		}
		what = func(ctx context.Context, c *client.Client) ([]any, error) {
			s, err := meta.GetSession(ctx, c, protocol.ID(id))
			return []any{sessionLine(s)}, err
		}
	default:
		return usageErrorf("usage: wampgo meta %s", synopsis)
	}
	c, err := connect(ctx, g, io.err)
	if err != nil {
		return err
	}
	defer closeClient(c, g)
	mctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	lines, err := what(mctx, c)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if err := printLine(io.out, l); err != nil {
			return err
		}
	}
	return nil
}

// sessionInfo is the output line of one session.
type sessionInfo struct {
	ID           protocol.ID    `json:"session"`
	AuthID       string         `json:"authid,omitempty"`
	AuthRole     string         `json:"authrole,omitempty"`
	AuthMethod   string         `json:"authmethod,omitempty"`
	AuthProvider string         `json:"authprovider,omitempty"`
	Transport    map[string]any `json:"transport,omitempty"`
}

func sessionLine(s meta.Session) sessionInfo {
	info := sessionInfo{ID: s.ID, AuthID: s.AuthID, AuthRole: s.AuthRole, AuthMethod: s.AuthMethod, AuthProvider: s.AuthProvider}
	if len(s.Transport) > 0 {
		info.Transport = toJSON(s.Transport).(map[string]any)
	}
	return info
}

// metaSessions lists the sessions with what wamp.session.get says of each;
// a session that left in between is left out.
func metaSessions(ctx context.Context, c *client.Client) ([]any, error) {
	ids, err := meta.SessionList(ctx, c)
	if err != nil {
		return nil, err
	}
	lines := make([]any, 0, len(ids))
	for _, id := range ids {
		s, err := meta.GetSession(ctx, c, id)
		switch {
		case err == nil:
			lines = append(lines, sessionLine(s))
		case isNoSuch(err):
		default:
			return nil, err
		}
	}
	return lines, nil
}

// entryInfo is the output line of one registration or subscription. What
// the router does not tell is left out.
type entryInfo struct {
	ID          protocol.ID   `json:"id"`
	URI         protocol.URI  `json:"uri,omitempty"`
	Match       string        `json:"match"`
	Invoke      string        `json:"invoke,omitempty"`
	Created     string        `json:"created,omitempty"`
	Callees     []protocol.ID `json:"callees,omitempty"`
	Subscribers []protocol.ID `json:"subscribers,omitempty"`
}

func created(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// byMatch visits the ids of lists with their match policy.
func byMatch(lists meta.IDLists, f func(id protocol.ID, match string) error) error {
	for _, l := range []struct {
		ids   []protocol.ID
		match string
	}{{lists.Exact, "exact"}, {lists.Prefix, "prefix"}, {lists.Wildcard, "wildcard"}} {
		for _, id := range l.ids {
			if err := f(id, l.match); err != nil {
				return err
			}
		}
	}
	return nil
}

// metaRegistrations lists the registrations, each with what
// wamp.registration.get and list_callees say when the router answers them.
func metaRegistrations(ctx context.Context, c *client.Client) ([]any, error) {
	lists, err := meta.Registrations(ctx, c)
	if err != nil {
		return nil, err
	}
	var lines []any
	err = byMatch(lists, func(id protocol.ID, match string) error {
		info := entryInfo{ID: id, Match: match}
		if r, err := meta.GetRegistration(ctx, c, id); err == nil {
			info.URI, info.Invoke, info.Created = r.URI, r.Invoke, created(r.Created)
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		info.Callees, _ = meta.Callees(ctx, c, id)
		lines = append(lines, info)
		return ctx.Err()
	})
	return lines, err
}

// metaSubscriptions lists the subscriptions, each with what
// wamp.subscription.get and list_subscribers say when the router answers
// them.
func metaSubscriptions(ctx context.Context, c *client.Client) ([]any, error) {
	lists, err := meta.Subscriptions(ctx, c)
	if err != nil {
		return nil, err
	}
	var lines []any
	err = byMatch(lists, func(id protocol.ID, match string) error {
		info := entryInfo{ID: id, Match: match}
		if s, err := meta.GetSubscription(ctx, c, id); err == nil {
			info.URI, info.Created = s.URI, created(s.Created)
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		info.Subscribers, _ = meta.Subscribers(ctx, c, id)
		lines = append(lines, info)
		return ctx.Err()
	})
	return lines, err
}

// isNoSuch reports an id the router no longer knows.
func isNoSuch(err error) bool {
	return errors.Is(err, meta.ErrNoSuchSession)
}
