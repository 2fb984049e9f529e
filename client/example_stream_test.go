package client_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// Upload a file: CallStream sends the file's bytes as progressive call
// inputs; the callee reads them from in and answers with what it stored.
func ExampleClient_CallStream() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()
	dir, err := os.MkdirTemp("", "upload")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	storage, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer storage.Close(ctx)
	_, err = storage.RegisterStream(ctx, "com.example.upload", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		f, err := os.Create(filepath.Join(dir, "stored"))
		if err != nil {
			return client.Result{}, err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, h), in)
		if err != nil {
			return client.Result{}, err
		}
		return client.Result{Args: protocol.List{n, fmt.Sprintf("%x", h.Sum(nil)[:4])}}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	src := filepath.Join(dir, "report.txt")
	if err := os.WriteFile(src, []byte(strings.Repeat("all work and no play\n", 10000)), 0o600); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open(src)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()

	uploader, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer uploader.Close(ctx)
	res, err := uploader.CallStream(ctx, "com.example.upload", f).Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stored", res.Args[0], "bytes, sha256", res.Args[1])
	// Output: stored 210000 bytes, sha256 bbb45d0e
}

// Download a file: a plain call with ReceiveProgress, read with Reader;
// the callee writes the file to out.
func ExampleCall_Reader() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()
	dir, err := os.MkdirTemp("", "download")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "big.log"), []byte(strings.Repeat("line\n", 100000)), 0o600); err != nil {
		log.Fatal(err)
	}

	server, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close(ctx)
	_, err = server.RegisterStream(ctx, "com.example.download", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		var name string
		if err := inv.Decode(&name); err != nil {
			return client.Result{}, err
		}
		f, err := os.Open(filepath.Join(dir, filepath.Base(name)))
		if err != nil {
			return client.Result{}, client.NewError("com.example.no_such_file", protocol.List{name}, nil)
		}
		defer f.Close()
		_, err = io.Copy(out, f)
		return client.Result{}, err
	})
	if err != nil {
		log.Fatal(err)
	}

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	dst, err := os.Create(filepath.Join(dir, "copy.log"))
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()
	call := c.Call(ctx, "com.example.download", protocol.List{"big.log"}, nil, client.ReceiveProgress())
	n, err := io.Copy(dst, call.Reader())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("downloaded", n, "bytes")

	_, err = io.Copy(io.Discard, c.Call(ctx, "com.example.download", protocol.List{"missing"}, nil, client.ReceiveProgress()).Reader())
	fmt.Println(err)
	// Output:
	// downloaded 500000 bytes
	// wamp error com.example.no_such_file: "missing"
}

// Row is one row of a query's result.
type Row struct {
	ID    int    `wamp:"id"`
	Title string `wamp:"title"`
}

// Query asks for Limit rows.
type Query struct {
	Limit int `wamp:"limit"`
}

// Summary is the final value of the stream.
type Summary struct {
	Sent int `wamp:"sent"`
}

// A typed stream of rows: the handler sends each Row as a progressive
// result; the caller ranges over them, then reads the Summary.
func ExampleCallTypedStream() {
	ctx := context.Background()
	router := wamptest.NewRouter()
	defer router.Close()

	db, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close(ctx)
	_, err = client.RegisterTypedStream(ctx, db, "com.example.rows", func(ctx context.Context, q Query, send func(Row) error) (Summary, error) {
		for i := 1; i <= q.Limit; i++ {
			if err := send(Row{ID: i, Title: fmt.Sprint("row ", i)}); err != nil {
				return Summary{}, err
			}
		}
		return Summary{Sent: q.Limit}, nil
	})
	if err != nil {
		log.Fatal(err)
	}

	c, err := router.Connect(ctx, "realm1")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close(ctx)
	rows := client.CallTypedStream[Row, Summary](ctx, c, "com.example.rows", Query{Limit: 3})
	for row, err := range rows.Items() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(row.ID, row.Title)
	}
	sum, err := rows.Result(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent", sum.Sent)
	// Output:
	// 1 row 1
	// 2 row 2
	// 3 row 3
	// sent 3
}
