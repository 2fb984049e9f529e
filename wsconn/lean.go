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
// Pings, pongs and close frames are control frames for the Conn's writer
// (their opcode in connstate.Frame.Control): the reader answers a ping
// with a pong, hands the pong of a keepalive ping to Ping, and answers the
// peer's close frame.
type leanFramer struct {
	c   *connstate.Conn
	raw *rawConn
	lr  lazyio.Reader   // over raw; owned by the reader
	rd  *wsframe.Reader // over lr; owned by the reader (then by CloseHandshake)

	dataOp  wsframe.Opcode // text or binary: the codec's frames
	traffic *Traffic

	pings connstate.Pinger // keepalive pings and their pongs
	// closeSent is set once this side wrote its close frame (or its echo of
	// the peer's): a close frame from the peer then completes the
	// handshake instead of asking for an echo. Set by the writer.
	closeSent atomic.Bool
	// closeSeen is set by the reader when the peer's close frame arrived;
	// broken when a frame broke RFC 6455 (no handshake then).
	closeSeen, broken atomic.Bool
}

// leanFraming returns the newFraming of a Conn over raw, upgraded; primed
// is what the handshake read past the 101 answer.
func leanFraming(raw *rawConn, primed []byte, binary bool, cfg config) func(*connstate.Conn) connstate.Framing {
	return func(c *connstate.Conn) connstate.Framing {
		f := &leanFramer{c: c, raw: raw, dataOp: wsframe.OpText, traffic: cfg.traffic}
		if binary {
			f.dataOp = wsframe.OpBinary
		}
		f.lr.R = raw
		if len(primed) > 0 {
			f.lr.Prime(primed)
		}
		f.rd = wsframe.NewReader(&f.lr, cfg.readLimit, f.control)
		return f
	}
}

// Wait waits for data, on the reader's shallow stack.
func (f *leanFramer) Wait() { f.lr.Fill() }

func (f *leanFramer) Read() (connstate.Message, error) {
	m, err := f.rd.ReadMessage()
	if err != nil {
		return connstate.Message{}, f.readError(err)
	}
	return connstate.Message{Binary: m.Binary, Data: m.Data, Size: m.Size, Over: m.Over}, nil
}

// readError translates the frame reader's error into the end reason.
func (f *leanFramer) readError(err error) error {
	var cr *wsframe.CloseReceived
	if errors.As(err, &cr) {
		code := websocket.StatusCode(cr.Code)
		return &CloseError{Code: code, Reason: cr.Reason, err: websocket.CloseError{Code: code, Reason: cr.Reason}}
	}
	if errors.Is(err, wsframe.ErrBadFrame) {
		f.broken.Store(true)
	}
	return fmt.Errorf("wsconn: read: %w", err)
}

func (f *leanFramer) Release() { f.rd.Release() }

// control handles a control frame on the reader goroutine: a ping is
// answered (the pong queued behind the messages the writer has), a pong
// goes to Ping, and the peer's close frame is echoed (unless it answers
// ours) and written before the reader ends the connection.
func (f *leanFramer) control(op wsframe.Opcode, p []byte) error {
	switch op {
	case wsframe.OpPing:
		// A failure means the write side stopped: the connection ends.
		f.c.Control(connstate.Frame{Control: uint8(wsframe.OpPong), P: append([]byte(nil), p...)})
	case wsframe.OpPong:
		f.pings.Answer(p)
	case wsframe.OpClose:
		f.closeSeen.Store(true)
		if f.closeSent.Load() {
			return nil // the answer to ours
		}
		var echo []byte
		if len(p) >= 2 {
			echo = append(echo, p[:2]...) // the code, as RFC 6455 section 5.5.1 suggests
		}
		// Written before the reader ends the connection, which closes
		// the network connection; Close's deadline bounds a stuck write.
		f.c.WriteControl(connstate.Frame{Control: uint8(wsframe.OpClose), P: echo})
	}
	return nil
}

// Ping sends the next keepalive ping and waits for its pong.
func (f *leanFramer) Ping(ctx context.Context) error {
	return f.pings.Ping(ctx, f.c, uint8(wsframe.OpPing))
}

// WriteBatch masks the frames into a pooled buffer (each with a mask key
// of its own) and writes it whenever it fills, so that a burst of small
// messages leaves in one write and a large one in writes of maxGather.
func (f *leanFramer) WriteBatch(batch []connstate.Frame) error {
	var msgs uint64
	for _, fr := range batch {
		if fr.Control == 0 {
			msgs++
		}
	}
	// Counted before they are written: the peer's answer may be read
	// before the write returns.
	f.raw.frames.Add(msgs)
	bp := gatherBufs.Get().(*[]byte)
	buf, err := f.writeFrames((*bp)[:0], batch)
	if err == nil {
		err = f.writeOut(buf)
	}
	*bp = buf[:0]
	gatherBufs.Put(bp)
	return err
}

// writeFrames masks batch into buf, writing buf out whenever it fills,
// and returns what is left in it.
func (f *leanFramer) writeFrames(buf []byte, batch []connstate.Frame) ([]byte, error) {
	for _, fr := range batch {
		op := wsframe.Opcode(fr.Control)
		switch op {
		case 0:
			op = f.dataOp
			connstate.CountWritten(f.traffic, len(fr.P))
		case wsframe.OpClose:
			f.closeSent.Store(true)
		}
		if len(buf)+wsframe.MaxHeaderLen > maxGather {
			if err := f.writeOut(buf); err != nil {
				return buf, err
			}
			buf = buf[:0]
		}
		key := maskKey()
		buf = wsframe.AppendHeader(buf, op, len(fr.P), key)
		for pos, p := 0, fr.P; len(p) > 0; {
			n := min(len(p), maxGather-len(buf))
			buf, pos = wsframe.AppendMasked(buf, key, pos, p[:n])
			if p = p[n:]; len(p) > 0 {
				if err := f.writeOut(buf); err != nil {
					return buf, err
				}
				buf = buf[:0]
			}
		}
	}
	return buf, nil
}

// maskKey returns a fresh masking key from the runtime's ChaCha8 generator.
func maskKey() [4]byte {
	var k [4]byte
	binary.LittleEndian.PutUint32(k[:], rand.Uint32())
	return k
}

// writeOut writes b to the network connection, if not empty. Only the
// writer (and CloseHandshake, after it) writes: no lock.
func (f *leanFramer) writeOut(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	f.raw.writes.Add(1)
	_, err := f.raw.ReadWriteCloser.Write(b)
	return err
}

// closeNormal is a close frame's payload: 1000, normal closure.
var closeNormal = []byte{0x03, 0xE8}

// closeProtocolError is one of 1002, protocol error.
var closeProtocolError = []byte{0x03, 0xEA}

// CloseHandshake sends the close frame (1000) and waits for the peer's:
// read by the reader goroutine, or, once it stopped (Close ended its
// delivery, or a message could not be decoded), read here. After a frame
// that broke RFC 6455 it sends 1002 and waits for nothing. Close's
// deadline closes the network connection under a wait that lasts.
func (f *leanFramer) CloseHandshake() error {
	if f.broken.Load() {
		f.WriteBatch([]connstate.Frame{{Control: uint8(wsframe.OpClose), P: closeProtocolError}})
		return nil
	}
	if !f.closeSent.Load() {
		if err := f.WriteBatch([]connstate.Frame{{Control: uint8(wsframe.OpClose), P: closeNormal}}); err != nil {
			return err
		}
	}
	f.c.WaitReader()
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

func (f *leanFramer) CloseNow() { f.raw.Close() }
