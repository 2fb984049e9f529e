package meta

import (
	"errors"
	"math"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

func TestDecodeID(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want protocol.ID
		ok   bool
	}{
		{int64(1), 1, true},
		{uint64(protocol.MaxID), protocol.MaxID, true},
		{int(42), 42, true},
		{uint8(7), 7, true},
		{float64(1 << 40), 1 << 40, true},
		{int64(0), 0, false},
		{int64(-1), 0, false},
		{uint64(protocol.MaxID + 1), 0, false},
		{2.5, 0, false},
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{"1", 0, false},
		{nil, 0, false},
	} {
		d := decoder{uri: "x"}
		got := d.id("args[0]", tc.in)
		if got != tc.want || (d.err == nil) != tc.ok {
			t.Errorf("id(%T %v) = %d, %v; want %d, ok %v", tc.in, tc.in, got, d.err, tc.want, tc.ok)
		}
	}
}

func TestDecodeErrorsNamePath(t *testing.T) {
	d := decoder{uri: ProcSessionGet}
	s := d.session("args[0]", protocol.Dict{"session": int64(5), "authid": 3})
	var pe *PayloadError
	if !errors.As(d.err, &pe) || !errors.Is(d.err, ErrBadPayload) || pe.Path != "args[0].authid" || pe.URI != ProcSessionGet {
		t.Fatalf("err = %v (%+v)", d.err, pe)
	}
	if s.ID != 5 {
		t.Errorf("ID = %d", s.ID)
	}
	d = decoder{uri: ProcSessionList}
	d.ids("args[0]", protocol.List{int64(1), "two"})
	if !errors.As(d.err, &pe) || pe.Path != "args[0][1]" {
		t.Errorf("err = %v", d.err)
	}
	d = decoder{uri: ProcSessionCount}
	d.count("args[0]", d.arg(nil, 0))
	if !errors.As(d.err, &pe) || pe.Path != "args[0]" || pe.Reason != "missing" {
		t.Errorf("err = %v", d.err)
	}
	d = decoder{uri: ProcRegistrationGet}
	d.registration("args[0]", protocol.Dict{"id": int64(1), "created": "yesterday"})
	if !errors.As(d.err, &pe) || pe.Path != "args[0].created" {
		t.Errorf("err = %v", d.err)
	}
	d = decoder{uri: ProcRegistrationList}
	d.idLists("args[0]", protocol.Dict{"exact": "no"})
	if !errors.As(d.err, &pe) || pe.Path != "args[0].exact" {
		t.Errorf("err = %v", d.err)
	}
}
