package client

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// defaultOutboundBytes bounds what the session loop queues for one
// connection's writer before it stops taking new commands.
const defaultOutboundBytes = 8 << 20

// maxKeptItems is the largest queue a writer keeps for the next burst;
// a larger one, left by a burst, goes back to the garbage collector.
const maxKeptItems = 256

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

// outbound is the queue between the session loop and the writer of one
// connection, modelled on http2's serve loop: the loop never waits on the
// wire. The loop pushes messages without ever blocking; the writer takes
// everything queued at once, encodes it (header with the request id the
// loop assigned, then the payload the caller encoded, spliced in) and
// writes it as one batch into the connection itself (encodedWriter), with
// as few system calls as it can; other transports get it through
// SendEncoded.
//
// The writer is a goroutine that exists only while the connection has
// traffic: flush starts it when the queue gets work, and it exits once the
// queue has stayed empty for a while (writerLinger; a session that sends now and
// then keeps its writer, with its grown stack). An idle session has none. Its reports (a message it could
// not encode, the end of the connection's write side, room again in a full
// queue) reach the loop as commands on the client's control channel
// (cmdWriter), which the loop always takes.
//
// The queue is bounded in bytes, softly: push always succeeds, and the
// loop stops taking new commands while full reports true, until the
// writer reports that it made room.
type outbound struct {
	t      protocol.Transport
	check  sendChecker   // t's, or nil
	direct encodedWriter // t's, or nil
	codec  codec.Codec
	limit  int64
	c      *Client // its control channel takes the writer's reports

	mu      sync.Mutex
	items   []outItem // guarded by mu: written by push, taken by the writer
	spare   []outItem // guarded by mu: the writer's last batch, emptied, for the next one
	running bool      // guarded by mu: a writer goroutine runs (or is starting)
	closed  bool      // guarded by mu: no more pushes; the writer exits once the queue is written
	stopped bool      // guarded by mu: what is queued is dropped; the writer exits after its current write
	ended   bool      // guarded by mu: done is closed
	// unflushed is owned by the loop: push queued items the writer was
	// not told of. (Beside the flags above: the struct packs them.)
	unflushed bool
	ready     chan struct{} // one slot: wakes a writer waiting for work; made by the first start, then fixed

	// The writes' context, cancelled by stop (a transport whose Close
	// does not end a write in progress ends it so). Made by the first
	// start, then fixed.
	writeCtx    context.Context
	cancelWrite context.CancelFunc // guarded by mu
	done        chan struct{}      // guarded by mu: made by close or stop; closed once no writer runs or will
	bytes       atomic.Int64
}

// newOutbound returns the queue for t, whose messages cd encodes, of c's
// session. No goroutine starts until there is something to write.
func newOutbound(c *Client, t protocol.Transport, cd codec.Codec, limit int) *outbound {
	o := &outbound{t: t, codec: cd, limit: int64(limit), c: c}
	o.check, _ = t.(sendChecker)
	o.direct, _ = t.(encodedWriter)
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

// flush starts the writer for what push queued, unless it runs already
// (it takes what is queued before it exits). The loop calls it when it
// has nothing more to do at once, so that the writer takes everything the
// loop queued in one burst as one batch: one write for many messages.
func (o *outbound) flush() {
	if !o.unflushed {
		return
	}
	o.unflushed = false
	o.mu.Lock()
	if o.running {
		o.mu.Unlock()
		signal(o.ready)
		return
	}
	if !o.closed && len(o.items) > 0 {
		o.running = true
		o.startLocked()
	}
	o.mu.Unlock()
}

// startLocked starts the writer goroutine, making on the first start what
// it needs; o.mu is held, and o.running set.
func (o *outbound) startLocked() {
	if o.ready == nil {
		o.ready = make(chan struct{}, 1)
		o.writeCtx, o.cancelWrite = context.WithCancel(context.Background())
	}
	go o.write(o.ready)
}

// full reports whether the loop should stop taking new commands.
func (o *outbound) full() bool { return o.bytes.Load() >= o.limit }

// close lets the writer write what is queued and exit; the channel it
// returns is closed once it has (at once when nothing is queued). It is
// safe to call more than once, and with stop.
func (o *outbound) close() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	if o.done == nil {
		o.done = make(chan struct{})
	}
	if o.running {
		signal(o.ready) // a waiting writer exits
	} else if len(o.items) > 0 && !o.stopped {
		o.running = true
		o.startLocked()
	} else {
		o.endLocked()
	}
	return o.done
}

// stop drops what is queued and cancels the write in progress; the
// channel it returns is closed once the writer has exited. It is safe to
// call more than once, and with close.
func (o *outbound) stop() <-chan struct{} {
	o.mu.Lock()
	o.stopped = true
	o.items, o.spare = nil, nil
	if o.cancelWrite != nil {
		o.cancelWrite()
	}
	o.mu.Unlock()
	return o.close()
}

// endLocked closes done, once. o.mu must be held, no writer running, and
// done made.
func (o *outbound) endLocked() {
	if !o.ended && o.done != nil {
		o.ended = true
		close(o.done)
	}
}

// writerLinger is how long a writer whose queue is empty waits for more
// before it exits (between one and two of them).
const writerLinger = time.Second

// write is the writer goroutine: it writes batches while there are any,
// and exits once the queue has stayed empty for writerLinger, or is empty
// and closed. ready wakes it.
func (o *outbound) write(ready <-chan struct{}) {
	// The linger timer runs while the writer does: it fires every
	// writerLinger, and the writer exits at the first firing after which
	// it wrote nothing, without a timer reset per batch.
	linger := time.NewTimer(writerLinger)
	defer linger.Stop()
	wrote := false
	for {
		// Let the goroutines that are ready to run (callers about to
		// send, the loop with their commands) go first, so that the
		// batch gathers what they add. Alone, this returns at once: a
		// lone message waits for nothing.
		runtime.Gosched()
		more, n := o.writeQueued()
		if !more {
			return
		}
		wrote = wrote || n > 0
		select {
		case <-ready:
		case <-linger.C:
			if !wrote && o.exitIdle() {
				return
			}
			wrote = false
			linger.Reset(writerLinger)
		}
	}
}

// writeQueued writes batches until the queue is empty, and returns how
// many it wrote. It reports more false when the writer must exit: the
// queue is closed (and written) or stopped, or the connection failed.
func (o *outbound) writeQueued() (more bool, batches int) {
	for ; ; batches++ {
		if batches > 0 {
			// Work came while the last batch was written: let its
			// producers finish adding to it before it is taken.
			runtime.Gosched()
		}
		o.mu.Lock()
		batch := o.items
		if o.stopped || (o.closed && len(batch) == 0) {
			o.running = false
			o.endLocked()
			o.mu.Unlock()
			return false, batches
		}
		if len(batch) == 0 {
			o.mu.Unlock()
			return true, batches
		}
		o.items, o.spare = o.spare, nil
		o.mu.Unlock()

		taken, err := o.writeBatch(batch)

		o.mu.Lock()
		if cap(batch) <= maxKeptItems && !o.stopped {
			o.spare = batch[:0]
		}
		if err != nil {
			// The connection's write side is gone: nothing more is
			// written, and the loop hears why.
			o.closed, o.running = true, false
			o.items = nil
			o.endLocked()
			o.mu.Unlock()
			o.c.control(&cmdWriter{out: o, failure: writeFailure{err: err}})
			return false, batches
		}
		o.mu.Unlock()
		if left := o.bytes.Add(-taken); left+taken >= o.limit && left < o.limit {
			o.c.control(&cmdWriter{out: o, space: true})
		}
	}
}

// exitIdle ends the writer whose queue stayed empty, unless work came
// meanwhile. It reports whether the writer exits.
func (o *outbound) exitIdle() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.items) > 0 || o.closed || o.stopped {
		return false // write, or end, in the next round
	}
	o.running = false
	o.spare = nil
	return true
}

// writeBatch encodes batch, reports the messages that cannot be encoded,
// writes the rest, and empties batch. It returns the bytes the batch
// counted against the queue's limit and the write's error.
func (o *outbound) writeBatch(batch []outItem) (taken int64, err error) {
	// A transport that writes in this goroutine is done with the
	// batch's bytes when send returns: they go back to the pool.
	// Otherwise they belong to the transport from then on.
	eb := encodeBufs.Get().(*encodeBuf)
	buf, offsets := eb.buf[:0], eb.offsets[:0]
	for i := range batch {
		it := &batch[i]
		taken += int64(it.size)
		start := len(buf)
		b, err := codec.AppendSpliced(o.codec, buf, it.msg, it.payload)
		if err == nil && o.check != nil {
			err = o.check.CheckSend(it.msg.Type(), len(b)-start)
		}
		if err != nil {
			o.c.control(&cmdWriter{out: o, failure: writeFailure{msg: it.msg, err: err}})
			buf = b[:start]
		} else {
			buf = b
			offsets = append(offsets, start)
		}
		*it = outItem{}
	}
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
	return taken, err
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
// goroutine when it can. Closing the transport, or stop, cuts a write
// short.
func (o *outbound) send(frames [][]byte) error {
	if o.direct != nil {
		return o.direct.WriteEncoded(o.writeCtx, frames)
	}
	return o.t.SendEncoded(o.writeCtx, frames)
}

// signal makes a non-blocking send on a one-slot channel.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
