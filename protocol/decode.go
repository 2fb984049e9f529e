package protocol

import (
	"fmt"
	"math"
)

// arity holds the minimum and maximum length of each message's list form,
// type code included.
var arity = map[MessageType][2]int{
	TypeHello:        {3, 3},
	TypeWelcome:      {3, 3},
	TypeAbort:        {3, 5},
	TypeChallenge:    {3, 3},
	TypeAuthenticate: {3, 3},
	TypeGoodbye:      {3, 3},
	TypeError:        {5, 7},
	TypePublish:      {4, 6},
	TypePublished:    {3, 3},
	TypeSubscribe:    {4, 4},
	TypeSubscribed:   {3, 3},
	TypeUnsubscribe:  {3, 3},
	TypeUnsubscribed: {2, 3},
	TypeEvent:        {4, 6},
	TypeCall:         {4, 6},
	TypeCancel:       {3, 3},
	TypeResult:       {3, 5},
	TypeRegister:     {4, 4},
	TypeRegistered:   {3, 3},
	TypeUnregister:   {3, 3},
	TypeUnregistered: {2, 3},
	TypeInvocation:   {4, 6},
	TypeInterrupt:    {3, 3},
	TypeYield:        {3, 5},
}

// arityTable is arity indexed by type code, for the decode path; a known
// type's entry is never {0, 0}.
var arityTable = func() (t [maxType + 1][2]int) {
	for mt, a := range arity {
		t[mt] = a
	}
	return t
}()

// decode parses the structure of l: its type code, its arity and the Go
// types of its elements. Value rules (id ranges, URIs, options) are left to
// Validate. It also returns the payload passthru mode it read from the
// message's Options or Details, or passthruUnknown when it did not need it.
func decode(l List) (Message, passthruMode, error) {
	if len(l) == 0 {
		return nil, passthruUnknown, invalid(0, "", "empty message")
	}
	neg, code, ok := intValue(l[0])
	if !ok {
		return nil, passthruUnknown, invalid(0, "", "message type must be an integer, got "+describe(l[0]))
	}
	if neg || code > math.MaxInt32 {
		return nil, passthruUnknown, invalid(0, "", "unknown message type "+describe(l[0])[len("integer "):])
	}
	t := MessageType(code)
	if !t.Known() {
		return nil, passthruUnknown, invalid(t, "", fmt.Sprintf("unknown message type %d", code))
	}
	if a := arityTable[t]; len(l) < a[0] || len(l) > a[1] {
		want := fmt.Sprint(a[0])
		if a[1] != a[0] {
			want = fmt.Sprintf("%d to %d", a[0], a[1])
		}
		return nil, passthruUnknown, invalid(t, "", fmt.Sprintf("has %d elements, want %s", len(l), want))
	}
	d := &decoder{t: t, l: l, mode: passthruUnknown}
	m := d.message()
	if d.err != nil {
		return nil, passthruUnknown, d.err
	}
	return m, d.mode, nil
}

func (d *decoder) message() Message {
	switch d.t {
	case TypeHello:
		return &Hello{Realm: d.str(1, "Realm"), Details: d.dict(2, "Details")}
	case TypeWelcome:
		return &Welcome{Session: d.id(1, "Session"), Details: d.dict(2, "Details")}
	case TypeAbort:
		m := &Abort{Details: d.dict(1, "Details"), Reason: d.str(2, "Reason")}
		m.Payload = d.payload(3, m.Details)
		return m
	case TypeChallenge:
		return &Challenge{AuthMethod: d.str(1, "AuthMethod"), Extra: d.dict(2, "Extra")}
	case TypeAuthenticate:
		return &Authenticate{Signature: d.str(1, "Signature"), Extra: d.dict(2, "Extra")}
	case TypeGoodbye:
		return &Goodbye{Details: d.dict(1, "Details"), Reason: d.str(2, "Reason")}
	case TypeError:
		m := &Error{RequestType: d.msgType(1, "RequestType"), Request: d.id(2, "Request"),
			Details: d.dict(3, "Details"), Error: d.str(4, "Error")}
		m.Payload = d.payload(5, m.Details)
		return m
	case TypePublish:
		m := &Publish{Request: d.id(1, "Request"), Options: d.dict(2, "Options"), Topic: d.str(3, "Topic")}
		m.Payload = d.payload(4, m.Options)
		return m
	case TypePublished:
		return &Published{Request: d.id(1, "Request"), Publication: d.id(2, "Publication")}
	case TypeSubscribe:
		return &Subscribe{Request: d.id(1, "Request"), Options: d.dict(2, "Options"), Topic: d.str(3, "Topic")}
	case TypeSubscribed:
		return &Subscribed{Request: d.id(1, "Request"), Subscription: d.id(2, "Subscription")}
	case TypeUnsubscribe:
		return &Unsubscribe{Request: d.id(1, "Request"), Subscription: d.id(2, "Subscription")}
	case TypeUnsubscribed:
		m := &Unsubscribed{Request: d.id(1, "Request")}
		if len(d.l) > 2 {
			m.Details = d.dict(2, "Details")
			if m.Request != 0 && len(m.Details) == 0 {
				m.Details = nil // tolerated: [UNSUBSCRIBED, Request, {}]
			}
		}
		return m
	case TypeEvent:
		m := &Event{Subscription: d.id(1, "Subscription"), Publication: d.id(2, "Publication"),
			Details: d.dict(3, "Details")}
		m.Payload = d.payload(4, m.Details)
		return m
	case TypeCall:
		m := &Call{Request: d.id(1, "Request"), Options: d.dict(2, "Options"), Procedure: d.str(3, "Procedure")}
		m.Payload = d.payload(4, m.Options)
		return m
	case TypeCancel:
		return &Cancel{Request: d.id(1, "Request"), Options: d.dict(2, "Options")}
	case TypeResult:
		m := &Result{Request: d.id(1, "Request"), Details: d.dict(2, "Details")}
		m.Payload = d.payload(3, m.Details)
		return m
	case TypeRegister:
		return &Register{Request: d.id(1, "Request"), Options: d.dict(2, "Options"), Procedure: d.str(3, "Procedure")}
	case TypeRegistered:
		return &Registered{Request: d.id(1, "Request"), Registration: d.id(2, "Registration")}
	case TypeUnregister:
		return &Unregister{Request: d.id(1, "Request"), Registration: d.id(2, "Registration")}
	case TypeUnregistered:
		m := &Unregistered{Request: d.id(1, "Request")}
		if len(d.l) > 2 {
			m.Details = d.dict(2, "Details")
			if m.Request != 0 && len(m.Details) == 0 {
				m.Details = nil // tolerated: [UNREGISTERED, Request, {}]
			}
		}
		return m
	case TypeInvocation:
		m := &Invocation{Request: d.id(1, "Request"), Registration: d.id(2, "Registration"),
			Details: d.dict(3, "Details")}
		m.Payload = d.payload(4, m.Details)
		return m
	case TypeInterrupt:
		return &Interrupt{Request: d.id(1, "Request"), Options: d.dict(2, "Options")}
	case TypeYield:
		m := &Yield{Request: d.id(1, "Request"), Options: d.dict(2, "Options")}
		m.Payload = d.payload(3, m.Options)
		return m
	}
	panic("protocol: decode of unhandled known type " + d.t.String())
}

// decoder reads the elements of one message's list form, keeping the first
// error it meets.
type decoder struct {
	t    MessageType
	l    List
	err  *ValidationError
	mode passthruMode // set by payload; passthruUnknown until then
}

func (d *decoder) fail(field, reason string) {
	if d.err == nil {
		d.err = invalid(d.t, field, reason)
	}
}

// id reads a non-negative integer, or a float64 with such a value (see
// AsID); Validate checks its range.
func (d *decoder) id(i int, field string) ID {
	neg, mag, ok := idNumber(d.l[i])
	if !ok || neg {
		d.fail(field, idReason(d.l[i]))
		return 0
	}
	return mag
}

func (d *decoder) msgType(i int, field string) MessageType {
	neg, mag, ok := intValue(d.l[i])
	if !ok || neg || mag > math.MaxInt32 {
		d.fail(field, "must be a message type code, got "+describe(d.l[i]))
		return 0
	}
	return MessageType(mag)
}

func (d *decoder) str(i int, field string) string {
	s, ok := d.l[i].(string)
	if !ok {
		d.fail(field, "must be a string, got "+describe(d.l[i]))
	}
	return s
}

func (d *decoder) dict(i int, field string) Dict {
	m, ok := d.l[i].(map[string]any)
	if !ok {
		d.fail(field, "must be a dict, got "+describe(d.l[i]))
		return nil
	}
	if m == nil {
		m = Dict{}
	}
	return m
}

// payload reads Arguments and ArgumentsKw from positions i and i+1, if
// present. dict is the message's Options or Details, which select payload
// passthru mode.
func (d *decoder) payload(i int, dict Dict) Payload {
	var p Payload
	if i >= len(d.l) {
		return p
	}
	mode := passthruModeOf(dict)
	d.mode = mode
	if mode == passthruNone {
		switch a := d.l[i].(type) {
		case nil:
		case []any:
			if len(a) > 0 {
				p.Args = a
			}
		default:
			d.fail("Arguments", "must be a list, got "+describe(a))
		}
		if i+1 < len(d.l) {
			switch kw := d.l[i+1].(type) {
			case nil:
			case map[string]any:
				if len(kw) > 0 {
					p.Kwargs = kw
				}
			default:
				d.fail("ArgumentsKw", "must be a dict, got "+describe(kw))
			}
		}
		return p
	}

	var ok bool
	switch a := d.l[i].(type) {
	case nil:
		ok = true
	case []byte, string:
		p.Payload, ok = binary(a)
	case []any:
		if mode == passthruWrapped {
			switch len(a) {
			case 0:
				ok = true
			case 1:
				p.Payload, ok = binary(a[0])
			}
		}
	}
	if !ok {
		d.fail("Arguments", "must be one binary payload in payload passthru mode, got "+describe(d.l[i]))
	}
	if i+1 < len(d.l) {
		switch kw := d.l[i+1].(type) {
		case nil:
		case map[string]any:
			if len(kw) > 0 {
				d.fail("ArgumentsKw", "must be absent or empty in payload passthru mode")
			}
		default:
			d.fail("ArgumentsKw", "must be absent or empty in payload passthru mode, got "+describe(kw))
		}
	}
	return p
}

// binary reads a passthru payload: binary, or a string taken as its bytes.
func binary(v any) ([]byte, bool) {
	switch b := v.(type) {
	case []byte:
		if b == nil {
			b = []byte{}
		}
		return b, true
	case string:
		return append([]byte{}, b...), true
	}
	return nil, false
}
