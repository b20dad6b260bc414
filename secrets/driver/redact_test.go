package driver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets/driver"
)

// TestRedaction prints, encodes and logs the driver types that carry
// secret bytes, by value and by pointer, in every way a driver's debug line
// or error might, and finds the bytes nowhere.
func TestRedaction(t *testing.T) {
	const secret = "sup3r-s3cret-value"
	v := driver.Version{VersionInfo: driver.VersionInfo{ID: "v1", Stage: driver.StageCurrent, Enabled: true}, Value: []byte(secret)}
	r := driver.PutRequest{Value: []byte(secret), IdempotencyKey: "k", Pending: true}
	wrapped := struct {
		V *driver.Version
		R *driver.PutRequest
	}{&v, &r}
	var out []string
	for _, x := range []any{v, &v, r, &r, wrapped, []driver.Version{v}, map[string]*driver.PutRequest{"r": &r}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
			out = append(out, fmt.Sprintf(verb, x))
		}
		b, err := json.Marshal(x)
		require.NoError(t, err)
		out = append(out, string(b))
		var logs bytes.Buffer
		slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "x", x)
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "x", x)
		out = append(out, logs.String())
	}
	all := strings.Join(out, "\n")
	require.NotContains(t, all, secret)
	require.NotContains(t, all, fmt.Sprintf("%x", secret))
	require.Contains(t, all, driver.Redacted)
	require.Contains(t, all, `"v1"`, "the version's info is still shown")
}
