package pat

import (
	"context"
	"database/sql/driver"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var showColumns = []string{"name", "user_name", "role_restriction", "expires_at", "status", "comment", "created_on", "created_by", "mins_to_bypass_network_policy_requirement", "rotated_to"}

func TestDecodeTokensFromRows(t *testing.T) {
	created := time.Date(2025, 3, 1, 10, 0, 0, 123000000, time.UTC)
	expires := created.Add(90 * 24 * time.Hour)
	_, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: showColumns, rows: [][]driver.Value{
			{"BI", "SVC", "BI_READER", expires, "ACTIVE", nil, created, "ADMIN", nil, nil},
			{"BI_ROTATED_1740823200000", "SVC", "BI_READER", created.Add(24 * time.Hour), "ACTIVE", "old", created, "ADMIN", int64(0), "BI"},
			{"OLD", "SVC", nil, []byte("1740823200.5"), "expired", "c", "2025-03-01 10:00:00.123 -0800", "ADMIN", "15", nil},
		}}
	})
	rs, err := db.QueryContext(context.Background(), "SHOW")
	require.NoError(t, err)
	tokens, err := decodeTokens(rs)
	require.NoError(t, err)
	require.Len(t, tokens, 3)

	assert.Equal(t, Token{
		Name: "BI", UserName: "SVC", RoleRestriction: "BI_READER", ExpiresAt: expires,
		Status: StatusActive, CreatedOn: created, CreatedBy: "ADMIN",
	}, tokens[0])
	assert.False(t, tokens[0].IsRotated())

	assert.True(t, tokens[1].IsRotated())
	assert.Equal(t, "BI", tokens[1].RotatedTo)
	assert.Equal(t, "old", tokens[1].Comment)

	old := tokens[2]
	assert.Equal(t, StatusExpired, old.Status, "known statuses are normalised to upper case")
	assert.Empty(t, old.RoleRestriction)
	assert.True(t, old.ExpiresAt.Equal(time.Unix(1740823200, 500000000)))
	assert.True(t, old.CreatedOn.Equal(time.Date(2025, 3, 1, 18, 0, 0, 123000000, time.UTC)))
	assert.Equal(t, 15, old.MinsToBypassNetworkPolicy)
}

func TestTokenFromRowColumnsByName(t *testing.T) {
	// Upper-case, reordered, unknown and the alternative bypass spelling.
	r := row{
		"future_column":                          "whatever",
		"rotated_to":                             nil,
		"mins_to_bypass_required_network_policy": "30",
		"status":                                 "SOMETHING_NEW",
		"name":                                   "T",
		"user_name":                              "U",
	}
	tok, err := tokenFromRow(r)
	require.NoError(t, err)
	assert.Equal(t, "T", tok.Name)
	assert.Equal(t, 30, tok.MinsToBypassNetworkPolicy)
	assert.Equal(t, Status("SOMETHING_NEW"), tok.Status)
	assert.False(t, tok.Status.Known())

	// Both bypass spellings: a NULL in one does not erase the other.
	tok, err = tokenFromRow(row{"name": "T", "mins_to_bypass_required_network_policy": int64(5), "mins_to_bypass_network_policy_requirement": nil})
	require.NoError(t, err)
	assert.Equal(t, 5, tok.MinsToBypassNetworkPolicy)

	_, err = tokenFromRow(row{"user_name": "U"})
	assert.ErrorIs(t, err, errNoNameColumn)

	_, err = tokenFromRow(row{"name": "T", "expires_at": "next tuesday"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expires_at")
	assert.NotContains(t, err.Error(), "next tuesday", "cell values stay out of errors")

	_, err = tokenFromRow(row{"name": "T", "created_on": struct{}{}})
	assert.ErrorIs(t, err, errCellType)
}

func TestReadRowsCaseInsensitive(t *testing.T) {
	_, db := newFakeDB(t, func(string) fakeResult {
		return fakeResult{cols: []string{"NAME", " Status ", "name"}, rows: [][]driver.Value{{"A", "ACTIVE", "shadowed"}}}
	})
	rs, err := db.QueryContext(context.Background(), "SHOW")
	require.NoError(t, err)
	rows, err := readRows(rs)
	require.NoError(t, err)
	assert.Equal(t, []row{{"name": "A", "status": "ACTIVE"}}, rows)
}

func TestStatus(t *testing.T) {
	for _, s := range []Status{StatusActive, StatusExpired, StatusDisabled} {
		assert.True(t, s.Known())
		assert.Equal(t, s, parseStatus(string(s)))
	}
	assert.Equal(t, StatusDisabled, parseStatus(" disabled "))
	assert.Equal(t, Status("Suspended"), parseStatus("Suspended"))
	assert.False(t, Status("").Known())
}

func TestTokenTimeHelpers(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tok := Token{ExpiresAt: now.Add(36 * time.Hour), Status: StatusActive}
	assert.Equal(t, 36*time.Hour, tok.ExpiresIn(now))
	assert.False(t, tok.IsExpired(now))
	assert.True(t, tok.IsExpired(now.Add(36*time.Hour)))
	assert.Equal(t, -time.Hour, tok.ExpiresIn(now.Add(37*time.Hour)))
	assert.Equal(t, time.Duration(0), Token{}.ExpiresIn(now), "unknown expiry reads as due now")
	assert.True(t, Token{Status: StatusExpired, ExpiresAt: now.Add(time.Hour)}.IsExpired(now))
	assert.False(t, Token{}.IsExpired(now))
}
