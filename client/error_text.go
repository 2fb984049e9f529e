package client

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wampgo/wampgo/protocol"
)

// maxErrorText bounds the payload part of an *Error's text: a peer's
// arguments may be large, and an error's text ends up in logs.
const maxErrorText = 1024

// writePayloadText writes args and kwargs for an error's text in a JSON-like
// form: strings quoted, lists in brackets, dicts in braces with their keys
// sorted, binary as its length. Nothing the peer sent is written raw, so no
// control character or line break reaches a log. The text stops, marked
// with "…", after about maxErrorText bytes.
func writePayloadText(b *strings.Builder, args protocol.List, kwargs protocol.Dict) {
	start := b.Len()
	for i, a := range args {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		writeValueText(b, a, start)
	}
	if len(kwargs) > 0 {
		b.WriteByte(' ')
		writeValueText(b, kwargs, start)
	}
	if b.Len()-start > maxErrorText {
		full, cut := b.String(), start+maxErrorText
		for cut > start && !utf8.RuneStart(full[cut]) {
			cut-- // not inside a rune
		}
		b.Reset()
		b.WriteString(full[:cut])
		b.WriteString("…")
	}
}

// writeValueText writes one value; it stops descending once the text
// since start is over maxErrorText.
func writeValueText(b *strings.Builder, v any, start int) {
	if b.Len()-start > maxErrorText {
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(strconv.Quote(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case []byte:
		fmt.Fprintf(b, "<%d bytes>", len(x))
	case protocol.List:
		writeListText(b, x, start)
	case protocol.Dict:
		writeDictText(b, x, start)
	default:
		b.WriteString(quoteIfUnprintable(fmt.Sprint(x)))
	}
}

func writeListText(b *strings.Builder, l []any, start int) {
	b.WriteByte('[')
	for i, e := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		writeValueText(b, e, start)
	}
	b.WriteByte(']')
}

func writeDictText(b *strings.Builder, d map[string]any, start int) {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(k))
		b.WriteString(": ")
		writeValueText(b, d[k], start)
	}
	b.WriteByte('}')
}

// quoteIfUnprintable returns s, or s quoted if it holds a character that
// is not printable (a control character, a line break).
func quoteIfUnprintable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
