package patconn_test

import (
	"context"
	"testing"
	"time"

	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// BenchmarkReaderGet is the common path of every new connection: a cached
// read.
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

// benchReader is a Reader on the system clock (the fake clock takes a
// lock per Now, which would be measured instead of the reader).
func benchReader(b *testing.B) *patconn.Reader {
	s := memstore.NewStore()
	put(b, s, "bench")
	r, err := patconn.NewReader(s, patconn.Options{TTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close(); _ = s.Close() })
	return r
}
