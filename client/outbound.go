package client

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// defaultOutboundBytes bounds what the session loop queues for one
// connection's writer before it stops taking new commands.
const defaultOutboundBytes = 8 << 20

// outItem is one message for the writer: msg, whose own payload is empty
// (or small, for messages the loop makes itself), and payload, encoded by
// the caller that asked for the message.
type outItem struct {
	msg     protocol.Message
	payload codec.EncodedPayload
	size    int // what the item counts against the queue's limit
}

// writeFailure is what the writer reports to the loop: a message it could
// not encode (msg set; nothing was written for it), or the end of the
// connection's write side (msg nil).
type writeFailure struct {
	msg protocol.Message
	err error
}

// outbound is the queue between the session loop and the writer goroutine
// of one connection, modelled on http2's serve loop: the loop never waits
// on the wire. The loop pushes messages without ever blocking; the writer
// takes everything queued at once, encodes it (header with the request id
// the loop assigned, then the payload the caller encoded, spliced in) and
// writes it as one batch into the connection itself (encodedWriter), with
// as few system calls as it can; other transports get it through
// SendEncoded. Failures come back to the loop on failed.
//
// The queue is bounded in bytes, softly: push always succeeds, and the
// loop stops taking new commands while full reports true, until space
// signals that the writer made room.
type outbound struct {
	t      protocol.Transport
	check  sendChecker   // t's, or nil
	direct encodedWriter // t's, or nil
	codec  codec.Codec
	limit  int64

	unflushed bool // owned by the loop: push queued items the writer was not told of

	mu     sync.Mutex
	items  []outItem // guarded by mu: written by push, taken by the writer
	closed bool      // guarded by mu: no more pushes; the writer exits once the queue is written
	bytes  atomic.Int64

	ready  chan struct{}     // one slot; written by push and close, read by the writer
	space  chan struct{}     // one slot; written by the writer when it made room, read by the loop
	failed chan writeFailure // written by the writer, read by the loop
	ctx    context.Context   // bounds the writer's sends; cancelled by stop
	cancel context.CancelFunc
	done   chan struct{} // closed when the writer has exited
}

// newOutbound starts the writer goroutine for t, whose messages cd
// encodes.
func newOutbound(t protocol.Transport, cd codec.Codec, limit int) *outbound {
	ctx, cancel := context.WithCancel(context.Background())
	o := &outbound{
		t:      t,
		codec:  cd,
		limit:  int64(limit),
		ready:  make(chan struct{}, 1),
		space:  make(chan struct{}, 1),
		failed: make(chan writeFailure, 2), // the writer waits for the loop beyond
		ctx:    ctx,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	o.check, _ = t.(sendChecker)
	o.direct, _ = t.(encodedWriter)
	go o.write()
	return o
}

// encodedWriter is implemented by transports that let the session's
// writer goroutine write its batch into the connection itself
// (wsconn.Conn, rawsocket.Conn): no hand-off to a goroutine of the
// transport between the encoded batch and the network.
type encodedWriter interface {
	// WriteEncoded is SendEncoded, written in the caller's goroutine
	// when no write is in progress.
	WriteEncoded(ctx context.Context, frames [][]byte) error
}

// sendChecker is implemented by transports whose peer limits the size of a
// message (RawSocket): a message over it is refused before it is written,
// and only its request fails.
type sendChecker interface {
	// SendLimit is the largest message the peer accepts, in bytes.
	SendLimit() int64
	// CheckSend refuses a message of type t and n bytes over the limit,
	// with an error that fails only its request (a *codec.EncodeError).
	CheckSend(t protocol.MessageType, n int) error
}

// push queues msg with its payload, for the writer to take at the next
// flush. It never blocks; only the loop calls it.
func (o *outbound) push(msg protocol.Message, p codec.EncodedPayload) {
	it := outItem{msg: msg, payload: p, size: p.Size() + 64}
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.items = append(o.items, it)
	o.mu.Unlock()
	o.bytes.Add(int64(it.size))
	o.unflushed = true
}

// flush wakes the writer for what push queued. The loop calls it when it
// has nothing more to do at once, so that the writer takes everything the
// loop queued in one burst as one batch: one write for many messages.
func (o *outbound) flush() {
	if o.unflushed {
		o.unflushed = false
		signal(o.ready)
	}
}

// full reports whether the loop should stop taking new commands.
func (o *outbound) full() bool { return o.bytes.Load() >= o.limit }

// close lets the writer write what is queued and exit.
func (o *outbound) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	signal(o.ready)
}

// stop ends the writer at once: what is queued is dropped, a send in
// progress is cut short. It is safe to call more than once.
func (o *outbound) stop() {
	o.close()
	o.cancel()
}

// write is the writer goroutine.
func (o *outbound) write() {
	defer close(o.done)
	var spare []outItem
	for {
		o.mu.Lock()
		for len(o.items) == 0 && !o.closed {
			o.mu.Unlock()
			select {
			case <-o.ready:
			case <-o.ctx.Done():
				return
			}
			// Let the goroutines that are ready to run (callers about to
			// send, the loop with their commands) go first, so that the
			// batch gathers what they add. Alone, this returns at once:
			// a lone message waits for nothing.
			runtime.Gosched()
			o.mu.Lock()
		}
		batch := o.items
		o.items = spare[:0]
		closed := o.closed
		o.mu.Unlock()
		if len(batch) == 0 && closed {
			return
		}

		// A transport that writes in this goroutine is done with the
		// batch's bytes when send returns: they go back to the pool.
		// Otherwise they belong to the transport from then on.
		eb := encodeBufs.Get().(*encodeBuf)
		buf, offsets := eb.buf[:0], eb.offsets[:0]
		var taken int64
		for i := range batch {
			it := &batch[i]
			taken += int64(it.size)
			start := len(buf)
			b, err := codec.AppendSpliced(o.codec, buf, it.msg, it.payload)
			if err == nil && o.check != nil {
				err = o.check.CheckSend(it.msg.Type(), len(b)-start)
			}
			if err != nil {
				o.report(writeFailure{msg: it.msg, err: err})
				buf = b[:start]
			} else {
				buf = b
				offsets = append(offsets, start)
			}
			*it = outItem{}
		}
		spare = batch
		var err error
		if len(offsets) > 0 {
			frames := eb.frames[:0]
			for i, start := range offsets {
				end := len(buf)
				if i+1 < len(offsets) {
					end = offsets[i+1]
				}
				frames = append(frames, buf[start:end:end])
			}
			err = o.send(frames)
			eb.frames = frames
		}
		eb.buf, eb.offsets = buf, offsets
		if o.direct != nil {
			eb.release()
		}
		if err != nil {
			o.report(writeFailure{err: err})
			return
		}
		if o.bytes.Add(-taken)+taken >= o.limit && o.bytes.Load() < o.limit {
			signal(o.space)
		}
	}
}

// encodeBuf is what the writer encodes one batch into: the bytes, the
// frames over them, and their offsets. Pooled, shared by every session:
// an idle session holds none.
type encodeBuf struct {
	buf     []byte
	frames  [][]byte
	offsets []int
}

var encodeBufs = sync.Pool{New: func() any { return &encodeBuf{buf: make([]byte, 0, 512)} }}

// maxPooledEncode is the largest batch buffer kept in the pool.
const maxPooledEncode = 64 << 10

// release puts eb back in the pool, unless a burst made it large.
func (eb *encodeBuf) release() {
	if cap(eb.buf) > maxPooledEncode || cap(eb.frames) > 1024 {
		return
	}
	clear(eb.frames)
	eb.frames = eb.frames[:0]
	encodeBufs.Put(eb)
}

// send hands frames to the transport, to write now in the writer's
// goroutine when it can.
func (o *outbound) send(frames [][]byte) error {
	if o.direct != nil {
		return o.direct.WriteEncoded(o.ctx, frames)
	}
	return o.t.SendEncoded(o.ctx, frames)
}

// report hands f to the loop, unless the writer is being stopped.
func (o *outbound) report(f writeFailure) {
	select {
	case o.failed <- f:
	case <-o.ctx.Done():
	}
}

// signal makes a non-blocking send on a one-slot channel.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
