package tableau_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/tableaufake"
	"github.com/snowpat/snowpat/push"
)

// Bad URLs are refused at Open with an ErrInvalidArgument that names the
// destination without its query, and nothing reaches the server.
func TestOpenRefusesBadURLs(t *testing.T) {
	e := newEnv(t)
	h := e.fake.Host()
	for _, c := range []struct{ name, url, says string }{
		{"no content", "tableau://" + h + "/finance/datasources", "3"},
		{"empty name", "tableau://" + h + "/finance/datasources/", "empty"},
		{"unknown kind", "tableau://" + h + "/finance/flows/Sales", "neither"},
		{"extra segment", "tableau://" + h + "/finance/datasources/Sales/x", "segments"},
		{"no host", "tableau:///finance/datasources/Sales", "malformed"},
		{"bad port", "tableau://" + strings.Split(h, ":")[0] + ":99999/finance/datasources/Sales", "port"},
		{"user info", "tableau://me:pw@" + h + "/finance/datasources/Sales", "credentials do not belong"},
		{"unknown parameter", "tableau://" + h + "/finance/datasources/Sales?sight=finance", "unknown query parameter"},
		{"repeated parameter", "tableau://" + h + "/finance/datasources/Sales?insecure=false&insecure=true", "2 times"},
		{"bad insecure", "tableau://" + h + "/finance/datasources/Sales?insecure=maybe", "true or false"},
		{"bad escape", "tableau://" + h + "/finance/datasources/Sa%zzles", "parse"},
		{"credentials store unknown", "tableau://" + h + "/finance/datasources/Sales?credentials=nope%3A%2F%2Fx", "credentials store"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := push.Open(context.Background(), c.url, e.opts)
			require.ErrorIs(t, err, push.ErrInvalidArgument)
			assert.Contains(t, err.Error(), c.says)
			assert.NotContains(t, err.Error(), "pw@", "user info never shows")
			assert.NotContains(t, err.Error(), "sight=", "the query never shows")
		})
	}
	assert.Zero(t, e.fake.Calls(tableaufake.OpServerInfo)+e.fake.Calls(tableaufake.OpSignIn), "nothing was sent")
}

// Without credentials anywhere, Open says where it looked.
func TestOpenNeedsCredentials(t *testing.T) {
	e := newEnv(t)
	e.opts.Getenv = func(string) string { return "" }
	_, err := push.Open(context.Background(), e.url("datasources", "Sales"), e.opts)
	require.ErrorIs(t, err, push.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "TABLEAU_PAT_NAME")

	e.opts.Getenv = func(k string) string { return map[string]string{"TABLEAU_PAT_NAME": "n", "TABLEAU_CLIENT_ID": "c"}[k] }
	_, err = push.Open(context.Background(), e.url("datasources", "Sales"), e.opts)
	require.ErrorIs(t, err, push.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "both")
}

// The identity is one canonical string per content address, without
// credentials or query.
func TestIdentity(t *testing.T) {
	e := newEnv(t)
	h := e.fake.Host()
	for _, c := range []struct{ url, want string }{
		{"tableau://" + strings.ToUpper("localhost") + ":" + strings.Split(h, ":")[1] + "/default/datasources/Sales%20EMEA?insecure=true",
			"tableau://localhost:" + strings.Split(h, ":")[1] + "/default/datasources/Sales%20EMEA"},
		{"tableau://tableau.example.com:443/finance/workbooks/E76A1461-3B1D-4588-BF1B-17551A879AD9",
			"tableau://tableau.example.com/finance/workbooks/e76a1461-3b1d-4588-bf1b-17551a879ad9"},
		{"tableau://tableau.example.com/finance/datasources/a%2Fb", "tableau://tableau.example.com/finance/datasources/a%2Fb"},
	} {
		d, err := push.Open(context.Background(), c.url, e.opts)
		require.NoError(t, err, c.url)
		assert.Equal(t, c.want, d.Identity())
		require.NoError(t, d.Close())
	}
}

// Plain http goes to a loopback server only when asked for, and an https
// client that meets a plain server gets no answer it could mistake.
func TestInsecureLoopback(t *testing.T) {
	e := newEnv(t)
	plain := tableaufake.NewPlain()
	t.Cleanup(plain.Close)
	plain.AddSite(site)
	plain.AddUser(site, admin, tableaufake.RoleSiteAdministrator)
	plain.AddPAT(site, admin, patName, patSecret)
	id := plain.AddDatasource(site, tableaufake.Content{Name: "Sales", Owner: admin,
		Connections: []tableaufake.Connection{{Type: "snowflake", ServerAddress: e.sf.Host()}}})
	secret := e.sf.AddToken(t)
	u := "tableau://" + plain.Host() + "/" + site + "/datasources/Sales"

	d := e.open(u)
	_, err := d.Push(context.Background(), e.cred(secret.Reveal()))
	require.ErrorIs(t, err, push.ErrUnavailable, "https to a plain server")

	d = e.open(u + "?insecure=true")
	_, err = d.Push(context.Background(), e.cred(secret.Reveal()))
	require.NoError(t, err)
	assert.Equal(t, secret.Reveal(), plain.Connections(id)[0].Password)
}
