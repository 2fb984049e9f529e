package wsconn_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// TestMessageTooLarge: a message over ReadLimit is read through and
// discarded; Receive delivers a *protocol.TooLarge with its type and ids in
// its place, and the connection goes on. Before, the connection ended
// with ErrMessageTooLarge and close code 1009.
func TestMessageTooLarge(t *testing.T) {
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, &wsconn.Options{ReadLimit: 1024})
	server := srv.next(t)

	small := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "t", Payload: protocol.Payload{Args: protocol.List{"ok"}}}
	big := &protocol.Publish{Request: 2, Options: protocol.Dict{}, Topic: "t", Payload: protocol.Payload{Args: protocol.List{strings.Repeat("x", 4096)}}}
	send(t, server, small)
	send(t, server, big)
	send(t, server, small)
	equalMessages(t, recv(t, client), small)
	tl, ok := recv(t, client).(*protocol.TooLarge)
	if !ok || tl.Of != protocol.TypePublish || tl.Request != 2 || tl.Limit != 1024 || tl.Size < 4096 {
		t.Fatalf("got %#v, want the TooLarge of PUBLISH 2", tl)
	}
	equalMessages(t, recv(t, client), small)
	if err := client.Err(); err != nil {
		t.Fatalf("client ended: %v", err)
	}
}

// TestMessageTooLargeUnreadableHead: a message over ReadLimit whose head
// is not a WAMP message's ends the read side as an undecodable message
// does, with an error matching ErrMessageTooLarge.
func TestMessageTooLargeUnreadableHead(t *testing.T) {
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}}, func(ctx context.Context, c *websocket.Conn) {
		c.Write(ctx, websocket.MessageText, []byte(`{"not":"a list"}`+strings.Repeat(" ", 2048)))
		c.Read(ctx)
	})
	client := dial(t, url, &wsconn.Options{ReadLimit: 1024, Codecs: []codec.Codec{codec.JSON()}})
	err := waitEnd(t, client)
	if !errors.Is(err, wsconn.ErrMessageTooLarge) || !errors.Is(err, protocol.ErrProtocolViolation) || !errors.Is(err, codec.ErrHeadUnreadable) {
		t.Fatalf("client Err = %v, want ErrMessageTooLarge and a protocol violation", err)
	}
}

// TestPeerClose: the peer's Close reaches us as a *CloseError with code
// 1000, after every message it sent before; Send then fails with it.
func TestPeerClose(t *testing.T) {
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, nil)
	server := srv.next(t)
	msgs := sampleMessages()
	for _, m := range msgs {
		send(t, server, m)
	}
	// The server's Close waits for the client's close frame, which the
	// client's reader sends once the test has taken the messages.
	closed := make(chan error, 1)
	go func() { closed <- server.Close() }()
	<-server.Done()
	if err := server.Err(); !errors.Is(err, protocol.ErrTransportClosed) {
		t.Fatalf("server Err = %v, want ErrTransportClosed", err)
	}
	for _, m := range msgs {
		equalMessages(t, recv(t, client), m)
	}
	if err := <-closed; err != nil {
		t.Fatalf("server Close: %v", err)
	}
	err := waitEnd(t, client)
	var ce *wsconn.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure {
		t.Fatalf("client Err = %v, want a CloseError with code 1000", err)
	}
	var wce websocket.CloseError
	if !errors.As(err, &wce) || wce.Code != websocket.StatusNormalClosure {
		t.Fatalf("client Err = %v does not unwrap to websocket.CloseError", err)
	}
	if err := client.Send(context.Background(), msgs[0]); !errors.As(err, &ce) {
		t.Fatalf("Send after the peer's close = %v, want the CloseError", err)
	}
	if err := client.Close(); err != nil {
		t.Fatalf("Close after the peer's close: %v", err)
	}
	if err := client.Err(); !errors.As(err, &ce) {
		t.Fatalf("Err after Close = %v, want the first cause kept", err)
	}
}

// TestSendAfterClose: Send fails with ErrTransportClosed after Close, and
// Close is safe twice and concurrently.
func TestSendAfterClose(t *testing.T) {
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, nil)
	server := srv.next(t)

	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- client.Close() }()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if err := client.Close(); err != nil {
		t.Fatalf("Close again: %v", err)
	}
	if err := client.Send(context.Background(), sampleMessages()[0]); !errors.Is(err, protocol.ErrTransportClosed) {
		t.Fatalf("Send after Close = %v, want ErrTransportClosed", err)
	}
	if err := waitEnd(t, client); !errors.Is(err, protocol.ErrTransportClosed) {
		t.Fatalf("Err = %v, want ErrTransportClosed", err)
	}
	var ce *wsconn.CloseError
	if err := waitEnd(t, server); !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure {
		t.Fatalf("server Err = %v, want a CloseError with code 1000", err)
	}
}

// TestSendEncodeError: a message the codec refuses is reported to the
// caller of Send, and the connection goes on.
func TestSendEncodeError(t *testing.T) {
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, nil)
	server := srv.next(t)
	bad := []protocol.Message{
		&protocol.Call{Request: 0, Options: protocol.Dict{}, Procedure: "p"},                                                                 // invalid id
		&protocol.Call{Request: 1, Options: protocol.Dict{}, Procedure: "p", Payload: protocol.Payload{Args: protocol.List{make(chan int)}}}, // not a WAMP value (no Go value converts a channel)
	}
	for _, m := range bad {
		err := client.Send(context.Background(), m)
		var ee *codec.EncodeError
		if !errors.As(err, &ee) {
			t.Fatalf("Send(%#v) = %v, want a *codec.EncodeError", m, err)
		}
	}
	good := sampleMessages()[1]
	send(t, client, good)
	equalMessages(t, recv(t, server), good)
	if client.Err() != nil {
		t.Fatalf("Err = %v after encode errors", client.Err())
	}
}

// TestSendContext: Send gives up with ctx's error when the queue is full.
func TestSendContext(t *testing.T) {
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}},
		func(ctx context.Context, c *websocket.Conn) { <-ctx.Done() }) // never reads
	opts := &wsconn.Options{Codecs: []codec.Codec{codec.JSON()}, SendQueue: -1, CloseTimeout: 50 * time.Millisecond}
	opts.NetDial = smallBufferDial
	client := dial(t, url, opts)
	big := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "t", Payload: protocol.Payload{Args: protocol.List{strings.Repeat("x", 1<<20)}}}
	send(t, client, big) // the writer takes it, and blocks writing it
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := client.Send(ctx, sampleMessages()[0]); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send with a cancelled ctx and a busy writer = %v, want context.Canceled", err)
	}
}

// TestPeerVanishes: a peer whose TCP connection closes without a close
// frame ends the connection with the network error.
func TestPeerVanishes(t *testing.T) {
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}},
		func(ctx context.Context, c *websocket.Conn) { c.CloseNow() })
	client := dial(t, url, nil)
	err := waitEnd(t, client)
	var ce *wsconn.CloseError
	if err == nil || errors.As(err, &ce) || errors.Is(err, protocol.ErrProtocolViolation) {
		t.Fatalf("Err = %v, want a network error", err)
	}
	if !errors.Is(err, io.EOF) {
		t.Errorf("Err = %v, want it to match io.EOF", err)
	}
	if err := client.Close(); err != nil {
		t.Fatalf("Close after the peer vanished: %v", err)
	}
}
