package protocol

// encode builds the list form of a message that Validate accepted.
func encode(msg Message) List {
	t := int64(msg.Type())
	switch m := msg.(type) {
	case *Hello:
		return List{t, m.Realm, dictOrEmpty(m.Details)}
	case *Welcome:
		return List{t, int64(m.Session), dictOrEmpty(m.Details)}
	case *Abort:
		return appendPayload(payloadList(t, dictOrEmpty(m.Details), m.Reason), m.Payload, m.Details)
	case *Challenge:
		return List{t, m.AuthMethod, dictOrEmpty(m.Extra)}
	case *Authenticate:
		return List{t, m.Signature, dictOrEmpty(m.Extra)}
	case *Goodbye:
		return List{t, dictOrEmpty(m.Details), m.Reason}
	case *Error:
		l := payloadList(t, int64(m.RequestType), int64(m.Request), dictOrEmpty(m.Details), m.Error)
		return appendPayload(l, m.Payload, m.Details)
	case *Publish:
		l := payloadList(t, int64(m.Request), dictOrEmpty(m.Options), m.Topic)
		return appendPayload(l, m.Payload, m.Options)
	case *Published:
		return List{t, int64(m.Request), int64(m.Publication)}
	case *Subscribe:
		return List{t, int64(m.Request), dictOrEmpty(m.Options), m.Topic}
	case *Subscribed:
		return List{t, int64(m.Request), int64(m.Subscription)}
	case *Unsubscribe:
		return List{t, int64(m.Request), int64(m.Subscription)}
	case *Unsubscribed:
		if m.Request == 0 {
			return List{t, int64(0), dictOrEmpty(m.Details)}
		}
		return List{t, int64(m.Request)}
	case *Event:
		l := payloadList(t, int64(m.Subscription), int64(m.Publication), dictOrEmpty(m.Details))
		return appendPayload(l, m.Payload, m.Details)
	case *Call:
		l := payloadList(t, int64(m.Request), dictOrEmpty(m.Options), m.Procedure)
		return appendPayload(l, m.Payload, m.Options)
	case *Cancel:
		return List{t, int64(m.Request), dictOrEmpty(m.Options)}
	case *Result:
		return appendPayload(payloadList(t, int64(m.Request), dictOrEmpty(m.Details)), m.Payload, m.Details)
	case *Register:
		return List{t, int64(m.Request), dictOrEmpty(m.Options), m.Procedure}
	case *Registered:
		return List{t, int64(m.Request), int64(m.Registration)}
	case *Unregister:
		return List{t, int64(m.Request), int64(m.Registration)}
	case *Unregistered:
		if m.Request == 0 {
			return List{t, int64(0), dictOrEmpty(m.Details)}
		}
		return List{t, int64(m.Request)}
	case *Invocation:
		l := payloadList(t, int64(m.Request), int64(m.Registration), dictOrEmpty(m.Details))
		return appendPayload(l, m.Payload, m.Details)
	case *Interrupt:
		return List{t, int64(m.Request), dictOrEmpty(m.Options)}
	case *Yield:
		return appendPayload(payloadList(t, int64(m.Request), dictOrEmpty(m.Options)), m.Payload, m.Options)
	}
	panic("protocol: encode of unvalidated message " + msg.Type().String())
}

// payloadList returns a list of the given head elements with room for the
// two payload elements, so appendPayload does not reallocate.
func payloadList(head ...any) List {
	return append(make(List, 0, len(head)+2), head...)
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

// appendPayload appends the shortest list form of p; dict is the message's
// Options or Details, which select the payload passthru form.
func appendPayload(l List, p Payload, dict Dict) List {
	switch {
	case p.Payload != nil:
		if passthruModeOf(dict) == passthruWrapped {
			return append(l, List{p.Payload})
		}
		return append(l, p.Payload)
	case len(p.Kwargs) > 0:
		args := p.Args
		if args == nil {
			args = List{}
		}
		return append(l, args, p.Kwargs)
	case len(p.Args) > 0:
		return append(l, p.Args)
	}
	return l
}
