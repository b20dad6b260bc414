package policy_test

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/snowpat/snowpat/secrets/driver"
)

// storeFaults injects failures into the world's stores: the real memstore
// driver does the work, and a rule can fail an operation before it runs
// (the store is down) or run it and then fail (the response was lost), or
// call a hook at that point (to abandon an engine mid-step, as a crash).
type storeFaults struct {
	mu    sync.Mutex
	rules []*storeRule
	fired map[string]int
}

type storeRule struct {
	url    string // substring of the store URL; "" for every store
	op     string // Put, PutPending, Promote, Retire, Get, List; "" for every op
	times  int    // how many matching calls; < 0 for every call
	after  bool   // run the operation first, then fail
	hook   func() // called instead of failing, when set
	name   string
	active bool
}

var errInjected = errors.New("injected store fault")

func (f *storeFaults) add(r storeRule) *storeRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	r.active = true
	f.rules = append(f.rules, &r)
	return &r
}

func (f *storeFaults) clear() {
	f.mu.Lock()
	f.rules = nil
	f.mu.Unlock()
}

// match finds the rule for a call and uses it up.
func (f *storeFaults) match(url, op string) *storeRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if !r.active || (r.url != "" && !strings.Contains(url, r.url)) || (r.op != "" && r.op != op) {
			continue
		}
		if r.times > 0 {
			r.times--
			if r.times == 0 {
				r.active = false
			}
		}
		if f.fired == nil {
			f.fired = map[string]int{}
		}
		f.fired[r.name]++
		cp := *r
		return &cp
	}
	return nil
}

func (f *storeFaults) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fired[name]
}

type faultySecret struct {
	driver.Secret
	cas    driver.CompareAndSwapper
	url    string
	faults *storeFaults
}

func newFaultySecret(inner driver.Secret, url string, f *storeFaults) driver.Secret {
	fs := &faultySecret{Secret: inner, url: url, faults: f}
	fs.cas, _ = inner.(driver.CompareAndSwapper)
	return &casFaultySecret{fs}
}

// run applies the matching rule around call.
func (s *faultySecret) run(op string, call func() error) error {
	r := s.faults.match(s.url, op)
	if r == nil {
		return call()
	}
	if r.hook != nil {
		if r.after {
			err := call()
			r.hook()
			return err
		}
		r.hook()
		return call()
	}
	if r.after {
		if err := call(); err != nil {
			return err
		}
	}
	return errInjected
}

func (s *faultySecret) Get(ctx context.Context, sel driver.Selector) (v *driver.Version, err error) {
	err = s.run("Get", func() error { v, err = s.Secret.Get(ctx, sel); return err })
	return v, err
}

func (s *faultySecret) Put(ctx context.Context, req *driver.PutRequest) (id string, err error) {
	op := "Put"
	if req.Pending {
		op = "PutPending"
	}
	err = s.run(op, func() error { id, err = s.Secret.Put(ctx, req); return err })
	return id, err
}

func (s *faultySecret) Promote(ctx context.Context, id string) error {
	return s.run("Promote", func() error { return s.Secret.Promote(ctx, id) })
}

func (s *faultySecret) Retire(ctx context.Context, id string) error {
	return s.run("Retire", func() error { return s.Secret.Retire(ctx, id) })
}

func (s *faultySecret) List(ctx context.Context) (out []*driver.VersionInfo, err error) {
	err = s.run("List", func() error { out, err = s.Secret.List(ctx); return err })
	return out, err
}

func (s *faultySecret) ErrorCode(err error) driver.ErrorCode {
	if errors.Is(err, errInjected) {
		return driver.CodeUnavailable
	}
	return s.Secret.ErrorCode(err)
}

type casFaultySecret struct{ *faultySecret }

func (s *casFaultySecret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (id string, err error) {
	op := "Put"
	if req.Pending {
		op = "PutPending"
	}
	err = s.run(op, func() error { id, err = s.cas.PutIf(ctx, req, pre); return err })
	return id, err
}

func (s *casFaultySecret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.run("Promote", func() error { return s.cas.PromoteIf(ctx, id, pre) })
}

// noCAS hides a driver's compare-and-swap.
type noCAS struct{ driver.Secret }
