package mailbox

import "fmt"

// PanicError reports a handler that panicked. The mailbox recovers, reports
// it through the OnPanic function given to New, and goes on with the next
// item.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("mailbox: handler panic: %v", e.Value) }
