package wamptest

import "errors"

// ErrNoSession is returned by the fault injections for a session id the
// router does not serve (never joined, or already gone).
var ErrNoSession = errors.New("wamptest: no such session")

// ErrDropped is the error a connection ended by Drop reports on the
// client's side of an in-memory pipe (Client.Err wraps it).
var ErrDropped = errors.New("wamptest: connection dropped")

// ErrStopped is returned by Dial, and ends the connections Pipe returns,
// while the router is stopped (Stop) or after Close.
var ErrStopped = errors.New("wamptest: router stopped")
