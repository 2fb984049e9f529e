package payload_test

import (
	"errors"
	"strings"
	"time"
)

// The Go types of the tests of this package. The same set, in package
// codec's tests, checks codec.Normalize, the way there.

type Level int

type Celsius float32

type Name string

type Blob []byte

type upper string

func (u upper) MarshalText() ([]byte, error) { return []byte(strings.ToUpper(string(u))), nil }

type badText struct{}

func (badText) MarshalText() ([]byte, error) { return nil, errors.New("no text") }

type Inner struct {
	City string `wamp:"city"`
	Zip  string `json:"zip,omitempty"`
}

type Base struct {
	ID   int64  `wamp:"id"`
	Kind string `wamp:"kind"`
}

type user struct {
	Name     string            `wamp:"name"`
	Age      int               `wamp:"age,omitempty"`
	Email    string            `json:"email"`
	Nick     *string           `wamp:"nick"`
	Tags     []string          `wamp:"tags"`
	Home     Inner             `wamp:"home"`
	Extra    map[string]int    `wamp:"extra,omitempty"`
	Secret   string            `wamp:"-"`
	Skipped  string            `json:"-"`
	Dash     string            `wamp:"-,"`
	Plain    bool              //
	When     time.Time         `wamp:"when,omitzero"`
	Score    float32           `wamp:"score"`
	private  int               //nolint:unused // unexported: never a field
	Labels   map[Level]Name    `wamp:"labels,omitempty"`
	Any      any               `wamp:"any"`
	Raw      Blob              `wamp:"raw,omitempty"`
	Children []*Inner          `wamp:"children,omitempty"`
	Nested   map[string][]bool `wamp:"nested,omitempty"`
}

type embedded struct {
	Base
	*Inner
	Kind  string `wamp:"kind2"`
	Extra string `wamp:"extra"`
}

type conflict struct {
	A
	B
}

type A struct{ Name, OnlyA string }

type B struct{ Name, OnlyB string }

type tagWins struct {
	A
	C
}

type C struct {
	Name string `wamp:"Name"`
}

type node struct {
	Next *node `wamp:"next"`
}
