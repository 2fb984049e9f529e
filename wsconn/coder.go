package wsconn

import (
	"context"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/oversize"
)

// coderFramer is the framing of coder/websocket: the server side (Accept),
// and Dial's when the caller gave an HTTPClient, asked for compression or
// goes through an HTTP proxy. coder/websocket answers pings and the close
// handshake itself; only messages go through the writer.
type coderFramer struct {
	ws        *websocket.Conn
	raw       *rawConn // the network connection under ws
	msgType   websocket.MessageType
	readLimit int64
	traffic   *Traffic
	// ioCtx is the context of every data frame's Read and Write: one that
	// never ends, since coder/websocket registers a context.AfterFunc on
	// every Read and Write whose context can end (an allocation and a lock
	// per frame). Nothing needs it to end: a read or write in progress is
	// cut short by closing the connection (Close, fail, Close's deadline).
	ioCtx context.Context
}

// coderFraming returns the newFraming of a Conn over ws.
func coderFraming(ws *websocket.Conn, raw *rawConn, binary bool, cfg config) func(*connstate.Conn) connstate.Framing {
	return func(*connstate.Conn) connstate.Framing {
		// The reader applies the read limit itself (oversize.ReadMessage):
		// coder/websocket's own limit would close the connection.
		ws.SetReadLimit(-1)
		f := &coderFramer{ws: ws, raw: raw, msgType: websocket.MessageText,
			readLimit: cfg.readLimit, traffic: cfg.traffic, ioCtx: context.Background()}
		if binary {
			f.msgType = websocket.MessageBinary
		}
		return f
	}
}

// Wait does nothing: coder/websocket reads through its own buffer.
func (f *coderFramer) Wait() {}

// Read reads one data message. A message over the read limit is read
// through in bounded memory (oversize.ReadMessage).
func (f *coderFramer) Read() (connstate.Message, error) {
	typ, r, err := f.ws.Reader(f.ioCtx)
	if err != nil {
		return connstate.Message{}, readError(err, f.readLimit)
	}
	data, size, over, err := oversize.ReadMessage(r, f.readLimit)
	if err != nil {
		return connstate.Message{}, readError(err, f.readLimit)
	}
	return connstate.Message{Binary: typ == websocket.MessageBinary, Data: data, Size: size, Over: over}, nil
}

func (f *coderFramer) Release() {}

// WriteBatch writes a batch of messages, each one data frame, with the
// network connection held (rawConn.hold) so that the frames leave in one
// system call.
func (f *coderFramer) WriteBatch(batch []connstate.Frame) error {
	f.raw.hold()
	// Counted before they are written: the peer's answer may be read
	// before Write returns.
	f.raw.frames.Add(uint64(len(batch)))
	for _, b := range batch {
		connstate.CountWritten(f.traffic, len(b.P))
		if err := f.ws.Write(f.ioCtx, f.msgType, b.P); err != nil {
			f.raw.release()
			return err
		}
	}
	return f.raw.release()
}

func (f *coderFramer) Ping(ctx context.Context) error { return f.ws.Ping(ctx) }

func (f *coderFramer) CloseHandshake() error {
	return f.ws.Close(websocket.StatusNormalClosure, "")
}

func (f *coderFramer) CloseNow() { f.ws.CloseNow() }
