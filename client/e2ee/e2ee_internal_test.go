package e2ee

import "testing"

// The checksummed addresses of EIP-55's own examples.
func TestEIP55Vectors(t *testing.T) {
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		var addr [20]byte
		for i := range addr {
			addr[i] = unhex(want[2+2*i])<<4 | unhex(want[3+2*i])
		}
		if got := eip55(addr[:]); got != want {
			t.Errorf("eip55 = %s, want %s", got, want)
		}
	}
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
