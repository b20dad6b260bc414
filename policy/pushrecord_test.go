package policy

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets/memstore"
)

// A record is completed only by the push that marked it in flight; a push
// overtaken by another's marker deletes the record instead, so that no
// record claims a secret the destination may not hold.
func TestPushRecordBracket(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := func(fp, nonce string) pushRecord { return pushRecord{Fingerprint: fp, Nonce: nonce, At: at} }
	book := func() (*recordBook, *recordBook) {
		s := memstore.NewStore()
		t.Cleanup(func() { _ = s.Close() })
		// Two processes: two books over one store.
		return newRecordBook(s), newRecordBook(s)
	}
	got := func(b *recordBook) string {
		recs, err := b.read(ctx, "T")
		require.NoError(t, err)
		return recs["D"].received()
	}

	t.Run("alone", func(t *testing.T) {
		a, other := book()
		require.NoError(t, a.begin(ctx, "T", "D", rec("A", "n1")))
		require.Equal(t, "", got(other), "in flight reads as not received")
		require.NoError(t, a.finish(ctx, "T", "D", rec("A", "n1")))
		require.Equal(t, "A", got(other))
	})
	for _, order := range []string{"a-first", "b-first"} {
		t.Run("overtaken/"+order, func(t *testing.T) {
			// Both mark, both push in either order: neither may complete
			// a record but the last marker's owner, and the first to finish
			// after the other's marker deletes.
			a, b := book()
			require.NoError(t, a.begin(ctx, "T", "D", rec("A", "n1")))
			require.NoError(t, b.begin(ctx, "T", "D", rec("B", "n2")))
			first, second := a, b
			fr, sr := rec("A", "n1"), rec("B", "n2")
			if order == "b-first" {
				first, second, fr, sr = b, a, sr, fr
			}
			require.NoError(t, first.finish(ctx, "T", "D", fr))
			require.NoError(t, second.finish(ctx, "T", "D", sr))
			fresh := newRecordBook(a.store)
			// b holds the last marker: if b finished first its record
			// stands only until a (whose push may have landed after b's)
			// finishes and deletes it.
			require.Equal(t, "", got(fresh), "a race leaves no record, so the next pass pushes again")
		})
	}
	t.Run("overtaken, then the overtaken push lands and its rotator dies", func(t *testing.T) {
		// a marks, b marks over it, pushes and finishes; a's push lands
		// after b's and a dies before finishing: no record may say B.
		a, b := book()
		require.NoError(t, a.begin(ctx, "T", "D", rec("A", "n1")))
		require.NoError(t, b.begin(ctx, "T", "D", rec("B", "n2")))
		require.NoError(t, b.finish(ctx, "T", "D", rec("B", "n2")))
		require.Equal(t, "", got(newRecordBook(a.store)))
		require.Equal(t, "", got(b), "not even in the memory of the process that pushed B")
	})
	t.Run("a dead push's marker costs one more push", func(t *testing.T) {
		a, b := book()
		require.NoError(t, a.begin(ctx, "T", "D", rec("A", "n1"))) // and dies
		require.NoError(t, b.begin(ctx, "T", "D", rec("B", "n2")))
		require.NoError(t, b.finish(ctx, "T", "D", rec("B", "n2")))
		require.Equal(t, "", got(b))
		require.NoError(t, b.begin(ctx, "T", "D", rec("B", "n3")))
		require.NoError(t, b.finish(ctx, "T", "D", rec("B", "n3")))
		require.Equal(t, "B", got(a))
	})
	t.Run("unmarked", func(t *testing.T) {
		// A push whose marker could not be written proves nothing.
		a, other := book()
		require.NoError(t, a.begin(ctx, "T", "D", rec("A", "n1")))
		require.NoError(t, a.finish(ctx, "T", "D", rec("A", "n1")))
		require.NoError(t, a.finish(ctx, "T", "D", rec("B", "")))
		require.Equal(t, "", got(other))
	})
}
