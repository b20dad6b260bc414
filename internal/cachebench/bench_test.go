package cachebench

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	smv1 "github.com/aws/aws-sdk-go/service/secretsmanager"
	"github.com/aws/aws-secretsmanager-caching-go/secretcache"

	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets/awssm"
)

const secretName = "bench/powerbi"

// fixture starts the fake with one SnowflakePat secret written through
// snowpat's adapter, and returns snowpat's reader and AWS's cache over it.
func fixture(b *testing.B) (*patconn.Reader, *secretcache.Cache) {
	fake := awsfake.New()
	b.Cleanup(fake.Close)
	store, err := awssm.New(fake.NewClient(), secretName)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	value, err := pat.EncodeStored(pat.StoredToken{Account: "xy12345", User: "POWERBI_SERVICE", TokenName: "POWERBI",
		Token: pat.NewSecret("token-value-for-the-benchmark")}, pat.FormatJSON)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := store.Put(context.Background(), value, nil); err != nil {
		b.Fatal(err)
	}
	reader, err := patconn.NewReader(store, patconn.Options{TTL: time.Hour, User: "POWERBI_SERVICE"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = reader.Close() })

	sess, err := session.NewSession(&aws.Config{
		Region: aws.String("us-east-1"), Endpoint: aws.String(fake.URL()),
		Credentials: credentials.NewStaticCredentials("AKID", "SECRET", ""),
	})
	if err != nil {
		b.Fatal(err)
	}
	cache, err := secretcache.New(func(c *secretcache.Cache) {
		c.Client = smv1.New(sess)
		c.CacheItemTTL = int64(time.Hour)
	})
	if err != nil {
		b.Fatal(err)
	}
	return reader, cache
}

// BenchmarkCachedRead reads the token through each cache after a first
// read has filled it: the path every new connection of a service takes.
func BenchmarkCachedRead(b *testing.B) {
	reader, cache := fixture(b)
	ctx := context.Background()
	if _, err := reader.Get(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := cache.GetSecretString(secretName); err != nil {
		b.Fatal(err)
	}
	b.Run("snowpat", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reader.Get(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("aws-secretsmanager-caching-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cache.GetSecretString(secretName); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("snowpat-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = reader.Get(ctx)
			}
		})
	})
	b.Run("aws-secretsmanager-caching-go-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = cache.GetSecretString(secretName)
			}
		})
	})
}
