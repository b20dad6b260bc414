package vault

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests need no server; the adapter's behaviour against a real
// Vault is tested in the internal/vaulttest module.

func TestParseURL(t *testing.T) {
	u, err := url.Parse("vault://secret/team/app/powerbi")
	require.NoError(t, err)
	m, p, err := parseURL(u)
	require.NoError(t, err)
	assert.Equal(t, "secret", m)
	assert.Equal(t, "team/app/powerbi", p)

	for _, bad := range []string{
		"vault://secret", "vault://secret/", "vault:///path", "vault://secret:8200/x",
		"vault://me@secret/x", "vault://secret/x#f", "vault://secret/x?addr=http://h",
		"vault://secret/a/../b", "vault://secret/a//b", "vault://secret/x/" + RecordName,
	} {
		_, err := secrets.OpenStore(t.Context(), bad)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, bad)
	}
}

// Opening a URL reads the client settings from the environment, like the
// CLI, and sends nothing.
func TestOpenURLReadsEnvironment(t *testing.T) {
	t.Setenv("VAULT_ADDR", "http://127.0.0.1:1")
	t.Setenv("VAULT_TOKEN", "s.from-env")
	s, err := secrets.OpenStore(t.Context(), "vault://kv/team/powerbi")
	require.NoError(t, err)
	defer s.Close()
	var c *api.Client
	require.True(t, s.As(&c))
	assert.Equal(t, "http://127.0.0.1:1", c.Address())
	assert.Equal(t, "s.from-env", c.Token())
	assert.True(t, s.SupportsCompareAndSwap())
}

func TestNewRejectsPaths(t *testing.T) {
	c, err := api.NewClient(&api.Config{Address: "http://127.0.0.1:1"})
	require.NoError(t, err)
	for _, p := range []string{"", "/", "a/./b", "a/" + RecordName} {
		_, err := New(c, "secret", p)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, p)
	}
	_, err = New(nil, "secret", "x")
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	d, err := newSecret(c, "/teams/kv/", "/app/powerbi/")
	require.NoError(t, err)
	assert.Equal(t, "teams/kv/data/app/powerbi", d.api("data", d.path))
	assert.Equal(t, "app/powerbi/"+RecordName, d.record)
}

func TestErrorCode(t *testing.T) {
	s := &secret{}
	for status, want := range map[int]driver.ErrorCode{
		http.StatusNotFound:            driver.CodeNotFound,
		http.StatusForbidden:           driver.CodePermissionDenied,
		http.StatusBadRequest:          driver.CodeInvalidArgument,
		http.StatusPreconditionFailed:  driver.CodeUnavailable,
		http.StatusTooManyRequests:     driver.CodeUnavailable,
		http.StatusInternalServerError: driver.CodeUnavailable,
		http.StatusBadGateway:          driver.CodeUnavailable,
		http.StatusServiceUnavailable:  driver.CodeUnavailable,
		http.StatusTeapot:              driver.CodeUnknown,
	} {
		err := fmt.Errorf("wrapped: %w", &api.ResponseError{StatusCode: status})
		assert.Equal(t, want, s.ErrorCode(err), "%d", status)
	}
	cas := &api.ResponseError{StatusCode: 400, Errors: []string{"check-and-set parameter did not match the current version"}}
	assert.True(t, isCASMismatch(cas))
	assert.False(t, isCASMismatch(&api.ResponseError{StatusCode: 400, Errors: []string{"invalid"}}))
	assert.Equal(t, driver.CodeUnavailable, s.ErrorCode(&url.Error{Op: "Get", URL: "http://x", Err: errors.New("connection refused")}))
	assert.Equal(t, driver.CodeConflict, s.ErrorCode(versionset.Errorf(driver.CodeConflict, "x")))
	assert.Equal(t, driver.CodeUnknown, s.ErrorCode(errors.New("other")))
}

func TestValueEncoding(t *testing.T) {
	for _, v := range [][]byte{[]byte("pat"), {0xff, 0x00}, {0x00}, []byte("\xef\xbb\xbfbom\r\n")} {
		d := encodeValue(v)
		got, err := d.decode()
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	assert.NotNil(t, encodeValue([]byte("text")).Value, "text is stored as text")
	assert.NotNil(t, encodeValue([]byte{0xff}).ValueBase64)
	_, err := valueData{}.decode()
	assert.Error(t, err)
}

// prune drops evicted versions and any left from a recreated value path.
func TestPrune(t *testing.T) {
	r := &record{sums: map[string]string{"2": "s"}, destroyed: []string{"1", "4", "6"}}
	for _, id := range []string{"1", "2", "3", "7"} {
		r.set.Add(versionset.Record{ID: id, Created: time.Unix(1, 0)}, false)
		r.sums[id] = "s" + id
	}
	r.prune(2, 5)
	var all []string
	for _, x := range r.set.Records {
		all = append(all, x.ID)
	}
	assert.Equal(t, []string{"2", "3"}, all)
	assert.Equal(t, []string{"4"}, r.destroyed, "destroyed versions Vault no longer has are forgotten too")
	r.prune(0, 0)
	var ids []string
	for _, x := range r.set.Records {
		ids = append(ids, x.ID)
	}
	assert.Equal(t, []string{"2", "3"}, ids)
	assert.Equal(t, map[string]string{"2": "s2", "3": "s3"}, r.sums)
}

func TestStageMetadata(t *testing.T) {
	r := &record{cas: 9}
	r.set.Add(versionset.Record{ID: "1"}, false)
	r.set.Add(versionset.Record{ID: "2"}, true)
	assert.Equal(t, map[string]any{MetaCurrent: "1", MetaPending: "2", MetaPrevious: nil, MetaRecordVersion: "9"}, stageMetadata(r))
}

func TestVersionNumber(t *testing.T) {
	n, err := versionNumber("42")
	require.NoError(t, err)
	assert.Equal(t, 42, n)
	for _, bad := range []string{"0", "-1", "x", "99999999999999999999"} {
		_, err := versionNumber(bad)
		assert.Equal(t, driver.CodeNotFound, versionset.Code(err), bad)
	}
}
