package codec

// binaryScan is the state the MessagePack and CBOR decoders share: the
// input, the read position, the nesting depth and its limit, the string
// cache, and the message's own list, reused across messages. A decoder is
// used by one goroutine at a time (they are pooled).
type binaryScan struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	strs     strCache // caches short strings across messages
	top      []any    // the message's list, reused
}

// start prepares the scan of data under lim.
func (s *binaryScan) start(data []byte, lim *Limits) {
	s.data, s.pos, s.depth, s.maxDepth = data, 0, 0, lim.MaxDepth
}

// release drops the references the scan holds, so that a pooled decoder
// keeps neither the input nor decoded values alive; an oversized list is
// not kept for reuse.
func (s *binaryScan) release() {
	s.data = nil
	clear(s.top)
	s.top = s.top[:0]
	if cap(s.top) > maxPooledVals {
		s.top = nil
	}
}
