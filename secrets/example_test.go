package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/snowpat/snowpat/secrets"
	// The import registers the "mem" scheme with secrets.OpenStore; a
	// program that only opens URLs can make it a blank import.
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A rotation: stage the new value as pending, promote it once it is known
// to work, and keep the old one readable as previous while clients move
// over.
func Example_rotation() {
	ctx := context.Background()
	store, err := secrets.OpenStore(ctx, "mem://example/powerbi")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	defer store.Delete(ctx) // the mem secret outlives the Store; leave none behind

	if _, err := store.Put(ctx, []byte("token-1"), nil); err != nil {
		fmt.Println(err)
		return
	}

	// Stage the replacement. Readers still get token-1.
	pending, err := store.PutPending(ctx, []byte("token-2"), &secrets.PutOptions{
		Metadata:       map[string]string{"rotated-by": "example"},
		IdempotencyKey: "rotation-2025-01", // a retry of this write is a no-op
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cur, _ := store.Current(ctx)
	fmt.Printf("before promote: current=%s\n", cur.Value())

	if err := store.Promote(ctx, pending); err != nil {
		fmt.Println(err)
		return
	}
	cur, _ = store.Current(ctx)
	prev, _ := store.ByStage(ctx, secrets.StagePrevious)
	fmt.Printf("after promote: current=%s (rotated-by=%s) previous=%s\n", cur.Value(), cur.Metadata["rotated-by"], prev.Value())

	// When no client uses the old token any more, retire it.
	if err := store.Retire(ctx, prev.ID); err != nil {
		fmt.Println(err)
		return
	}
	versions, _ := store.List(ctx)
	for _, v := range versions {
		fmt.Printf("%s enabled=%t\n", v.Stage, v.Enabled)
	}
	// Output:
	// before promote: current=token-1
	// after promote: current=token-2 (rotated-by=example) previous=token-1
	// none enabled=false
	// current enabled=true
}

// Compare-and-swap: write only if nobody changed the secret since it was
// read. A lost race is ErrConflict and writes nothing.
func ExampleStore_PutIf() {
	ctx := context.Background()
	store := memstore.NewStore()
	defer store.Close()

	first, _ := store.PutIf(ctx, []byte("v1"), secrets.IfAbsent(), nil)
	_, err := store.PutIf(ctx, []byte("v1-again"), secrets.IfAbsent(), nil)
	fmt.Println("second create conflicts:", errors.Is(err, secrets.ErrConflict))

	_, err = store.PutIf(ctx, []byte("v2"), secrets.IfCurrent(first), nil)
	fmt.Println("update from v1:", err)
	_, err = store.PutIf(ctx, []byte("v3"), secrets.IfCurrent(first), nil)
	fmt.Println("stale update conflicts:", errors.Is(err, secrets.ErrConflict))

	cur, _ := store.Current(ctx)
	fmt.Printf("current=%s\n", cur.Value())
	// Output:
	// second create conflicts: true
	// update from v1: <nil>
	// stale update conflicts: true
	// current=v2
}

// A Version is redacted wherever it is printed, encoded or logged; Value
// is the only way to the bytes.
func ExampleVersion() {
	ctx := context.Background()
	store := memstore.NewStore()
	defer store.Close()
	_, _ = store.Put(ctx, []byte("hunter2"), nil)

	v, _ := store.Current(ctx)
	printed := fmt.Sprintf("%v %+v %#v %s %q %x", v, v, v, v, v, v)
	encoded, _ := v.MarshalJSON()
	fmt.Println("printed or encoded:", strings.Contains(printed+string(encoded), "hunter2"))
	fmt.Println(v.Stage, strings.Contains(printed, "[REDACTED]"))
	fmt.Printf("value: %s\n", v.Value())
	// Output:
	// printed or encoded: false
	// current true
	// value: hunter2
}

// Stores open by URL; the adapter's import registers its scheme. A typo in
// a scheme or a query parameter is an error, never another secret.
func ExampleOpenStore() {
	ctx := context.Background()
	store, err := secrets.OpenStore(ctx, "mem://example/opened")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	fmt.Println("opened mem://example/opened")

	_, err = secrets.OpenStore(ctx, "mem://example/opened?regoin=eu-west-1")
	fmt.Println(errors.Is(err, secrets.ErrInvalidArgument))
	_, err = secrets.OpenStore(ctx, "s3://bucket/key")
	fmt.Println(errors.Is(err, secrets.ErrInvalidArgument))
	// Output:
	// opened mem://example/opened
	// true
	// true
}
