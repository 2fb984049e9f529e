package client

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The options' contract (doc.go, "# Options"): a constructor given a value
// that cannot be right records it on the config, and Dial and Connect
// report it before connecting, as an *ArgumentError matching
// ErrInvalidArgument; no wrong value is dropped or replaced silently.

// invalid records a wrong value given to option.
func (c *config) invalid(option, format string, args ...any) {
	c.wrong = append(c.wrong, &ArgumentError{Arg: option, Reason: fmt.Sprintf(format, args...)})
}

// usedByDialOnly records an option that configures the connection Dial
// opens; Connect, given a connection, refuses it rather than ignore it.
func (c *config) usedByDialOnly(option string) { c.dialOnly = append(c.dialOnly, option) }

// checkPositive records d as wrong unless it is positive.
func (c *config) checkPositive(option string, d time.Duration) {
	if d <= 0 {
		c.invalid(option, "%v is not positive", d)
	}
}

// optionsError returns the wrong options recorded for op ("Dial" or
// "Connect"): nil, the one *ArgumentError, or several joined (each found
// by errors.As and matching ErrInvalidArgument).
func (c *config) optionsError(op string) error {
	errs := make([]error, 0, len(c.wrong)+len(c.dialOnly))
	for _, e := range c.wrong {
		ae := *e.(*ArgumentError)
		ae.Op = op
		errs = append(errs, &ae)
	}
	if op == "Connect" {
		for _, o := range c.dialOnly {
			errs = append(errs, &ArgumentError{Op: op, Arg: o,
				Reason: "configures the connection Dial opens; Connect is given one"})
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// checkReconnect records the wrong fields of r; zero fields take their
// defaults.
func checkReconnect(c *config, r *Reconnect) {
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"MinDelay", r.MinDelay}, {"MaxDelay", r.MaxDelay}, {"ResetAfter", r.ResetAfter}, {"AttemptTimeout", r.AttemptTimeout}} {
		if f.d < 0 {
			c.invalid("WithReconnect", "%s %v is negative", f.name, f.d)
		}
	}
	if r.MinDelay > 0 && r.MaxDelay > 0 && r.MaxDelay < r.MinDelay {
		c.invalid("WithReconnect", "MaxDelay %v is below MinDelay %v", r.MaxDelay, r.MinDelay)
	}
	if r.MaxAttempts < 0 {
		c.invalid("WithReconnect", "MaxAttempts %d is negative", r.MaxAttempts)
	}
	if r.WhileDisconnected != WaitForSession && r.WhileDisconnected != FailFast {
		c.invalid("WithReconnect", "unknown WhileDisconnected %d", r.WhileDisconnected)
	}
}

// checkOverflow refuses an OverflowPolicy that is neither Drop nor Block.
func checkOverflow(op, arg string, p OverflowPolicy) error {
	if p != Drop && p != Block {
		return &ArgumentError{Op: op, Arg: arg, Reason: fmt.Sprintf("unknown policy %d", p)}
	}
	return nil
}

// checkHTTPHeader refuses WithHTTPHeader when no URL is a WebSocket one:
// RawSocket has no opening HTTP request, and the headers (often a token)
// would be dropped silently.
func checkHTTPHeader(urls []string, cfg *config) error {
	if cfg.header == nil {
		return nil
	}
	for _, u := range urls {
		scheme, _, _ := strings.Cut(u, "://")
		switch strings.ToLower(scheme) {
		case "ws", "wss", "http", "https":
			return nil
		}
	}
	return &ArgumentError{Op: "Dial", Arg: "WithHTTPHeader",
		Reason: "no WebSocket URL (ws://, wss://): RawSocket has no HTTP handshake to carry headers"}
}
