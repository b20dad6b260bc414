package powerbi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/powerbifake"
	"github.com/snowpat/snowpat/push"
)

const (
	wsID = "f089354e-8366-4e18-aea3-4cb4a3a50b48"
	dsID = "cfafbeb1-8037-4d0c-896e-a46fb27ff229"
)

// Bad URLs are refused at Open, naming the destination without its
// query, with nothing sent.
func TestOpenRefusesBadURLs(t *testing.T) {
	e := newEnv(t)
	ep := "?endpoint=" + url.QueryEscape(e.fake.URL())
	for _, c := range []struct{ name, url, says string }{
		{"not groups", "powerbi://workspaces/" + wsID + "/datasets/" + dsID + ep, "want powerbi://groups"},
		{"not a guid", "powerbi://groups/finance/datasets/" + dsID + ep, "GUID"},
		{"reports", "powerbi://groups/" + wsID + "/reports/" + dsID + ep, "want powerbi://groups"},
		{"trailing segment", "powerbi://groups/" + wsID + "/datasets/" + dsID + "/x" + ep, "want"},
		{"unknown parameter", "powerbi://groups/" + wsID + "/datasets/" + dsID + ep + "&gateway=x", "unknown query parameter"},
		{"privacy level", "powerbi://groups/" + wsID + "/datasets/" + dsID + ep + "&privacyLevel=Secret", "privacyLevel"},
		{"plain http endpoint", "powerbi://groups/" + wsID + "/datasets/" + dsID + "?endpoint=" + url.QueryEscape("http://api.example.com"), "plain http"},
		{"endpoint with query", "powerbi://groups/" + wsID + "/datasets/" + dsID + "?endpoint=" + url.QueryEscape("https://api.example.com/?a=b"), "no user, query"},
		{"endpoint scheme", "powerbi://groups/" + wsID + "/datasets/" + dsID + "?endpoint=" + url.QueryEscape("ftp://api.example.com"), "not https"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.mux.Open(context.Background(), c.url, e.opts)
			require.ErrorIs(t, err, push.ErrInvalidArgument)
			assert.Contains(t, err.Error(), c.says)
			assert.NotContains(t, err.Error(), "endpoint=")
		})
	}
	assert.Zero(t, e.cred.Issued(), "no token was even asked for")
}

// The identity lowercases the GUIDs and drops the query.
func TestIdentity(t *testing.T) {
	e := newEnv(t)
	d := e.open("powerbi://groups/" + strings.ToUpper(wsID) + "/datasets/" + strings.ToUpper(dsID) + "?endpoint=" + url.QueryEscape(e.fake.URL()) + "&privacyLevel=Private")
	assert.Equal(t, "powerbi://groups/"+wsID+"/datasets/"+dsID, d.Identity())
}

// Errors of the API keep their native type, reachable with ErrorAs.
func TestNotFound(t *testing.T) {
	e := newEnv(t)
	d := e.open(e.url(dsID))
	_, err := d.Push(context.Background(), e.cred2(e.sf.AddToken(t)))
	require.ErrorIs(t, err, push.ErrNotFound)
	var api interface{ Error() string }
	require.True(t, d.ErrorAs(err, &api))
	assert.Contains(t, err.Error(), "ItemNotFound")
	assert.Zero(t, e.fake.Calls(powerbifake.OpUpdateDatasource))
}
