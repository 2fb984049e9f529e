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
			select {
			case c := <-in.Commands:
				n += c.by
				c.reply <- n
			case <-in.Stop:
				return nil
			}
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
		<-in.Commands
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
		<-in.Stop
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
		c := <-in.Commands
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
				case c := <-in.Commands:
					c.reply <- 1
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
		<-in.Stop
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
