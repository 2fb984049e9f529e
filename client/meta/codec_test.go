package meta_test

import (
	"slices"
	"testing"

	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Ids survive every serializer's integer types on their way through
// payloads.
func TestIDsOverEveryCodec(t *testing.T) {
	for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		t.Run(cd.Name(), func(t *testing.T) {
			r := wamptest.NewTestRouter(t, wamptest.WithPipeCodec(cd))
			a, b := r.Client(t, "realm1"), r.Client(t, "realm1")
			ctx := ctxT(t)
			ids, err := meta.SessionList(ctx, a)
			want := []protocol.ID{a.Session().ID, b.Session().ID}
			slices.Sort(want)
			if slices.Sort(ids); err != nil || !slices.Equal(ids, want) {
				t.Fatalf("SessionList = %v, %v; want %v", ids, err, want)
			}
			s, err := meta.GetSession(ctx, a, b.Session().ID)
			if err != nil || s.ID != b.Session().ID {
				t.Fatalf("GetSession = %+v, %v", s, err)
			}
			reg, err := b.Register(ctx, "com.example.p", nop)
			if err != nil {
				t.Fatal(err)
			}
			if id, ok, err := meta.MatchRegistration(ctx, a, "com.example.p"); err != nil || !ok || id != reg.ID() {
				t.Errorf("MatchRegistration = %d, %v, %v; want %d", id, ok, err, reg.ID())
			}
		})
	}
}
