package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// stdio is the command's standard streams, so that tests may run it in
// process too.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// Exit statuses (see doc.go).
const (
	exitOK    = 0
	exitWAMP  = 1
	exitUsage = 2
	exitConn  = 3
)

// command is one subcommand: its name, a one-line synopsis for the usage
// text, and the function that runs it with the arguments after its name.
type command struct {
	name     string
	synopsis string
	run      func(ctx context.Context, g *globals, args []string, io stdio) error
}

var commands = []command{
	{"call", "PROC [ARG...] [-k KEY=VALUE ...] [--stdin]", runCall},
	{"publish", "TOPIC [ARG...] [-k KEY=VALUE ...] [--acknowledge]", runPublish},
	{"subscribe", "TOPIC [--count N] [--match prefix|wildcard]", runSubscribe},
	{"register", "PROC (--echo | -- COMMAND [ARG...]) [--concurrency N] [--match prefix|wildcard]", runRegister},
	{"meta", "sessions|registrations|subscriptions|session ID", runMeta},
	{"probe", "", runProbe},
}

// run is the whole program: it parses args, runs the command and returns
// the exit status, having printed any error on io.err.
func run(ctx context.Context, args []string, io stdio) int {
	g := &globals{timeout: defaultTimeout}
	fs := flag.NewFlagSet("wampgo", flag.ContinueOnError)
	fs.SetOutput(io.err)
	g.register(fs)
	fs.Usage = func() { usage(io.err, fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 {
		usage(io.err, fs)
		return exitUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	for _, c := range commands {
		if c.name == name {
			return report(c.run(ctx, g, rest, io), io.err)
		}
	}
	fmt.Fprintf(io.err, "wampgo: unknown command %q\n", name)
	usage(io.err, fs)
	return exitUsage
}

func usage(w io.Writer, fs *flag.FlagSet) {
	var b strings.Builder
	b.WriteString("usage: wampgo [global flags] COMMAND [args]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %s\n", strings.TrimSpace("wampgo "+c.name+" "+c.synopsis))
	}
	b.WriteString("\nglobal flags (also accepted after COMMAND):\n")
	fmt.Fprint(w, b.String())
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, "\nexit status: 0 success, 1 WAMP error, 2 usage, 3 connection or authentication failure\n")
}
