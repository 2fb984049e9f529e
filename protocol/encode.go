package protocol

// ListWriter receives the list form of a message from WriteList, element
// by element, so that a serializer can write it without building the list
// (and boxing its integers and strings). The calls come in list order:
// BeginList first, with the number of elements, then one call per element.
// A ListWriter records its own errors; WriteList does not look.
type ListWriter interface {
	// BeginList starts the message's list of n elements.
	BeginList(n int)
	// Int writes the type code or an id.
	Int(v int64)
	// String writes a URI or another string field.
	String(s string)
	// Dict writes Options, Details or Extra, or ArgumentsKw.
	Dict(d Dict)
	// List writes Arguments.
	List(l List)
	// Bytes writes a passthru payload (Payload.Payload) in the Arguments
	// position, bare.
	Bytes(b []byte)
}

// WriteList validates msg (see Validate) and hands its list form, as
// ToList would return it, to w element by element. It returns the
// *ValidationError found, if any, before w is called.
func WriteList(msg Message, w ListWriter) error {
	if err := Validate(msg); err != nil {
		return err
	}
	walk(msg, w)
	return nil
}

// encode builds the list form of a message that Validate accepted.
func encode(msg Message) List {
	var b listBuilder
	walk(msg, &b)
	return b.l
}

// listBuilder is the ListWriter that builds the list.
type listBuilder struct{ l List }

func (b *listBuilder) BeginList(n int) { b.l = make(List, 0, n) }
func (b *listBuilder) Int(v int64)     { b.l = append(b.l, v) }
func (b *listBuilder) String(s string) { b.l = append(b.l, s) }
func (b *listBuilder) Dict(d Dict)     { b.l = append(b.l, d) }
func (b *listBuilder) List(l List)     { b.l = append(b.l, l) }
func (b *listBuilder) Bytes(p []byte)  { b.l = append(b.l, p) }

// walk hands the list form of a message that Validate accepted to w.
func walk(msg Message, w ListWriter) {
	t := int64(msg.Type())
	switch m := msg.(type) {
	case *Hello:
		w.BeginList(3)
		w.Int(t)
		w.String(m.Realm)
		w.Dict(dictOrEmpty(m.Details))
	case *Welcome:
		w.BeginList(3)
		w.Int(t)
		w.Int(int64(m.Session))
		w.Dict(dictOrEmpty(m.Details))
	case *Abort:
		w.BeginList(3 + payloadLen(m.Payload))
		w.Int(t)
		w.Dict(dictOrEmpty(m.Details))
		w.String(m.Reason)
		writePayload(w, m.Payload, m.Details)
	case *Challenge:
		w.BeginList(3)
		w.Int(t)
		w.String(m.AuthMethod)
		w.Dict(dictOrEmpty(m.Extra))
	case *Authenticate:
		w.BeginList(3)
		w.Int(t)
		w.String(m.Signature)
		w.Dict(dictOrEmpty(m.Extra))
	case *Goodbye:
		w.BeginList(3)
		w.Int(t)
		w.Dict(dictOrEmpty(m.Details))
		w.String(m.Reason)
	case *Error:
		w.BeginList(5 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.RequestType))
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Details))
		w.String(m.Error)
		writePayload(w, m.Payload, m.Details)
	case *Publish:
		w.BeginList(4 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
		w.String(m.Topic)
		writePayload(w, m.Payload, m.Options)
	case *Published:
		writeInts(w, t, int64(m.Request), int64(m.Publication))
	case *Subscribe:
		w.BeginList(4)
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
		w.String(m.Topic)
	case *Subscribed:
		writeInts(w, t, int64(m.Request), int64(m.Subscription))
	case *Unsubscribe:
		writeInts(w, t, int64(m.Request), int64(m.Subscription))
	case *Unsubscribed:
		writeUnlisted(w, t, m.Request, m.Details)
	case *Event:
		w.BeginList(4 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.Subscription))
		w.Int(int64(m.Publication))
		w.Dict(dictOrEmpty(m.Details))
		writePayload(w, m.Payload, m.Details)
	case *Call:
		w.BeginList(4 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
		w.String(m.Procedure)
		writePayload(w, m.Payload, m.Options)
	case *Cancel:
		w.BeginList(3)
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
	case *Result:
		w.BeginList(3 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Details))
		writePayload(w, m.Payload, m.Details)
	case *Register:
		w.BeginList(4)
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
		w.String(m.Procedure)
	case *Registered:
		writeInts(w, t, int64(m.Request), int64(m.Registration))
	case *Unregister:
		writeInts(w, t, int64(m.Request), int64(m.Registration))
	case *Unregistered:
		writeUnlisted(w, t, m.Request, m.Details)
	case *Invocation:
		w.BeginList(4 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.Request))
		w.Int(int64(m.Registration))
		w.Dict(dictOrEmpty(m.Details))
		writePayload(w, m.Payload, m.Details)
	case *Interrupt:
		w.BeginList(3)
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
	case *Yield:
		w.BeginList(3 + payloadLen(m.Payload))
		w.Int(t)
		w.Int(int64(m.Request))
		w.Dict(dictOrEmpty(m.Options))
		writePayload(w, m.Payload, m.Options)
	default:
		panic("protocol: encode of unvalidated message " + msg.Type().String())
	}
}

// writeInts writes a list of three integers.
func writeInts(w ListWriter, a, b, c int64) {
	w.BeginList(3)
	w.Int(a)
	w.Int(b)
	w.Int(c)
}

// writeUnlisted writes UNSUBSCRIBED or UNREGISTERED: [t, req] answering a
// request, [t, 0, details] when the router revokes.
func writeUnlisted(w ListWriter, t int64, req ID, details Dict) {
	if req == 0 {
		w.BeginList(3)
		w.Int(t)
		w.Int(0)
		w.Dict(dictOrEmpty(details))
		return
	}
	w.BeginList(2)
	w.Int(t)
	w.Int(int64(req))
}

func dictOrEmpty(d Dict) Dict {
	if d == nil {
		return emptyDict
	}
	return d
}

// emptyDict stands in for nil dicts in list forms. It is shared: nothing
// may add to it (codecs only read lists).
var emptyDict = Dict{}

// payloadLen is the number of elements of the shortest list form of p.
func payloadLen(p Payload) int {
	switch {
	case p.Payload != nil:
		return 1
	case len(p.Kwargs) > 0:
		return 2
	case len(p.Args) > 0:
		return 1
	}
	return 0
}

// writePayload writes the shortest list form of p (payloadLen elements);
// dict is the message's Options or Details, which select the payload
// passthru form.
func writePayload(w ListWriter, p Payload, dict Dict) {
	switch {
	case p.Payload != nil:
		if passthruModeOf(dict) == passthruWrapped {
			w.List(List{p.Payload})
			return
		}
		w.Bytes(p.Payload)
	case len(p.Kwargs) > 0:
		args := p.Args
		if args == nil {
			args = List{}
		}
		w.List(args)
		w.Dict(p.Kwargs)
	case len(p.Args) > 0:
		w.List(p.Args)
	}
}
