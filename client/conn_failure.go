package client

import "fmt"

// connFailure is why a client has no session now: the lost session's end
// or the latest failed attempt to connect and join. It is written by the
// loop and the reconnector and read by callers' goroutines (to explain a
// wait that ended while not connected), so it is an atomic, not loop
// state.
type connFailure struct{ err error }

// setConnFailure records err as the reason there is no session; nil once
// a session is joined.
func (c *Client) setConnFailure(err error) {
	if err == nil {
		c.noSession.Store(nil)
		return
	}
	c.noSession.Store(&connFailure{err: err})
}

// whileNotConnected adds to err, the error of a wait that ended, the
// reason the client has no session, when it has none: a call held while
// the first connection is retried then ends with the dial failures behind
// it, not with a bare context error. Both stay reachable with errors.Is
// and errors.As.
func (c *Client) whileNotConnected(err error) error {
	f := c.noSession.Load()
	if f == nil || err == nil {
		return err
	}
	return fmt.Errorf("%w (not connected: %w)", err, f.err)
}
