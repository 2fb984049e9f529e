package wsconn_test

import (
	"context"
	"errors"
	"testing"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// TestProtocolViolation: a frame that cannot be decoded ends the read side
// with an error matching protocol.ErrProtocolViolation, after the messages
// before it; the write side still carries an ABORT, which Close flushes
// before the close frame.
func TestProtocolViolation(t *testing.T) {
	tests := []struct {
		name  string
		codec codec.Codec
		typ   websocket.MessageType
		data  string
	}{
		{"json: not json", codec.JSON(), websocket.MessageText, "not json"},
		{"json: truncated", codec.JSON(), websocket.MessageText, `[48, 1, {}, "a.b"`},
		{"json: binary frame", codec.JSON(), websocket.MessageBinary, `[6, {}, "wamp.close.normal"]`},
		{"json: unknown type", codec.JSON(), websocket.MessageText, `[999, 1]`},
		{"json: invalid CALL", codec.JSON(), websocket.MessageText, `[48, 0, {}, "a.b"]`},
		{"json: not a list", codec.JSON(), websocket.MessageText, `{"hello": 1}`},
		{"msgpack: text frame", codec.MsgPack(), websocket.MessageText, "\x93\x06\x80\xa1x"},
		{"msgpack: garbage", codec.MsgPack(), websocket.MessageBinary, "\xc1\xc1"},
		{"cbor: text frame", codec.CBOR(), websocket.MessageText, `[6, {}, "x"]`},
		{"cbor: garbage", codec.CBOR(), websocket.MessageBinary, "\xff\xff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := &protocol.Goodbye{Details: protocol.Dict{}, Reason: "wamp.close.normal"}
			goodBytes, err := tt.codec.Encode(good)
			if err != nil {
				t.Fatal(err)
			}
			type frame struct {
				typ  websocket.MessageType
				data []byte
				err  error
			}
			got := make(chan frame, 2)
			url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{tt.codec.Subprotocol()}},
				func(ctx context.Context, c *websocket.Conn) {
					c.Write(ctx, frameType(tt.codec), goodBytes)
					c.Write(ctx, tt.typ, []byte(tt.data))
					typ, data, err := c.Read(ctx) // the ABORT
					got <- frame{typ, data, err}
					_, _, err = c.Read(ctx) // the close frame
					got <- frame{err: err}
				})
			client := dial(t, url, &wsconn.Options{Codecs: []codec.Codec{tt.codec}})

			equalMessages(t, recv(t, client), good)
			err = waitEnd(t, client)
			if !errors.Is(err, protocol.ErrProtocolViolation) {
				t.Fatalf("Err = %v, want a protocol violation", err)
			}
			t.Log(err)

			abort := &protocol.Abort{Details: protocol.Dict{}, Reason: "wamp.error.protocol_violation"}
			send(t, client, abort)
			if err := client.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if !errors.Is(client.Err(), protocol.ErrProtocolViolation) {
				t.Fatalf("Err after Close = %v, want the violation kept", client.Err())
			}
			f := <-got
			if f.err != nil || f.typ != frameType(tt.codec) {
				t.Fatalf("server read %v %v, want the ABORT", f.typ, f.err)
			}
			m, err := tt.codec.Decode(f.data)
			if err != nil {
				t.Fatal(err)
			}
			equalMessages(t, m, abort)
			if f := <-got; websocket.CloseStatus(f.err) != websocket.StatusNormalClosure {
				t.Fatalf("server read %v after the ABORT, want close 1000", f.err)
			}
		})
	}
}

func frameType(c codec.Codec) websocket.MessageType {
	if c.Binary() {
		return websocket.MessageBinary
	}
	return websocket.MessageText
}

// looseCodec is JSON whose Decode errors do not say they are protocol
// violations: the transport must make them so.
type looseCodec struct{ codec.Codec }

func (looseCodec) Decode([]byte) (protocol.Message, error) { return nil, errors.New("bad bytes") }

func TestDecodeErrorWrapped(t *testing.T) {
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}},
		func(ctx context.Context, c *websocket.Conn) {
			c.Write(ctx, websocket.MessageText, []byte("[]"))
			c.Read(ctx)
		})
	client := dial(t, url, &wsconn.Options{Codecs: []codec.Codec{looseCodec{codec.JSON()}}})
	if err := waitEnd(t, client); !errors.Is(err, protocol.ErrProtocolViolation) {
		t.Fatalf("Err = %v, want a protocol violation", err)
	}
}
