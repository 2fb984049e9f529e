// Package payload converts between Go values and the values that WAMP
// payloads carry: the closed value set of package protocol (nil, bool,
// int64, uint64, float64, string, []byte, []any, map[string]any), which
// every codec decodes to.
//
// codec.Normalize, the module's one converter from Go values, turns Go
// values (structs, pointers, named types, slices, arrays, maps) into that
// set; package client applies it to every payload it sends, so arguments
// may be any Go value that it accepts (its documentation has the table).
// This package is the strict way back: Decode stores a payload value in a
// Go destination and reports, with the path to it, any value that does not
// fit, where a type assertion would silently give zero. ID reads the WAMP
// ids carried in payloads (integers arrive as int64, protocol.ID is a
// uint64).
//
// DecodeArgs and DecodeKwargs work on a whole payload and name paths from
// "args[i]" and "kwargs" (as codec.NormalizePayload does). Pack and Unpack
// map one Go value to a payload's args and kwargs in the shapes other WAMP
// peers use, for typed RPC (see Pack).
//
// The package starts no goroutines and has no state besides a cache of
// struct layouts (shared with codec.Normalize); every function is safe for
// concurrent use.
//
// # Encoding
//
// codec.Normalize maps Go values as Decode reads them back. time.Duration,
// an int64, stays nanoseconds; NaN and ±Inf are kept (JSON cannot carry
// them). Channels, functions, complex numbers and unsafe pointers have no
// payload form: Normalize fails with a *codec.ValueError matching
// codec.ErrUnsupportedValue. Values nested deeper than MaxDepth (cyclic ones
// among them) fail with ErrTooDeep. Encoding neither calls json.Marshaler
// nor reads json.Number specially.
//
// # Struct fields
//
// A struct becomes a dict. Each exported field is an entry named by the
// field's `wamp` tag, else its `json` tag, else the field's name:
//
//	type User struct {
//		Name  string   `wamp:"name"`
//		Age   int      `wamp:"age,omitempty"` // left out when 0
//		Email string   `json:"email"`         // no wamp tag: the json tag
//		Tags  []string                        // "Tags"
//		Token string   `wamp:"-"`             // never sent nor filled
//	}
//
// The options are omitempty (leave out false, 0, "", nil and empty lists,
// dicts and strings) and omitzero (leave out the type's zero value). The
// exported fields of an embedded struct are promoted into the outer dict,
// with encoding/json's rules for conflicting names (the shallowest field
// wins, then the only tagged one; otherwise the name is dropped). Decoding
// uses the same names.
//
// # Decoding
//
// Decode, DecodeArgs and DecodeKwargs store payload values in Go
// destinations. They accept exactly what fits:
//
//	destination          accepts
//	bool                 bool
//	intN, uintN          an integer in the type's range; a float64 without a
//	                     fraction in that range (JSON peers may send 2.0);
//	                     2.5 is an error ("2.5 is not an integer")
//	float32, float64     any number (integers round to the nearest float);
//	                     a value beyond float32's range is an error
//	string               string
//	[]byte               binary; a string of standard base64, padded or not
//	                     (as encoding/json reads []byte); a list of integers
//	[N]T                 a list of exactly N elements; [N]byte also binary
//	                     of exactly N bytes
//	[]T                  a list
//	map[K]V              a dict; K a string, integer (decimal keys) or
//	                     encoding.TextUnmarshaler type. Entries are added to
//	                     a non-nil map.
//	struct               a dict; keys are matched to fields exactly (case
//	                     sensitive); keys without a field are ignored, so a
//	                     peer may add entries; fields without a key keep
//	                     their value
//	*T                   null gives nil; anything else fills a new (or the
//	                     existing) T
//	any (interface{})    the value itself; other interfaces take a value of
//	                     the set that implements them
//	encoding.TextUnmarshaler
//	                     a string, through UnmarshalText (time.Time reads
//	                     RFC 3339); a non-string is decoded by kind, except
//	                     into a struct (time.Time wants a string)
//
// null fills only pointers, interfaces, slices and maps (with nil): use a
// pointer for a value a peer may leave out or send as null. Every other
// mismatch is a *DecodeError whose Error reads "path: reason", for example
// "args[1].user.age: 2.5 is not an integer"; it matches ErrMismatch with
// errors.Is. A destination that is not a non-nil pointer, or of a type
// nothing decodes into (channels, functions), matches
// ErrInvalidDestination.
//
// A source value outside the value set (a Go int, a struct, as an
// in-process peer may hand over) is first converted with codec.Normalize.
package payload
