package azkv

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/internal/azfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openDefault opens a Store by URL as users do, with azcore's default
// client options (retries included) but the fake's transport and
// credential.
func openDefault(t *testing.T, srv *azfake.Server, name string) *secrets.Store {
	t.Helper()
	urlsReach(t, srv, policy.RetryOptions{})
	s, err := secrets.OpenStore(t.Context(), "azkv://contoso/"+name+"?vault_url="+url.QueryEscape(srv.URL()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// The case, with the client users get: SetSecret carried out and
// then answered with a 5xx (or its connection dropped), once or several
// times in a row. azcore would resend it and the vault would hold the
// value twice, tied on every order but the random version id; the
// adapter instead finds the version its request made and reports that
// one. So Put returns the version that is current, PutPending the one
// that is pending, no stageless twin exists, and a retry with the key
// returns the same id.
func TestDefaultRetriesAppliedThenFailed(t *testing.T) {
	srv := azfake.New()
	t.Cleanup(srv.Close)
	s := openDefault(t, srv, "powerbi")
	ctx := t.Context()
	a, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)

	srv.FailAfterApply(azfake.OpSetSecret, "powerbi", azfake.Applied{})
	opts := &secrets.PutOptions{IdempotencyKey: "rotation-1"}
	b, err := s.Put(ctx, []byte("pat-b"), opts)
	require.NoError(t, err)
	assertVersions(t, s, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent})
	again, err := s.Put(ctx, []byte("pat-b"), opts)
	require.NoError(t, err)
	assert.Equal(t, b, again)

	// Three in a row: the pending version's request, then twice its copy.
	for _, f := range []azfake.Applied{{}, {Drop: true}, {Code: http.StatusServiceUnavailable}} {
		srv.FailAfterApply(azfake.OpSetSecret, "powerbi", f)
	}
	popts := &secrets.PutOptions{IdempotencyKey: "rotation-2"}
	p, err := s.PutPending(ctx, []byte("pat-p"), popts)
	require.NoError(t, err)
	assertVersions(t, s, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent, p: secrets.StagePending})
	again, err = s.PutPending(ctx, []byte("pat-p"), popts)
	require.NoError(t, err)
	assert.Equal(t, p, again)
	require.NoError(t, s.Promote(ctx, p))
	assertVersions(t, s, map[string]secrets.Stage{a: secrets.StageNone, b: secrets.StagePrevious, p: secrets.StageCurrent})
	_, err = s.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound, "nothing left pending")
	assert.Equal(t, 5, physicalCount(t, srv, "powerbi"), "three versions, PutPending's copy of b and Promote's of p: nothing twice")
}

// physicalCount counts every Key Vault version of name, copies included.
func physicalCount(t *testing.T, srv *azfake.Server, name string) int {
	t.Helper()
	raw, err := srv.NewClient()
	require.NoError(t, err)
	n := 0
	for pg := raw.NewListSecretPropertiesVersionsPager(name, nil); pg.More(); {
		page, err := pg.NextPage(t.Context())
		require.NoError(t, err)
		n += len(page.Value)
	}
	return n
}

// assertVersions checks every listed version and its stage, and that each
// stage reads the version that holds it.
func assertVersions(t *testing.T, s *secrets.Store, want map[string]secrets.Stage) {
	t.Helper()
	vs, err := s.List(t.Context())
	require.NoError(t, err)
	got := map[string]secrets.Stage{}
	for _, v := range vs {
		got[v.ID] = v.Stage
	}
	require.Equal(t, want, got)
	for id, st := range want {
		if st == secrets.StageNone {
			continue
		}
		v, err := s.ByStage(t.Context(), st)
		require.NoError(t, err)
		assert.Equal(t, id, v.ID, "%s", st)
	}
}

// A SetSecret refused before the vault did anything (a 503, a 429) is
// resent by the adapter after azcore's delays, or the vault's Retry-After;
// after four attempts the error is the caller's. Nothing is written
// twice, and nothing at all when every attempt fails.
func TestOwnRetries(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	a := f.put(t, "pat-a", nil)
	f.srv.FailNext(azfake.OpSetSecret, azfake.ErrUnavailable)
	f.srv.FailNext(azfake.OpSetSecret, &azfake.APIError{Status: http.StatusTooManyRequests, Code: "Throttled", Message: "slow down", RetryAfter: 7})
	b := f.put(t, "pat-b", nil)
	p := f.pauses()
	require.Len(t, p, 2)
	assert.GreaterOrEqual(t, p[0], 640*time.Millisecond, "800ms, jittered by 0.8 to 1.3")
	assert.Less(t, p[0], 1040*time.Millisecond)
	assert.Equal(t, 7*time.Second, p[1], "the vault's Retry-After")
	assertVersions(t, f.s, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent})

	for range setAttempts {
		f.srv.FailNext(azfake.OpSetSecret, azfake.ErrUnavailable)
	}
	_, err := f.s.Put(ctx, []byte("pat-c"), nil)
	require.ErrorIs(t, err, secrets.ErrUnavailable)
	assert.Len(t, f.pauses(), 2+setAttempts-1)
	assertVersions(t, f.s, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent})

	// A refusal no retry can change is returned at once.
	f.srv.FailNext(azfake.OpSetSecret, azfake.ErrForbidden)
	_, err = f.s.Put(ctx, []byte("pat-d"), nil)
	require.ErrorIs(t, err, secrets.ErrPermissionDenied)
	assert.Len(t, f.pauses(), 2+setAttempts-1)

	// A context that ends during a pause ends the write.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	d, err := newSecret(f.raw, f.name, nil)
	require.NoError(t, err)
	f.srv.FailNext(azfake.OpSetSecret, azfake.ErrUnavailable)
	_, err = d.setVersion(cctx, setParams("pat-e"), mark{media: "text/plain"})
	assert.ErrorIs(t, err, context.Canceled)
}

// When one idempotency key has several versions, replay's choice never
// falls to the vault's random version ids: attempts of one write answer
// with the latest attempt (the one setVersion reported), different writes
// with the oldest. The versions are forged with one creation second and
// one writer's clock, the tie the issue measured, and the ids are drawn
// until they order the wrong version first, as an id tie-break would.
func TestReplayOrderIgnoresIDs(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	f.srv.SetClock(func() time.Time { return time.Unix(1_800_000_000, 0) })
	key, value := "rotation-9", "pat-x"
	lookup, sum := idempotencyMarks(key, []byte(value))
	write := func(name, w string, n int, clock int64) string {
		m := mark{media: "text/plain", st: stages{cur: self}, key: lookup, sum: sum, t: clock, w: w, n: n}
		ct, err := m.format()
		require.NoError(t, err)
		r, err := f.raw.SetSecret(ctx, name, azsecrets.SetSecretParameters{Value: &value, ContentType: &ct}, nil)
		require.NoError(t, err)
		return r.ID.Version()
	}
	replay := func(name string) string {
		d, err := newSecret(f.raw, name, nil)
		require.NoError(t, err)
		id, err := secrets.NewStore(d).Put(ctx, []byte(value), &secrets.PutOptions{IdempotencyKey: key})
		require.NoError(t, err)
		return id
	}

	// drawn writes pairs of versions under fresh names until the ids
	// order the pair's first before its second.
	drawn := func(label string, pair func(name string) (string, string)) (name, second string) {
		for i := 0; ; i++ {
			name = fmt.Sprintf("%s-%d", label, i)
			if x, y := pair(name); x < y {
				return name, y
			}
		}
	}
	name, second := drawn("attempts", func(n string) (string, string) { return write(n, "w1", 1, 100), write(n, "w1", 2, 100) })
	assert.Equal(t, second, replay(name), "the later attempt of one write")
	name, earlier := drawn("writes", func(n string) (string, string) { return write(n, "w2", 1, 200), write(n, "w3", 1, 100) })
	assert.Equal(t, earlier, replay(name), "the earlier of two writes")
}
