package wsconn

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/lazyio"
	"github.com/wampgo/wampgo/internal/transport/wsframe"
)

// leanFramer is Dial's own client-side RFC 6455 framing, over the
// connection its handshake (dialLean) upgraded. An idle connection holds
// no buffer but a small read array: frame headers and small messages are
// read through a lazyio.Reader, each message into a buffer sized to it or
// pooled (released once decoded), and writes are masked into a pooled
// buffer and written straight to the network connection.
//
// Pings and pongs are frames for the Conn's writer (connstate.Writer's
// Control): the reader answers a ping with a pong, and hands the pong of a
// keepalive ping to ping.
type leanFramer struct {
	c   *Conn
	raw *rawConn
	lr  lazyio.Reader   // over raw; owned by the reader
	rd  *wsframe.Reader // over lr; owned by the reader (then by Close's closeHandshake)

	dataOp  wsframe.Opcode // text or binary: the codec's frames
	traffic *Traffic

	pongc   chan uint64 // pongs that may answer a keepalive ping: written by the reader
	pingSeq uint64      // the last keepalive ping's number; owned by ping
	// closeSent is set once this side wrote its close frame (or its echo of
	// the peer's): a close frame from the peer then completes the
	// handshake instead of asking for an echo. Set by the writer.
	closeSent atomic.Bool
	// closeSeen is set by the reader when the peer's close frame arrived.
	closeSeen atomic.Bool
}

// newLeanFramer makes the framing of c, whose raw connection is upgraded;
// primed is what the handshake read past the 101 response.
func newLeanFramer(c *Conn, primed []byte) *leanFramer {
	f := &leanFramer{c: c, raw: c.raw, dataOp: wsframe.OpText, traffic: c.cfg.traffic, pongc: make(chan uint64, 1)}
	if c.binary {
		f.dataOp = wsframe.OpBinary
	}
	f.lr.R = c.raw
	if len(primed) > 0 {
		f.lr.Prime(primed)
	}
	f.rd = wsframe.NewReader(&f.lr, c.cfg.readLimit, f.control)
	return f
}

func (f *leanFramer) read() (wsframe.Message, error) {
	m, err := f.rd.ReadMessage()
	if err != nil {
		return m, f.readError(err)
	}
	return m, nil
}

// readError translates the frame reader's error into the end reason.
func (f *leanFramer) readError(err error) error {
	var cr *wsframe.CloseReceived
	if errors.As(err, &cr) {
		code := websocket.StatusCode(cr.Code)
		return &CloseError{Code: code, Reason: cr.Reason, err: websocket.CloseError{Code: code, Reason: cr.Reason}}
	}
	return fmt.Errorf("wsconn: read: %w", err)
}

func (f *leanFramer) release() { f.rd.Release() }

// control handles a control frame on the reader goroutine: a ping is
// answered (the pong queued behind the messages the writer has), a pong
// goes to ping, and the peer's close frame is echoed (unless it answers
// ours) and written before the reader ends the connection.
func (f *leanFramer) control(op wsframe.Opcode, p []byte) error {
	switch op {
	case wsframe.OpPing:
		// A failure means the write side stopped: the connection ends.
		f.c.w.Control(frame{op: wsframe.OpPong, p: append([]byte(nil), p...)})
	case wsframe.OpPong:
		if len(p) == 8 {
			select {
			case f.pongc <- binary.BigEndian.Uint64(p):
			default:
			}
		}
	case wsframe.OpClose:
		f.closeSeen.Store(true)
		if f.closeSent.Load() {
			return nil // the answer to ours
		}
		echo := []byte(nil)
		if len(p) >= 2 {
			echo = p[:2:2] // the code, as RFC 6455 section 5.5.1 suggests
		}
		// Written before the reader ends the connection, which closes
		// the network connection; Close's deadline bounds a stuck write.
		f.c.w.Write(context.Background(), frame{op: wsframe.OpClose, p: append([]byte(nil), echo...)})
	}
	return nil
}

// ping sends keepalive ping number seq (an 8-octet payload) and waits for
// the pong that echoes it.
func (f *leanFramer) ping(ctx context.Context) error {
	f.pingSeq++
	seq := f.pingSeq
	if err := f.c.w.Control(frame{op: wsframe.OpPing, p: binary.BigEndian.AppendUint64(nil, seq)}); err != nil {
		return err
	}
	for {
		select {
		case got := <-f.pongc:
			if got == seq {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// writeBatch masks the frames into a pooled buffer (each with a mask key
// of its own) and writes it whenever it fills, so that a burst of small
// messages leaves in one write and a large one in writes of maxGather.
func (f *leanFramer) writeBatch(batch []frame) error {
	bp := gatherBufs.Get().(*[]byte)
	buf := (*bp)[:0]
	var err error
	var msgs uint64
	for _, fr := range batch {
		if fr.data {
			msgs++
		}
	}
	// Counted before they are written: the peer's answer may be read
	// before the write returns.
	f.raw.frames.Add(msgs)
	for _, fr := range batch {
		op := fr.op
		if fr.data {
			op = f.dataOp
			connstate.CountWritten(f.traffic, len(fr.p))
		} else if op == wsframe.OpClose {
			f.closeSent.Store(true)
		}
		if len(buf)+wsframe.MaxHeaderLen > maxGather {
			if err = f.writeOut(buf); err != nil {
				break
			}
			buf = buf[:0]
		}
		key := maskKey()
		buf = wsframe.AppendHeader(buf, op, len(fr.p), key)
		for pos, p := 0, fr.p; len(p) > 0; {
			n := min(len(p), maxGather-len(buf))
			buf, pos = wsframe.AppendMasked(buf, key, pos, p[:n])
			p = p[n:]
			if len(p) > 0 {
				if err = f.writeOut(buf); err != nil {
					break
				}
				buf = buf[:0]
			}
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = f.writeOut(buf)
	}
	*bp = buf[:0]
	gatherBufs.Put(bp)
	return err
}

// maskKey returns a fresh masking key from the runtime's ChaCha8 generator.
func maskKey() [4]byte {
	var k [4]byte
	binary.LittleEndian.PutUint32(k[:], rand.Uint32())
	return k
}

// writeOut writes b to the network connection, if not empty. Only the
// writer (and Close's closeHandshake, after it) writes: no lock.
func (f *leanFramer) writeOut(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	f.raw.writes.Add(1)
	_, err := f.raw.ReadWriteCloser.Write(b)
	return err
}

// closeHandshake sends the close frame (1000) and waits for the peer's:
// read by the reader goroutine, or, once it stopped (Close ended its
// delivery, or a protocol violation), read here. Close's deadline closes
// the network connection under a wait that lasts.
func (f *leanFramer) closeHandshake() error {
	if !f.closeSent.Load() {
		if err := f.writeBatch([]frame{{op: wsframe.OpClose, p: []byte{0x03, 0xE8}}}); err != nil {
			return err
		}
	}
	<-f.c.readerDone
	for !f.closeSeen.Load() {
		if _, err := f.rd.ReadMessage(); err != nil {
			var cr *wsframe.CloseReceived
			if errors.As(err, &cr) {
				return nil
			}
			return err
		}
	}
	return nil
}

func (f *leanFramer) closeNow() { f.raw.Close() }
