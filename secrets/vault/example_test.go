package vault_test

import (
	"context"
	"errors"
	"log"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/vault"
)

// A guarded rotation: the new version is staged only if nobody rotated
// since the current one was read, and promoted only if that still holds.
func ExampleNew() {
	ctx := context.Background()
	client, err := api.NewClient(api.DefaultConfig()) // VAULT_ADDR, VAULT_TOKEN
	if err != nil {
		log.Fatal(err)
	}
	store, err := vault.New(client, "secret", "team/app/powerbi")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	cur, err := store.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	id, err := store.PutPendingIf(ctx, []byte("new-token"), secrets.IfCurrent(cur.ID), nil)
	if errors.Is(err, secrets.ErrConflict) {
		return // someone else rotated; re-read and decide again
	}
	if err != nil {
		log.Fatal(err)
	}
	// … check that the new token works …
	if err := store.PromoteIf(ctx, id, secrets.IfCurrent(cur.ID)); err != nil {
		log.Fatal(err)
	}
}

// Opening by URL reads VAULT_ADDR and VAULT_TOKEN like the CLI.
func Example_openStore() {
	store, err := secrets.OpenStore(context.Background(), "vault://secret/team/app/powerbi")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
}
