package gcpsm_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/gcpsm"
)

// A rotation guarded by compare-and-swap. The fake stands in for GCP here;
// in a program the client is secretmanager.NewClient(ctx).
func Example() {
	gcp := gcpfake.New()
	defer gcp.Close()
	ctx := context.Background()
	client, err := gcp.NewClient(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	store, err := gcpsm.New(client, "projects/my-project/secrets/powerbi", gcpsm.WithDestroyRetired())
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	first, err := store.PutIf(ctx, []byte("token-one"), secrets.IfAbsent(), nil)
	if err != nil {
		log.Fatal(err)
	}
	// Stage the next secret only if nobody rotated since we read "first".
	next, err := store.PutPendingIf(ctx, []byte("token-two"), secrets.IfCurrent(first), nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.PromoteIf(ctx, next, secrets.IfCurrent(first)); err != nil {
		log.Fatal(err)
	}
	// A writer still holding the old view loses, and writes nothing.
	_, err = store.PutIf(ctx, []byte("stale"), secrets.IfCurrent(first), nil)
	fmt.Println("stale write conflicts:", errors.Is(err, secrets.ErrConflict))

	if err := store.Retire(ctx, first); err != nil {
		log.Fatal(err)
	}
	versions, err := store.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range versions {
		fmt.Println(v.ID, v.Stage, v.Enabled)
	}
	// Output:
	// stale write conflicts: true
	// 1 none false
	// 2 current true
}

// Opening by URL uses Application Default Credentials.
func Example_openStore() {
	store, err := secrets.OpenStore(context.Background(), "gcpsm://projects/my-project/secrets/powerbi")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
}
