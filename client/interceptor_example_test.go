package client_test

import (
	"context"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// dictCarrier lets OpenTelemetry's propagators read and write a WAMP
// Options or Details dict. Each field travels under "_" + its name (the
// W3C "traceparent" as "_traceparent"): the spec's form for
// implementation-specific keys, which routers may forward.
type dictCarrier protocol.Dict

func (d dictCarrier) Get(key string) string { s, _ := d["_"+key].(string); return s }
func (d dictCarrier) Set(key, value string) { d["_"+key] = value }
func (d dictCarrier) Keys() []string {
	var keys []string
	for k := range d {
		if name, ok := strings.CutPrefix(k, "_"); ok {
			keys = append(keys, name)
		}
	}
	return keys
}

// tracing returns an interceptor that traces outgoing calls (client spans)
// and incoming invocations (server spans), carrying the W3C trace context
// in CALL.Options so that the callee's span continues the caller's trace.
func tracing(tp trace.TracerProvider) client.Interceptor {
	tracer := tp.Tracer("github.com/wampgo/wampgo/client")
	prop := propagation.TraceContext{}
	return client.Interceptor{
		Call: func(next client.CallFunc) client.CallFunc {
			return func(ctx context.Context, procedure protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...client.CallOption) *client.Call {
				ctx, span := tracer.Start(ctx, "call "+procedure, trace.WithSpanKind(trace.SpanKindClient))
				headers := protocol.Dict{}
				prop.Inject(ctx, dictCarrier(headers))
				start := time.Now()
				call := next(ctx, procedure, args, kwargs, append(opts, client.RawOptions(headers))...)
				call.AfterDone(func(res client.Result) { // the span ends with the call
					span.SetAttributes(attribute.Int64("wamp.call.duration_us", time.Since(start).Microseconds()))
					if res.Err != nil {
						span.SetStatus(codes.Error, res.Err.Error())
					} else {
						span.SetStatus(codes.Ok, "")
					}
					span.End()
				})
				return call
			}
		},
		Invocation: func(next client.Handler) client.Handler {
			return func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
				ctx = prop.Extract(ctx, dictCarrier(inv.Details))
				ctx, span := tracer.Start(ctx, "invocation "+inv.Procedure, trace.WithSpanKind(trace.SpanKindServer))
				defer span.End()
				res, err := next(ctx, inv)
				if err != nil {
					span.SetStatus(codes.Error, err.Error())
				}
				return res, err
			}
		},
	}
}

func ExampleWithInterceptors_openTelemetry() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()
	// Spans are recorded in memory here; a real service exports them.
	spans := tracetest.NewSpanRecorder()
	ended := make(chan sdktrace.ReadOnlySpan, 8)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans),
		sdktrace.WithSpanProcessor(clientSpanEnds(ended)))
	defer tp.Shutdown(ctx)

	callee, err := client.Connect(ctx, router.Pipe(), "realm1", client.WithInterceptors(tracing(tp)))
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.echo", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		// The handler's context carries the invocation's span.
		fmt.Println("handler traced:", trace.SpanFromContext(ctx).SpanContext().IsValid())
		return client.Result{Args: inv.Args}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := client.Connect(ctx, router.Pipe(), "realm1", client.WithInterceptors(tracing(tp)))
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	// A call's span ends in AfterDone, just after the call completes.
	printEnded := func() {
		s := <-ended
		fmt.Printf("%s: status %s, duration recorded: %v\n", s.Name(), s.Status().Code,
			slices.ContainsFunc(s.Attributes(), func(kv attribute.KeyValue) bool { return kv.Key == "wamp.call.duration_us" }))
	}
	if _, err := caller.Call(ctx, "com.example.echo", protocol.List{"hi"}, nil).Await(ctx); err != nil {
		log.Fatal(err)
	}
	printEnded()
	if _, err := caller.Call(ctx, "com.example.missing", nil, nil).Await(ctx); err == nil {
		log.Fatal("a call to a missing procedure succeeded")
	}
	printEnded()

	started := spans.Started()
	i := slices.IndexFunc(started, func(s sdktrace.ReadWriteSpan) bool { return s.Name() == "call com.example.echo" })
	j := slices.IndexFunc(started, func(s sdktrace.ReadWriteSpan) bool { return s.Name() == "invocation com.example.echo" })
	callSpan, invSpan := started[i], started[j]
	fmt.Println("same trace:", invSpan.SpanContext().TraceID() == callSpan.SpanContext().TraceID())
	fmt.Println("child of the call:", invSpan.Parent().SpanID() == callSpan.SpanContext().SpanID())
	// Output:
	// handler traced: true
	// call com.example.echo: status Ok, duration recorded: true
	// call com.example.missing: status Error, duration recorded: true
	// same trace: true
	// child of the call: true
}

// clientSpanEnds is a span processor that passes each ended client span
// to ch, so that the example can wait for it.
type clientSpanEnds chan<- sdktrace.ReadOnlySpan

func (ch clientSpanEnds) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (ch clientSpanEnds) OnEnd(s sdktrace.ReadOnlySpan) {
	if s.SpanKind() == trace.SpanKindClient {
		ch <- s
	}
}
func (ch clientSpanEnds) Shutdown(context.Context) error   { return nil }
func (ch clientSpanEnds) ForceFlush(context.Context) error { return nil }
