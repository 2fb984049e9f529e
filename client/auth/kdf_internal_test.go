package auth

import (
	"bytes"
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// pbkdf2Key, written to watch its context, gives the keys of the standard
// library's PBKDF2 for every key length, one block or several.
func TestPBKDF2KeyMatchesStandardLibrary(t *testing.T) {
	for _, tc := range []struct{ iterations, keylen int }{
		{1, 32}, {2, 1}, {1000, 20}, {4096, 32}, {5000, 33}, {8193, 64},
	} {
		want, err := pbkdf2.Key(sha256.New, "pencil", []byte("NaCl"), tc.iterations, tc.keylen)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pbkdf2Key(context.Background(), []byte("pencil"), []byte("NaCl"), tc.iterations, tc.keylen)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("iterations %d keylen %d: %x, %v; want %x", tc.iterations, tc.keylen, got, err, want)
		}
	}
}

// A derivation the router made costly ends with the context: PBKDF2 stops
// (2^31 iterations would take about twenty minutes).
func TestPBKDF2KeyStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := pbkdf2Key(ctx, []byte("pw"), []byte("salt"), 1<<31-1, 32)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("returned after %v", d)
	}
}

// Argon2id cannot be interrupted: argon2Key returns with the context and
// the abandoned derivation ends on its own, its goroutine with it.
func TestArgon2KeyAbandonedWithContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	// 24 passes over 64 MiB: seconds of work, even on a fast machine.
	_, err := argon2Key(ctx, []byte("pw"), []byte("saltsalt"), 24, 64*1024)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("returned after %v", d)
	}
	waitForAbandonedArgon2(t)
}

// waitForAbandonedArgon2 waits up to two minutes for every Argon2id
// derivation to end, so that goleak finds no goroutine left.
func waitForAbandonedArgon2(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if !strings.Contains(string(buf[:n]), "golang.org/x/crypto/argon2.") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("an abandoned Argon2id derivation is still running")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestKDFLimitsTotalCostAndFloors(t *testing.T) {
	cra, scram := KDFLimits{}.withDefaults(1000), KDFLimits{}.withDefaults(4096)
	var ce *KDFCostError
	for _, tc := range []struct {
		name  string
		err   error
		param string // "" when accepted
	}{
		{"pbkdf2 at the floor", cra.checkPBKDF2("wampcra", 1000, 32), ""},
		{"pbkdf2 below the floor", cra.checkPBKDF2("wampcra", 999, 32), "iterations"},
		{"pbkdf2 at the cap", cra.checkPBKDF2("wampcra", DefaultMaxPBKDF2Cost, 32), ""},
		{"pbkdf2 one block over the cap", cra.checkPBKDF2("wampcra", DefaultMaxPBKDF2Cost+1, 32), "iterations"},
		{"pbkdf2 keylen doubles the cost", cra.checkPBKDF2("wampcra", DefaultMaxPBKDF2Cost/2+1, 33), "cost"},
		{"pbkdf2 two blocks within the cap", cra.checkPBKDF2("wampcra", DefaultMaxPBKDF2Cost/2, 64), ""},
		{"scram pbkdf2 below RFC 7677", scram.checkPBKDF2("wamp-scram", 4095, 32), "iterations"},
		{"argon2 at the floor", scram.checkArgon2("wamp-scram", 2, 19*1024), ""},
		{"argon2 one pass", scram.checkArgon2("wamp-scram", 1, 64*1024), "iterations"},
		{"argon2 below 19 MiB", scram.checkArgon2("wamp-scram", 4, 19*1024-1), "memory"},
		{"argon2 above 64 MiB", scram.checkArgon2("wamp-scram", 2, 64*1024+1), "memory"},
		{"argon2 at the total cap", scram.checkArgon2("wamp-scram", 2, 64*1024), ""},
		{"argon2 over the total cap", scram.checkArgon2("wamp-scram", 3, 64*1024), "cost"},
		{"argon2 many passes", scram.checkArgon2("wamp-scram", 64, 19*1024), "cost"},
	} {
		switch {
		case tc.param == "" && tc.err != nil:
			t.Errorf("%s: %v", tc.name, tc.err)
		case tc.param != "" && (!errors.As(tc.err, &ce) || ce.Param != tc.param || !errors.Is(tc.err, ErrBadChallenge)):
			t.Errorf("%s: %v, want a *KDFCostError on %s", tc.name, tc.err, tc.param)
		}
	}
}
