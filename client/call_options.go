package client

import (
	"bytes"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// CancelMode is how a call is canceled: CANCEL.Options.mode.
type CancelMode string

// The cancel modes of advanced/rpc_call_canceling.md.
const (
	CancelSkip       CancelMode = "skip"
	CancelKill       CancelMode = "kill"
	CancelKillNoWait CancelMode = "killnowait"
)

// DefaultProgressBuffer is how many progressive results a call buffers
// for its reader unless ProgressBuffer says otherwise.
const DefaultProgressBuffer = 256

// CallOption configures Call.
type CallOption interface{ applyCall(*callConfig) }

type callConfig struct {
	receiveProgress   bool
	progressiveInputs bool
	timeout           time.Duration
	cancelMode        CancelMode
	discloseMe        bool
	rkey              string
	raw               protocol.Dict
	progressBuffer    int
	progressOverflow  OverflowPolicy
	progressLimits    Limits
	waitForCallee     bool // WaitForCallee (wait_for_callee.go)
}

// init sets the defaults, then applies opts. (It fills the call's own
// config in place, so that the options do not make a copy escape.)
func (cfg *callConfig) init(opts []CallOption) {
	cfg.cancelMode, cfg.progressBuffer, cfg.progressOverflow = CancelKill, DefaultProgressBuffer, Block
	for _, o := range opts {
		o.applyCall(cfg)
	}
}

func (cfg callConfig) check(s Session) error {
	switch cfg.cancelMode {
	case CancelSkip, CancelKill, CancelKillNoWait:
	default:
		return fmt.Errorf("wampgo: unknown cancel mode %q", cfg.cancelMode)
	}
	if cfg.timeout < 0 {
		return fmt.Errorf("wampgo: negative call timeout %v", cfg.timeout)
	}
	if cfg.progressiveInputs && !s.HasFeature("dealer", "progressive_call_invocations") {
		return fmt.Errorf("%w: progressive_call_invocations", ErrNotSupported)
	}
	return nil
}

// options builds CALL.Options; nil when there are none.
func (cfg callConfig) options() protocol.Dict {
	if cfg.raw == nil && !cfg.receiveProgress && !cfg.progressiveInputs && cfg.timeout <= 0 && !cfg.discloseMe && cfg.rkey == "" {
		return nil
	}
	o := protocol.Dict{}
	for k, v := range cfg.raw {
		o[k] = v
	}
	if cfg.receiveProgress {
		o["receive_progress"] = true
	}
	if cfg.progressiveInputs {
		o["progress"] = true
	}
	if cfg.timeout > 0 {
		ms := cfg.timeout.Milliseconds()
		if ms == 0 {
			ms = 1
		}
		o["timeout"] = ms
	}
	if cfg.discloseMe {
		o["disclose_me"] = true
	}
	if cfg.rkey != "" {
		o["rkey"] = cfg.rkey
	}
	return o
}

type callOptionFunc func(*callConfig)

func (f callOptionFunc) applyCall(c *callConfig) { f(c) }

// ReceiveProgress asks for progressive results (CALL.Options.receive_progress).
func ReceiveProgress() CallOption {
	return callOptionFunc(func(c *callConfig) { c.receiveProgress = true })
}

// ProgressiveInputs starts a call whose inputs are streamed: the first CALL
// carries progress=true, further chunks go with SendInput and the last with
// FinishInput. The router must announce progressive_call_invocations.
func ProgressiveInputs() CallOption {
	return callOptionFunc(func(c *callConfig) { c.progressiveInputs = true })
}

// Timeout sets the call timeout: sent as CALL.Options.timeout (in
// milliseconds) and also enforced locally; when it expires first locally,
// the call completes with an error matching ErrTimeout and is canceled at
// the router (killnowait) if the router supports canceling.
func Timeout(d time.Duration) CallOption {
	return callOptionFunc(func(c *callConfig) { c.timeout = d })
}

// WithCancelMode sets how the call is canceled when its context ends
// (default CancelKill).
func WithCancelMode(m CancelMode) CallOption {
	return callOptionFunc(func(c *callConfig) { c.cancelMode = m })
}

// ProgressBuffer sets how many progressive results may wait for the
// reader before OnProgressOverflow applies (default
// DefaultProgressBuffer); see OnProgressOverflow for what happens to the
// ones past it. They wait in the call's queue, which hands them to Results
// one at a time (Results holds the next one; it counts as waiting); the
// queue's bytes are bounded too (ProgressQueueLimits). A negative n fails
// the call with an *ArgumentError.
func ProgressBuffer(n int) CallOption {
	return callOptionFunc(func(c *callConfig) { c.progressBuffer = n })
}

// OnProgressOverflow sets what happens to a progressive result that finds
// ProgressBuffer results waiting unread:
//
//   - Block, the default: no progressive result is ever dropped. Past
//     ProgressBuffer, results go on waiting in the call's queue, up to
//     ProgressQueueLimits (512k more results, 64 MiB in all, by default).
//     Past that, the session stops reading from the router until the
//     reader catches up: backpressure, which also holds up the session's
//     other incoming traffic (results and events for others wait); it
//     still sends requests. The queue is fed to Results in order by a
//     goroutine that exists only while results wait.
//   - Drop: results past ProgressBuffer, or past ProgressQueueLimits'
//     bytes, are dropped, counted by Dropped and reported to the error
//     handler. The session never waits.
//
// The final result is never dropped. If the session ends while results
// wait unread, those still queued are discarded and Results is closed (the
// final result is always available from Await). A call canceled or timed
// out while results wait in its queue releases them at once: those queued
// and the one unread in Results are discarded, the final result is the
// next value on Results, and the queue's goroutine ends. Fail fails the
// call with an *ArgumentError.
func OnProgressOverflow(p OverflowPolicy) CallOption {
	return callOptionFunc(func(c *callConfig) { c.progressOverflow = p })
}

// ProgressQueueLimits bounds the call's queue of progressive results,
// Results' one included, in bytes (l.MaxBytes, under either policy) and,
// under OnProgressOverflow(Block), in number beyond ProgressBuffer
// (l.MaxMessages). Results are counted as Limits says. Under Block, a
// result that would pass either bound waits, with the session's reading,
// until the reader makes room (one result of any size is taken when none
// is queued, so the queue holds at most the limits plus one result);
// under Drop it is dropped (one result of any size is taken when none
// waits). Zero or negative fields keep the defaults, 512k results and
// 64 MiB.
func ProgressQueueLimits(l Limits) CallOption {
	return callOptionFunc(func(c *callConfig) { c.progressLimits = l })
}

// sharedOption is an option that applies to several operations.
type sharedOption struct {
	call      func(*callConfig)
	publish   func(*publishConfig)
	register  func(*registerConfig)
	subscribe func(*subscribeConfig)
}

func (o sharedOption) applyCall(c *callConfig) {
	if o.call != nil {
		o.call(c)
	}
}
func (o sharedOption) applyPublish(c *publishConfig) {
	if o.publish != nil {
		o.publish(c)
	}
}
func (o sharedOption) applyRegister(c *registerConfig) {
	if o.register != nil {
		o.register(c)
	}
}
func (o sharedOption) applySubscribe(c *subscribeConfig) {
	if o.subscribe != nil {
		o.subscribe(c)
	}
}

// CallPublishOption applies to both Call and Publish.
type CallPublishOption interface {
	CallOption
	PublishOption
}

// DiscloseMe asks the router to disclose our identity to the callee or to
// subscribers (CALL/PUBLISH.Options.disclose_me). It is a hint: it is sent
// whether or not the router announced caller or publisher identification,
// and a router may ignore it (the operation is served the same way).
func DiscloseMe() CallPublishOption {
	return sharedOption{
		call:    func(c *callConfig) { c.discloseMe = true },
		publish: func(c *publishConfig) { c.discloseMe = true },
	}
}

// ResourceKey sets the sharding key (Options.rkey) of a call or publication.
func ResourceKey(key string) CallPublishOption {
	return sharedOption{
		call:    func(c *callConfig) { c.rkey = key },
		publish: func(c *publishConfig) { c.rkey = key },
	}
}

// AnyOption applies to Call, Publish, Register and Subscribe.
type AnyOption interface {
	CallOption
	PublishOption
	RegisterOption
	SubscribeOption
}

// RawOptions merges d into the message's Options dict, for options this
// package has no function for. Options set by other functions win.
//
// RawOptions takes a copy of d, lists and dicts within included: changing
// them afterwards does not change the option. The values are checked, like
// the rest of the message, when an operation uses the option: one that the
// session's serializer cannot carry (a Go type outside the payload types,
// a string that is not UTF-8, nesting too deep, NaN over JSON) fails that
// operation in the caller's goroutine with an *ArgumentError naming the
// option, and nothing is sent.
func RawOptions(d protocol.Dict) AnyOption {
	d = snapshotDict(d)
	merge := func(dst *protocol.Dict) {
		if *dst == nil {
			*dst = protocol.Dict{}
		}
		for k, v := range d {
			(*dst)[k] = v
		}
	}
	return sharedOption{
		call:      func(c *callConfig) { merge(&c.raw) },
		publish:   func(c *publishConfig) { merge(&c.raw) },
		register:  func(c *registerConfig) { merge(&c.raw) },
		subscribe: func(c *subscribeConfig) { merge(&c.raw) },
	}
}

// snapshotDict copies d deeply, normalizing its values (codec.Normalize),
// so that an option keeps the value it had when it was made. A value that
// does not normalize is kept as it is, for the operation that uses it to
// refuse.
func snapshotDict(d protocol.Dict) protocol.Dict {
	if d == nil {
		return nil
	}
	out := make(protocol.Dict, len(d))
	for k, v := range d {
		if n, err := codec.Normalize(v); err == nil {
			v = deepCopy(n)
		}
		out[k] = v
	}
	return out
}

// deepCopy copies the lists, dicts and binaries of v, a normalized value
// (so of bounded depth).
func deepCopy(v any) any {
	switch x := v.(type) {
	case []any:
		if x == nil {
			return x
		}
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	case map[string]any:
		if x == nil {
			return x
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []byte:
		return bytes.Clone(x)
	}
	return v
}
