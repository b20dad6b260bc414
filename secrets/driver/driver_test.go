package driver_test

import (
	"testing"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The names appear in error texts and in filestore's state file, which
// must keep reading them, so they are pinned.
func TestNames(t *testing.T) {
	assert.Equal(t, []string{"none", "current", "pending", "previous", "invalid"}, []string{
		driver.StageNone.String(), driver.StageCurrent.String(), driver.StagePending.String(),
		driver.StagePrevious.String(), driver.Stage(9).String(),
	})
	for c := driver.CodeUnknown; c <= driver.CodeUnsupported; c++ {
		assert.NotEqual(t, "invalid code", c.String(), "code %d has no name", c)
	}
	assert.Equal(t, "invalid code", driver.ErrorCode(99).String())
}
