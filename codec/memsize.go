package codec

// The memory model of decoded values. A decoded message holds a tree of
// Go values whose heap cost depends on their kind far more than on their
// encoded length: in MessagePack or CBOR, one byte decodes to an empty
// list (a boxed slice header, ~40 bytes with its slot) and three bytes to
// a one-entry dict (a map with its first group of 8 slots, ~350 bytes).
// MemSize puts a number on that, so that Decode can refuse a message that
// would hold more than Limits.MaxDecodedSize and so that queues can be
// bounded by what their items really hold.
//
// The costs are those of the Go runtime on 64-bit platforms (measured
// with go1.26), rounded up: an estimate that errs on the high side.
const (
	// slotMem is one element of a list's backing array: an interface
	// value. A dict's slots are in entryMem.
	slotMem = 16
	// boxMem is a number boxed in an interface.
	boxMem = 8
	// strMem is a string's header boxed in an interface; its bytes come
	// on top.
	strMem = 16
	// binMem is a []byte's header boxed in an interface; its bytes come on
	// top.
	binMem = 24
	// listMem is a list's slice header boxed in an interface.
	listMem = 24
	// dictMem is a dict's header.
	dictMem = 48
	// entryMem is one slot of a dict: the key's string header, the value's
	// interface and the control byte, at the runtime's load factor; a dict
	// with any entry holds at least dictMinSlots of them.
	entryMem     = 48
	dictMinSlots = 8
)

// MemSize estimates, in bytes, the heap memory that v, a value of the
// closed set that package protocol documents, holds once decoded: the
// value itself, boxed as it sits in a list or dict, and everything it
// refers to. A nil List or Dict holds nothing. Strings are counted in
// full even where a decoder shares them. It is safe for concurrent use
// and never fails; a value outside the set costs as a number.
func MemSize(v any) int {
	switch x := v.(type) {
	case nil, bool:
		return 0
	case string:
		return strMem + len(x)
	case []byte:
		return binMem + len(x)
	case []any:
		if x == nil {
			return 0
		}
		return listMemSize(len(x)) + valuesMemSize(x)
	case map[string]any:
		if x == nil {
			return 0
		}
		n := dictMemSize(len(x))
		for k, e := range x {
			n += len(k) + MemSize(e)
		}
		return n
	default:
		return boxMem
	}
}

func valuesMemSize(l []any) int {
	n := 0
	for _, e := range l {
		n += MemSize(e)
	}
	return n
}

// listMemSize is the cost of a list of n elements, without what the
// elements refer to.
func listMemSize(n int) int { return listMem + slotMem*n }

// dictMemSize is the cost of a dict of n entries, without the bytes of the
// keys and what the values refer to.
func dictMemSize(n int) int {
	if n == 0 {
		return dictMem
	}
	return dictMem + entryMem*max(n, dictMinSlots)
}

// memBudget counts down the memory a decoding may still build under
// Limits.MaxDecodedSize. A decoder charges each list and dict when it
// opens (before it allocates anything for it) and each other value as it
// makes it.
type memBudget struct{ left int }

// charge takes n bytes and reports whether the budget still holds.
func (b *memBudget) charge(n int) bool {
	b.left -= n
	return b.left >= 0
}
