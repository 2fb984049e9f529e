// Package ppterr holds the errors of end-to-end payload encryption that
// package client and package client/e2ee share: client.ErrDecrypt and
// e2ee.ErrDecrypt are the same value, so that errors.Is matches either
// name, while client does not import e2ee (and its ciphers from
// golang.org/x/crypto). Only those two packages use it.
package ppterr

import "errors"

var (
	// ErrDecrypt: a sealed payload failed authentication or names a key the
	// key ring does not hold.
	ErrDecrypt = errors.New("e2ee: cannot decrypt payload")
	// ErrUnknownKey: the key ring holds no key under the key id.
	ErrUnknownKey = errors.New("e2ee: unknown key id")
	// ErrUnknownCipher: a ppt_cipher that is not implemented.
	ErrUnknownCipher = errors.New("e2ee: unknown cipher")
)
