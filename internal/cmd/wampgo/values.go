package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// binaryMarker starts a string that stands for binary data: the marker,
// then the data in standard base64 (the convention of WAMP's JSON
// serializer, basic/serializations.md).
const binaryMarker = "\x00"

// parseValue reads a command-line argument: JSON when it parses as one JSON
// value, else the text itself as a string. JSON numbers become int64 when
// integral (uint64 above math.MaxInt64), else float64; a JSON string made of
// binaryMarker and base64 becomes binary.
func parseValue(s string) any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return s
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return s // more than one JSON value: text
	}
	return fromJSON(v)
}

// fromJSON converts what encoding/json decoded (with UseNumber) into the
// value set of package protocol.
func fromJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(string(v), 10, 64); err == nil {
			return u
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return string(v) // out of float64's range: keep the text
		}
		return f
	case string:
		if rest, ok := strings.CutPrefix(v, binaryMarker); ok {
			if b, err := base64.StdEncoding.DecodeString(rest); err == nil {
				return b
			}
		}
		return v
	case []any:
		for i := range v {
			v[i] = fromJSON(v[i])
		}
		return v
	case map[string]any:
		for k := range v {
			v[k] = fromJSON(v[k])
		}
		return v
	}
	return v // nil, bool
}

// parseArgs reads each positional argument with parseValue.
func parseArgs(ss []string) protocol.List {
	if len(ss) == 0 {
		return nil
	}
	args := make(protocol.List, len(ss))
	for i, s := range ss {
		args[i] = parseValue(s)
	}
	return args
}

// kwargsFlag collects -k KEY=VALUE flags; VALUE is read with parseValue.
type kwargsFlag struct{ d protocol.Dict }

func (f *kwargsFlag) String() string { return "" }
func (f *kwargsFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE")
	}
	if f.d == nil {
		f.d = protocol.Dict{}
	}
	f.d[k] = parseValue(v)
	return nil
}

// line is one object of output: a result, an event or an invocation.
type line struct {
	Procedure protocol.URI   `json:"procedure,omitempty"`
	Args      []any          `json:"args,omitempty"`
	Kwargs    map[string]any `json:"kwargs,omitempty"`
	Details   map[string]any `json:"details,omitempty"`
}

// payloadLine makes the output line of a payload.
func payloadLine(args protocol.List, kwargs, details protocol.Dict) line {
	l := line{}
	if len(args) > 0 {
		l.Args = toJSON(args).([]any)
	}
	if len(kwargs) > 0 {
		l.Kwargs = toJSON(kwargs).(map[string]any)
	}
	if len(details) > 0 {
		l.Details = toJSON(details).(map[string]any)
	}
	return l
}

// toJSON returns a copy of a payload value that encoding/json can write:
// binary becomes binaryMarker and base64, NaN and ±Inf become the strings
// "NaN", "Infinity" and "-Infinity". It never modifies v, which the client
// may share between handlers.
func toJSON(v any) any {
	switch v := v.(type) {
	case []byte:
		return binaryMarker + base64.StdEncoding.EncodeToString(v)
	case float64:
		switch {
		case math.IsNaN(v):
			return "NaN"
		case math.IsInf(v, 1):
			return "Infinity"
		case math.IsInf(v, -1):
			return "-Infinity"
		}
		return v
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = toJSON(v[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = toJSON(e)
		}
		return out
	}
	return v
}

// jsonLine encodes v as one line of JSON, without the trailing newline and
// without escaping <, > and &.
func jsonLine(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Unreachable for values passed through toJSON; say so rather
		// than print nothing.
		return strconv.Quote(fmt.Sprintf("unprintable value: %v", err))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// printLine writes v as one line of JSON to w.
func printLine(w io.Writer, v any) error {
	_, err := io.WriteString(w, jsonLine(v)+"\n")
	return err
}
