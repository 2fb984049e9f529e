package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/wampgo/wampgo/client"
)

// report prints err on w and returns the exit status it stands for (see
// doc.go): 1 for an ERROR from the router or a peer, printed as its URI
// and payload; 2 for a usage error; 3 when the router could not be reached
// or joined, or the session was lost.
func report(err error, w io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		if !ue.quiet {
			fmt.Fprintf(w, "wampgo: %s\n", ue.msg)
		}
		return exitUsage
	}
	var ce *connError
	if errors.As(err, &ce) || errors.Is(err, client.ErrAuthentication) {
		fmt.Fprintf(w, "wampgo: %v\n", err)
		return exitConn
	}
	var we *client.Error
	if errors.As(err, &we) {
		fmt.Fprintf(w, "wampgo: ERROR %s", we.URI)
		if len(we.Args) > 0 || len(we.Kwargs) > 0 {
			fmt.Fprintf(w, " %s", jsonLine(payloadLine(we.Args, we.Kwargs, nil)))
		}
		fmt.Fprintln(w)
		return exitWAMP
	}
	if errors.Is(err, client.ErrInvalidArgument) {
		fmt.Fprintf(w, "wampgo: %v\n", err)
		return exitUsage
	}
	if errors.Is(err, client.ErrClosed) || errors.Is(err, client.ErrSessionLost) {
		fmt.Fprintf(w, "wampgo: %v\n", err)
		return exitConn
	}
	// Anything else (a local cancel or timeout, a feature the router
	// lacks, a meta result shaped unlike the spec) is a failed operation.
	fmt.Fprintf(w, "wampgo: %v\n", err)
	return exitWAMP
}
