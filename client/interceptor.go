package client

import (
	"context"
	"sync"

	"github.com/wampgo/wampgo/protocol"
)

// Interceptor holds hooks around the client's traffic: outgoing calls and
// publications, incoming invocations and events. It is the one place for
// tracing, metrics, logging and custom headers (Options and Details keys
// starting with "_", which the spec reserves for such uses). Each field is
// optional; each wraps the next step, as HTTP middleware does, so a hook
// may act before and after it, change its arguments, or not call it at
// all.
//
// Install interceptors with WithInterceptors. Several run in the order
// given: the first is the outermost.
type Interceptor struct {
	// Call wraps Client.Call. It runs in the caller's goroutine and must
	// return the *Call of next (or its own, completed). To add Options
	// entries, append RawOptions to opts. The call completes later: a hook
	// that needs the outcome (to end a span, record the duration) registers
	// it with the *Call's AfterDone, which runs it once the final result is
	// in, with no goroutine waiting meanwhile.
	Call func(next CallFunc) CallFunc
	// Publish wraps Client.Publish, in the caller's goroutine.
	Publish func(next PublishFunc) PublishFunc
	// Invocation wraps every registered handler, in the handler's
	// goroutine; Invocation.Details holds what the caller's Options carried
	// when the router forwards it.
	Invocation func(next Handler) Handler
	// Event wraps every subscription's handler, in the handler's goroutine.
	Event func(next EventHandler) EventHandler
}

// CallFunc is the signature of Client.Call, for Interceptor.Call.
type CallFunc func(ctx context.Context, procedure protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...CallOption) *Call

// PublishFunc is the signature of Client.Publish, for Interceptor.Publish.
type PublishFunc func(ctx context.Context, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...PublishOption) (protocol.ID, error)

// WithInterceptors installs interceptors, in addition to any installed
// before; the first given is the outermost.
func WithInterceptors(is ...Interceptor) Option {
	return func(c *config) { c.interceptors = append(c.interceptors, is...) }
}

// chains are the interceptors composed around the client's own steps,
// built once, on first use.
type chains struct {
	once    sync.Once
	call    CallFunc    // nil: no Call interceptor
	publish PublishFunc // nil: no Publish interceptor
}

// chain returns the composed Call and Publish chains.
func (c *Client) chain() *chains {
	ch := &c.chains
	ch.once.Do(func() {
		var call CallFunc = c.call
		var publish PublishFunc = c.publish
		hasCall, hasPublish := false, false
		for i := len(c.cfg.interceptors) - 1; i >= 0; i-- {
			ic := c.cfg.interceptors[i]
			if ic.Call != nil {
				call, hasCall = ic.Call(call), true
			}
			if ic.Publish != nil {
				publish, hasPublish = ic.Publish(publish), true
			}
		}
		if hasCall {
			ch.call = call
		}
		if hasPublish {
			ch.publish = publish
		}
	})
	return ch
}

// interceptCall returns the Call chain, or nil when there is none.
func (c *Client) interceptCall() CallFunc {
	if len(c.cfg.interceptors) == 0 {
		return nil
	}
	return c.chain().call
}

// interceptPublish returns the Publish chain, or nil when there is none.
func (c *Client) interceptPublish() PublishFunc {
	if len(c.cfg.interceptors) == 0 {
		return nil
	}
	return c.chain().publish
}

// wrapHandler applies the Invocation interceptors to a registered handler.
func (c *Client) wrapHandler(h Handler) Handler {
	for i := len(c.cfg.interceptors) - 1; i >= 0; i-- {
		if w := c.cfg.interceptors[i].Invocation; w != nil {
			h = w(h)
		}
	}
	return h
}

// wrapEventHandler applies the Event interceptors to a subscription's
// handler.
func (c *Client) wrapEventHandler(h EventHandler) EventHandler {
	for i := len(c.cfg.interceptors) - 1; i >= 0; i-- {
		if w := c.cfg.interceptors[i].Event; w != nil {
			h = w(h)
		}
	}
	return h
}
