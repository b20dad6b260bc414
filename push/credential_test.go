package push_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
)

// A Credential prints, logs and encodes without its secret, by value and
// by pointer, in every way a log line or an error might.
func TestCredentialRedaction(t *testing.T) {
	const secret = "s3cret-token-value"
	c := push.Credential{Account: "myorg-acct", User: "BI_SVC", Secret: pat.NewSecret(secret), Version: "v7"}
	var out []string
	for _, x := range []any{c, &c, []push.Credential{c}, struct{ C push.Credential }{c}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out = append(out, fmt.Sprintf(verb, x))
		}
		b, err := json.Marshal(x)
		require.NoError(t, err)
		out = append(out, string(b))
		var logs bytes.Buffer
		slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "c", x)
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "c", x)
		out = append(out, logs.String())
	}
	all := strings.Join(out, "\n")
	require.NotContains(t, all, secret)
	require.NotContains(t, all, fmt.Sprintf("%x", secret))
	require.Contains(t, all, "BI_SVC")
	require.Contains(t, all, "[REDACTED]")
}
