package tableau_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/memstore"
)

// storeCredentials writes JSON to a fresh mem:// secret and returns the
// query parameter naming it.
func storeCredentials(t *testing.T, json string) string {
	t.Helper()
	u := memURL(t)
	s, err := secrets.OpenStore(context.Background(), u)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Delete(context.Background()); _ = s.Close() })
	_, err = s.Put(context.Background(), []byte(json), nil)
	require.NoError(t, err)
	return "?credentials=" + url.QueryEscape(u)
}

// memURL names a mem:// secret of the test's own.
func memURL(t *testing.T) string {
	return "mem://tableau/" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, t.Name())
}

// The personal access token comes from a secret store, read at each
// sign-in, so a rotated Tableau token is used without reopening.
func TestCredentialsFromSecretStore(t *testing.T) {
	e := newEnv(t)
	e.opts.Getenv = func(string) string { return "" }
	e.datasource("Sales", false)
	secret := e.sf.AddToken(t)
	q := storeCredentials(t, `{"personalAccessTokenName":"snowpat","personalAccessTokenSecret":"pat-secret-value"}`)
	d := e.open(e.url("datasources", "Sales") + q)
	_, err := d.Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)

	// Tableau revokes the token; the store gets a new one; the same
	// destination signs in with it.
	e.fake.RevokePAT(site, patName)
	_, err = d.Push(context.Background(), e.cred(secret.Reveal()))
	require.ErrorIs(t, err, push.ErrUnauthenticated)
	e.fake.AddPAT(site, admin, "snowpat-2", "second-secret")
	s, err := secrets.OpenStore(context.Background(), memURL(t))
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Put(context.Background(), []byte(`{"personalAccessTokenName":"snowpat-2","personalAccessTokenSecret":"second-secret"}`), nil)
	require.NoError(t, err)
	_, err = d.Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)
}

// What a secret store holds must be the documented JSON; an error never
// quotes it.
func TestBadStoredCredentials(t *testing.T) {
	for _, c := range []struct{ name, json, says string }{
		{"not json", `pat-secret-value`, "not the JSON"},
		{"unknown field", `{"personalAccessTokenName":"n","personalAccessTokenSecret":"pat-secret-value","site":"x"}`, "not the JSON"},
		{"half a token", `{"personalAccessTokenName":"snowpat"}`, "lacks the personal access token secret"},
		{"half an app", `{"clientId":"c","secretValue":"pat-secret-value"}`, "lacks the secret id and the username"},
		{"empty", `{}`, "no Tableau credentials"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.datasource("Sales", false)
			d := e.open(e.url("datasources", "Sales") + storeCredentials(t, c.json))
			_, err := d.Push(context.Background(), e.cred("whatever"))
			require.ErrorIs(t, err, push.ErrInvalidArgument)
			assert.Contains(t, err.Error(), c.says)
			assert.NotContains(t, err.Error(), "pat-secret-value")
			assert.Zero(t, e.fake.Calls(tableaufake.OpSignIn))
		})
	}
}

// A connected app's JWT signs in: the fake checks its HS256 signature,
// claims and scopes with its own code, and refuses a replay.
func TestConnectedApp(t *testing.T) {
	e := newEnv(t)
	e.fake.AddConnectedApp(site, "client-1", "secret-1", "app-secret-value")
	vars := map[string]string{"TABLEAU_CLIENT_ID": "client-1", "TABLEAU_SECRET_ID": "secret-1",
		"TABLEAU_SECRET_VALUE": "app-secret-value", "TABLEAU_USERNAME": admin}
	e.opts.Getenv = func(k string) string { return vars[k] }
	id := e.datasource("Sales", false)
	secret := e.sf.AddToken(t)
	d := e.open(e.url("datasources", "Sales"))
	for range 2 { // two sign-ins, two fresh jti
		_, err := d.Push(context.Background(), e.cred(secret.Reveal()))
		require.NoError(t, err)
	}
	assert.Equal(t, 2, e.fake.Calls(tableaufake.OpSignIn))
	assert.Equal(t, secret.Reveal(), e.fake.Connections(id)[0].Password)

	vars["TABLEAU_SECRET_VALUE"] = "wrong"
	_, err := d.Push(context.Background(), e.cred(secret.Reveal()))
	require.ErrorIs(t, err, push.ErrUnauthenticated)
	assert.NotContains(t, err.Error(), "wrong")
}

// Old servers: a personal access token needs REST API 3.6, a connected
// app 3.17; below, the push is unsupported and nothing is sent but the
// version query.
func TestVersionGates(t *testing.T) {
	e := newEnv(t)
	e.datasource("Sales", false)
	e.fake.SetVersion("3.5")
	_, err := e.open(e.url("datasources", "Sales")).Push(context.Background(), e.cred("x"))
	require.ErrorIs(t, err, push.ErrUnsupported)
	assert.Contains(t, err.Error(), "3.6")
	assert.Zero(t, e.fake.Calls(tableaufake.OpSignIn))

	e.fake.SetVersion("2.3") // no serverinfo at all
	_, err = e.open(e.url("datasources", "Sales")).Push(context.Background(), e.cred("x"))
	require.ErrorIs(t, err, push.ErrUnsupported)
	assert.Contains(t, err.Error(), "predates")

	e.fake.SetVersion("3.16")
	e.fake.AddConnectedApp(site, "c", "s", "v")
	e.opts.Getenv = func(k string) string {
		return map[string]string{"TABLEAU_CLIENT_ID": "c", "TABLEAU_SECRET_ID": "s", "TABLEAU_SECRET_VALUE": "v", "TABLEAU_USERNAME": admin}[k]
	}
	_, err = e.open(e.url("datasources", "Sales")).Push(context.Background(), e.cred("x"))
	require.ErrorIs(t, err, push.ErrUnsupported)
	assert.Contains(t, err.Error(), "3.17")
}
