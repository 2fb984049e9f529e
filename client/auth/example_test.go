package auth_test

import (
	"context"
	"errors"
	"log"
	"os"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
)

// Authenticate with WAMP-SCRAM, falling back to a ticket, and tell a
// refusal apart from other failures.
func Example() {
	ctx := context.Background()
	c, err := client.Dial(ctx, "wss://router.example.com/ws", "realm1",
		client.WithAuth("alice",
			auth.SCRAM(os.Getenv("ALICE_PASSWORD"), auth.BindChannel(auth.TLSExporter)),
			auth.TicketFunc(func(ctx context.Context) (string, error) { return fetchToken(ctx) }),
		))
	var abort *client.AbortError
	switch {
	case errors.As(err, &abort) && errors.Is(err, client.ErrAuthentication):
		log.Fatalf("refused by the router: %s %s", abort.Reason, abort.Message())
	case err != nil:
		log.Fatal(err)
	}
	defer c.Close(ctx)
	log.Printf("joined as %s (%s) with %s", c.Session().AuthID, c.Session().AuthRole, c.Session().AuthMethod)
}

// Authenticate with WAMP-Cryptosign, the key read from an OpenSSH key file
// that may be protected by a passphrase; the router identifies the client
// by its public key.
func ExampleCryptosignFromFile() {
	a, err := auth.CryptosignFromFile(os.ExpandEnv("$HOME/.ssh/id_ed25519"),
		auth.KeyPassphrase([]byte(os.Getenv("KEY_PASSPHRASE"))))
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("register this public key with the router: %s", auth.CryptosignPublicKey(a))
	c, err := client.Dial(context.Background(), "wss://router.example.com/ws", "realm1", client.WithAuth("", a))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(context.Background())
}

func fetchToken(context.Context) (string, error) { return "token", nil }
