package codec

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"syscall"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/wampgo/wampgo/protocol"
)

func zzCPU() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func zzMeasure(fns map[string]func()) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	res := map[string][]float64{}
	names := slices.Sorted(func(y func(string) bool) {
		for k := range fns {
			if !y(k) {
				return
			}
		}
	})
	for range 21 {
		for _, n := range names {
			runtime.GC()
			s := zzCPU()
			for range 300 {
				fns[n]()
			}
			res[n] = append(res[n], float64(zzCPU()-s)/300)
		}
	}
	for _, n := range names {
		var r []float64
		for i := range res[n] {
			r = append(r, res[n][i]/res["default"][i])
		}
		slices.Sort(r)
		slices.Sort(res[n])
		fmt.Printf("%-12s %8.0f ns ratio to default %.2f (p25 %.2f p75 %.2f)\n", n, res[n][10], r[10], r[5], r[15])
	}
}

func TestZZ(t *testing.T) {
	recs := []any{}
	for i := range 32 {
		recs = append(recs, map[string]any{"id": int64(i), "name": "sensor", "value": 1.25, "ok": true, "tags": []any{"a", "b"}, "serial": uint64(1<<63 + 5)})
	}
	data, _ := CBOR().Encode(&protocol.Result{Request: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: []any{recs, int64(3)}}})
	lim := Limits{}.withDefaults()
	simple, _ := cbor.NewSimpleValueRegistryFromDefaults(rejectedSimple)
	base := cborDecOptions(lim, simple)
	variants := map[string]func(o *cbor.DecOptions){
		"ours":       func(o *cbor.DecOptions) {},
		"nomaptype":  func(o *cbor.DecOptions) { o.DefaultMapType = nil },
		"default":    func(o *cbor.DecOptions) { *o = cbor.DecOptions{} },
		"defaultmap": func(o *cbor.DecOptions) { *o = cbor.DecOptions{DefaultMapType: reflect.TypeFor[map[string]any]()} },
		"mapnodup":   func(o *cbor.DecOptions) { o.DefaultMapType = nil; o.DupMapKey = cbor.DupMapKeyQuiet },
	}
	fns := map[string]func(){}
	for name, fn := range variants {
		o := base
		fn(&o)
		dm, err := o.DecMode()
		if err != nil {
			t.Fatal(err)
		}
		fns[name] = func() {
			var v any
			if err := dm.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
		}
	}
	fns["zcodec"] = func() { CBOR().Decode(data) }
	o := base
	o.DefaultMapType = nil
	dm2, _ := o.DecMode()
	fns["zconv"] = func() {
		var v any
		if err := dm2.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		zzConv(v)
	}
	fns["zconvfrom"] = func() {
		var v any
		if err := dm2.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		protocol.FromList(zzConv(v).([]any))
	}
	zzMeasure(fns)
}

func zzConv(v any) any {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			v[i] = zzConv(e)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k.(string)] = zzConv(e)
		}
		return m
	}
	return v
}
