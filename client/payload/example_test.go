package payload_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/wampgo/wampgo/client/payload"
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

func ExampleDecode() {
	// As a peer sends it: numbers from JSON may arrive as floats, and
	// unknown keys are ignored.
	v := map[string]any{"id": "A-17", "items": []any{"tea", "milk"}, "total": int64(6),
		"quantity": 2.0, "placed": "2026-11-30T09:00:00Z", "coupon": "X"}
	var order Order
	if err := payload.Decode(v, &order); err != nil {
		log.Fatal(err)
	}
	fmt.Println(order.ID, order.Items, order.Total, order.Quantity, order.Placed.Hour())

	// A value that does not fit is an error naming where it is, never a
	// silent zero.
	v["quantity"] = 2.5
	err := payload.Decode(v, &order)
	fmt.Println(err)
	fmt.Println(errors.Is(err, payload.ErrMismatch))
	// Output:
	// A-17 [tea milk] 6 2 9
	// quantity: 2.5 is not an integer
	// true
}

func ExampleDecodeArgs() {
	args := []any{"A-17", int64(3), map[string]any{"express": true}}
	var (
		id   string
		qty  uint8
		opts struct {
			Express bool `wamp:"express"`
		}
	)
	if err := payload.DecodeArgs(args, &id, &qty, &opts); err != nil {
		log.Fatal(err)
	}
	fmt.Println(id, qty, opts.Express)

	args[1] = int64(300)
	fmt.Println(payload.DecodeArgs(args, &id, &qty))
	// Output:
	// A-17 3 true
	// args[1]: 300 overflows uint8
}

func ExampleID() {
	// A meta procedure's result: JSON and the other codecs deliver
	// integers as int64; protocol.ID is a uint64.
	result := []any{int64(4217)}
	id, err := payload.ID(result[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T %d\n", id, id)
	_, err = payload.ID(int64(-1))
	fmt.Println(err)
	// Output:
	// uint64 4217
	// payload: want an id (integer in [1, 2^53]), got integer -1
}
