package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// shutdownWait bounds how long stopping the HTTP server waits for
// requests in flight.
const shutdownWait = 5 * time.Second

// serveFlags configure the HTTP server for probes and metrics.
type serveFlags struct {
	listen string
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", "", `serve /healthz, /readyz and /metrics on this address (":8080"); off when empty`)
}

// server answers Kubernetes' probes and Prometheus' scrapes:
//
//	/healthz  200 while the process serves (liveness)
//	/readyz   200 once the administrator has logged in and the engine is
//	          running, 503 before that and while shutting down (readiness)
//	/metrics  the engine's OpenTelemetry metrics in Prometheus' format
//
// A nil *server is a program run without --listen: every method is a
// no-op and the engine records no metrics.
type server struct {
	http  *http.Server
	addr  net.Addr
	ready atomic.Bool
	mp    *sdkmetric.MeterProvider
	done  chan error
}

// start listens when --listen is set. The metrics go to a registry of the
// server's own, not Prometheus' global one, so that two servers in one
// process (tests) do not collide.
func (f *serveFlags) start(log *slog.Logger) (*server, error) {
	if f.listen == "" {
		return nil, nil
	}
	reg := prometheus.NewRegistry()
	exp, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return nil, fmt.Errorf("metrics exporter: %w", err)
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return nil, err
	}
	s := &server{addr: ln.Addr(), mp: sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp)), done: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.done <- s.http.Serve(ln) }()
	log.Info("serving", slog.String("addr", s.addr.String()))
	return s, nil
}

// meterProvider is the engine's MeterProvider, or nil for none.
func (s *server) meterProvider() metric.MeterProvider {
	if s == nil {
		return nil
	}
	return s.mp
}

func (s *server) setReady(ready bool) {
	if s != nil {
		s.ready.Store(ready)
	}
}

// stop turns readiness off, lets requests in flight finish (within
// shutdownWait) and stops the metrics pipeline.
func (s *server) stop() {
	if s == nil {
		return
	}
	s.ready.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	_ = s.http.Shutdown(ctx)
	<-s.done // http.ErrServerClosed, or why Serve stopped earlier
	_ = s.mp.Shutdown(ctx)
}
