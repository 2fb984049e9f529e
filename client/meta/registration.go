package meta

import (
	"context"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// The registration meta procedures.
const (
	ProcRegistrationList         = "wamp.registration.list"
	ProcRegistrationLookup       = "wamp.registration.lookup"
	ProcRegistrationMatch        = "wamp.registration.match"
	ProcRegistrationGet          = "wamp.registration.get"
	ProcRegistrationListCallees  = "wamp.registration.list_callees"
	ProcRegistrationCountCallees = "wamp.registration.count_callees"
)

// IDLists are registration or subscription ids by match policy
// (wamp.registration.list, wamp.subscription.list).
type IDLists struct {
	Exact, Prefix, Wildcard []protocol.ID
}

func (d *decoder) idLists(path string, m protocol.Dict) IDLists {
	var l IDLists
	for key, dst := range map[string]*[]protocol.ID{
		protocol.MatchExact: &l.Exact, protocol.MatchPrefix: &l.Prefix, protocol.MatchWildcard: &l.Wildcard,
	} {
		if v, ok := m[key]; ok && v != nil {
			*dst = d.ids(path+"."+key, v)
		}
	}
	return l
}

// Registration describes a registration (wamp.registration.get,
// wamp.registration.on_create).
type Registration struct {
	ID      protocol.ID
	Created time.Time // zero if the router did not say
	URI     protocol.URI
	Match   string // exact, prefix or wildcard
	Invoke  string // single, roundrobin, random, first or last
}

func (d *decoder) registration(path string, m protocol.Dict) Registration {
	return Registration{
		ID:      d.id(path+".id", m["id"]),
		Created: d.time(path, m, "created"),
		URI:     d.optString(path, m, "uri"),
		Match:   d.optString(path, m, "match"),
		Invoke:  d.optString(path, m, "invoke"),
	}
}

// nullableID decodes a result that is an id or null.
func (d *decoder) nullableID(res protocol.List) (protocol.ID, bool) {
	v := d.arg(res, 0)
	if v == nil {
		return 0, false
	}
	return d.id("args[0]", v), true
}

// Registrations lists the registrations of the caller's realm by match
// policy (wamp.registration.list).
func Registrations(ctx context.Context, c *client.Client) (IDLists, error) {
	res, err := call(ctx, c, ProcRegistrationList, nil, nil)
	if err != nil {
		return IDLists{}, err
	}
	d := decoder{uri: ProcRegistrationList}
	l := d.idLists("args[0]", d.dict("args[0]", d.arg(res, 0)))
	return l, d.err
}

// matchOptions is the optional options argument of a lookup.
func matchOptions(uri protocol.URI, match string) protocol.List {
	if match == "" {
		return protocol.List{uri}
	}
	return protocol.List{uri, protocol.Dict{"match": match}}
}

// LookupRegistration returns the registration of procedure under the
// match policy ("" for exact), and whether there is one
// (wamp.registration.lookup).
func LookupRegistration(ctx context.Context, c *client.Client, procedure protocol.URI, match string) (protocol.ID, bool, error) {
	res, err := call(ctx, c, ProcRegistrationLookup, matchOptions(procedure, match), nil)
	if err != nil {
		return 0, false, err
	}
	d := decoder{uri: ProcRegistrationLookup}
	id, ok := d.nullableID(res)
	return id, ok && d.err == nil, d.err
}

// MatchRegistration returns the registration a call to procedure would be
// routed to, and whether there is one (wamp.registration.match).
func MatchRegistration(ctx context.Context, c *client.Client, procedure protocol.URI) (protocol.ID, bool, error) {
	res, err := call(ctx, c, ProcRegistrationMatch, protocol.List{procedure}, nil)
	if err != nil {
		return 0, false, err
	}
	d := decoder{uri: ProcRegistrationMatch}
	id, ok := d.nullableID(res)
	return id, ok && d.err == nil, d.err
}

// GetRegistration describes a registration (wamp.registration.get). An
// unknown id is an error matching ErrNoSuchRegistration.
func GetRegistration(ctx context.Context, c *client.Client, id protocol.ID) (Registration, error) {
	res, err := call(ctx, c, ProcRegistrationGet, protocol.List{int64(id)}, nil)
	if err != nil {
		return Registration{}, err
	}
	d := decoder{uri: ProcRegistrationGet}
	reg := d.registration("args[0]", d.dict("args[0]", d.arg(res, 0)))
	return reg, d.err
}

// Callees returns the sessions attached to a registration
// (wamp.registration.list_callees).
func Callees(ctx context.Context, c *client.Client, id protocol.ID) ([]protocol.ID, error) {
	res, err := call(ctx, c, ProcRegistrationListCallees, protocol.List{int64(id)}, nil)
	if err != nil {
		return nil, err
	}
	d := decoder{uri: ProcRegistrationListCallees}
	ids := d.ids("args[0]", d.arg(res, 0))
	return ids, d.err
}

// CountCallees returns how many sessions are attached to a registration
// (wamp.registration.count_callees).
func CountCallees(ctx context.Context, c *client.Client, id protocol.ID) (int, error) {
	res, err := call(ctx, c, ProcRegistrationCountCallees, protocol.List{int64(id)}, nil)
	if err != nil {
		return 0, err
	}
	d := decoder{uri: ProcRegistrationCountCallees}
	n := d.count("args[0]", d.arg(res, 0))
	return n, d.err
}
