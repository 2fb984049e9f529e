package wamptest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// registration is one registered procedure or pattern: one callee, or
// several under a shared invocation policy
// (advanced/rpc_shared_registration.md). Guarded by Router.mu.
type registration struct {
	id        protocol.ID
	procedure protocol.URI
	match     string // exact, prefix or wildcard
	invoke    string // single, roundrobin, random, first or last
	created   time.Time
	callees   []*callee // in registration order
	next      int       // roundrobin: index of the next callee
}

// callee is one session's attachment to a registration, with the options
// of its REGISTER.
type callee struct {
	s              *session
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
	match, _ := matchPolicy(m.Options)
	invoke, _ := m.Options["invoke"].(string)
	invoke = cmpOr(invoke, protocol.InvokeSingle)
	if strings.HasPrefix(m.Procedure, "wamp.") {
		fail(protocol.URIErrInvalidURI, "the wamp. prefix is reserved")
		return
	}
	rm := s.realm
	key := matchKey{m.Procedure, match}
	reg := rm.regKeys[key]
	switch {
	case reg == nil:
	case reg.invoke == protocol.InvokeSingle || invoke != reg.invoke:
		fail(protocol.URIErrProcedureAlreadyExists, fmt.Sprintf("procedure %s is already registered (invoke %s)", m.Procedure, reg.invoke))
		return
	case slices.ContainsFunc(reg.callees, func(c *callee) bool { return c.s == s }):
		fail(protocol.URIErrProcedureAlreadyExists, "this session already registered "+m.Procedure)
		return
	}
	created := reg == nil
	if created {
		reg = &registration{id: r.routerID(), procedure: m.Procedure, match: match, invoke: invoke, created: time.Now()}
		rm.regKeys[key] = reg
		rm.regs[reg.id] = reg
	}
	c := &callee{s: s}
	c.discloseCaller, _ = m.Options["disclose_caller"].(bool)
	c.forwardTimeout, _ = m.Options["forward_timeout"].(bool)
	reg.callees = append(reg.callees, c)
	s.regs[reg.id] = reg
	s.send(&protocol.Registered{Request: m.Request, Registration: reg.id})
	if created {
		r.metaEvent(rm, uriRegOnCreate, protocol.List{int64(s.id), reg.details()}, nil)
	}
	r.metaEvent(rm, uriRegOnRegister, protocol.List{int64(s.id), int64(reg.id)}, nil)
}

func (r *Router) unregister(s *session, m *protocol.Unregister) {
	reg := s.regs[m.Registration]
	if reg == nil {
		s.send(&protocol.Error{RequestType: protocol.TypeUnregister, Request: m.Request, Details: protocol.Dict{},
			Error: protocol.URIErrNoSuchRegistration})
		return
	}
	s.send(&protocol.Unregistered{Request: m.Request})
	r.dropCallee(reg, s)
}

// dropCallee detaches s from reg, and deletes reg once it has no callee
// left. Invocations already sent under it go on to their end.
func (r *Router) dropCallee(reg *registration, s *session) {
	delete(s.regs, reg.id)
	i := slices.IndexFunc(reg.callees, func(c *callee) bool { return c.s == s })
	if i < 0 {
		return
	}
	reg.callees = slices.Delete(reg.callees, i, i+1)
	if reg.next > i {
		reg.next--
	}
	rm := s.realm
	r.metaEvent(rm, uriRegOnUnregister, protocol.List{int64(s.id), int64(reg.id)}, nil)
	if len(reg.callees) == 0 {
		delete(rm.regs, reg.id)
		delete(rm.regKeys, matchKey{reg.procedure, reg.match})
		r.metaEvent(rm, uriRegOnDelete, protocol.List{int64(s.id), int64(reg.id)}, nil)
	}
}

// pick chooses the callee of one call by the registration's invocation
// policy.
func (r *Router) pick(reg *registration) *callee {
	switch n := len(reg.callees); reg.invoke {
	case protocol.InvokeRoundRobin:
		c := reg.callees[reg.next%n]
		reg.next = (reg.next + 1) % n
		return c
	case protocol.InvokeRandom:
		return reg.callees[r.rand.IntN(n)]
	case protocol.InvokeLast:
		return reg.callees[n-1]
	}
	return reg.callees[0] // single and first
}

// details describes the registration in the registration meta API.
func (reg *registration) details() protocol.Dict {
	return protocol.Dict{
		"id":      int64(reg.id),
		"created": reg.created.UTC().Format(time.RFC3339Nano),
		"uri":     reg.procedure,
		"match":   reg.match,
		"invoke":  reg.invoke,
	}
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
	if err := checkPassthru(s, protocol.RoleCaller, "CALL", m.Options); err != nil {
		return err
	}
	if proc := metaProcedures[m.Procedure]; proc != nil {
		r.answerMeta(s, m, proc)
		return nil
	}
	reg := s.realm.bestRegistration(m.Procedure)
	if reg == nil {
		fail(protocol.URIErrNoSuchProcedure, protocol.List{"no callee registered " + m.Procedure})
		return nil
	}
	chosen := r.pick(reg)
	callee := chosen.s
	canCancel := callee.has(protocol.RoleCallee, protocol.FeatureCallCanceling)
	if progress && !(canCancel && callee.has(protocol.RoleCallee, protocol.FeatureProgressiveCallInvocations)) {
		fail(protocol.URIErrFeatureNotSupported, protocol.List{"the callee does not support progressive call invocations"})
		return nil
	}
	if isPassthru(m.Options) && !callee.has(protocol.RoleCallee, protocol.FeaturePayloadPassthruMode) {
		fail(protocol.URIErrFeatureNotSupported, protocol.List{"the callee does not support payload passthru mode"})
		return nil
	}

	c := &call{caller: s, req: m.Request, callee: callee, reg: reg.id, procedure: m.Procedure, inputOpen: progress}
	details := protocol.Dict{}
	if disclose, _ := m.Options["disclose_me"].(bool); disclose || chosen.discloseCaller {
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
		if chosen.forwardTimeout {
			details["timeout"] = ms
		} else {
			c.timeout = time.Duration(ms) * time.Millisecond
		}
	}
	if reg.match != protocol.MatchExact {
		details["procedure"] = m.Procedure
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
	if err := checkPassthru(s, protocol.RoleCallee, "YIELD", m.Options); err != nil {
		return err
	}
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
