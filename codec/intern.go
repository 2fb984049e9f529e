package codec

import "hash/maphash"

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
