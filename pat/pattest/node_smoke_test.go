package pattest_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat/pattest"
)

// TestNodeDriverSmoke runs Snowflake's official Node.js driver
// (snowflake-sdk, unmodified) against the emulator: password login,
// ADD/SHOW/REMOVE, and a login with the PAT authenticator. It skips when
// node or the driver is not installed; install the driver with
//
//	npm ci --prefix pat/pattest/testdata/nodesmoke --no-audit --no-fund --ignore-scripts
func TestNodeDriverSmoke(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "nodesmoke"))
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "snowflake-sdk", "package.json")); err != nil {
		t.Skip("snowflake-sdk is not installed: npm ci --prefix pat/pattest/testdata/nodesmoke --no-audit --no-fund --ignore-scripts")
	}
	e := newEnv(t)
	e.exec("CREATE NETWORK POLICY lo ALLOWED_IP_LIST = ('127.0.0.1', '::1')",
		"CREATE USER node_user PASSWORD = 'pw' NETWORK_POLICY = lo")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "smoke.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SNOWPAT_URL="+e.srv.URL(), "SNOWPAT_ACCOUNT="+e.srv.Account())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node driver failed:\n%s", stderr.String())

	var got struct {
		User      string `json:"user"`
		TokenName string `json:"tokenName"`
		Shown     []struct{ Name, Status, ExpiresAt string }
		NotFound  struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"notFound"`
		PATRole string `json:"patRole"`
	}
	require.NoError(t, json.Unmarshal(out, &got), string(out))
	assert.Equal(t, "NODE_USER", got.User)
	assert.Equal(t, "NODE_TOKEN", got.TokenName)
	require.Len(t, got.Shown, 1)
	assert.Equal(t, "ACTIVE", got.Shown[0].Status)
	assert.NotEmpty(t, got.Shown[0].ExpiresAt, "a SHOW timestamp turned into text")
	assert.Equal(t, pattest.CodeDoesNotExist, got.NotFound.Code)
	assert.Contains(t, got.NotFound.Message, "Programmatic access token NOT_THERE not found")
	assert.Equal(t, "PUBLIC", got.PATRole)
}
