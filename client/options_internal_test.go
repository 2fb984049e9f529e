package client

import (
	"errors"
	"math"
	"testing"

	"github.com/wampgo/wampgo/codec"
)

// WithReadLimit governs the codecs' limit too, not only the WebSocket's.
func TestReadLimitGovernsCodecs(t *testing.T) {
	limit := func(cd codec.Codec) int {
		return cd.(interface{ Limits() codec.Limits }).Limits().MaxMessageSize
	}
	for _, tc := range []struct {
		opts []Option
		want int
	}{
		{nil, codec.DefaultMaxMessageSize},
		{[]Option{WithReadLimit(32 << 20)}, 32 << 20},
		{[]Option{WithReadLimit(-1)}, math.MaxInt},
		{[]Option{WithSerializers(codec.NewJSON(codec.Limits{MaxDepth: 7})), WithReadLimit(1 << 10)}, 1 << 10},
	} {
		cfg := newConfig(tc.opts)
		cs := cfg.dialCodecs()
		if len(cs) == 0 {
			t.Fatal("no codecs")
		}
		for _, cd := range cs {
			if got := limit(cd); got != tc.want {
				t.Errorf("%s: MaxMessageSize %d, want %d", cd.Name(), got, tc.want)
			}
		}
		if len(tc.opts) == 2 {
			if d := cs[0].(interface{ Limits() codec.Limits }).Limits().MaxDepth; d != 7 {
				t.Errorf("MaxDepth %d, want the codec's own 7", d)
			}
		}
	}
	// A message just over the default limit decodes under a larger one.
	big := make([]byte, codec.DefaultMaxMessageSize+1)
	cfg := newConfig([]Option{WithSerializers(codec.JSON()), WithReadLimit(32 << 20)})
	if _, err := cfg.dialCodecs()[0].Decode(big); err == nil || limit(cfg.dialCodecs()[0]) != 32<<20 {
		// big is not JSON: the error must be about its form, not its size.
		t.Fatalf("limit not applied")
	} else if errors.Is(err, codec.ErrMessageTooLarge) {
		t.Fatalf("a message within WithReadLimit refused for its size: %v", err)
	}
}
