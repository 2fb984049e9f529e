package codec_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/wampgo/wampgo/codec"
)

// Order is what a shop's procedures exchange; the tags name the dict keys.
type Order struct {
	ID       string    `wamp:"id"`
	Items    []string  `wamp:"items"`
	Total    float64   `wamp:"total"`
	Quantity int       `wamp:"quantity"`
	Note     string    `wamp:"note,omitempty"`
	Placed   time.Time `wamp:"placed"`
}

func ExampleNormalize() {
	order := Order{ID: "A-17", Items: []string{"tea"}, Total: 4.5, Quantity: 2,
		Placed: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	v, err := codec.Normalize(order)
	if err != nil {
		log.Fatal(err)
	}
	// A struct becomes a dict (fmt prints map keys sorted).
	fmt.Printf("%v\n", v)

	// A value without a payload form is an error naming where it is.
	_, err = codec.Normalize(map[string]any{"order": order, "done": make(chan struct{})})
	var ve *codec.ValueError
	fmt.Println(err, errors.As(err, &ve) && errors.Is(err, codec.ErrUnsupportedValue))
	// Output:
	// map[id:A-17 items:[tea] placed:2026-11-30T09:00:00Z quantity:2 total:4.5]
	// payload: done: chan struct {} has no payload form true
}
