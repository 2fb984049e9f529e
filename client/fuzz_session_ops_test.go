package client_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// fuzzCall is a call the input made.
type fuzzCall struct {
	call      *client.Call
	cancel    context.CancelFunc
	procedure string
	mayFail   bool // canceled, or with a Timeout: any outcome is fine
	inputs    bool // ProgressiveInputs
}

// goOp runs an operation on its own goroutine with a bounded context,
// which the input may cancel (opCancel).
func (s *fuzzSession) goOp(name string, op func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.Background(), fuzzOpBound)
	s.ops = append(s.ops, fuzzOp{name: name, cancel: cancel})
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		op(ctx)
		if ctx.Err() == context.DeadlineExceeded {
			s.t.Errorf("%s: still running after %v", name, fuzzOpBound)
		}
	}()
}

// closedAlready reports whether the client had ended when an operation
// started: it must then fail at once with ErrClosed.
func (s *fuzzSession) closedAlready() bool { return isClosed(s.c.Done()) }

func (s *fuzzSession) checkAfterEnd(what string, before bool, err error) {
	if before && !errors.Is(err, client.ErrClosed) {
		s.t.Errorf("%s on an ended session: %v, want ErrClosed", what, err)
	}
}

func (s *fuzzSession) call() {
	b := s.g.byte()
	var opts []client.CallOption
	fc := &fuzzCall{procedure: fmt.Sprintf("p.%d", len(s.calls))}
	if b&1 != 0 {
		opts = append(opts, client.ReceiveProgress())
	}
	if b&2 != 0 {
		opts = append(opts, client.ProgressBuffer(s.g.intn(4)))
	}
	if b&4 != 0 {
		opts = append(opts, client.Timeout(s.g.duration()))
		fc.mayFail = true
	}
	if b&8 != 0 {
		modes := []client.CancelMode{client.CancelSkip, client.CancelKill, client.CancelKillNoWait}
		opts = append(opts, client.WithCancelMode(modes[s.g.intn(len(modes))]))
	}
	if b&16 != 0 {
		opts = append(opts, client.ProgressiveInputs())
		fc.inputs, fc.mayFail = true, true // ErrNotSupported without the feature
	}
	s.note("call %s (options %#x)", fc.procedure, b)
	before := s.closedAlready()
	var ctx context.Context
	ctx, fc.cancel = context.WithCancel(context.Background())
	fc.call = s.c.Call(ctx, fc.procedure, protocol.List{int64(b)}, nil, opts...)
	if before {
		select {
		case <-fc.call.Done():
			// Options are checked first: a call the router cannot serve
			// fails so even on an ended session.
			if _, err := fc.call.Await(ctx); !errors.Is(err, client.ErrNotSupported) {
				s.checkAfterEnd("Call", true, err)
			}
		default:
			s.t.Errorf("Call on an ended session did not complete at once")
		}
	}
	s.calls = append(s.calls, fc)
	if b&32 != 0 {
		s.readResults(fc)
	}
	s.settle(goesOn)
}

// readResults reads a call's Results to the end and checks the sequence:
// progressive results, then the final one, then the channel closed.
func (s *fuzzSession) readResults(fc *fuzzCall) {
	s.goOp("Results of "+fc.procedure, func(ctx context.Context) {
		var last client.Result
		n := 0
		for res := range fc.call.Results() {
			if n > 0 && !last.Progress {
				s.t.Errorf("%s: a result after the final one", fc.procedure)
			}
			last = res
			n++
		}
		if n == 0 || last.Progress {
			s.t.Errorf("%s: Results closed without a final result (%d results)", fc.procedure, n)
			return
		}
		// The final result is stored before Results is closed, so Await
		// returns at once (Done closes just after Results does).
		actx, cancel := context.WithTimeout(context.Background(), fuzzBound)
		defer cancel()
		final, err := fc.call.Await(actx)
		if actx.Err() != nil {
			s.t.Errorf("%s: Await did not return after Results was closed", fc.procedure)
			return
		}
		if fmt.Sprint(err) != fmt.Sprint(last.Err) || fmt.Sprint(final.Args) != fmt.Sprint(last.Args) {
			s.t.Errorf("%s: Await = %v, %v; last of Results = %v, %v", fc.procedure, final.Args, err, last.Args, last.Err)
		}
	})
}

func (s *fuzzSession) sendInput() {
	var with []*fuzzCall
	for _, fc := range s.calls {
		if fc.inputs {
			with = append(with, fc)
		}
	}
	if len(with) == 0 {
		return
	}
	fc := with[s.g.intn(len(with))]
	final := s.g.bool()
	s.note("input to %s (final %v)", fc.procedure, final)
	s.goOp("input", func(ctx context.Context) {
		if final {
			fc.call.FinishInput(ctx, protocol.List{"last"}, nil)
		} else {
			fc.call.SendInput(ctx, protocol.List{"more"}, nil)
		}
	})
	s.settle(goesOn)
}

func (s *fuzzSession) subscribe() {
	b := s.g.byte()
	topic := fmt.Sprintf("t.%d", b%3)
	var opts []client.SubscribeOption
	if b&4 != 0 {
		opts = append(opts, client.OnOverflow(client.Block))
		s.oracle = false // the reader may park: replies may wait
	}
	if b&8 != 0 {
		opts = append(opts, client.MailboxLimits(client.Limits{MaxMessages: 1 + s.g.intn(3)}))
	}
	h := s.eventHandler(int(b>>4) % 4)
	s.note("subscribe %s (options %#x)", topic, b)
	before := s.closedAlready()
	s.goOp("Subscribe", func(ctx context.Context) {
		sub, err := s.c.Subscribe(ctx, topic, h, opts...)
		s.checkAfterEnd("Subscribe", before, err)
		if err == nil {
			s.mu.Lock()
			s.subs = append(s.subs, sub)
			s.mu.Unlock()
		}
	})
	s.settle(goesOn)
}

func (s *fuzzSession) eventHandler(kind int) client.EventHandler {
	switch kind {
	case 0:
		return func(context.Context, *client.Event) { s.events.Add(1) }
	case 1:
		return func(ctx context.Context, _ *client.Event) {
			select {
			case <-s.tokens:
			case <-ctx.Done():
			}
		}
	case 2:
		return func(context.Context, *client.Event) { panic("fuzz: event handler panic") }
	default:
		return func(ctx context.Context, ev *client.Event) {
			s.c.Publish(ctx, "t.echo", ev.Args, nil)
		}
	}
}

func (s *fuzzSession) register() {
	b := s.g.byte()
	proc := fmt.Sprintf("r.%d", b%3)
	opts := []client.RegisterOption{client.Concurrency(1 + int(b>>2)%3)}
	if b&16 != 0 {
		opts = append(opts, client.MailboxLimits(client.Limits{MaxMessages: 1 + s.g.intn(2)}))
	}
	s.note("register %s (options %#x)", proc, b)
	before := s.closedAlready()
	s.goOp("Register", func(ctx context.Context) {
		reg, err := s.c.Register(ctx, proc, s.invoke, opts...)
		s.checkAfterEnd("Register", before, err)
		if err == nil {
			s.mu.Lock()
			s.regs = append(s.regs, reg)
			s.mu.Unlock()
		}
	})
	s.settle(goesOn)
}

// invoke is every registration's handler; the INVOCATION's first argument
// picks what it does.
func (s *fuzzSession) invoke(ctx context.Context, inv *client.Invocation) (client.Result, error) {
	var k int64
	if len(inv.Args) > 0 {
		k, _ = inv.Args[0].(int64)
	}
	switch k % 8 {
	case 0:
		return client.Result{Args: inv.Args}, nil
	case 1:
		return client.Result{}, client.NewError("com.fuzz.failed", protocol.List{k}, protocol.Dict{"k": k})
	case 2:
		return client.Result{}, errors.New("fuzz: plain failure")
	case 3:
		panic("fuzz: invocation handler panic")
	case 4:
		for i := range 3 {
			if inv.SendProgress(ctx, protocol.List{int64(i)}, nil) != nil {
				break
			}
		}
		return client.Result{Args: protocol.List{"done"}}, nil
	case 5:
		select {
		case <-s.tokens:
			return client.Result{}, nil
		case <-ctx.Done():
			return client.Result{}, ctx.Err()
		}
	case 6:
		// Read streamed inputs, without trusting the channel to close
		// when the session ends (TestHostileBUGSessionEndLeavesInputsOpen).
		n := int64(0)
		for {
			select {
			case in, ok := <-inv.Inputs():
				if !ok || in.Final {
					return client.Result{Args: protocol.List{n}}, nil
				}
				n++
			case <-ctx.Done():
				return client.Result{}, ctx.Err()
			}
		}
	default:
		res, err := s.c.Call(ctx, "nested", inv.Args, nil).Await(ctx)
		return client.Result{Args: res.Args}, err
	}
}

func (s *fuzzSession) publish() {
	b := s.g.byte()
	var opts []client.PublishOption
	if b&1 != 0 {
		opts = append(opts, client.Acknowledge())
	}
	s.note("publish (options %#x)", b)
	before := s.closedAlready()
	s.goOp("Publish", func(ctx context.Context) {
		_, err := s.c.Publish(ctx, "t.pub", protocol.List{int64(b)}, nil, opts...)
		s.checkAfterEnd("Publish", before, err)
	})
	s.settle(goesOn)
}

func (s *fuzzSession) unsubscribe() {
	b := s.g.byte()
	s.mu.Lock()
	subs := append([]*client.Subscription(nil), s.subs...)
	s.mu.Unlock()
	s.note("unsubscribe (%#x)", b)
	s.goOp("Unsubscribe", func(ctx context.Context) {
		if b&1 != 0 && len(subs) > 0 {
			subs[int(b>>1)%len(subs)].Unsubscribe(ctx)
			return
		}
		s.c.Unsubscribe(ctx, fmt.Sprintf("t.%d", b%3))
	})
	s.settle(goesOn)
}

func (s *fuzzSession) unregister() {
	b := s.g.byte()
	s.mu.Lock()
	regs := append([]*client.Registration(nil), s.regs...)
	s.mu.Unlock()
	s.note("unregister (%#x)", b)
	s.goOp("Unregister", func(ctx context.Context) {
		if b&1 != 0 && len(regs) > 0 {
			regs[int(b>>1)%len(regs)].Unregister(ctx)
			return
		}
		s.c.Unregister(ctx, fmt.Sprintf("r.%d", b%3))
	})
	s.settle(goesOn)
}
