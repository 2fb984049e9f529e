// Package govalue holds the rules by which Go values map onto the payload
// values of package protocol that both directions share: which struct
// fields become which dict entries (Fields), and how a path to a value
// inside a payload is written (KeyStep, IndexStep, RootPath).
//
// codec.Normalize (Go value to payload value) and client/payload's Decode
// (payload value to Go value) both follow them, so that a struct encodes
// to the dict it decodes from and errors of either name a value the same
// way.
//
// The package starts no goroutines; its only state is a cache of struct
// layouts, and every function is safe for concurrent use.
package govalue
