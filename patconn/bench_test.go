package patconn_test

import (
	"context"
	"testing"
	"time"

	"k8s.io/utils/clock"

	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// BenchmarkReaderGet is the common path of every new connection: a cached
// read of a fresh token, which reads no clock.
func BenchmarkReaderGet(b *testing.B) {
	r := benchReader(b)
	ctx := context.Background()
	if _, err := r.Get(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Get(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderGetParallel shows readers do not serialise on a lock.
func BenchmarkReaderGetParallel(b *testing.B) {
	r := benchReader(b)
	ctx := context.Background()
	if _, err := r.Get(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Get(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReaderGetClocked is a cached read that reads the clock, as
// every read does in the last second before the refresh-ahead point and
// after it, and on an injected clock: the cost the fast path avoids.
func BenchmarkReaderGetClocked(b *testing.B) {
	r := benchReaderOn(b, wallClock{})
	ctx := context.Background()
	if _, err := r.Get(ctx); err != nil {
		b.Fatal(err)
	}
	if patconn.Fresh(r) {
		b.Fatal("the fast path is on")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Get(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// wallClock is the system clock under another type, which the Reader
// treats as an injected clock.
type wallClock struct{ clock.RealClock }

// benchReader is a Reader on the system clock (the fake clock takes a
// lock per Now, which would be measured instead of the reader), with its
// fast path on.
func benchReader(b *testing.B) *patconn.Reader { return benchReaderOn(b, nil) }

func benchReaderOn(b *testing.B, c clock.Clock) *patconn.Reader {
	s := memstore.NewStore()
	put(b, s, "bench")
	r, err := patconn.NewReader(s, patconn.Options{TTL: time.Hour, Clock: c})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close(); _ = s.Close() })
	return r
}
