package memstore_test

import (
	"context"
	"fmt"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A private secret for one unit test: nothing else can reach it, and it is
// gone with the Store.
func ExampleNewStore() {
	ctx := context.Background()
	store := memstore.NewStore()
	defer store.Close()

	id, _ := store.Put(ctx, []byte("token-1"), &secrets.PutOptions{Metadata: map[string]string{"user": "POWERBI_SERVICE"}})
	cur, _ := store.Current(ctx)
	fmt.Println(cur.ID == id, string(cur.Value()), cur.Metadata["user"])
	// Output: true token-1 POWERBI_SERVICE
}

// A named secret that every Store opened under the same name shares,
// whether from OpenStore or from a mem:// URL: the code under test opens
// the URL from its configuration, and the test reads what it wrote.
func ExampleOpenStore() {
	ctx := context.Background()
	written := memstore.OpenStore("example/shared")
	defer written.Delete(ctx) // the named secret outlives its Stores
	if _, err := written.Put(ctx, []byte("token-1"), nil); err != nil {
		fmt.Println(err)
		return
	}

	reader, err := secrets.OpenStore(ctx, "mem://example/shared")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reader.Close()
	cur, _ := reader.Current(ctx)
	fmt.Println(string(cur.Value()))
	// Output: token-1
}
