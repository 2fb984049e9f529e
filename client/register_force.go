package client

// ForceReregister asks the dealer to take the procedure over from any
// registration that holds it already (REGISTER.Options.force_reregister,
// as Crossbar implements it: the old registration is revoked). It is sent
// as a hint whatever the router announced: a router that does not know it
// ignores it, and then a procedure still held by a dead session is
// answered wamp.error.procedure_already_exists as usual (see
// Reconnect.KillStaleSession). The option goes with every restore after a
// reconnect too. Use it only for a procedure that this service alone
// provides: it displaces any other callee.
func ForceReregister() RegisterOption {
	return registerOptionFunc(func(c *registerConfig) {
		if c.raw == nil {
			c.raw = map[string]any{}
		}
		c.raw["force_reregister"] = true
	})
}
