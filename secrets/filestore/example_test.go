package filestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/filestore"
)

// The embedded default: one secret per directory, every file 0600, each
// write atomic and durable. Another process on the host opening the same
// directory, or the URL file:///…, sees the same secret.
func ExampleOpenStore() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "snowpat-example")
	defer os.RemoveAll(dir)

	store, err := filestore.OpenStore(filepath.Join(dir, "powerbi"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	first, _ := store.Put(ctx, []byte("token-1"), nil)
	pending, _ := store.PutPending(ctx, []byte("token-2"), nil)
	if err := store.Promote(ctx, pending); err != nil {
		fmt.Println(err)
		return
	}

	again, _ := secrets.OpenStore(ctx, "file://"+filepath.ToSlash(filepath.Join(dir, "powerbi")))
	defer again.Close()
	cur, _ := again.Current(ctx)
	prev, _ := again.ByStage(ctx, secrets.StagePrevious)
	fmt.Println(string(cur.Value()), string(prev.Value()), prev.ID == first)

	info, _ := os.Stat(filepath.Join(dir, "powerbi", "state.json"))
	fmt.Println(info.Mode().Perm())
	// Output:
	// token-2 token-1 true
	// -rw-------
}
