package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// AddRequest is the request of com.example.add. As a struct it travels as
// keyword arguments: {"a": 2, "b": 3}.
type AddRequest struct {
	A int `wamp:"a"`
	B int `wamp:"b"`
}

// Sum is the response: the result's one argument, {"total": 5}.
type Sum struct {
	Total int `wamp:"total"`
}

func add(ctx context.Context, r AddRequest) (Sum, error) {
	return Sum{Total: r.A + r.B}, nil
}

// A typed handler is a plain function of a request and a response type.
// Register it in one line:
//
//	client.RegisterTyped(ctx, c, "com.example.add", add)
//
// and call it with client.CallTyped[Sum](ctx, c, "com.example.add",
// AddRequest{A: 2, B: 3}). TypedHandler gives the Handler that
// RegisterTyped registers; a test can call it as the router would.
func ExampleTypedHandler() {
	ctx := context.Background()
	h := client.TypedHandler(add)

	// A wampgo caller, Autobahn|Python's call(p, a=2, b=3), autobahn-js's
	// call(p, [], {a: 2, b: 3}) send keyword arguments.
	res, err := h(ctx, &client.Invocation{Kwargs: protocol.Dict{"a": int64(2), "b": int64(3)}})
	if err != nil {
		log.Fatal(err)
	}
	var s Sum
	if err := res.Decode(&s); err != nil {
		log.Fatal(err)
	}
	fmt.Println("kwargs:", s.Total)

	// Python's call(p, 2, 3) fills the fields in order.
	res, _ = h(ctx, &client.Invocation{Args: protocol.List{int64(2), int64(3)}})
	_ = res.Decode(&s)
	fmt.Println("positional:", s.Total)

	// A request that does not fit is refused before add runs.
	_, err = h(ctx, &client.Invocation{Kwargs: protocol.Dict{"a": 2.5, "b": int64(1)}})
	var we *client.Error
	if errors.As(err, &we) {
		fmt.Println(we.URI, "-", we.Args[0])
	}
	// Output:
	// kwargs: 5
	// positional: 5
	// wamp.error.invalid_argument - kwargs.a: 2.5 is not an integer
}

// Decode reads a result's arguments into Go values: a struct from a dict,
// numbers checked rather than truncated.
func ExampleResult_Decode() {
	// A result as Call delivers it: a dict and a number, keyword arguments.
	res := client.Result{
		Args:   protocol.List{map[string]any{"id": "A-17", "items": []any{"tea"}, "total": 4.5}, int64(2)},
		Kwargs: protocol.Dict{"currency": "EUR"},
	}
	var (
		order struct {
			ID    string   `wamp:"id"`
			Items []string `wamp:"items"`
			Total float64  `wamp:"total"`
		}
		count int
		meta  struct {
			Currency string `wamp:"currency"`
		}
	)
	if err := res.Decode(&order, &count); err != nil {
		log.Fatal(err)
	}
	if err := res.DecodeKwargs(&meta); err != nil {
		log.Fatal(err)
	}
	fmt.Println(order.ID, order.Items, order.Total, count, meta.Currency)

	// The total is no integer: an error, not a silent 4 or 0.
	var total int
	fmt.Println(client.Result{Args: protocol.List{4.5}}.Decode(&total))
	// Output:
	// A-17 [tea] 4.5 2 EUR
	// args[0]: 4.5 is not an integer
}

// Decode in a plain handler: the arguments' types are checked, and the
// caller learns what was wrong.
func ExampleInvocation_Decode() {
	greet := func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		var name string
		var times uint8
		if err := inv.Decode(&name, &times); err != nil {
			return client.Result{}, client.NewError("wamp.error.invalid_argument", protocol.List{err.Error()}, nil)
		}
		// Any Go value may go in a payload: here a struct.
		return client.Result{Args: protocol.List{struct {
			Greeting string `wamp:"greeting"`
			Times    uint8  `wamp:"times"`
		}{"Hello, " + name + "!", times}}}, nil
	}
	ctx := context.Background()
	res, _ := greet(ctx, &client.Invocation{Args: protocol.List{"Ada", int64(2)}})
	var out map[string]any
	_ = res.Decode(&out)
	fmt.Println(out["greeting"], out["times"])
	_, err := greet(ctx, &client.Invocation{Args: protocol.List{"Ada", int64(300)}})
	fmt.Println(err)
	// Output:
	// Hello, Ada! 2
	// wamp error wamp.error.invalid_argument: "args[1]: 300 overflows uint8"
}

// RegisterTyped registers a function of Go values in one line; CallTyped
// calls it with a struct and returns the struct it answered.
func ExampleRegisterTyped() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	callee, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	if _, err := client.RegisterTyped(ctx, callee, "com.example.add", add); err != nil {
		log.Fatal(err)
	}

	caller, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	sum, err := client.CallTyped[Sum](ctx, caller, "com.example.add", AddRequest{A: 2, B: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("2 + 3 =", sum.Total)

	// What travelled: kwargs {"a": 2, "b": 3}, answered with args [{"total": 5}].
	res, err := caller.Call(ctx, "com.example.add", nil, protocol.Dict{"a": 2, "b": 3}).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Args)
	// Output:
	// 2 + 3 = 5
	// [map[total:5]]
}

// CallTyped with a single value and a response that must be an integer:
// the callee's 2.5 is an error, not a silent 2.
func ExampleCallTyped() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	half := func(ctx context.Context, n int) (float64, error) { return float64(n) / 2, nil }
	if _, err := client.RegisterTyped(ctx, c, "com.example.half", half); err != nil {
		log.Fatal(err)
	}

	h, err := client.CallTyped[float64](ctx, c, "com.example.half", 5)
	fmt.Println(h, err)
	n, err := client.CallTyped[int](ctx, c, "com.example.half", 5)
	fmt.Println(n, err)
	// Output:
	// 2.5 <nil>
	// 0 args[0]: 2.5 is not an integer
}

// Temperature is an event's payload: as a struct, its keyword arguments.
type Temperature struct {
	Sensor  string  `wamp:"sensor"`
	Celsius float64 `wamp:"celsius"`
}

// SubscribeTyped hands each event to a function of its Go value;
// PublishTyped publishes one.
func ExampleSubscribeTyped() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	got := make(chan Temperature, 1)
	_, err = client.SubscribeTyped(ctx, c, "com.example.temperature", func(ctx context.Context, t Temperature) {
		got <- t
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.PublishTyped(ctx, c, "com.example.temperature", Temperature{Sensor: "hall", Celsius: 21.5},
		client.Acknowledge(), client.ExcludeMe(false))
	if err != nil {
		log.Fatal(err)
	}
	t := <-got
	fmt.Printf("%s: %.1f°C\n", t.Sensor, t.Celsius)
	// Output: hall: 21.5°C
}
