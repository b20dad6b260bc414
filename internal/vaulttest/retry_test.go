package vaulttest

import (
	"net/http"
	"testing"

	"github.com/hashicorp/vault/api"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/vault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests use vault/api's default configuration, as api.DefaultConfig
// and the URL opener give it: up to two resends of a request answered
// 5xx or 412, or whose connection failed, a second or more apart. Vault
// has carried out the first attempt each time: the resend of a
// check-and-set write then fails the check.
func TestDefaultRetriesAppliedThenFailed(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	applied := Fault{Applied: true, Status: http.StatusInternalServerError, Message: "injected", Exact: true}
	dropped := Fault{DropReply: true, Exact: true}
	record := func(path string) string { return Mount + "/data/" + path + "/" + vault.RecordName }
	// begin opens a Store over path with the default client, through the
	// proxy, and writes a first version.
	begin := func(t *testing.T, path string) (*secrets.Store, string) {
		s := openStore(t, srv.RetryingClientAt(t, proxy.Addr(), 0), path)
		a, err := s.Put(t.Context(), []byte("pat-a"), nil)
		require.NoError(t, err)
		return s, a
	}

	// The commit: the stage record's write. Before the adapter looked
	// for its own mark, it took the refused resend for a lost race, found
	// its version in the record, and destroyed that version's value.
	t.Run("commit", func(t *testing.T) {
		t.Parallel()
		path := "retries/commit"
		s, a := begin(t, path)
		ctx := t.Context()
		proxy.FailNext("PUT", record(path), applied)
		opts := &secrets.PutOptions{IdempotencyKey: "rotation-1"}
		b, err := s.Put(ctx, []byte("pat-b"), opts)
		require.NoError(t, err)
		assertCurrent(t, s, b, "pat-b")
		assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent}, stages(t, s))
		again, err := s.Put(ctx, []byte("pat-b"), opts)
		require.NoError(t, err)
		assert.Equal(t, b, again)

		// Twice in a row, the connection dropped, without a key.
		proxy.FailNext("PUT", record(path), dropped)
		proxy.FailNext("PUT", record(path), dropped)
		p, err := s.PutPending(ctx, []byte("pat-p"), nil)
		require.NoError(t, err)
		assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent, p: secrets.StagePending}, stages(t, s))
	})

	// Stage changes and Delete are record writes too. A Delete whose
	// resend found the record already empty reported ErrNotFound.
	t.Run("promote and delete", func(t *testing.T) {
		t.Parallel()
		path := "retries/promote"
		s, a := begin(t, path)
		ctx := t.Context()
		p, err := s.PutPending(ctx, []byte("pat-p"), nil)
		require.NoError(t, err)
		proxy.FailNext("PUT", record(path), applied)
		require.NoError(t, s.PromoteIf(ctx, p, secrets.IfCurrent(a)))
		assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, p: secrets.StageCurrent}, stages(t, s))

		proxy.FailNext("PUT", record(path), applied)
		require.NoError(t, s.Delete(ctx))
		_, err = s.Current(ctx)
		assert.ErrorIs(t, err, secrets.ErrNotFound)
	})

	// The value's write: its resend fails the check-and-set, and the
	// adapter writes the value again. The first copy is a KV version the
	// record never names: no reader sees it.
	t.Run("value", func(t *testing.T) {
		t.Parallel()
		path := "retries/value"
		s, a := begin(t, path)
		ctx := t.Context()
		proxy.FailNext("PUT", Mount+"/data/"+path, applied)
		b, err := s.Put(ctx, []byte("pat-b"), &secrets.PutOptions{IdempotencyKey: "rotation-2"})
		require.NoError(t, err)
		assertCurrent(t, s, b, "pat-b")
		assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, b: secrets.StageCurrent}, stages(t, s))
	})
}

func assertCurrent(t *testing.T, s *secrets.Store, id, value string) {
	t.Helper()
	cur, err := s.Current(t.Context())
	require.NoError(t, err)
	assert.Equal(t, id, cur.ID)
	assert.Equal(t, value, string(cur.Value()))
}

// Vault refuses an empty custom_metadata value (the KV v2 engine's
// validateCustomMetadata wants 0 < len(value) <= 512). The adapter keeps
// metadata in its stage record, never in custom_metadata, so an empty
// metadata value still round-trips; its custom_metadata holds version
// numbers only.
func TestCustomMetadataRefusesEmptyValues(t *testing.T) {
	srv := Start(t, 1000)
	f := newFixture(t, srv, "meta/empty")
	ctx := t.Context()
	f.put(t, "v", nil)
	err := f.kv.PatchMetadata(ctx, f.path, apiPatch(map[string]any{"empty": ""}))
	var re *api.ResponseError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusBadRequest, re.StatusCode)

	md := map[string]string{"note": ""}
	id, err := f.s.Put(ctx, []byte("w"), &secrets.PutOptions{Metadata: md})
	require.NoError(t, err)
	v, err := f.s.ByID(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, md, v.Metadata)
}

// When the record version a refused resend would have made cannot be read
// (here Vault refuses that one read; in life, max_versions may have
// dropped it), a Put still recognises its commit in the latest record, by
// its version number and creation time, instead of taking the number for
// one of a recreated path and starting the record afresh.
func TestOwnCommitRecognisedInRecord(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	path := "retries/record"
	s := openStore(t, srv.RetryingClientAt(t, proxy.Addr(), 0), path)
	ctx := t.Context()
	a, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	p, err := s.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)
	record := Mount + "/data/" + path + "/" + vault.RecordName
	proxy.FailNext("PUT", record, Fault{Applied: true, Status: http.StatusBadGateway, Message: "injected", Exact: true})
	proxy.FailNext("GET", record, Fault{Status: http.StatusForbidden, Message: "injected", Exact: true, Query: "version="})
	b, err := s.Put(ctx, []byte("pat-b"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]secrets.Stage{a: secrets.StagePrevious, p: secrets.StagePending, b: secrets.StageCurrent}, stages(t, s))
}
