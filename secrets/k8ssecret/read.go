package k8ssecret

import (
	"bytes"
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/coded"
)

// load reads the Secret; a missing one is a snapshot with no Secret.
func (s *secret) load(ctx context.Context) (*snapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	obj, err := s.api.Get(ctx, s.name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return parse(nil)
	}
	if err != nil {
		return nil, coded.Fail(ctx, err)
	}
	return parse(obj)
}

func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	sn, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	r, err := sn.set.Select(sel)
	if err != nil {
		return nil, err
	}
	return &driver.Version{VersionInfo: *r.Info(), Value: bytes.Clone(sn.value(r.ID))}, nil
}

func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	sn, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	return sn.set.Infos()
}
