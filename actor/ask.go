package actor

import "context"

// Reply is a one-shot reply channel with a buffer of one, so the actor can
// answer without blocking even if the asker has gone away.
type Reply[R any] chan R

// NewReply returns a reply channel ready to be put in a command.
func NewReply[R any]() Reply[R] { return make(Reply[R], 1) }

// Ask sends the command built by mk (which embeds the reply channel it is
// given) and waits for the actor's answer. It returns ctx's error if ctx
// ends first and ErrStopped if the actor ends first. The actor must answer
// every command it takes exactly once, with a send that cannot block (the
// buffer of one guarantees that).
func Ask[C, R any](ctx context.Context, a *Actor[C], mk func(Reply[R]) C) (R, error) {
	var zero R
	reply := NewReply[R]()
	if err := a.Send(ctx, mk(reply)); err != nil {
		return zero, err
	}
	select {
	case r := <-reply:
		return r, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	case <-a.Done():
		// The actor may have answered just before ending.
		select {
		case r := <-reply:
			return r, nil
		default:
			return zero, ErrStopped
		}
	}
}
