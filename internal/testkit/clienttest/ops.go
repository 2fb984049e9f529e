package clienttest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// Subscribe subscribes h to topic on c, has r answer the SUBSCRIBE with
// subscription id, and returns the subscription and the SUBSCRIBE sent. It
// fails the test if Subscribe fails. Use it from the test's goroutine.
func Subscribe(t testing.TB, c *client.Client, r *scripted.Router, topic string, id protocol.ID, h client.EventHandler, opts ...client.SubscribeOption) (*client.Subscription, *protocol.Subscribe) {
	t.Helper()
	type res struct {
		sub *client.Subscription
		err error
	}
	out := make(chan res, 1)
	go func() {
		sub, err := c.Subscribe(context.Background(), topic, h, opts...)
		out <- res{sub, err}
	}()
	m := scripted.Expect[*protocol.Subscribe](r)
	r.Send(&protocol.Subscribed{Request: m.Request, Subscription: id})
	got := <-out
	if got.err != nil {
		t.Fatalf("clienttest: Subscribe: %v", got.err)
	}
	return got.sub, m
}

// Register registers h for proc on c, has r answer the REGISTER with
// registration id, and returns the registration and the REGISTER sent. It
// fails the test if Register fails. Use it from the test's goroutine.
func Register(t testing.TB, c *client.Client, r *scripted.Router, proc string, id protocol.ID, h client.Handler, opts ...client.RegisterOption) (*client.Registration, *protocol.Register) {
	t.Helper()
	type res struct {
		reg *client.Registration
		err error
	}
	out := make(chan res, 1)
	go func() {
		reg, err := c.Register(context.Background(), proc, h, opts...)
		out <- res{reg, err}
	}()
	m := scripted.Expect[*protocol.Register](r)
	r.Send(&protocol.Registered{Request: m.Request, Registration: id})
	got := <-out
	if got.err != nil {
		t.Fatalf("clienttest: Register: %v", got.err)
	}
	return got.reg, m
}

// Close closes c within two seconds and waits for its end.
func Close(t testing.TB, c *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.Close(ctx)
	<-c.Done()
}

// Dialer opens connections for a reconnecting client
// (client.Reconnect.Dial), in-memory JSON pipes or the Transport given to
// NewDialerOver, and hands the router's end of each to the test through
// Next. Its methods are safe for concurrent use.
type Dialer struct {
	tr      Transport
	mu      sync.Mutex
	fail    error    // when set, dials fail with it
	urls    []string // every URL dialled, in order
	routers chan protocol.Transport
}

// NewDialer returns a Dialer of in-memory JSON pipes that buffers up to
// eight connections the test has not taken. Call it before the client is
// created: the connections never taken are closed when the test ends,
// after the client. Inside a testing/synctest bubble, call it in the
// bubble with the bubble's t.
func NewDialer(t testing.TB) *Dialer { return NewDialerOver(t, Transport{}) }

// NewDialerOver is NewDialer for connections over tr.
func NewDialerOver(t testing.TB, tr Transport) *Dialer {
	d := &Dialer{tr: tr, routers: make(chan protocol.Transport, 8)}
	t.Cleanup(func() {
		for {
			select {
			case rt := <-d.routers:
				rt.Close()
			default:
				return
			}
		}
	})
	return d
}

// Dial is the client.Reconnect.Dial function. Over RawSocket, ctx bounds
// the handshakes, which are done when Dial returns.
func (d *Dialer) Dial(ctx context.Context, url string) (protocol.Transport, error) {
	d.mu.Lock()
	d.urls = append(d.urls, url)
	fail := d.fail
	d.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	ct, rt, err := d.tr.connect(ctx, nil)
	if err != nil {
		return nil, err
	}
	d.routers <- rt
	return ct, nil
}

// SetFail makes every later dial fail with err; nil lets them succeed.
func (d *Dialer) SetFail(err error) {
	d.mu.Lock()
	d.fail = err
	d.mu.Unlock()
}

// URLs returns every URL dialled so far, in order, failed dials included.
func (d *Dialer) URLs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.urls...)
}

// Dials returns the number of dials so far, failed ones included.
func (d *Dialer) Dials() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.urls)
}

// Untaken returns the number of connections dialled that Next has not
// returned.
func (d *Dialer) Untaken() int { return len(d.routers) }

// Next waits up to a minute for the client's next connection and returns
// a scripted router on it, closed when the test ends.
func (d *Dialer) Next(t testing.TB) *scripted.Router {
	t.Helper()
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	select {
	case rt := <-d.routers:
		t.Cleanup(func() { rt.Close() })
		return scripted.New(t, rt)
	case <-timer.C:
		t.Fatal("clienttest: the client did not dial")
		return nil
	}
}
