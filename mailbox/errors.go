package mailbox

import "github.com/wampgo/wampgo/actor"

// PanicError reports a handler that panicked. The mailbox recovers, reports
// it through the OnPanic function given to New, and goes on with the next
// item. It is actor.PanicError: one panic type for the building blocks
// (package client hands its users a *client.HandlerPanicError instead).
type PanicError = actor.PanicError
