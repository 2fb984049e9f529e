package rawsocket

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"

	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/lazyio"
	"github.com/wampgo/wampgo/protocol"
)

// rawFramer is RawSocket's framing (connstate.Framing): 4-octet frame
// prefixes, PING answered with PONG, keepalive PINGs numbered in their
// 8-octet payload, and no closing handshake but the stream's (TLS
// close_notify).
type rawFramer struct {
	c    *connstate.Conn
	conn *Conn    // for the peer's limit and the codec
	nc   net.Conn // the stream
	raw  net.Conn // the connection under nc (nc itself without TLS): closed to force

	fr   frameReader   // owned by the reader
	lr   lazyio.Reader // under fr; owned by the reader
	sink io.Writer     // nc: where WriteBatch writes

	pings connstate.Pinger // keepalive PINGs and their PONGs
}

func newRawFramer(c *connstate.Conn, conn *Conn) *rawFramer {
	f := &rawFramer{c: c, conn: conn, nc: conn.nc, raw: conn.nc, sink: conn.nc, pings: connstate.NewPinger()}
	if tc, ok := f.nc.(*tls.Conn); ok {
		f.raw = tc.NetConn()
	}
	if f.nc != nil {
		f.lr.R = progressReader{f.nc, c.Progress()}
	}
	f.fr = frameReader{
		// bufio's smallest buffer: lr does the buffering, lazily.
		r:     bufio.NewReaderSize(&f.lr, 16),
		limit: conn.cfg.readLimit,
	}
	return f
}

// progressReader counts the reads that return data.
type progressReader struct {
	r io.Reader
	n *atomic.Uint64
}

func (p progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n.Add(1)
	}
	return n, err
}

// Wait waits for data, on the reader's shallow stack.
func (f *rawFramer) Wait() {
	if f.fr.r.Buffered() == 0 {
		f.lr.Fill()
	}
}

// Read reads frames until a message, answering PINGs and handing PONGs
// to Ping on the way. A frame that breaks the protocol fails it with an
// error matching protocol.ErrProtocolViolation; a stream error with
// readError's.
func (f *rawFramer) Read() (connstate.Message, error) {
	for {
		typ, p, err := f.fr.ReadFrame()
		if err != nil {
			if errors.Is(err, protocol.ErrProtocolViolation) {
				return connstate.Message{}, err
			}
			return connstate.Message{}, readError(err)
		}
		switch typ {
		case FramePing:
			if err := f.pong(p); err != nil {
				return connstate.Message{}, err
			}
		case FramePong:
			f.pings.Answer(p)
		default:
			m := connstate.Message{Binary: f.conn.codec.Binary(), Data: p, Size: int64(len(p))}
			if f.fr.over > 0 {
				m.Size, m.Over = int64(f.fr.over), true
			}
			return m, nil
		}
	}
}

// Release gives back the payload buffer.
func (f *rawFramer) Release() { f.fr.release() }

// pong queues the PONG that answers a PING with payload p. A PING whose
// echo the peer itself would not accept breaks the protocol.
func (f *rawFramer) pong(p []byte) error {
	if limit := f.conn.sendLimit; int64(len(p)) > limit {
		return fmt.Errorf("%w: PING of %d bytes cannot be echoed: over the peer's limit of %d bytes: %w",
			ErrBadFrame, len(p), limit, protocol.ErrProtocolViolation)
	}
	// A failure means the write side stopped: the connection ends.
	f.c.Control(control{Control: uint8(FramePong), P: append([]byte(nil), p...)})
	return nil
}

// Ping sends the next keepalive PING and waits for its PONG.
func (f *rawFramer) Ping(ctx context.Context) error {
	return f.pings.Ping(ctx, f.c, uint8(FramePing))
}

// WriteBatch writes a batch of frames (messages, PINGs, PONGs), gathered
// in a pooled buffer: a burst of messages costs one write call, and an
// idle connection holds no write buffer. A frame too large to gather is
// written through, after what was gathered before it.
func (f *rawFramer) WriteBatch(batch []control) error {
	bp := lazyio.GetBuffer()
	buf := (*bp)[:0]
	var err error
	for _, fr := range batch {
		if fr.Control != rawBytes {
			typ := FrameType(fr.Control)
			if typ == FrameMessage {
				// Counted before it is written: the peer's answer may
				// be read before the write returns.
				connstate.CountWritten(f.conn.cfg.traffic, len(fr.P))
			}
			if len(buf)+headerLen > cap(buf) {
				if err = f.writeOut(buf); err != nil {
					break
				}
				buf = buf[:0]
			}
			buf = appendHeader(buf, typ, len(fr.P))
		}
		if len(buf)+len(fr.P) <= cap(buf) {
			buf = append(buf, fr.P...)
			continue
		}
		if err = f.writeOut(buf); err != nil {
			break
		}
		buf = buf[:0]
		if err = f.writeOut(fr.P); err != nil {
			break
		}
	}
	if err == nil {
		err = f.writeOut(buf)
	}
	lazyio.PutBuffer(bp)
	return err
}

// writeOut writes b to the stream, if not empty.
func (f *rawFramer) writeOut(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	_, err := f.sink.Write(b)
	return err
}

// CloseHandshake closes the stream: with TLS, after its close_notify.
func (f *rawFramer) CloseHandshake() error {
	if err := f.nc.Close(); err != nil && !closedErr(err) {
		return err
	}
	return nil
}

// CloseNow closes the network connection under the stream.
func (f *rawFramer) CloseNow() { f.raw.Close() }
