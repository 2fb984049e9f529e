package client

// cmdWriter is a connection writer's report to the session loop, sent on
// the client's control channel (which the loop takes even while it takes
// no other command): room again in a full write queue (space), or a
// failure. It names its writer's queue: a report of a connection the loop
// has since given up is ignored.
type cmdWriter struct {
	out     *outbound
	space   bool
	failure writeFailure
}

func (*cmdWriter) isCommand() {}

// handleWriter takes a writer's report. Room in the queue needs nothing
// more: the loop takes commands again once its queue is not full.
func (s *loopState) handleWriter(c *cmdWriter) {
	if c.out != s.out || c.space {
		return
	}
	s.handleWriteFailure(c.failure)
}
