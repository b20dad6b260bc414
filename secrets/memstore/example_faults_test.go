package memstore_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// The secret store goes down and comes back: every read fails until the
// fault is removed. The code under test would keep serving its cached
// secret meanwhile; here the reads show what it sees.
func ExampleFaults_Fail() {
	ctx := context.Background()
	var faults memstore.Faults
	store := memstore.NewStore(memstore.WithFaults(&faults))
	defer store.Close()
	store.Put(ctx, []byte("token-1"), nil)

	down := faults.Fail(memstore.Match{Op: memstore.OpGet, Times: memstore.Always}, errors.New("connection refused"))
	_, err := store.Current(ctx)
	fmt.Println(errors.Is(err, secrets.ErrUnavailable), err)

	down.Remove()
	cur, _ := store.Current(ctx)
	fmt.Println(string(cur.Value()))
	// Output:
	// true secrets: Current: unavailable: memstore: injected fault: connection refused
	// token-1
}

// The injected error chooses the kind the Store reports: wrap a secrets
// sentinel to test how the code under test treats a revoked credential.
func ExampleFaults_Fail_kind() {
	ctx := context.Background()
	var faults memstore.Faults
	store := memstore.NewStore(memstore.WithFaults(&faults))
	defer store.Close()

	faults.Fail(memstore.Match{Op: memstore.OpGet}, fmt.Errorf("role removed: %w", secrets.ErrPermissionDenied))
	_, err := store.Current(ctx)
	fmt.Println(errors.Is(err, secrets.ErrPermissionDenied), errors.Is(err, memstore.ErrInjected))
	// Output: true true
}

// A write whose answer is lost: it happened, but the caller was told it
// failed. A rotator that retries with the same idempotency key gets the
// version it made instead of a second one.
func ExampleFaults_LoseAnswer() {
	ctx := context.Background()
	var faults memstore.Faults
	store := memstore.NewStore(memstore.WithFaults(&faults))
	defer store.Close()

	faults.LoseAnswer(memstore.Match{Op: memstore.OpPutPending}, nil)
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-42"}
	_, err := store.PutPending(ctx, []byte("token-2"), opts)
	fmt.Println("first try:", errors.Is(err, secrets.ErrUnavailable))

	id, _ := store.PutPending(ctx, []byte("token-2"), opts)
	infos, _ := store.List(ctx)
	fmt.Println("retry:", id == infos[0].ID, "versions:", len(infos))
	// Output:
	// first try: true
	// retry: true versions: 1
}

// A store that does not answer: the read is held until the test removes
// the fault. Reached says, without sleeping, that the read is being held;
// a call whose context ends first returns the context's error.
func ExampleFaults_Block() {
	ctx := context.Background()
	var faults memstore.Faults
	store := memstore.NewStore(memstore.WithFaults(&faults))
	defer store.Close()
	store.Put(ctx, []byte("token-1"), nil)

	held := faults.Block(memstore.Match{Op: memstore.OpGet})
	read := make(chan string)
	go func() {
		cur, _ := store.Current(ctx)
		read <- string(cur.Value())
	}()
	<-held.Reached(1)
	fmt.Println("the read is held")
	held.Remove()
	fmt.Println(<-read)

	hung := faults.Block(memstore.Match{Op: memstore.OpGet})
	timeout, cancel := context.WithCancel(ctx)
	go func() { <-hung.Reached(1); cancel() }()
	_, err := store.Current(timeout)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// the read is held
	// token-1
	// true
}

// A program that stops between two steps, as in a crash: the hook cancels
// the rotator's context when it reaches the promotion, so the promotion
// changes nothing and the pending version is left for the next run.
func ExampleFaults_Hook() {
	ctx, crash := context.WithCancel(context.Background())
	var faults memstore.Faults
	store := memstore.NewStore(memstore.WithFaults(&faults))
	defer store.Close()
	store.Put(ctx, []byte("token-1"), nil)

	faults.Hook(memstore.Match{Op: memstore.OpPromote}, func(context.Context) error {
		crash()
		return nil
	})
	id, _ := store.PutPending(ctx, []byte("token-2"), nil)
	err := store.Promote(ctx, id)
	fmt.Println(errors.Is(err, context.Canceled))

	pending, _ := store.ByStage(context.Background(), secrets.StagePending)
	fmt.Println(string(pending.Value()))
	// Output:
	// true
	// token-2
}

// Counting calls proves a cache works: ten reads through the code under
// test (here a trivial cache) reach the store once. Calls counts by
// operation and by store name.
func ExampleFaults_Calls() {
	ctx := context.Background()
	var faults memstore.Faults
	store := memstore.OpenStore("example/calls", memstore.WithFaults(&faults))
	defer store.Delete(ctx)
	store.Put(ctx, []byte("token-1"), nil)

	var cached *secrets.Version
	for range 10 {
		if cached == nil {
			cached, _ = store.Current(ctx)
		}
	}
	fmt.Println("reads:", faults.Calls(memstore.Match{Op: memstore.OpGet}))
	fmt.Println("calls to example/calls:", faults.Calls(memstore.Match{Store: "example/calls"}))
	// Output:
	// reads: 1
	// calls to example/calls: 2
}
