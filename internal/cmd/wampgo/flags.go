package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
)

// newFlagSet returns a command's flag set, with the global flags declared
// on it too.
func newFlagSet(name, synopsis string, g *globals, io stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("wampgo "+name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	g.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(io.err, "usage: wampgo %s %s\n\nflags (global ones too):\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags wherever they appear among the positional
// arguments, which it returns in order. A "-" alone and a negative JSON
// number such as -1 or -2.5 are positional. "--" ends the flags: what
// follows it is returned as tail, untouched, with dashed true.
func parseInterleaved(fs *flag.FlagSet, args []string) (pos, tail []string, dashed bool, err error) {
	for {
		for len(args) > 0 && !isFlag(args[0]) {
			pos, args = append(pos, args[0]), args[1:]
		}
		if len(args) == 0 {
			return pos, nil, false, nil
		}
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, false, err
			}
			return nil, nil, false, &usageError{quiet: true, msg: err.Error()}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return pos, rest, true, nil
		}
		args = rest
	}
}

// isFlag reports whether s is a flag, not a positional argument.
func isFlag(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err != nil
}
