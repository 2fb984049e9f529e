package client

import (
	"reflect"
	"sync"

	"github.com/wampgo/wampgo/protocol"
)

// lastRoles is the roles dict of the latest WELCOME, shared by the
// sessions whose WELCOME announced equal roles: a process holding
// thousands of sessions to one router holds that router's roles (the
// largest part of WELCOME.Details, a dict per role and per feature) once.
var lastRoles struct {
	mu    sync.Mutex
	roles protocol.Dict // guarded by mu; never modified
}

// shareRoles replaces details' "roles" dict with an equal one already held
// by another session, if any, and returns details. The dicts are never
// modified once a session holds them (Session.Details is read-only).
func shareRoles(details protocol.Dict) protocol.Dict {
	roles, ok := details["roles"].(protocol.Dict)
	if !ok {
		return details
	}
	lastRoles.mu.Lock()
	defer lastRoles.mu.Unlock()
	if lastRoles.roles != nil && equalValues(lastRoles.roles, roles) {
		details["roles"] = lastRoles.roles
	} else {
		lastRoles.roles = roles
	}
	return details
}

// equalValues reports whether a and b, values as a codec decodes them
// (dicts, lists, strings, numbers, booleans, nil), are deeply equal. It is
// reflect.DeepEqual without reflection for those types, which a join
// compares on every WELCOME; other types fall back to reflect.DeepEqual.
func equalValues(a, b any) bool {
	switch a := a.(type) {
	case protocol.Dict:
		b, ok := b.(protocol.Dict)
		if !ok || len(a) != len(b) || (a == nil) != (b == nil) {
			return false
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok || !equalValues(av, bv) {
				return false
			}
		}
		return true
	case protocol.List:
		b, ok := b.(protocol.List)
		if !ok || len(a) != len(b) || (a == nil) != (b == nil) {
			return false
		}
		for i := range a {
			if !equalValues(a[i], b[i]) {
				return false
			}
		}
		return true
	case string:
		b, ok := b.(string)
		return ok && a == b
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case int64:
		b, ok := b.(int64)
		return ok && a == b
	case uint64:
		b, ok := b.(uint64)
		return ok && a == b
	case float64:
		b, ok := b.(float64)
		return ok && a == b // NaN differs from itself, as for reflect.DeepEqual
	case nil:
		return b == nil
	}
	return reflect.DeepEqual(a, b)
}
