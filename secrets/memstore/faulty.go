package memstore

import (
	"context"

	"github.com/snowpat/snowpat/secrets/driver"
)

// faulty is a memory secret behind a Faults: every call is counted and
// may be faulted, then goes to the secret. It offers exactly the
// capabilities the secret offers (compare-and-swap, Destroy, a snapshot
// of the stages), so that a Store with faults attached costs and behaves
// as one without, until a fault is armed.
type faulty struct {
	s      *secret
	name   string // the Store's name, which Match.Store selects
	faults *Faults
}

var (
	_ driver.Secret            = (*faulty)(nil)
	_ driver.CompareAndSwapper = (*faulty)(nil)
	_ driver.Destroyer         = (*faulty)(nil)
	_ driver.StagesReader      = (*faulty)(nil)
)

func (d *faulty) run(ctx context.Context, op Op, call func() error) error {
	return d.faults.run(ctx, d.name, op, call)
}

func putOp(req *driver.PutRequest) Op {
	if req.Pending {
		return OpPutPending
	}
	return OpPut
}

// Each method keeps the secret's answer only when the call succeeds, so
// that a lost answer returns no value beside its error.

func (d *faulty) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	var v *driver.Version
	err := d.run(ctx, OpGet, func() (err error) { v, err = d.s.Get(ctx, sel); return err })
	if err != nil {
		return nil, err
	}
	return v, nil
}

func (d *faulty) ReadStages(ctx context.Context) (*driver.Stages, error) {
	var st *driver.Stages
	err := d.run(ctx, OpStages, func() (err error) { st, err = d.s.ReadStages(ctx); return err })
	if err != nil {
		return nil, err
	}
	return st, nil
}

func (d *faulty) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	var out []*driver.VersionInfo
	err := d.run(ctx, OpList, func() (err error) { out, err = d.s.List(ctx); return err })
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (d *faulty) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	var id string
	err := d.run(ctx, putOp(req), func() (err error) { id, err = d.s.Put(ctx, req); return err })
	if err != nil {
		return "", err
	}
	return id, nil
}

func (d *faulty) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	var id string
	err := d.run(ctx, putOp(req), func() (err error) { id, err = d.s.PutIf(ctx, req, pre); return err })
	if err != nil {
		return "", err
	}
	return id, nil
}

func (d *faulty) Promote(ctx context.Context, id string) error {
	return d.run(ctx, OpPromote, func() error { return d.s.Promote(ctx, id) })
}

func (d *faulty) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return d.run(ctx, OpPromote, func() error { return d.s.PromoteIf(ctx, id, pre) })
}

func (d *faulty) Retire(ctx context.Context, id string) error {
	return d.run(ctx, OpRetire, func() error { return d.s.Retire(ctx, id) })
}

func (d *faulty) Destroy(ctx context.Context, id string) error {
	return d.run(ctx, OpDestroy, func() error { return d.s.Destroy(ctx, id) })
}

func (d *faulty) Delete(ctx context.Context) error {
	return d.run(ctx, OpDelete, func() error { return d.s.Delete(ctx) })
}

// ErrorCode classifies injected errors as Faults documents, and the
// secret's own as the secret does.
func (d *faulty) ErrorCode(err error) driver.ErrorCode {
	if code, ok := faultCode(err); ok {
		return code
	}
	return d.s.ErrorCode(err)
}

func (d *faulty) As(i any) bool                 { return d.s.As(i) }
func (d *faulty) ErrorAs(err error, i any) bool { return d.s.ErrorAs(err, i) }
func (d *faulty) Close() error                  { return d.s.Close() }
