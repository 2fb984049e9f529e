package client

import (
	"testing"

	"github.com/wampgo/wampgo/codec"
)

// The decoded-size bound follows WithReadLimit unless the codec set its own.
func TestReadLimitSetsDecodedSize(t *testing.T) {
	own := codec.NewMsgPack(codec.Limits{MaxDecodedSize: 12345})
	cfg := config{readLimit: 1 << 20, codecs: []codec.Codec{codec.JSON(), own}}
	cs := cfg.dialCodecs()
	limits := func(c codec.Codec) codec.Limits { return c.(interface{ Limits() codec.Limits }).Limits() }
	if got := limits(cs[0]).MaxDecodedSize; got != codec.DefaultDecodedSizeRatio<<20 {
		t.Errorf("default codec, read limit 1 MiB: MaxDecodedSize %d, want %d", got, codec.DefaultDecodedSizeRatio<<20)
	}
	if got := limits(cs[1]).MaxDecodedSize; got != 12345 {
		t.Errorf("codec with its own bound: MaxDecodedSize %d, want 12345", got)
	}
}
