package payload_test

// Go types the tests of this package decode into (codec's tests encode the
// same shapes with Normalize).

type Level int

type Celsius float32

type Name string

type Blob []byte

type Inner struct {
	City string `wamp:"city"`
	Zip  string `json:"zip,omitempty"`
}

type Base struct {
	ID   int64  `wamp:"id"`
	Kind string `wamp:"kind"`
}

type embedded struct {
	Base
	*Inner
	Kind  string `wamp:"kind2"`
	Extra string `wamp:"extra"`
}

type A struct{ Name, OnlyA string }

type B struct{ Name, OnlyB string }

type C struct {
	Name string `wamp:"Name"`
}
