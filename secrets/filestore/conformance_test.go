package filestore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/storetest"
)

func TestConformance(t *testing.T) {
	root := t.TempDir()
	storetest.RunConformanceTests(t, storetest.Harness{
		NewSecret: func(_ context.Context, _ *testing.T, name string) (driver.Secret, error) {
			return openSecret(filepath.Join(root, name))
		},
		CompareAndSwap: true,
		Destroy:        true,
		// A write is a rename on a local file system: it happened or it
		// did not, and the caller always hears which.
		StagesSnapshot:           true,
		ApplyThenFailUnsupported: "a local file system answers every write it makes",
		FailReadsUnsupported:     "a local file system has no server to take down",
		// A name is a path below root ('/' nests directories), so every
		// case is a valid name.
		Names: storetest.NameCases(),
	})
}
