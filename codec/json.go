package codec

// jsonFormat is WAMP's JSON serializer ("wamp.2.json", text frames), with
// the binary convention of the spec: a []byte travels as a string holding
// U+0000 followed by its standard base64 encoding.
type jsonFormat struct{}

func (jsonFormat) name() string        { return "json" }
func (jsonFormat) subprotocol() string { return "wamp.2.json" }
func (jsonFormat) binary() bool        { return false }
