package driver_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/snowpat/snowpat/push/driver"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The names appear in error texts, so every code has one.
func TestCodeNames(t *testing.T) {
	for c := driver.CodeUnknown; c <= driver.CodeRefreshFailed; c++ {
		assert.NotEqual(t, "invalid code", c.String(), "code %d has no name", c)
	}
	assert.Equal(t, "invalid code", driver.ErrorCode(99).String())
}
