// Package soak holds the soak test behind `make soak`: a long, bounded run
// against the real router that checks delivery accounting, heap and
// goroutines. It is built only with the "soak" tag, so `make test` and CI
// do not run it.
package soak
