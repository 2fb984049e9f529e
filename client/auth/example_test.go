package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/client/wamptest"
)

// Authenticate with WAMP-SCRAM, falling back to a ticket, and tell a
// refusal apart from other failures. The router here is the test kit's,
// which knows alice by her password; a real one is dialed the same way.
func Example() {
	ctx := context.Background()
	router := wamptest.NewRouter(wamptest.WithoutAnonymous(),
		wamptest.WithUser(wamptest.User{AuthID: "alice", AuthRole: "admin", Password: "s3cret"}))
	defer router.Close()
	ws := router.ListenWebSocket()

	join := func(password string) (*client.Client, error) {
		return client.Dial(ctx, ws.URL(), "realm1",
			client.WithAuth("alice",
				auth.SCRAM(password),
				auth.TicketFunc(func(ctx context.Context) (string, error) { return fetchToken(ctx) }),
			))
	}
	c, err := join("s3cret")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("joined as", c.Session().AuthID, c.Session().AuthRole, "with", c.Session().AuthMethod)
	c.Close(ctx)

	_, err = join("guess")
	var abort *client.AbortError
	switch {
	case errors.As(err, &abort) && errors.Is(err, client.ErrAuthentication):
		fmt.Println("refused by the router:", abort.Reason)
	case err != nil:
		log.Fatal(err)
	}
	// Output:
	// joined as alice admin with wamp-scram
	// refused by the router: wamp.error.authentication_failed
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
