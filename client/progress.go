package client

import "github.com/wampgo/wampgo/mailbox"

// progressQueue is a call's queue of progressive results: a mailbox feed
// (package mailbox) that hands them to Results in order, bounded by
// ProgressBuffer and ProgressQueueLimits, the result Results holds
// included, then the final result, after which Results is closed. Its
// feeder goroutine exists only while results wait for the reader.
//
// push, finish and discard are called by the session loop only.
type progressQueue struct {
	mb    *mailbox.Mailbox[Result]
	space <-chan struct{} // signalled when the reader took a result
	none  bool            // ProgressBuffer(0) under Drop: every progressive result is dropped
}

// newProgressQueue makes call's queue, feeding call.results (one slot),
// which its feeder closes.
func newProgressQueue(call *Call) *progressQueue {
	cfg := &call.cfg
	lim := cfg.progressLimits.mailbox()
	buffer := max(cfg.progressBuffer, 0)
	if cfg.progressOverflow == Block {
		more := lim.MaxMessages
		if more <= 0 {
			more = mailbox.DefaultMaxMessages
		}
		lim.MaxMessages = buffer + more
	} else {
		lim.MaxMessages = buffer
	}
	mb := mailbox.NewFeed(&call.c.handlers, lim, cfg.progressOverflow.mailbox(), call.results, call.c.base.Done())
	return &progressQueue{mb: mb, space: mb.Space(), none: buffer == 0 && cfg.progressOverflow != Block}
}

// push queues a progressive result of size bytes (messageSize), or
// reports false when the queue is at its bounds.
func (q *progressQueue) push(res Result, size int) bool {
	return !q.none && q.mb.TryPut(res, size)
}

// finish queues the final result, behind the progressive ones; Results
// is closed after it.
func (q *progressQueue) finish(res Result) { q.mb.Finish(res) }

// discard gives up the queue of a call its caller gave up (canceled or
// timed out): the progressive results still queued, the one waiting in
// Results and any that still come are discarded, and the final result
// that finish then queues takes their place in Results, which is then
// closed. The feeder ends at once, whether or not anyone reads Results.
func (q *progressQueue) discard() { q.mb.Abandon() }
