package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/codec"
)

// globals holds the flags every command takes. Secrets are kept here only
// until options turns them into authenticators, which never print them.
type globals struct {
	url, realm, serializer string
	authid                 string
	ticket, ticketFile     string
	secret, secretFile     string
	password, passwordFile string
	privateKey             string
	timeout                time.Duration
	tlsCA                  string
	insecure, verbose      bool

	// log is the --verbose logger that connect makes (nil without
	// --verbose).
	log *slog.Logger
}

// defaultTimeout bounds joining and one-shot commands when --timeout is not
// given.
const defaultTimeout = 30 * time.Second

// register declares the global flags on fs. Every command's flag set has
// them too, so that they may follow COMMAND; both sets write the same
// fields.
func (g *globals) register(fs *flag.FlagSet) {
	fs.Var(strFlag{&g.url, false}, "url", "router `URL`s, comma-separated: ws, wss, rs, rss, tcp, tcps, unix (env WAMPGO_URL)")
	fs.Var(strFlag{&g.realm, false}, "realm", "`REALM` to join (env WAMPGO_REALM; default realm1)")
	fs.Var(strFlag{&g.serializer, false}, "serializer", "serializer `NAME`: json, msgpack or cbor (env WAMPGO_SERIALIZER; default: offer all)")
	fs.Var(strFlag{&g.authid, false}, "authid", "authentication `ID` (env WAMPGO_AUTHID)")
	fs.Var(strFlag{&g.ticket, true}, "ticket", "ticket authentication `T` (env WAMPGO_TICKET)")
	fs.Var(strFlag{&g.ticketFile, false}, "ticket-file", "read the ticket from `FILE`")
	fs.Var(strFlag{&g.secret, true}, "secret", "WAMP-CRA secret `S` (env WAMPGO_SECRET)")
	fs.Var(strFlag{&g.secretFile, false}, "secret-file", "read the WAMP-CRA secret from `FILE`")
	fs.Var(strFlag{&g.password, true}, "password", "WAMP-SCRAM password `P` (env WAMPGO_PASSWORD)")
	fs.Var(strFlag{&g.passwordFile, false}, "password-file", "read the WAMP-SCRAM password from `FILE`")
	fs.Var(strFlag{&g.privateKey, false}, "private-key", "WAMP-Cryptosign private key `FILE` (env WAMPGO_PRIVATE_KEY)")
	fs.Var(durFlag{&g.timeout}, "timeout", "bound `D` on joining and on each one-shot command (default 30s)")
	fs.Var(strFlag{&g.tlsCA, false}, "tls-ca", "PEM `FILE` of certificates to trust for TLS")
	fs.Var(boolFlag{&g.insecure}, "insecure", "do not verify the router's TLS certificate")
	fs.Var(boolFlag{&g.verbose}, "verbose", "log the session and its traffic to stderr")
}

// strFlag, durFlag and boolFlag are flag.Values that, unlike the flag
// package's own, leave their variable alone when declared: the root flag
// set and a command's both declare the global flags over the same fields.
// A secret strFlag never prints its value (flag uses String for defaults).
type (
	strFlag struct {
		p      *string
		secret bool
	}
	durFlag  struct{ p *time.Duration }
	boolFlag struct{ p *bool }
)

func (f strFlag) String() string {
	if f.p == nil || f.secret {
		return ""
	}
	return *f.p
}
func (f strFlag) Set(s string) error { *f.p = s; return nil }

func (f durFlag) String() string { return "" }
func (f durFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("want a positive duration such as 5s")
	}
	*f.p = d
	return nil
}

func (f boolFlag) String() string   { return "" }
func (f boolFlag) IsBoolFlag() bool { return true }
func (f boolFlag) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	*f.p = b
	return nil
}

// fromEnv fills what the flags left empty from the environment.
func (g *globals) fromEnv() {
	for _, f := range []struct {
		dst  *string
		env  string
		file string // a --X-file flag that takes precedence over the env
	}{
		{&g.url, "WAMPGO_URL", ""}, {&g.realm, "WAMPGO_REALM", ""}, {&g.serializer, "WAMPGO_SERIALIZER", ""},
		{&g.authid, "WAMPGO_AUTHID", ""}, {&g.ticket, "WAMPGO_TICKET", g.ticketFile},
		{&g.secret, "WAMPGO_SECRET", g.secretFile}, {&g.password, "WAMPGO_PASSWORD", g.passwordFile},
		{&g.privateKey, "WAMPGO_PRIVATE_KEY", ""},
	} {
		if *f.dst == "" && f.file == "" {
			*f.dst = os.Getenv(f.env)
		}
	}
	if g.realm == "" {
		g.realm = "realm1"
	}
}

// urls returns the router URLs, in the order to try them.
func (g *globals) urls() ([]string, error) {
	var urls []string
	for u := range strings.SplitSeq(g.url, ",") {
		if u = strings.TrimSpace(u); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 {
		return nil, usageErrorf("no router: give --url or set WAMPGO_URL")
	}
	return urls, nil
}

// options turns the flags into client options. Its errors are usage errors
// and never quote a secret.
func (g *globals) options() ([]client.Option, error) {
	var opts []client.Option
	if g.serializer != "" {
		c, ok := codec.ByName(g.serializer)
		if !ok {
			return nil, usageErrorf("--serializer %q: want json, msgpack or cbor", g.serializer)
		}
		opts = append(opts, client.WithSerializers(c))
	}
	a, err := g.authenticator()
	if err != nil {
		return nil, err
	}
	if a != nil {
		opts = append(opts, client.WithAuth(g.authid, a))
	} else if g.authid != "" {
		return nil, usageErrorf("--authid needs one of --ticket, --secret, --private-key, --password")
	}
	if g.tlsCA != "" || g.insecure {
		cfg := &tls.Config{InsecureSkipVerify: g.insecure} //nolint:gosec // asked for with --insecure
		if g.tlsCA != "" {
			pem, err := os.ReadFile(g.tlsCA)
			if err != nil {
				return nil, usageErrorf("--tls-ca: %v", err)
			}
			cfg.RootCAs = x509.NewCertPool()
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				return nil, usageErrorf("--tls-ca %s: no PEM certificate found", g.tlsCA)
			}
		}
		opts = append(opts, client.WithTLSConfig(cfg))
	}
	return opts, nil
}

// authenticator returns the one authentication method the flags name, or
// nil for an anonymous session.
func (g *globals) authenticator() (auth.Authenticator, error) {
	ticket, err := secretFrom("ticket", g.ticket, g.ticketFile)
	if err != nil {
		return nil, err
	}
	secret, err := secretFrom("secret", g.secret, g.secretFile)
	if err != nil {
		return nil, err
	}
	password, err := secretFrom("password", g.password, g.passwordFile)
	if err != nil {
		return nil, err
	}
	var methods []auth.Authenticator
	if ticket != "" {
		methods = append(methods, auth.Ticket(ticket))
	}
	if secret != "" {
		methods = append(methods, auth.WAMPCRA(secret))
	}
	if password != "" {
		methods = append(methods, auth.SCRAM(password))
	}
	if g.privateKey != "" {
		a, err := auth.CryptosignFromFile(g.privateKey)
		if err != nil {
			// The error names the file and what is wrong with it, never
			// the key.
			return nil, usageErrorf("--private-key: %v", err)
		}
		methods = append(methods, a)
	}
	switch len(methods) {
	case 0:
		return nil, nil
	case 1:
		return methods[0], nil
	}
	return nil, usageErrorf("give only one of --ticket, --secret, --private-key, --password")
}

// secretFrom returns the secret given directly or, when file is set, the
// file's content without its trailing line break.
func secretFrom(name, direct, file string) (string, error) {
	if file == "" {
		return direct, nil
	}
	if direct != "" {
		return "", usageErrorf("give --%s or --%s-file, not both", name, name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", usageErrorf("--%s-file: %v", name, err)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", usageErrorf("--%s-file %s is empty", name, file)
	}
	return s, nil
}

// usageError is a mistake in the command line: exit status 2. A quiet one
// was already printed (by package flag).
type usageError struct {
	msg   string
	quiet bool
}

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}
