package powerbi_test

import (
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	_ = gosnowflake.GetLogger().SetLogLevel("fatal")
	goleak.VerifyTestMain(m)
}
