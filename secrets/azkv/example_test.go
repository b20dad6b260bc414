package azkv_test

import (
	"context"
	"log"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/azkv"
)

// A rotation against a vault whose readers (Power BI, say) read the latest
// version: they keep the old token until Promote.
func ExampleNew() {
	ctx := context.Background()
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		log.Fatal(err)
	}
	client, err := azsecrets.NewClient("https://contoso-kv.vault.azure.net", cred, nil)
	if err != nil {
		log.Fatal(err)
	}
	store, err := azkv.New(client, "powerbi-prod", &azkv.Options{ContentType: "application/json"})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	id, err := store.PutPending(ctx, []byte(`{"token":"…"}`), &secrets.PutOptions{
		Metadata: map[string]string{azkv.MetadataExpiresAt: "2026-01-31T00:00:00Z"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// … check that the new token works …
	if err := store.Promote(ctx, id); err != nil {
		log.Fatal(err)
	}
}

// Opening by URL needs only a blank import of the package.
func Example_openStore() {
	store, err := secrets.OpenStore(context.Background(), "azkv://contoso-kv/powerbi-prod")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if store.SupportsCompareAndSwap() {
		log.Fatal("Key Vault has no compare-and-swap")
	}
}
