package actor_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/actor"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type incr struct {
	by    int
	reply actor.Reply[int]
}

func counter() *actor.Actor[incr] {
	return actor.Spawn(0, func(in actor.Inbox[incr]) error {
		n := 0
		for {
			c, ok := in.Receive()
			if !ok {
				return nil
			}
			n += c.by
			c.reply <- n
		}
	}, nil)
}

func TestAskSerializesState(t *testing.T) {
	a := counter()
	defer a.Stop(context.Background())
	ctx := context.Background()
	done := make(chan int, 50)
	for range 50 {
		go func() {
			n, err := actor.Ask(ctx, a, func(r actor.Reply[int]) incr { return incr{by: 1, reply: r} })
			if err != nil {
				t.Error(err)
			}
			done <- n
		}()
	}
	seen := map[int]bool{}
	for range 50 {
		seen[<-done] = true
	}
	if len(seen) != 50 {
		t.Fatalf("want 50 distinct counts, got %d", len(seen))
	}
}

func TestStopHandshakeTwice(t *testing.T) {
	a := counter()
	if err := a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.Err(); err != nil {
		t.Fatalf("clean stop: Err = %v", err)
	}
	_, err := actor.Ask(context.Background(), a, func(r actor.Reply[int]) incr { return incr{reply: r} })
	if !errors.Is(err, actor.ErrStopped) {
		t.Fatalf("Ask after stop: %v", err)
	}
}

func TestPanicBecomesEndReason(t *testing.T) {
	a := actor.Spawn(0, func(in actor.Inbox[int]) error {
		in.Receive()
		panic("boom")
	}, nil)
	if err := a.Send(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	<-a.Done()
	var pe *actor.PanicError
	if !errors.As(a.Err(), &pe) || pe.Value != "boom" || len(pe.Stack) == 0 {
		t.Fatalf("Err = %v", a.Err())
	}
}

func TestErrorBecomesEndReason(t *testing.T) {
	want := errors.New("done here")
	a := actor.Spawn(0, func(in actor.Inbox[int]) error { return want }, nil)
	<-a.Done()
	if !errors.Is(a.Err(), want) {
		t.Fatalf("Err = %v", a.Err())
	}
	if err := a.Send(context.Background(), 1); !errors.Is(err, actor.ErrStopped) {
		t.Fatalf("Send = %v", err)
	}
}

func TestSendHonoursContext(t *testing.T) {
	block := make(chan struct{})
	a := actor.Spawn(0, func(in actor.Inbox[int]) error {
		<-block
		waitStop(in)
		return nil
	}, nil)
	defer a.Stop(context.Background())
	defer close(block)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Send(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v", err)
	}
}

func TestStopHonoursContext(t *testing.T) {
	release := make(chan struct{})
	a := actor.Spawn(0, func(in actor.Inbox[int]) error {
		<-release
		return nil
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := a.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v", err)
	}
	close(release)
	<-a.Done()
}

func TestAskReturnsAnswerGivenJustBeforeEnd(t *testing.T) {
	a := actor.Spawn(0, func(in actor.Inbox[incr]) error {
		c, _ := in.Receive()
		c.reply <- 7
		return nil
	}, nil)
	n, err := actor.Ask(context.Background(), a, func(r actor.Reply[int]) incr { return incr{reply: r} })
	if err != nil || n != 7 {
		t.Fatalf("Ask = %d, %v", n, err)
	}
}

// TestEveryAcceptedCommandIsAnswered races many senders against the
// actor's end: each Send that succeeds must see its command either handled
// or orphaned, never lost.
func TestEveryAcceptedCommandIsAnswered(t *testing.T) {
	for range 50 {
		stopAt := make(chan struct{})
		a := actor.Spawn(8, func(in actor.Inbox[incr]) error {
			for {
				select {
				case <-in.Wake:
					for c, ok := in.Next(); ok; c, ok = in.Next() {
						c.reply <- 1
					}
				case <-stopAt:
					return errors.New("ended")
				}
			}
		}, func(c incr, reason error) { c.reply <- -1 })
		results := make(chan error, 64)
		for range 64 {
			go func() {
				r := actor.NewReply[int]()
				if err := a.Send(context.Background(), incr{reply: r}); err != nil {
					if errors.Is(err, actor.ErrStopped) && a.Err() == nil {
						results <- errors.New("ErrStopped before Err is set")
						return
					}
					results <- nil
					return
				}
				select {
				case <-r:
					results <- nil
				case <-time.After(5 * time.Second):
					results <- errors.New("accepted command never answered")
				}
			}()
		}
		close(stopAt)
		for range 64 {
			if err := <-results; err != nil {
				t.Fatal(err)
			}
		}
		<-a.Done()
	}
}

// SpawnThen's last step runs once Done is closed, on the actor's
// goroutine: no other goroutine waits for the end.
func TestSpawnThenRunsAfterDone(t *testing.T) {
	ran := make(chan bool, 1)
	var a *actor.Actor[int]
	ready := make(chan struct{})
	a = actor.SpawnThen(0, func(in actor.Inbox[int]) error {
		waitStop(in)
		return nil
	}, nil, func(error) {
		<-ready
		select {
		case <-a.Done():
			ran <- true
		default:
			ran <- false
		}
	})
	close(ready)
	if err := a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !<-ran {
		t.Fatal("then ran before Done was closed")
	}
}

// waitStop returns once Stop is called, dropping commands.
func waitStop[C any](in actor.Inbox[C]) {
	for {
		if _, ok := in.Receive(); !ok {
			return
		}
	}
}

// Send waits while the queue is full, and honours its context meanwhile;
// SendUrgent never waits, and its commands come first for an actor that
// asks for them.
func TestSendWaitsForRoomUrgentDoesNot(t *testing.T) {
	take := make(chan struct{})
	got := make(chan string, 8)
	a := actor.Spawn(2, func(in actor.Inbox[string]) error {
		for {
			select {
			case <-take:
			case <-in.Wake:
				if in.Stopping() {
					return nil
				}
				continue
			}
			if c, ok := in.NextUrgent(); ok {
				got <- c
			} else if c, ok := in.Next(); ok {
				got <- c
			}
		}
	}, nil)
	defer a.Stop(context.Background())
	bg := context.Background()
	for _, c := range []string{"a", "b"} {
		if err := a.Send(bg, c); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(bg, 20*time.Millisecond)
	defer cancel()
	if err := a.Send(ctx, "c"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send on a full queue = %v, want to wait until the deadline", err)
	}
	if err := a.SendUrgent("u"); err != nil {
		t.Fatal(err)
	}
	sent := make(chan error, 1)
	go func() { sent <- a.Send(bg, "c") }()
	for _, want := range []string{"u", "a", "b", "c"} {
		take <- struct{}{}
		if c := <-got; c != want {
			t.Fatalf("took %q, want %q", c, want)
		}
		if want == "a" {
			if err := <-sent; err != nil { // room for "c" now
				t.Fatal(err)
			}
		}
	}
}

// Commands left in the queue at the end go to orphan; urgent ones are
// dropped; Send and SendUrgent refuse from then on.
func TestEndOrphansQueuedCommands(t *testing.T) {
	release := make(chan struct{})
	var orphaned []int
	a := actor.Spawn(4, func(in actor.Inbox[int]) error {
		<-release
		return errors.New("ended")
	}, func(c int, reason error) { orphaned = append(orphaned, c) })
	for i := range 3 {
		if err := a.Send(context.Background(), i); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SendUrgent(9); err != nil {
		t.Fatal(err)
	}
	close(release)
	<-a.Done()
	if len(orphaned) != 3 || orphaned[0] != 0 || orphaned[2] != 2 {
		t.Fatalf("orphaned %v, want [0 1 2]", orphaned)
	}
	if err := a.Send(context.Background(), 5); !errors.Is(err, actor.ErrStopped) {
		t.Fatalf("Send after the end = %v", err)
	}
	if err := a.SendUrgent(5); !errors.Is(err, actor.ErrStopped) {
		t.Fatalf("SendUrgent after the end = %v", err)
	}
}
