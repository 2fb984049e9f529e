package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/wampgo/wampgo/client"
)

// probeSerializers are the serializers probe tries, in codec.Default's
// order.
var probeSerializers = []string{"cbor", "msgpack", "json"}

// probeReport is what probe prints for one router URL.
type probeReport struct {
	URL string `json:"url"`
	// Serializers maps each serializer to "ok" or why joining with it
	// alone failed.
	Serializers map[string]string `json:"serializers"`
	// Session is the session joined with the global flags' options.
	Session *probeSession `json:"session,omitempty"`
	// Anonymous tells whether the router also admits a session without
	// authentication; set only when the flags name a method.
	Anonymous *bool `json:"anonymous,omitempty"`
	// Roles lists the features each router role announced as true.
	Roles map[string][]string `json:"roles,omitempty"`
	// Welcome is the rest of WELCOME.Details (limits and extras a router
	// announces live here), without roles.
	Welcome map[string]any `json:"welcome,omitempty"`
	Error   string         `json:"error,omitempty"`
}

type probeSession struct {
	ID           uint64 `json:"session"`
	Realm        string `json:"realm"`
	AuthID       string `json:"authid,omitempty"`
	AuthRole     string `json:"authrole,omitempty"`
	AuthMethod   string `json:"authmethod,omitempty"`
	AuthProvider string `json:"authprovider,omitempty"`
	Serializer   string `json:"serializer"`
}

// runProbe joins each router URL once per serializer and once with the
// flags' options, and prints what works and what the router announced: one
// JSON object per URL. It fails with exit status 3 when no URL admits a
// session.
func runProbe(ctx context.Context, g *globals, args []string, io stdio) error {
	fs := newFlagSet("probe", "", g, io)
	pos, tail, _, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos)+len(tail) > 0 {
		return usageErrorf("probe takes no arguments")
	}
	g.fromEnv()
	urls, err := g.urls()
	if err != nil {
		return err
	}
	var failures []error
	for _, u := range urls {
		rep, err := probeURL(ctx, g, u, io)
		if err != nil {
			var ue *usageError
			if errors.As(err, &ue) {
				return err
			}
			failures = append(failures, err)
		}
		if err := printLine(io.out, rep); err != nil {
			return err
		}
	}
	if len(failures) == len(urls) {
		return &connError{errors.Join(failures...)}
	}
	return nil
}

// probeURL probes one router URL.
func probeURL(ctx context.Context, g *globals, u string, io stdio) (probeReport, error) {
	one := *g
	one.url = u
	rep := probeReport{URL: redactURL(u), Serializers: map[string]string{}}
	for _, s := range probeSerializers {
		if g.serializer != "" && g.serializer != s {
			continue
		}
		one.serializer = s
		c, err := connect(ctx, &one, io.err)
		if err != nil {
			rep.Serializers[s] = errorText(err)
			continue
		}
		rep.Serializers[s] = "ok"
		closeClient(c, g)
	}
	one.serializer = g.serializer
	c, err := connect(ctx, &one, io.err)
	if err != nil {
		rep.Error = errorText(err)
		return rep, err
	}
	defer closeClient(c, g)
	s := c.Session()
	rep.Session = &probeSession{ID: uint64(s.ID), Realm: string(s.Realm), AuthID: s.AuthID, AuthRole: s.AuthRole,
		AuthMethod: s.AuthMethod, AuthProvider: s.AuthProvider, Serializer: c.Serializer()}
	rep.Roles = map[string][]string{}
	for role, d := range s.RouterRoles() {
		feats, _ := d["features"].(map[string]any)
		names := []string{}
		for name, on := range feats {
			if on == true {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		rep.Roles[role] = names
	}
	rep.Welcome = map[string]any{}
	for k, v := range s.Details {
		if !slices.Contains([]string{"roles", "authid", "authrole", "authmethod", "authprovider"}, k) {
			rep.Welcome[k] = toJSON(v)
		}
	}
	if a, _ := g.authenticator(); a != nil {
		anon := one
		anon.authid, anon.ticket, anon.ticketFile, anon.secret, anon.secretFile = "", "", "", "", ""
		anon.password, anon.passwordFile, anon.privateKey = "", "", ""
		ac, err := connect(ctx, &anon, io.err)
		ok := err == nil
		rep.Anonymous = &ok
		if ok {
			closeClient(ac, g)
		}
	}
	return rep, nil
}

// errorText is the one-line text of a failure, for a report.
func errorText(err error) string {
	var ce *connError
	if errors.As(err, &ce) {
		err = ce.err
	}
	var ae *client.AbortError
	if errors.As(err, &ae) {
		return fmt.Sprintf("ABORT %s", ae.Reason)
	}
	return err.Error()
}
