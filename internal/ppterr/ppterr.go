// Package ppterr holds the errors of end-to-end payload encryption that
// package client and package client/e2ee share: client.ErrDecrypt and
// e2ee.ErrDecrypt are the same value, so that errors.Is matches either
// name, while client does not import e2ee (and its ciphers from
// golang.org/x/crypto). Only those two packages use it.
package ppterr

import "errors"

var (
	// Decrypt: a sealed payload failed authentication or names a key the
	// key ring does not hold.
	Decrypt = errors.New("e2ee: cannot decrypt payload")
	// UnknownKey: the key ring holds no key under the key id.
	UnknownKey = errors.New("e2ee: unknown key id")
	// UnknownCipher: a ppt_cipher that is not implemented.
	UnknownCipher = errors.New("e2ee: unknown cipher")
)
