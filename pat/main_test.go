package pat

import (
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// Failed logins are the point of several tests; keep the driver's
	// error log out of the output.
	_ = gosnowflake.GetLogger().SetLogLevel("fatal")
	goleak.VerifyTestMain(m)
}
