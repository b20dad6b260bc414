package azfake_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newClient(t *testing.T) (*azfake.Server, *azsecrets.Client) {
	t.Helper()
	srv := azfake.New()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	return srv, c
}

func set(t *testing.T, c *azsecrets.Client, name, value string) string {
	t.Helper()
	r, err := c.SetSecret(t.Context(), name, azsecrets.SetSecretParameters{Value: &value}, nil)
	require.NoError(t, err)
	return r.ID.Version()
}

func responseError(t *testing.T, err error) *azcore.ResponseError {
	t.Helper()
	re, ok := errors.AsType[*azcore.ResponseError](err)
	require.True(t, ok, "want *azcore.ResponseError, got %T: %v", err, err)
	return re
}

// The client's first request is challenged once; later ones carry the
// token.
func TestChallengeOnce(t *testing.T) {
	srv, c := newClient(t)
	set(t, c, "a", "1")
	set(t, c, "a", "2")
	assert.Equal(t, 1, srv.Challenges())
	assert.Equal(t, 2, srv.Calls(azfake.OpSetSecret))
}

// GET without a version returns the newest version; a disabled newest
// version is 403 SecretDisabled, not the older enabled one.
func TestLatestAndDisabled(t *testing.T) {
	_, c := newClient(t)
	ctx := t.Context()
	v1 := set(t, c, "Name", "one")
	v2 := set(t, c, "name", "two") // names ignore case
	got, err := c.GetSecret(ctx, "NAME", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "two", *got.Value)
	assert.Equal(t, v2, got.ID.Version())

	_, err = c.UpdateSecretProperties(ctx, "name", v2, azsecrets.UpdateSecretPropertiesParameters{
		SecretAttributes: &azsecrets.SecretAttributes{Enabled: to.Ptr(false)},
	}, nil)
	require.NoError(t, err)
	_, err = c.GetSecret(ctx, "name", "", nil)
	re := responseError(t, err)
	assert.Equal(t, http.StatusForbidden, re.StatusCode)
	assert.Equal(t, "Forbidden", re.ErrorCode)
	_, err = c.GetSecret(ctx, "name", v2, nil)
	assert.Equal(t, http.StatusForbidden, responseError(t, err).StatusCode)
	old, err := c.GetSecret(ctx, "name", v1, nil)
	require.NoError(t, err)
	assert.Equal(t, "one", *old.Value)

	_, err = c.GetSecret(ctx, "name", "0123", nil)
	assert.Equal(t, "SecretNotFound", responseError(t, err).ErrorCode)
	_, err = c.GetSecret(ctx, "other", "", nil)
	assert.Equal(t, http.StatusNotFound, responseError(t, err).StatusCode)
}

// Properties round-trip and PATCH changes only what it names.
func TestProperties(t *testing.T) {
	_, c := newClient(t)
	ctx := t.Context()
	exp := time.Unix(1900000000, 0).UTC()
	r, err := c.SetSecret(ctx, "p", azsecrets.SetSecretParameters{
		Value:            to.Ptr("v"),
		ContentType:      to.Ptr("text/plain"),
		Tags:             map[string]*string{"a": to.Ptr("1")},
		SecretAttributes: &azsecrets.SecretAttributes{Expires: &exp},
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, exp, r.Attributes.Expires.UTC())
	assert.Equal(t, "Recoverable+Purgeable", *r.Attributes.RecoveryLevel)
	u, err := c.UpdateSecretProperties(ctx, "p", r.ID.Version(), azsecrets.UpdateSecretPropertiesParameters{
		ContentType: to.Ptr("application/json"),
	}, nil)
	require.NoError(t, err)
	assert.Nil(t, u.Value, "PATCH does not return the value")
	assert.Equal(t, "1", *u.Tags["a"])
	assert.Equal(t, "application/json", *u.ContentType)
	assert.Equal(t, exp, u.Attributes.Expires.UTC())

	tooMany := map[string]*string{}
	for i := range 16 {
		tooMany[fmt.Sprint("t", i)] = to.Ptr("x")
	}
	_, err = c.SetSecret(ctx, "p", azsecrets.SetSecretParameters{Value: to.Ptr("v"), Tags: tooMany}, nil)
	assert.Equal(t, "BadParameter", responseError(t, err).ErrorCode)
	_, err = c.SetSecret(ctx, "bad_name", azsecrets.SetSecretParameters{Value: to.Ptr("v")}, nil)
	assert.Equal(t, http.StatusBadRequest, responseError(t, err).StatusCode)
	_, err = c.SetSecret(ctx, "p", azsecrets.SetSecretParameters{Value: to.Ptr("v"), Tags: map[string]*string{"empty": to.Ptr("")}}, nil)
	assert.Equal(t, "BadParameter", responseError(t, err).ErrorCode, "an empty tag value is refused: see the package doc")
}

// A SetSecret carried out and then answered with a 5xx, or whose
// connection drops, is resent by azcore's default retry policy (here with
// its delay shortened), and the vault then holds the value twice: PUT
// makes a new version every time. Faults can name one secret.
func TestFailAfterApply(t *testing.T) {
	srv := azfake.New()
	t.Cleanup(srv.Close)
	c, err := srv.NewClientWith(policy.RetryOptions{RetryDelay: time.Millisecond})
	require.NoError(t, err)
	for _, a := range []azfake.Applied{{}, {Code: http.StatusGatewayTimeout}, {Drop: true}} {
		name := fmt.Sprintf("f-%d-%t", a.Code, a.Drop)
		srv.FailAfterApply(azfake.OpSetSecret, name, a)
		set(t, c, "other-"+name, "o")
		assert.Len(t, versions(t, c, "other-"+name), 1, "another secret's write is not faulted")
		set(t, c, name, "v")
		assert.Len(t, versions(t, c, name), 2, "%+v: the retry wrote the value again", a)
	}
	srv.FailAfterApply(azfake.OpSetSecret, "", azfake.Applied{})
	srv.ClearFaults()
	set(t, c, "cleared", "v")
	assert.Len(t, versions(t, c, "cleared"), 1)
}

func versions(t *testing.T, c *azsecrets.Client, name string) []*azsecrets.SecretProperties {
	t.Helper()
	var out []*azsecrets.SecretProperties
	for p := c.NewListSecretPropertiesVersionsPager(name, nil); p.More(); {
		page, err := p.NextPage(t.Context())
		require.NoError(t, err)
		out = append(out, page.Value...)
	}
	return out
}

// Versions come in pages linked by nextLink, every one exactly once.
func TestPaging(t *testing.T) {
	srv, c := newClient(t)
	srv.SetPageSize(3)
	want := map[string]bool{}
	for i := range 10 {
		want[set(t, c, "paged", fmt.Sprint(i))] = true
	}
	got := map[string]bool{}
	pages := 0
	for p := c.NewListSecretPropertiesVersionsPager("paged", nil); p.More(); {
		page, err := p.NextPage(t.Context())
		require.NoError(t, err)
		pages++
		for _, v := range page.Value {
			assert.False(t, got[v.ID.Version()], "listed twice")
			got[v.ID.Version()] = true
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 4, pages)
	assert.Equal(t, 4, srv.Calls(azfake.OpGetSecretVersions))
}

// Delete reserves the name until purge; recover brings the versions back.
func TestSoftDelete(t *testing.T) {
	_, c := newClient(t)
	ctx := t.Context()
	v := set(t, c, "gone", "1")
	d, err := c.DeleteSecret(ctx, "gone", nil)
	require.NoError(t, err)
	assert.Equal(t, v, d.ID.Version())
	assert.NotNil(t, d.RecoveryID)
	assert.True(t, d.ScheduledPurgeDate.After(*d.DeletedDate))

	_, err = c.GetSecret(ctx, "gone", "", nil)
	assert.Equal(t, http.StatusNotFound, responseError(t, err).StatusCode)
	_, err = c.SetSecret(ctx, "GONE", azsecrets.SetSecretParameters{Value: to.Ptr("2")}, nil)
	re := responseError(t, err)
	assert.Equal(t, http.StatusConflict, re.StatusCode)
	assert.Equal(t, "Conflict", re.ErrorCode)

	_, err = c.RecoverDeletedSecret(ctx, "gone", nil)
	require.NoError(t, err)
	got, err := c.GetSecret(ctx, "gone", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "1", *got.Value)

	_, err = c.DeleteSecret(ctx, "gone", nil)
	require.NoError(t, err)
	_, err = c.GetDeletedSecret(ctx, "gone", nil)
	require.NoError(t, err)
	_, err = c.PurgeDeletedSecret(ctx, "gone", nil)
	require.NoError(t, err)
	_, err = c.GetDeletedSecret(ctx, "gone", nil)
	assert.Equal(t, http.StatusNotFound, responseError(t, err).StatusCode)
	set(t, c, "gone", "fresh")
}

// Injected faults: an error response, a dropped response after the
// write, and a held call that the client abandons.
func TestFaults(t *testing.T) {
	srv, c := newClient(t)
	ctx := t.Context()
	set(t, c, "f", "1")

	srv.FailNext(azfake.OpGetSecret, azfake.ErrThrottled)
	_, err := c.GetSecret(ctx, "f", "", nil)
	assert.Equal(t, http.StatusTooManyRequests, responseError(t, err).StatusCode)
	_, err = c.GetSecret(ctx, "f", "", nil)
	require.NoError(t, err, "a fault applies to one call")

	srv.DropNext(azfake.OpSetSecret)
	_, err = c.SetSecret(ctx, "f", azsecrets.SetSecretParameters{Value: to.Ptr("2")}, nil)
	require.Error(t, err)
	_, ok := errors.AsType[*azcore.ResponseError](err)
	assert.False(t, ok, "a dropped response is not a service error")
	got, err := c.GetSecret(ctx, "f", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "2", *got.Value, "the dropped write committed")

	g := srv.Hold(azfake.OpGetSecret)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := c.GetSecret(cctx, "f", "", nil); done <- err }()
	<-g.Arrived()
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

// Latency delays a call until its client gives up; removing it restores
// prompt answers.
func TestLatency(t *testing.T) {
	srv, c := newClient(t)
	set(t, c, "slow", "1")
	srv.SetLatency(azfake.OpGetSecret, time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetSecret(ctx, "slow", "", nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	srv.SetLatency(azfake.OpGetSecret, 0)
	_, err = c.GetSecret(t.Context(), "slow", "", nil)
	assert.NoError(t, err)
}
