package client_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// End-to-end encryption: the caller and the callee hold the same key; the
// router forwards ciphertext it cannot read, and the callee's answer is
// encrypted with the call's key.
func ExampleEncrypted() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	key := e2ee.GenerateKey()    // in practice, given to the peers out of band
	ring := e2ee.NewKeyRing(key) // under key.ID(), the spec's derived key id

	callee, err := router.Connect(ctx, "realm1", client.WithKeyRing(ring))
	if err != nil {
		log.Fatal(err)
	}
	defer callee.Close(ctx)
	_, err = callee.Register(ctx, "com.example.greet", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		p, _ := client.PassthruOf(inv.Details)
		fmt.Println("callee got", inv.Args, "sealed with", p.Cipher)
		return client.Result{Args: protocol.List{fmt.Sprint("hello, ", inv.Args[0])}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	caller, err := router.Connect(ctx, "realm1", client.WithKeyRing(ring))
	if err != nil {
		log.Fatal(err)
	}
	defer caller.Close(ctx)
	res, err := caller.Call(ctx, "com.example.greet", protocol.List{"alice"}, nil,
		client.Encrypted(e2ee.AES256GCM, key.ID())).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("caller got", res.Args)

	// What the router saw of the caller's session.
	for _, rec := range router.Log(caller.Session().ID).PassthruPayloads() {
		fmt.Println(rec.Dir, rec.Type, "plaintext visible:", bytes.Contains(rec.Payload, []byte("alice")))
	}
	// Output:
	// callee got [alice] sealed with aes256gcm
	// caller got [hello, alice]
	// client→router CALL plaintext visible: false
	// router→client RESULT plaintext visible: false
}
