package policy_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/snowpat/snowpat/policy"
)

func TestMetrics(t *testing.T) {
	w := newWorld(t)
	tg := w.target("SVC", policy.Production(), 1)
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	e := w.engine(func(o *policy.Options) { o.MeterProvider = mp })
	defer e.Close()
	_, err := e.Apply(context.Background(), tg)
	require.NoError(t, err)
	_, err = e.Apply(context.Background(), tg)
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := map[string]bool{}
	var created int64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			got[m.Name] = true
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok && m.Name == "snowpat.events" {
				for _, dp := range sum.DataPoints {
					if k, _ := dp.Attributes.Value("kind"); k.AsString() == "created" {
						created += dp.Value
					}
				}
			}
		}
	}
	require.True(t, got["snowpat.events"])
	require.True(t, got["snowpat.token.expires_in"])
	require.Equal(t, int64(1), created)
}
