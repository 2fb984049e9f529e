package meta

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// The session meta procedures.
const (
	ProcSessionCount          = "wamp.session.count"
	ProcSessionList           = "wamp.session.list"
	ProcSessionGet            = "wamp.session.get"
	ProcSessionKill           = "wamp.session.kill"
	ProcSessionKillByAuthID   = "wamp.session.kill_by_authid"
	ProcSessionKillByAuthRole = "wamp.session.kill_by_authrole"
	ProcSessionKillAll        = "wamp.session.kill_all"
)

// Session describes a joined session (wamp.session.get,
// wamp.session.on_join). Fields the router did not send are empty.
type Session struct {
	ID           protocol.ID
	AuthID       string
	AuthRole     string
	AuthMethod   string
	AuthProvider string
	// Transport is the router's own description of the session's
	// transport, if it gives one.
	Transport protocol.Dict
}

func (d *decoder) session(path string, m protocol.Dict) Session {
	s := Session{
		ID:           d.id(path+".session", m["session"]),
		AuthID:       d.optString(path, m, "authid"),
		AuthRole:     d.optString(path, m, "authrole"),
		AuthMethod:   d.optString(path, m, "authmethod"),
		AuthProvider: d.optString(path, m, "authprovider"),
	}
	if t, ok := m["transport"].(protocol.Dict); ok {
		s.Transport = t
	}
	return s
}

// call calls a meta procedure and returns its positional results. An
// ERROR naming a missing session, registration or subscription also
// matches the package's sentinel for it.
func call(ctx context.Context, c *client.Client, proc protocol.URI, args protocol.List, kwargs protocol.Dict) (protocol.List, error) {
	res, err := c.Call(ctx, proc, args, kwargs).Await(ctx)
	if err != nil {
		var werr *client.Error
		if errors.As(err, &werr) {
			if sentinel := notFound[werr.URI]; sentinel != nil {
				return nil, fmt.Errorf("%w: %w", sentinel, err)
			}
		}
		return nil, err
	}
	return res.Args, nil
}

var notFound = map[protocol.URI]error{
	protocol.URIErrNoSuchSession:      ErrNoSuchSession,
	protocol.URIErrNoSuchRegistration: ErrNoSuchRegistration,
	protocol.URIErrNoSuchSubscription: ErrNoSuchSubscription,
}

// roles is the optional filter_authroles argument.
func roles(authroles []string) protocol.List {
	if len(authroles) == 0 {
		return nil
	}
	l := make(protocol.List, len(authroles))
	for i, r := range authroles {
		l[i] = r
	}
	return protocol.List{l}
}

// SessionCount returns the number of sessions in the caller's realm, only
// those with one of authroles when any are given (wamp.session.count).
func SessionCount(ctx context.Context, c *client.Client, authroles ...string) (int, error) {
	res, err := call(ctx, c, ProcSessionCount, roles(authroles), nil)
	if err != nil {
		return 0, err
	}
	d := decoder{uri: ProcSessionCount}
	n := d.count("args[0]", d.arg(res, 0))
	return n, d.err
}

// SessionList returns the ids of the sessions in the caller's realm, only
// those with one of authroles when any are given (wamp.session.list).
func SessionList(ctx context.Context, c *client.Client, authroles ...string) ([]protocol.ID, error) {
	res, err := call(ctx, c, ProcSessionList, roles(authroles), nil)
	if err != nil {
		return nil, err
	}
	d := decoder{uri: ProcSessionList}
	if len(res) != 1 {
		// fox-wamp spreads the ids over the positional results instead of
		// sending them as one list.
		return d.ids("args", res), d.err
	}
	if _, ok := res[0].(protocol.List); !ok {
		return d.ids("args", res), d.err
	}
	ids := d.ids("args[0]", res[0])
	return ids, d.err
}

// GetSession describes one session of the caller's realm
// (wamp.session.get). An unknown id is an error matching
// ErrNoSuchSession.
func GetSession(ctx context.Context, c *client.Client, id protocol.ID) (Session, error) {
	res, err := call(ctx, c, ProcSessionGet, protocol.List{int64(id)}, nil)
	if err != nil {
		return Session{}, err
	}
	d := decoder{uri: ProcSessionGet}
	s := d.session("args[0]", d.dict("args[0]", d.arg(res, 0)))
	return s, d.err
}

// KillOption sets the GOODBYE the kill procedures send.
type KillOption func(protocol.Dict)

// KillReason sets GOODBYE.Reason (the router's default is
// wamp.close.killed).
func KillReason(reason protocol.URI) KillOption {
	return func(kw protocol.Dict) { kw["reason"] = reason }
}

// KillMessage sets the message in GOODBYE.Details.
func KillMessage(message string) KillOption {
	return func(kw protocol.Dict) { kw["message"] = message }
}

func killKwargs(opts []KillOption) protocol.Dict {
	if len(opts) == 0 {
		return nil
	}
	kw := protocol.Dict{}
	for _, o := range opts {
		o(kw)
	}
	return kw
}

// KillSession ends another session of the caller's realm with GOODBYE
// (wamp.session.kill).
func KillSession(ctx context.Context, c *client.Client, id protocol.ID, opts ...KillOption) error {
	_, err := call(ctx, c, ProcSessionKill, protocol.List{int64(id)}, killKwargs(opts))
	return err
}

// KillByAuthID ends every other session with authid and returns their ids
// (wamp.session.kill_by_authid).
func KillByAuthID(ctx context.Context, c *client.Client, authid string, opts ...KillOption) ([]protocol.ID, error) {
	res, err := call(ctx, c, ProcSessionKillByAuthID, protocol.List{authid}, killKwargs(opts))
	if err != nil {
		return nil, err
	}
	d := decoder{uri: ProcSessionKillByAuthID}
	ids := d.ids("args[0]", d.arg(res, 0))
	return ids, d.err
}

// KillByAuthRole ends every other session with authrole and returns how
// many (wamp.session.kill_by_authrole).
func KillByAuthRole(ctx context.Context, c *client.Client, authrole string, opts ...KillOption) (int, error) {
	res, err := call(ctx, c, ProcSessionKillByAuthRole, protocol.List{authrole}, killKwargs(opts))
	if err != nil {
		return 0, err
	}
	d := decoder{uri: ProcSessionKillByAuthRole}
	n := d.count("args[0]", d.arg(res, 0))
	return n, d.err
}

// KillAll ends every other session of the caller's realm and returns how
// many (wamp.session.kill_all).
func KillAll(ctx context.Context, c *client.Client, opts ...KillOption) (int, error) {
	res, err := call(ctx, c, ProcSessionKillAll, nil, killKwargs(opts))
	if err != nil {
		return 0, err
	}
	d := decoder{uri: ProcSessionKillAll}
	n := d.count("args[0]", d.arg(res, 0))
	return n, d.err
}
