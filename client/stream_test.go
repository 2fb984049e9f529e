package client_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// streamData is n pseudo-random bytes, the same for a given seed.
func streamData(n int, seed uint64) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed)})
	b := make([]byte, n)
	r.Read(b)
	return b
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// registerEcho registers a stream procedure that sends its input back and
// answers with the input's length and digest.
func registerEcho(t *testing.T, c *client.Client, proc protocol.URI) {
	t.Helper()
	_, err := c.RegisterStream(ctxT(t), proc, func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(out, h), in)
		if err != nil {
			return client.Result{}, err
		}
		return client.Result{Args: protocol.List{n, hex.EncodeToString(h.Sum(nil))}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// registerSource registers a stream procedure that sends args[0] bytes of
// streamData (a download) and a final result carrying the last chunk.
func registerSource(t *testing.T, c *client.Client, proc protocol.URI) {
	t.Helper()
	_, err := c.RegisterStream(ctxT(t), proc, func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		var n int
		if err := inv.Decode(&n); err != nil {
			return client.Result{}, err
		}
		data := streamData(n, 7)
		last := min(len(data), 1000)
		if _, err := out.Write(data[:len(data)-last]); err != nil {
			return client.Result{}, err
		}
		return client.Result{Args: protocol.List{data[len(data)-last:], "trailer"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Uploads, echoes and downloads go through the kit's router over
// WebSocket and RawSocket in every serializer, byte for byte.
func TestStreamOverEveryTransport(t *testing.T) {
	router := wamptest.NewRouter(wamptest.WithoutMessageLog())
	t.Cleanup(router.Close)
	rs, err := router.ListenRawSocket()
	if err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{router.ListenWebSocket().URL(), rs.URL()} {
		for _, cd := range codec.Default() {
			scheme, _, _ := strings.Cut(url, "://")
			t.Run(scheme+"/"+cd.Name(), func(t *testing.T) {
				// JSON under -race on a busy machine is slow: more than
				// ctxT's bound.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				dial := func() *client.Client {
					c, err := client.Dial(ctx, url, "realm1", client.WithSerializers(cd))
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { c.Close(context.Background()) })
					return c
				}
				callee, caller := dial(), dial()
				registerEcho(t, callee, "com.stream.echo")
				registerSource(t, callee, "com.stream.source")

				data := streamData(1<<20+12345, 1)
				call := caller.CallStream(ctx, "com.stream.echo", bytes.NewReader(data))
				got, err := io.ReadAll(call.Reader())
				if err != nil {
					t.Fatalf("reading the echo: %v", err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("echo: %d bytes back of %d, equal prefix? %v", len(got), len(data), bytes.HasPrefix(data, got))
				}
				res, err := call.Await(ctx)
				if err != nil || len(res.Args) != 2 || res.Args[0] != int64(len(data)) || res.Args[1] != digest(data) {
					t.Fatalf("Await = %v, %v", res.Args, err)
				}

				const n = 1<<20 + 777
				dl := caller.Call(ctx, "com.stream.source", protocol.List{n}, nil, client.ReceiveProgress())
				got, err = io.ReadAll(dl.Reader())
				if err != nil || !bytes.Equal(got, streamData(n, 7)) {
					t.Fatalf("download: %d bytes of %d, %v", len(got), n, err)
				}
				res, err = dl.Await(ctx)
				if err != nil || res.Args[1] != "trailer" {
					t.Fatalf("download Await = %v, %v", res.Args[1:], err)
				}

				// An empty upload: only the final input, no bytes back.
				call = caller.CallStream(ctx, "com.stream.echo", strings.NewReader(""))
				if got, err := io.ReadAll(call.Reader()); err != nil || len(got) != 0 {
					t.Fatalf("empty echo: %q, %v", got, err)
				}
			})
		}
	}
}

// A plain call of a stream procedure: in reads args[0]; out fails, the
// caller having asked for no progressive results.
func TestStreamHandlerPlainCall(t *testing.T) {
	callee, caller := miniPair(t)
	_, err := callee.RegisterStream(ctxT(t), "com.stream.plain", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		b, err := io.ReadAll(in)
		if err != nil {
			return client.Result{}, err
		}
		_, werr := out.Write([]byte("x"))
		return client.Result{Args: protocol.List{string(b), errors.Is(werr, client.ErrNoProgress)}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := caller.Call(ctxT(t), "com.stream.plain", protocol.List{[]byte("whole")}, nil).Await(ctxT(t))
	if err != nil || res.Args[0] != "whole" || res.Args[1] != true {
		t.Fatalf("Await = %v, %v", res.Args, err)
	}
}

// A callee's error ends the stream with that error at the caller's reader
// and Await; the bytes sent before it were read.
func TestStreamCalleeError(t *testing.T) {
	callee, caller := miniPair(t)
	_, err := callee.RegisterStream(ctxT(t), "com.stream.fail", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		buf := make([]byte, 100)
		if _, err := io.ReadFull(in, buf); err != nil {
			return client.Result{}, err
		}
		if _, err := out.Write(buf); err != nil {
			return client.Result{}, err
		}
		return client.Result{}, client.NewError("com.stream.too_big", protocol.List{"stop"}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	call := caller.CallStream(ctxT(t), "com.stream.fail", bytes.NewReader(streamData(1<<20, 3)))
	got, err := io.ReadAll(call.Reader())
	var we *client.Error
	if !errors.As(err, &we) || we.URI != "com.stream.too_big" || len(got) != 100 {
		t.Fatalf("ReadAll = %d bytes, %v", len(got), err)
	}
	if _, err := call.Await(ctxT(t)); !errors.As(err, &we) {
		t.Fatalf("Await = %v", err)
	}
}

// A progressive result that is not a chunk fails the read with
// ErrStreamChunk.
func TestStreamReaderRefusesNonBinary(t *testing.T) {
	callee, caller := miniPair(t)
	_, err := callee.Register(ctxT(t), "com.stream.text", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		if err := inv.SendProgress(ctx, protocol.List{[]byte("ok ")}, nil); err != nil {
			return client.Result{}, err
		}
		if err := inv.SendProgress(ctx, protocol.List{"text"}, nil); err != nil {
			return client.Result{}, err
		}
		return client.Result{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	call := caller.Call(ctxT(t), "com.stream.text", nil, nil, client.ReceiveProgress())
	got, err := io.ReadAll(call.Reader())
	if !errors.Is(err, client.ErrStreamChunk) || string(got) != "ok " {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	if call.Reader() != call.Reader() {
		t.Fatal("Reader returns a new reader each time")
	}
}

// failingReader returns its data, then err.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// A failing input cancels the call: the caller sees ErrCanceled wrapping
// the read error, the callee an interrupted input.
func TestStreamInputReadError(t *testing.T) {
	callee, caller := miniPair(t)
	inErr := make(chan error, 1)
	_, err := callee.RegisterStream(ctxT(t), "com.stream.sink", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		_, err := io.Copy(io.Discard, in)
		inErr <- err
		return client.Result{}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	call := caller.CallStream(ctxT(t), "com.stream.sink", &failingReader{r: bytes.NewReader(streamData(200<<10, 4)), err: boom})
	_, err = io.ReadAll(call.Reader())
	var re *client.StreamReadError
	if !errors.Is(err, client.ErrCanceled) || !errors.Is(err, boom) || !errors.As(err, &re) {
		t.Fatalf("ReadAll: %v", err)
	}
	if err := <-inErr; !errors.Is(err, client.ErrInterrupted) {
		t.Fatalf("callee's in: %v", err)
	}
}

// A CallStream reader that meets a message that is not a chunk cancels
// the call: the callee, still sending, is interrupted.
func TestStreamReaderCancelsOnNonBinary(t *testing.T) {
	callee, caller := miniPair(t)
	sendErr := make(chan error, 1)
	_, err := callee.Register(ctxT(t), "com.stream.mixed", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		if err := inv.SendProgress(ctx, protocol.List{"text"}, nil); err != nil {
			return client.Result{}, err
		}
		for {
			if err := inv.SendProgress(ctx, protocol.List{[]byte("more")}, nil); err != nil {
				sendErr <- err
				return client.Result{}, err
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	call := caller.CallStream(ctxT(t), "com.stream.mixed", strings.NewReader(""))
	if _, err := io.ReadAll(call.Reader()); !errors.Is(err, client.ErrStreamChunk) {
		t.Fatalf("ReadAll: %v", err)
	}
	if err := <-sendErr; err == nil {
		t.Fatal("the callee was not stopped")
	}
	if _, err := call.Await(ctxT(t)); err == nil {
		t.Fatal("the call succeeded")
	}
}
