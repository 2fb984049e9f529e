package codec

import (
	"encoding/binary"
	"errors"
)

// The CBOR library builds the whole message before toClosedSet sees it, so
// the memory budget (Limits.MaxDecodedSize) is checked on the input before
// the library reads it: cborMemScan walks the data items' heads, charging
// what the library and toClosedSet will build for each. It checks nothing
// else: on malformed input it stops and leaves the report to the library.

// errCBORScanStop ends a scan of malformed input without an opinion.
var errCBORScanStop = errors.New("cbor scan: malformed")

// cborTagMem is charged per tag: the library's value for a tagged item
// (a big.Int, a time.Time) is boxed before toClosedSet replaces it.
const cborTagMem = 32

type cborMemScan struct {
	data      []byte
	off       int
	mem       memBudget
	maxDepth  int // of arrays and maps (Limits.MaxDepth)
	maxNested int // of arrays, maps and tags (the library's limit)
}

// cborCheckMem returns a DecodeError with ErrDecodedTooLarge if the
// message in data would cost more than budget bytes once decoded, or with
// ErrTooDeep if its arrays and maps nest deeper than maxDepth or, tags
// counted too, deeper than cborMaxNested(maxDepth); otherwise nil.
func cborCheckMem(data []byte, budget, maxDepth int) error {
	s := cborMemScan{data: data, mem: memBudget{budget}, maxDepth: maxDepth, maxNested: cborMaxNested(maxDepth)}
	err := s.item(0, 0)
	if err == nil || err == errCBORScanStop {
		return nil
	}
	return &DecodeError{Codec: "cbor", Offset: s.off, Err: err}
}

// head reads a data item's initial byte and argument; indef reports the
// additional information 31 (an indefinite length, or a break).
func (s *cborMemScan) head() (major byte, arg uint64, indef bool, err error) {
	if s.off >= len(s.data) {
		return 0, 0, false, errCBORScanStop
	}
	ib := s.data[s.off]
	s.off++
	major, ai := ib>>5, ib&0x1f
	n := 0
	switch {
	case ai < 24:
		return major, uint64(ai), false, nil
	case ai == 31:
		return major, 0, true, nil
	case ai > 27:
		return 0, 0, false, errCBORScanStop
	default:
		n = 1 << (ai - 24)
	}
	if len(s.data)-s.off < n {
		return 0, 0, false, errCBORScanStop
	}
	var buf [8]byte
	copy(buf[8-n:], s.data[s.off:s.off+n])
	s.off += n
	return major, binary.BigEndian.Uint64(buf[:]), false, nil
}

// left is how many bytes remain.
func (s *cborMemScan) left() uint64 { return uint64(len(s.data) - s.off) }

func (s *cborMemScan) charge(n int) error {
	if !s.mem.charge(n) {
		return ErrDecodedTooLarge
	}
	return nil
}

// item scans one data item whose container sits at nesting level depth
// (arrays and maps), nested (tags counted too).
func (s *cborMemScan) item(depth, nested int) error {
	major, arg, indef, err := s.head()
	if err != nil {
		return err
	}
	switch major {
	case 0, 1: // integers
		return s.charge(boxMem)
	case 2, 3: // byte and text strings
		base := binMem
		if major == 3 {
			base = strMem
		}
		if err := s.charge(base); err != nil {
			return err
		}
		if indef {
			return s.chunks(major)
		}
		return s.skip(arg)
	case 4: // arrays
		if depth+1 > s.maxDepth || nested+1 > s.maxNested {
			return ErrTooDeep
		}
		if indef {
			return s.indefinite(depth+1, nested+1, 1, 2*slotMem) // grown by appending
		}
		if arg > s.left() {
			return errCBORScanStop
		}
		if err := s.charge(listMemSize(int(arg))); err != nil {
			return err
		}
		return s.items(depth+1, nested+1, arg)
	case 5: // maps
		if depth+1 > s.maxDepth || nested+1 > s.maxNested {
			return ErrTooDeep
		}
		if indef {
			if err := s.charge(dictMemSize(dictMinSlots) - entryMem); err != nil {
				return err
			}
			return s.indefinite(depth+1, nested+1, 2, entryMem)
		}
		if arg > s.left()/2 {
			return errCBORScanStop
		}
		if err := s.charge(dictMemSize(int(arg))); err != nil {
			return err
		}
		return s.items(depth+1, nested+1, 2*arg)
	case 6: // tags
		if nested+1 > s.maxNested {
			return ErrTooDeep
		}
		if err := s.charge(cborTagMem); err != nil {
			return err
		}
		return s.item(depth, nested+1)
	}
	// 7: simple values and floats.
	if indef {
		return errCBORScanStop // a break out of place
	}
	if arg > 23 { // a float (ai 25-27; ai 24 is a one-byte simple value)
		return s.charge(boxMem)
	}
	return nil
}

// items scans n data items at nesting levels depth and nested.
func (s *cborMemScan) items(depth, nested int, n uint64) error {
	for range n {
		if err := s.item(depth, nested); err != nil {
			return err
		}
	}
	return nil
}

// indefinite scans the items of an indefinite-length array (per 1) or map
// (per 2) up to its break, charging each group of per items cost.
func (s *cborMemScan) indefinite(depth, nested, per, cost int) error {
	for {
		if s.off >= len(s.data) {
			return errCBORScanStop
		}
		if s.data[s.off] == 0xff {
			s.off++
			return nil
		}
		if err := s.charge(cost); err != nil {
			return err
		}
		for range per {
			if err := s.item(depth, nested); err != nil {
				return err
			}
		}
	}
}

// chunks skips the definite-length chunks of an indefinite-length string
// of the given major type, up to its break, charging their bytes.
func (s *cborMemScan) chunks(major byte) error {
	for {
		if s.off < len(s.data) && s.data[s.off] == 0xff {
			s.off++
			return nil
		}
		m, n, indef, err := s.head()
		if err != nil {
			return err
		}
		if m != major || indef {
			return errCBORScanStop
		}
		if err := s.skip(n); err != nil {
			return err
		}
	}
}

// skip passes n bytes of string content, charging them.
func (s *cborMemScan) skip(n uint64) error {
	if n > s.left() {
		return errCBORScanStop
	}
	s.off += int(n)
	return s.charge(int(n))
}
