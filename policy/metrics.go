package policy

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// meters are the engine's OpenTelemetry instruments. With no provider
// they are no-ops, so instrumentation costs nothing unless asked for.
type meters struct {
	events    metric.Int64Counter
	expiresIn metric.Float64Gauge
}

func newMeters(mp metric.MeterProvider) (*meters, error) {
	if mp == nil {
		mp = noop.NewMeterProvider()
	}
	m := mp.Meter("github.com/snowpat/snowpat/policy")
	ev, err := m.Int64Counter("snowpat.events", metric.WithDescription("Engine events by kind and target."))
	if err != nil {
		return nil, err
	}
	ex, err := m.Float64Gauge("snowpat.token.expires_in", metric.WithUnit("s"),
		metric.WithDescription("Seconds until the active token of a target expires, as last observed."))
	if err != nil {
		return nil, err
	}
	return &meters{events: ev, expiresIn: ex}, nil
}

func (m *meters) event(ctx context.Context, ev Event) {
	m.events.Add(ctx, 1, metric.WithAttributes(attribute.String("kind", string(ev.Kind)), attribute.String("target", ev.Target)))
}

func (m *meters) expiry(ctx context.Context, target string, seconds float64) {
	m.expiresIn.Record(ctx, seconds, metric.WithAttributes(attribute.String("target", target)))
}
