package client

import "testing"

// localAddr decides where a ticket may travel without TLS: only to this
// machine. Names are not resolved.
func TestLocalAddr(t *testing.T) {
	for url, want := range map[string]bool{
		"ws://127.0.0.1:8080/ws":             true,
		"ws://127.8.9.10/ws":                 true,
		"rs://[::1]:8080":                    true,
		"ws://[::ffff:127.0.0.1]:80/":        true,
		"ws://localhost:8080/ws":             true,
		"ws://LOCALHOST./ws":                 true,
		"unix:///run/router.sock":            true,
		"ws://router.example.com/ws":         false,
		"ws://localhost.example.com/ws":      false,
		"ws://127.0.0.1.example.com/ws":      false,
		"tcp://10.0.0.1:8080":                false,
		"ws://[2001:db8::1]/ws":              false,
		"ws://0.0.0.0:8080/ws":               false,
		"ws://user@127.0.0.1@evil.example/x": false,
		"%zz":                                false,
	} {
		if got := localAddr(url); got != want {
			t.Errorf("localAddr(%q) = %v, want %v", url, got, want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"ws://alice:pw@host:1/ws?ticket=x#f": "ws://alice:xxxxx@host:1/ws",
		"wss://host/ws?":                     "wss://host/ws",
		"rs://host:1":                        "rs://host:1",
		"unix:///run/r.sock":                 "unix:///run/r.sock",
		"ws://host/%zz?t=1":                  "<unparsable URL>",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
