package client

import (
	"context"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// command is what callers send to the session loop. Each concrete type is
// handled by one method of loopState, chosen by a type switch in
// handleCommand; every command that carries a reply channel is answered
// exactly once.
type command interface{ isCommand() }

// A command that carries a message carries it without its payload: the
// caller encoded that (payload), and the writer splices it in.

type cmdCall struct {
	ctx     context.Context // the caller's: its end cancels the call
	call    *Call
	msg     *protocol.Call
	payload encoded
}

type cmdCallInput struct {
	call    *Call
	payload encoded
	final   bool
	reply   actor.Reply[error]
}

type cmdCancelCall struct {
	call    *Call
	watch   *ctxWatch // instead of call: the context of every call in watch ended (call_watch.go)
	timeout bool      // true for the local call timeout, false for ctx's end
	cause   error
	// unanswered: a CANCEL in kill mode went unanswered for
	// killAnswerWait; the call completes as in killnowait.
	unanswered bool
}

type cmdPublish struct {
	ctx     context.Context
	msg     *protocol.Publish
	payload encoded
	ack     bool
	reply   actor.Reply[publishReply]
}

type publishReply struct {
	publication protocol.ID
	err         error
}

type cmdSubscribe struct {
	ctx     context.Context
	sub     *Subscription
	msg     *protocol.Subscribe
	checked *connInfo // the connection the caller checked msg for
	reply   actor.Reply[error]
}

type cmdUnsubscribe struct {
	topic protocol.URI
	ids   []protocol.ID
	sub   *Subscription // when set: remove only this handler
	reply actor.Reply[error]
}

type cmdRegister struct {
	ctx     context.Context
	reg     *Registration
	msg     *protocol.Register
	checked *connInfo // the connection the caller checked msg for
	reply   actor.Reply[error]
}

type cmdUnregister struct {
	procedure protocol.URI
	ids       []protocol.ID
	reg       *Registration // when set: remove only this registration
	reply     actor.Reply[error]
}

// cmdYield carries an invocation's outcome: a YIELD's payload, or the
// ERROR for err (its URI and encoded payload).
type cmdYield struct {
	inv      *Invocation
	payload  encoded
	err      *Error // the ERROR to send instead of a YIELD; its Args and Kwargs are in payload
	progress bool
	reply    actor.Reply[error] // nil for the final yield
}

type cmdGoodbye struct {
	msg *protocol.Goodbye
}

func (*cmdCall) isCommand()        {}
func (*cmdCallInput) isCommand()   {}
func (*cmdCancelCall) isCommand()  {}
func (*cmdPublish) isCommand()     {}
func (*cmdSubscribe) isCommand()   {}
func (*cmdUnsubscribe) isCommand() {}
func (*cmdRegister) isCommand()    {}
func (*cmdUnregister) isCommand()  {}
func (*cmdYield) isCommand()       {}
func (*cmdGoodbye) isCommand()     {}
