package awssm_test

import (
	"context"
	"fmt"
	"log"

	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/awssm"
)

// A rotation against Secrets Manager. The fake stands in for AWS here; in
// a program the client is secretsmanager.NewFromConfig(cfg).
func Example() {
	aws := awsfake.New()
	defer aws.Close()
	store, err := awssm.New(aws.NewClient(), "team/powerbi")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()

	if _, err := store.Put(ctx, []byte(`{"token":"one"}`), &secrets.PutOptions{
		Metadata: map[string]string{"token_name": "powerbi_1"},
	}); err != nil {
		log.Fatal(err)
	}
	// Stage the new secret, check it works, then promote it.
	next, err := store.PutPending(ctx, []byte(`{"token":"two"}`), &secrets.PutOptions{
		Metadata:       map[string]string{"token_name": "powerbi_2"},
		IdempotencyKey: "rotation-2025-06-01",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Promote(ctx, next); err != nil {
		log.Fatal(err)
	}

	cur, err := store.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("current: %s (%s)\n", cur.Value(), cur.Metadata["token_name"])
	versions, err := store.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range versions {
		fmt.Println(v.Stage, v.Metadata["token_name"])
	}
	fmt.Println("compare-and-swap:", store.SupportsCompareAndSwap())
	// Output:
	// current: {"token":"two"} (powerbi_2)
	// previous powerbi_1
	// current powerbi_2
	// compare-and-swap: false
}

// Opening by URL uses the SDK's default credential chain. The endpoint
// parameter points the client at another server, such as LocalStack.
func Example_openStore() {
	store, err := secrets.OpenStore(context.Background(),
		"awssm://team/powerbi?region=eu-west-1&recovery_window_days=7")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
}
