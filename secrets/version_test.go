package secrets_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secretText = "s3cr3t-PAT-value-do-not-print"

// readVersion returns a Version holding secretText, read the way an
// application reads one.
func readVersion(t *testing.T) *secrets.Version {
	t.Helper()
	s := secrets.NewStore(&spy{version: &driver.Version{
		VersionInfo: driver.VersionInfo{ID: "42", Stage: driver.StageCurrent, Enabled: true, Created: time.Unix(1700000000, 0),
			Metadata: map[string]string{"pat-name": "powerbi"}},
		Value: []byte(secretText),
	}})
	v, err := s.Current(t.Context())
	require.NoError(t, err)
	return v
}

// No fmt verb, flag or width, no encoder and no logger shows the value,
// whether given a Version, a pointer to one, or something holding one.
func TestVersionRedaction(t *testing.T) {
	v := readVersion(t)
	type holder struct {
		Exported   secrets.Version
		unexported secrets.Version
		ptr        *secrets.Version
	}
	h := holder{*v, *v, v}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%-40s", "% x", "%T"} {
		outputs = append(outputs,
			fmt.Sprintf(verb, v), fmt.Sprintf(verb, *v), fmt.Sprintf(verb, h),
			fmt.Sprintf(verb, []*secrets.Version{v}), fmt.Sprintf(verb, map[string]secrets.Version{"k": *v}))
	}
	outputs = append(outputs, fmt.Sprint(v), fmt.Sprintln(*v), v.String(), v.GoString(),
		fmt.Errorf("rotating %v", v).Error(), errors.New(fmt.Sprint(h)).Error())

	for _, x := range []any{v, *v, h, []secrets.Version{*v}} {
		j, err := json.Marshal(x)
		require.NoError(t, err)
		outputs = append(outputs, string(j))
	}
	var g bytes.Buffer
	require.NoError(t, gob.NewEncoder(&g).Encode(*v))
	outputs = append(outputs, g.String())

	var logs bytes.Buffer
	for _, handler := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		l := slog.New(handler)
		l.Info("rotated", "version", v, "copy", *v)
		l.Info("rotated", slog.Any("version", v), slog.Group("g", "v", *v))
	}
	outputs = append(outputs, logs.String())

	for _, out := range outputs {
		assert.NotContains(t, out, secretText)
		assert.NotContains(t, out, fmt.Sprintf("%x", secretText))
	}
	// The redacted forms still say what the version is.
	assert.Contains(t, v.String(), "42")
	assert.Contains(t, v.String(), "[REDACTED]", "the one redaction marker of every layer")
	assert.Contains(t, fmt.Sprintf("%#v", v), `ID:"42"`)
	assert.Contains(t, logs.String(), `"id":"42"`)
	j, _ := json.Marshal(v)
	assert.JSONEq(t, `{"id":"42","stage":"current","created":"2023-11-14T22:13:20Z","enabled":true,
		"metadata":{"pat-name":"powerbi"},"value":"[REDACTED]"}`, string(j))
}

// Value is the one way to the bytes, and hands out a copy.
func TestVersionValue(t *testing.T) {
	v := readVersion(t)
	got := v.Value()
	assert.Equal(t, secretText, string(got))
	got[0] = 'X'
	assert.Equal(t, secretText, string(v.Value()))
	assert.Nil(t, secrets.Version{}.Value())
	assert.True(t, strings.HasPrefix(secrets.Version{}.String(), "version "))
}
