package slowstore_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/slowstore"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// The wrapper offers each optional capability exactly when the driver
// does, in every combination: a Store over it takes the driver's paths.
func TestWrapOffersWhatTheDriverOffers(t *testing.T) {
	d := memstore.NewDriver()
	type caps struct{ cas, stages, destroy bool }
	for _, c := range []struct {
		d    driver.Secret
		want caps
	}{
		{struct{ driver.Secret }{d}, caps{}},
		{struct {
			driver.Secret
			driver.CompareAndSwapper
		}{d, d.(driver.CompareAndSwapper)}, caps{cas: true}},
		{struct {
			driver.Secret
			driver.StagesReader
		}{d, d.(driver.StagesReader)}, caps{stages: true}},
		{struct {
			driver.Secret
			driver.Destroyer
		}{d, d.(driver.Destroyer)}, caps{destroy: true}},
		{struct {
			driver.Secret
			driver.CompareAndSwapper
			driver.StagesReader
		}{d, d.(driver.CompareAndSwapper), d.(driver.StagesReader)}, caps{cas: true, stages: true}},
		{struct {
			driver.Secret
			driver.CompareAndSwapper
			driver.Destroyer
		}{d, d.(driver.CompareAndSwapper), d.(driver.Destroyer)}, caps{cas: true, destroy: true}},
		{struct {
			driver.Secret
			driver.StagesReader
			driver.Destroyer
		}{d, d.(driver.StagesReader), d.(driver.Destroyer)}, caps{stages: true, destroy: true}},
		{d, caps{cas: true, stages: true, destroy: true}},
	} {
		w := slowstore.Wrap(c.d, &slowstore.Latency{}, &slowstore.Counter{})
		_, cas := w.(driver.CompareAndSwapper)
		_, stages := w.(driver.StagesReader)
		_, destroy := w.(driver.Destroyer)
		assert.Equal(t, c.want, caps{cas, stages, destroy})
	}
}

// Stages through the wrapper counts what the driver does: one call for a
// driver that reads every stage at once, three Gets for one that does not.
func TestStagesCountsHonestly(t *testing.T) {
	ctx := t.Context()
	d := memstore.NewDriver()
	seed := secrets.NewStore(d)
	for _, v := range []string{"pat-a", "pat-b"} {
		_, err := seed.Put(ctx, []byte(v), nil)
		require.NoError(t, err)
	}
	_, err := seed.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)

	for _, c := range []struct {
		name  string
		d     driver.Secret
		calls int64
	}{
		{"snapshot", d, 1},
		{"fallback", struct{ driver.Secret }{d}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			var n slowstore.Counter
			s := secrets.NewStore(slowstore.Wrap(c.d, &slowstore.Latency{}, &n))
			got, err := s.Stages(ctx)
			require.NoError(t, err)
			assert.Equal(t, c.calls, n.Load())
			assert.Equal(t, "pat-b", string(got.Current.Value()))
			assert.Equal(t, "pat-p", string(got.Pending.Value()))
			assert.Equal(t, "pat-a", string(got.Previous.Value()))
		})
	}
}
