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
	if lastRoles.roles != nil && reflect.DeepEqual(lastRoles.roles, roles) {
		details["roles"] = lastRoles.roles
	} else {
		lastRoles.roles = roles
	}
	return details
}
