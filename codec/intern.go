package codec

import (
	"hash/maphash"
	"math"
)

// Bounds of a strCache.
const (
	strCacheSlots  = 256 // a power of two
	maxCachedBytes = 40  // longer strings are never cached
)

// strCache remembers short strings a decoder has made, both as strings (for
// dict keys) and boxed in an interface (for values). A peer sends the same
// few short strings over and over: option and payload field names, URIs,
// enumerations. A decoder that finds one in its cache allocates nothing for
// it. The cache is direct-mapped: a string evicts whatever shared its slot,
// so it follows the working set with bounded memory, and colliding input
// costs only misses. Strings and interfaces holding them are immutable, so
// sharing them between messages is safe. A strCache belongs to one pooled
// decoder at a time.
type strCache struct {
	seed  maphash.Seed
	slots *[strCacheSlots]strSlot // allocated on first use
}

type strSlot struct {
	s string
	v any // s boxed, or nil until first asked for
}

// slot returns the slot holding b, having stored b in it if needed.
func (c *strCache) slot(b []byte) *strSlot {
	if c.slots == nil {
		c.seed = maphash.MakeSeed()
		c.slots = new([strCacheSlots]strSlot)
	}
	e := &c.slots[maphash.Bytes(c.seed, b)&(strCacheSlots-1)]
	if e.s != string(b) { // compares without allocating
		e.s, e.v = string(b), nil
	}
	return e
}

// key returns b as a string.
func (c *strCache) key(b []byte) string {
	if len(b) > maxCachedBytes {
		return string(b)
	}
	return c.slot(b).s
}

// value returns b as a string in an interface.
func (c *strCache) value(b []byte) any {
	if len(b) > maxCachedBytes {
		return string(b)
	}
	e := c.slot(b)
	if e.v == nil {
		e.v = e.s
	}
	return e.v
}

// intCacheSlots bounds an intCache: a power of two.
const intCacheSlots = 64

// intCache remembers the integers a decoder has boxed in an interface, as
// strCache remembers strings: the same ids come over and over (a
// subscription's and a registration's in every EVENT and INVOCATION, and a
// publication's in the EVENT of each of its subscribers, decoded by the
// decoders of one process), and boxing one that does not fit in a byte
// allocates. Direct-mapped, like strCache; a boxed integer is immutable,
// so sharing it is safe. It belongs to one pooled decoder at a time.
type intCache struct {
	slots *[intCacheSlots]intSlot // allocated on first use
}

type intSlot struct {
	v   int64
	box any // v boxed; nil while the slot is empty
}

// value returns v boxed.
func (c *intCache) value(v int64) any {
	if uint64(v) < 256 {
		return v // the runtime boxes these without allocating
	}
	if c.slots == nil {
		c.slots = new([intCacheSlots]intSlot)
	}
	// Fibonacci hashing: consecutive ids land in different slots.
	e := &c.slots[(uint64(v)*0x9e3779b97f4a7c15)>>(64-6)]
	if e.box == nil || e.v != v {
		e.v, e.box = v, v
	}
	return e.box
}

// uint returns u boxed as int64 when it fits, else as uint64.
func (c *intCache) uint(u uint64) any {
	if u <= math.MaxInt64 {
		return c.value(int64(u))
	}
	return u
}
