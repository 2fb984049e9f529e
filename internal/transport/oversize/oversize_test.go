package oversize_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// endless is a reader of n bytes (whatever p held) that allocates nothing.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), e.n)
	e.n -= k
	return int(k), nil
}

// ReadMessage returns a message within the limit whole, and of one over
// it the head only, with the whole length.
func TestReadMessage(t *testing.T) {
	for _, tc := range []struct {
		in    string
		limit int64
		data  string
		over  bool
	}{
		{"abc", 3, "abc", false},
		{"abc", -1, "abc", false},
		{"abcd", 3, "abcd", true},
		{"", 0, "", false},
	} {
		data, size, over, err := oversize.ReadMessage(strings.NewReader(tc.in), tc.limit)
		if err != nil || string(data) != tc.data || over != tc.over || size != int64(len(tc.in)) {
			t.Errorf("%q over %d: %q %d %v %v", tc.in, tc.limit, data, size, over, err)
		}
	}
	data, size, over, err := oversize.ReadMessage(io.MultiReader(strings.NewReader(strings.Repeat("h", oversize.HeadSize+10)), &endless{n: 1 << 20}), 1<<12+100)
	if err != nil || !over || len(data) != oversize.HeadSize || size != oversize.HeadSize+10+1<<20 {
		t.Fatalf("%d bytes, size %d, over %v, %v", len(data), size, over, err)
	}
}

// Reading a 64 MiB message over a 4 KiB limit allocates a few buffers,
// whatever its length: the discarded bytes are never held.
func TestReadMessageBoundedMemory(t *testing.T) {
	allocs := testing.AllocsPerRun(2, func() {
		if _, _, over, err := oversize.ReadMessage(&endless{n: 64 << 20}, 4<<10); !over || err != nil {
			t.Fatal(over, err)
		}
	})
	if allocs > 20 {
		t.Fatalf("%v allocations per 64 MiB message", allocs)
	}
}

// Skip discards exactly n bytes; a stream cut short is io.ErrUnexpectedEOF.
func TestSkip(t *testing.T) {
	r := strings.NewReader("abcdef")
	if err := oversize.Skip(r, 4); err != nil || r.Len() != 2 {
		t.Fatalf("%v, %d left", err, r.Len())
	}
	if err := oversize.Skip(r, 3); err != io.ErrUnexpectedEOF {
		t.Fatalf("cut: %v", err)
	}
}

// Item reads the head into a protocol.TooLarge, or fails with an error
// that ends the read side.
func TestItem(t *testing.T) {
	m, err := oversize.Item(codec.JSON(), []byte(`[68, 3, 9, {}, ["xxx`), 1000, 100)
	want := protocol.TooLarge{Of: protocol.TypeInvocation, Request: 3, Registration: 9, Size: 1000, Limit: 100}
	if err != nil || *m != want {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = oversize.Item(codec.JSON(), bytes.Repeat([]byte{'x'}, 100), 1000, 100)
	for _, target := range []error{codec.ErrMessageTooLarge, codec.ErrHeadUnreadable, protocol.ErrProtocolViolation} {
		if !errors.Is(err, target) {
			t.Fatalf("%v does not match %v", err, target)
		}
	}
}
