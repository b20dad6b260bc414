package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// Looking at a whole secret in one call, as a rotation engine does on each
// pass: ErrNotFound means nothing is staged at all, and a stage nobody
// holds is nil.
func ExampleStore_Stages() {
	ctx := context.Background()
	store := memstore.NewStore()
	defer store.Close()

	describe := func() {
		all, err := store.Stages(ctx)
		if errors.Is(err, secrets.ErrNotFound) {
			fmt.Println("nothing stored yet")
			return
		}
		if err != nil {
			fmt.Println(err) // a backend failure: do not take it for "nothing stored"
			return
		}
		var held []string
		for _, st := range []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious} {
			if v := all.ByStage(st); v != nil {
				held = append(held, fmt.Sprintf("%s=%s", st, v.Value()))
			}
		}
		fmt.Println(strings.Join(held, " "))
	}
	describe()
	_, _ = store.Put(ctx, []byte("token-1"), nil)
	pending, _ := store.PutPending(ctx, []byte("token-2"), nil)
	describe()
	_ = store.Promote(ctx, pending)
	describe()
	// memstore reads every stage under one lock: the three are one moment.
	fmt.Println("snapshot:", store.SupportsStagesSnapshot())
	// Output:
	// nothing stored yet
	// current=token-1 pending=token-2
	// current=token-2 previous=token-1
	// snapshot: true
}
