package wamptest

import (
	"fmt"
	"strings"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// registration is one registered procedure. Guarded by Router.mu.
type registration struct {
	id             protocol.ID
	procedure      protocol.URI
	callee         *session
	discloseCaller bool // REGISTER.Options.disclose_caller
	forwardTimeout bool // REGISTER.Options.forward_timeout
}

// call is one routed call, from CALL to its final RESULT or ERROR, or to
// its cancellation. Guarded by Router.mu.
type call struct {
	caller    *session
	req       protocol.ID // the caller's CALL request id
	callee    *session
	inv       protocol.ID // the INVOCATION request id in the callee's sequence
	reg       protocol.ID
	procedure protocol.URI
	details   protocol.Dict // INVOCATION.Details of the first chunk, without progress

	receiveProgress bool // progressive results go to the caller
	inputOpen       bool // progressive invocations: more CALL chunks may follow
	killing         bool // CANCEL mode kill sent INTERRUPT; waiting for the callee
	done            bool

	timeout  time.Duration // dealer-initiated timeout (0: none)
	timer    *time.Timer
	timerGen uint64 // tells a stale timer callback from the current one
}

func (r *Router) register(s *session, m *protocol.Register) {
	fail := func(uri protocol.URI, why string) {
		s.send(&protocol.Error{RequestType: protocol.TypeRegister, Request: m.Request, Details: protocol.Dict{},
			Error: uri, Payload: protocol.Payload{Args: protocol.List{why}}})
	}
	if match, _ := m.Options["match"].(string); match != "" && match != protocol.MatchExact {
		fail(protocol.URIErrOptionNotAllowed, "only exact matching is supported")
		return
	}
	if inv, _ := m.Options["invoke"].(string); inv != "" && inv != protocol.InvokeSingle {
		fail(protocol.URIErrOptionNotAllowed, "only single registrations are supported")
		return
	}
	if strings.HasPrefix(m.Procedure, "wamp.") {
		fail(protocol.URIErrInvalidURI, "the wamp. prefix is reserved")
		return
	}
	if s.realm.procs[m.Procedure] != nil {
		fail(protocol.URIErrProcedureAlreadyExists, "procedure "+m.Procedure+" is already registered")
		return
	}
	reg := &registration{id: r.routerID(), procedure: m.Procedure, callee: s}
	reg.discloseCaller, _ = m.Options["disclose_caller"].(bool)
	reg.forwardTimeout, _ = m.Options["forward_timeout"].(bool)
	s.realm.procs[reg.procedure] = reg
	s.realm.regs[reg.id] = reg
	s.regs[reg.id] = reg
	s.send(&protocol.Registered{Request: m.Request, Registration: reg.id})
}

func (r *Router) unregister(s *session, m *protocol.Unregister) {
	reg := s.regs[m.Registration]
	if reg == nil {
		s.send(&protocol.Error{RequestType: protocol.TypeUnregister, Request: m.Request, Details: protocol.Dict{},
			Error: protocol.URIErrNoSuchRegistration})
		return
	}
	r.dropRegistration(reg)
	s.send(&protocol.Unregistered{Request: m.Request})
}

// dropRegistration removes a registration. Invocations already sent under
// it go on to their end.
func (r *Router) dropRegistration(reg *registration) {
	delete(reg.callee.regs, reg.id)
	delete(reg.callee.realm.regs, reg.id)
	delete(reg.callee.realm.procs, reg.procedure)
}

// call handles CALL: a new call, or the next chunk of a call with
// progressive invocations (advanced/rpc_progressive_call_invocations.md,
// "Verification of CALL Request IDs").
func (r *Router) call(s *session, m *protocol.Call) error {
	if c := s.calls[m.Request]; c != nil {
		return r.continueCall(c, m)
	}
	if !r.cfg.lenientIDs {
		if m.Request != s.expectedRequest() {
			if m.Request <= s.lastReq {
				return nil // a late continuation of a call that has ended: discarded
			}
			return fmt.Errorf("request id %d out of sequence: want %d", m.Request, s.expectedRequest())
		}
		s.lastReq = m.Request
	}
	progress, _ := m.Options["progress"].(bool)
	if progress && !s.has(protocol.RoleCaller, protocol.FeatureProgressiveCallInvocations) {
		return fmt.Errorf("CALL with progress=true from a caller that did not announce %s", protocol.FeatureProgressiveCallInvocations)
	}
	fail := func(uri protocol.URI, args protocol.List) {
		s.send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{},
			Error: uri, Payload: protocol.Payload{Args: args}})
	}
	if m.Procedure == uriSessionCount {
		r.sessionCount(s, m)
		return nil
	}
	reg := s.realm.procs[m.Procedure]
	if reg == nil {
		fail(protocol.URIErrNoSuchProcedure, protocol.List{"no callee registered " + m.Procedure})
		return nil
	}
	callee := reg.callee
	canCancel := callee.has(protocol.RoleCallee, protocol.FeatureCallCanceling)
	if progress && !(canCancel && callee.has(protocol.RoleCallee, protocol.FeatureProgressiveCallInvocations)) {
		fail(protocol.URIErrFeatureNotSupported, protocol.List{"the callee does not support progressive call invocations"})
		return nil
	}

	c := &call{caller: s, req: m.Request, callee: callee, reg: reg.id, procedure: m.Procedure, inputOpen: progress}
	details := protocol.Dict{}
	if disclose, _ := m.Options["disclose_me"].(bool); disclose || reg.discloseCaller {
		details["caller"] = int64(s.id)
		details["caller_authid"] = s.authid
		details["caller_authrole"] = s.authrole
	}
	if rp, _ := m.Options["receive_progress"].(bool); rp && canCancel &&
		callee.has(protocol.RoleCallee, protocol.FeatureProgressiveCallResults) {
		details["receive_progress"] = true
		c.receiveProgress = true
	}
	if ms, ok := intOption(m.Options, "timeout"); ok && ms > 0 {
		if reg.forwardTimeout {
			details["timeout"] = ms
		} else {
			c.timeout = time.Duration(ms) * time.Millisecond
		}
	}
	copyPassthru(details, m.Options)
	c.details = details
	c.inv = callee.nextInvocation()
	s.calls[c.req] = c
	callee.invocations[c.inv] = c
	r.armTimer(c)
	callee.send(&protocol.Invocation{Request: c.inv, Registration: c.reg,
		Details: withProgress(details, progress), Payload: m.Payload})
	return nil
}

// continueCall forwards a further chunk of a call with progressive
// invocations to the same callee under the same INVOCATION request id.
// Options of the chunk other than progress are ignored: those of the first
// CALL hold for the whole call.
func (r *Router) continueCall(c *call, m *protocol.Call) error {
	if !c.inputOpen {
		return fmt.Errorf("CALL %d continues a call that takes no further input", m.Request)
	}
	if m.Procedure != c.procedure {
		return nil // not this call's continuation: discarded, as the spec's pseudocode does
	}
	progress, _ := m.Options["progress"].(bool)
	c.inputOpen = progress
	c.callee.send(&protocol.Invocation{Request: c.inv, Registration: c.reg,
		Details: withProgress(c.details, progress), Payload: m.Payload})
	return nil
}

// withProgress returns a copy of details with progress=true when progress
// is set, else details itself.
func withProgress(details protocol.Dict, progress bool) protocol.Dict {
	if !progress {
		return details
	}
	d := make(protocol.Dict, len(details)+1)
	for k, v := range details {
		d[k] = v
	}
	d["progress"] = true
	return d
}

// invocation finds the call a callee's YIELD or ERROR answers. A request
// id the router issued but no longer tracks (canceled, timed out, caller
// gone) is a late answer and yields nil, nil: discarded. One never issued
// is a protocol violation.
func (s *session) invocation(t protocol.MessageType, req protocol.ID) (*call, error) {
	if c := s.invocations[req]; c != nil {
		return c, nil
	}
	if req <= s.lastInv {
		return nil, nil
	}
	return nil, fmt.Errorf("%s for INVOCATION %d, which the router never sent", t, req)
}

func (r *Router) yield(s *session, m *protocol.Yield) error {
	c, err := s.invocation(protocol.TypeYield, m.Request)
	if c == nil {
		return err
	}
	details := protocol.Dict{}
	copyPassthru(details, m.Options)
	if progress, _ := m.Options["progress"].(bool); progress {
		if c.receiveProgress {
			details["progress"] = true
			c.caller.send(&protocol.Result{Request: c.req, Details: details, Payload: m.Payload})
		}
		// With progressive results the timeout runs between results
		// (advanced/rpc_progressive_call_results.md, "Timeouts").
		r.armTimer(c)
		return nil
	}
	r.finish(c)
	c.caller.send(&protocol.Result{Request: c.req, Details: details, Payload: m.Payload})
	return nil
}

func (r *Router) calleeError(s *session, m *protocol.Error) error {
	c, err := s.invocation(protocol.TypeError, m.Request)
	if c == nil {
		return err
	}
	r.finish(c)
	details := protocol.Dict{}
	copyPassthru(details, m.Details)
	c.caller.send(&protocol.Error{RequestType: protocol.TypeCall, Request: c.req, Details: details,
		Error: m.Error, Payload: m.Payload})
	return nil
}

// cancel handles CANCEL (advanced/rpc_call_canceling.md). The mode
// defaults to kill; it is skip when the callee does not support canceling.
// A CANCEL for a call that has already ended is ignored.
func (r *Router) cancel(s *session, m *protocol.Cancel) {
	c := s.calls[m.Request]
	if c == nil {
		return
	}
	mode, _ := m.Options["mode"].(string)
	if mode == "" {
		mode = protocol.CancelKill
	}
	if !c.callee.has(protocol.RoleCallee, protocol.FeatureCallCanceling) {
		mode = protocol.CancelSkip
	}
	switch mode {
	case protocol.CancelKill:
		if !c.killing {
			c.killing = true
			c.callee.send(&protocol.Interrupt{Request: c.inv, Options: protocol.Dict{"mode": protocol.CancelKill}})
		}
	default: // skip and killnowait: the caller gets its ERROR now
		r.abandon(c, protocol.URIErrCanceled, mode, "canceled by the caller")
	}
}

// abandon ends a call before the callee answered: the caller gets ERROR
// uri now, the callee an INTERRUPT unless mode is skip, and any later
// answer from the callee is discarded.
func (r *Router) abandon(c *call, uri protocol.URI, mode, why string) {
	r.finish(c)
	c.caller.send(&protocol.Error{RequestType: protocol.TypeCall, Request: c.req, Details: protocol.Dict{},
		Error: uri, Payload: protocol.Payload{Args: protocol.List{why}}})
	if mode != protocol.CancelSkip {
		c.callee.send(&protocol.Interrupt{Request: c.inv, Options: protocol.Dict{"mode": mode}})
	}
}

// finish forgets a call on both sides and stops its timer.
func (r *Router) finish(c *call) {
	if c.done {
		return
	}
	c.done = true
	delete(c.caller.calls, c.req)
	delete(c.callee.invocations, c.inv)
	r.stopTimer(c)
}

// armTimer starts, or restarts, the dealer-initiated timeout of a call
// (advanced/rpc_call_timeout.md). The callback is counted in r.wg from
// here until it returns or is stopped.
func (r *Router) armTimer(c *call) {
	if c.timeout <= 0 || c.done {
		return
	}
	r.stopTimer(c)
	c.timerGen++
	gen := c.timerGen
	r.wg.Add(1)
	c.timer = time.AfterFunc(c.timeout, func() {
		defer r.wg.Done()
		r.expire(c, gen)
	})
}

func (r *Router) stopTimer(c *call) {
	if c.timer != nil && c.timer.Stop() {
		r.wg.Done()
	}
	c.timer = nil
}

// expire ends a call whose timeout passed: ERROR wamp.error.timeout to the
// caller and, when the callee supports canceling, INTERRUPT killnowait.
func (r *Router) expire(c *call, gen uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.done || c.timerGen != gen {
		return
	}
	c.timer = nil // this callback is running: stopTimer must not count it again
	mode := protocol.CancelSkip
	if c.callee.has(protocol.RoleCallee, protocol.FeatureCallCanceling) {
		mode = protocol.CancelKillNoWait
	}
	r.abandon(c, protocol.URIErrTimeout, mode, fmt.Sprintf("the call did not complete within %v", c.timeout))
}
