package storetest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/snowpat/snowpat/secrets"
)

var concurrencyCases = []testCase{
	{"concurrent-cas-loses-no-update", withCAS, testConcurrentCAS},
	{"concurrent-puts-all-recorded", anyBackend, testConcurrentPuts},
}

const (
	handles    = 3 // Stores over the one secret, as separate clients
	workers    = 6 // goroutines, spread over the handles
	iterations = 5 // writes per goroutine
)

type written struct {
	n  int
	id string
}

// Workers on several Stores increment a counter held in the secret with
// read, PutIf(IfCurrent), retry on conflict. With a lost update the final
// count would be short; with a torn one a version would be missing.
func testConcurrentCAS(e *env) {
	prefix := string(e.value("counter"))
	first := e.mustPut(counterValue(prefix, 0), nil)
	stores := e.handles()
	out := make(chan written, workers*iterations)
	var wg sync.WaitGroup
	for w := range workers {
		s := stores[w%handles]
		wg.Go(func() {
			for range iterations {
				if err := e.increment(s, prefix, out); err != nil {
					e.t.Errorf("worker %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(out)
	if e.t.Failed() {
		return
	}
	byN := map[int]string{0: first}
	for w := range out {
		if other, dup := byN[w.n]; dup {
			e.fatalf("count %d was written twice (versions %s and %s): an update was lost", w.n, other, w.id)
		}
		byN[w.n] = w.id
	}
	const total = workers * iterations
	want := stages{}
	for n := 0; n <= total; n++ {
		id, ok := byN[n]
		if !ok {
			e.fatalf("no successful write of count %d", n)
		}
		want[id] = secrets.StageNone
	}
	want[byN[total]] = secrets.StageCurrent
	want[byN[total-1]] = secrets.StagePrevious
	e.expect(want)
	cur, err := e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current: %v", e.seen(err))
	}
	if n, err := parseCounter(prefix, cur.Value()); err != nil || n != total {
		e.fatalf("final count %d (%v), want %d", n, err, total)
	}
}

func (e *env) handles() []*secrets.Store {
	stores := []*secrets.Store{e.s}
	for len(stores) < handles {
		stores = append(stores, e.open(e.name))
	}
	return stores
}

func (e *env) increment(s *secrets.Store, prefix string, out chan<- written) error {
	const maxAttempts = 10000 // a bound, so that a broken backend fails instead of spinning
	for range maxAttempts {
		cur, err := s.Current(e.ctx)
		if err != nil {
			return fmt.Errorf("reading the current version: %w", e.seen(err))
		}
		n, err := parseCounter(prefix, cur.Value())
		if err != nil {
			return err
		}
		v := counterValue(prefix, n+1)
		id, err := s.PutIf(e.ctx, v, secrets.IfCurrent(cur.ID), nil)
		switch {
		case errors.Is(err, secrets.ErrConflict):
			e.seen(err)
			continue
		case err != nil:
			return fmt.Errorf("writing with PutIf: %w", e.seen(err))
		}
		e.recordVersion(id, v)
		out <- written{n + 1, id}
		return nil
	}
	return fmt.Errorf("no PutIf succeeded in %d attempts", maxAttempts)
}

func counterValue(prefix string, n int) []byte { return []byte(prefix + "#" + strconv.Itoa(n)) }

func parseCounter(prefix string, v []byte) (int, error) {
	rest, ok := strings.CutPrefix(string(v), prefix+"#")
	if !ok {
		return 0, fmt.Errorf("the current value is not a counter this case wrote")
	}
	return strconv.Atoi(rest)
}

// Workers on several Stores Put at once. Each write must be recorded: a
// backend that rewrites a shared index without a lock loses some. The
// stages must stay consistent: one current, one previous.
func testConcurrentPuts(e *env) {
	stores := e.handles()
	out := make(chan written, workers*iterations)
	var wg sync.WaitGroup
	for w := range workers {
		s := stores[w%handles]
		wg.Go(func() {
			for i := range iterations {
				v := e.value(fmt.Sprintf("w%d-%d", w, i))
				opts := &secrets.PutOptions{IdempotencyKey: key("put")}
				// A throttled backend may refuse some writes; the key makes
				// retrying them safe.
				var id string
				var err error
				for range 5 {
					id, err = s.Put(e.ctx, v, opts)
					if !errors.Is(err, secrets.ErrUnavailable) {
						break
					}
					e.seen(err)
				}
				if err != nil {
					e.t.Errorf("worker %d: Put: %v", w, e.seen(err))
					return
				}
				e.recordVersion(id, v)
				out <- written{id: id}
			}
		})
	}
	wg.Wait()
	close(out)
	if e.t.Failed() {
		return
	}
	ids := map[string]bool{}
	for w := range out {
		if ids[w.id] {
			e.fatalf("two writes returned version %s", w.id)
		}
		ids[w.id] = true
	}
	got := stages{}
	count := map[secrets.Stage]int{}
	for _, v := range e.list() {
		if !ids[v.ID] {
			e.fatalf("List has version %s that no write returned", v.ID)
		}
		got[v.ID] = v.Stage
		count[v.Stage]++
	}
	if len(got) != len(ids) {
		e.fatalf("List has %d versions, %d writes succeeded: writes were lost", len(got), len(ids))
	}
	if count[secrets.StageCurrent] != 1 || count[secrets.StagePrevious] != 1 || count[secrets.StagePending] != 0 {
		e.fatalf("stages after concurrent Puts: %v; want one current and one previous", count)
	}
	e.expect(got)
}
