package patconn_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/patconn"
	"github.com/snowpat/snowpat/secrets/memstore"
)

// A Connector is made only with a store and a user: a stored secret never
// chooses whom to log in as.
func TestNewConnectorRefusesMissingParts(t *testing.T) {
	a := newAccount(t)
	cfg := a.config()
	store := memstore.NewStore()
	defer store.Close()

	_, err := patconn.NewConnector(cfg, nil, patconn.Options{})
	require.ErrorIs(t, err, patconn.ErrNoStore)
	_, err = patconn.NewReader(nil, patconn.Options{})
	require.ErrorIs(t, err, patconn.ErrNoStore)

	noUser := cfg
	noUser.User = ""
	_, err = patconn.NewConnector(noUser, store, patconn.Options{})
	require.ErrorIs(t, err, patconn.ErrNoUser)
	_, err = patconn.NewConnector(noUser, store, patconn.Options{User: "SVC"})
	require.ErrorIs(t, err, patconn.ErrNoUser, "Options.User does not stand in for the login user")

	_, err = patconn.NewConnector(cfg, store, patconn.Options{User: "OTHER"})
	require.ErrorIs(t, err, patconn.ErrUserMismatch)
	c, err := patconn.NewConnector(cfg, store, patconn.Options{User: "svc"})
	require.NoError(t, err, "user names compare without case, as Snowflake's login names do")
	require.NoError(t, c.Close())
}

// A store holding a working token of another user is refused before
// anything is sent: the emulator sees no login at all.
func TestConnectorRefusesAnotherUsersToken(t *testing.T) {
	a := newAccount(t)
	ctx := context.Background()
	theirs := a.addToken(t, "OTHER")
	store := memstore.NewStore()
	defer store.Close()
	storeTokenOf(t, store, "OTHER", theirs)

	conn, err := patconn.NewConnector(a.config(), store, patconn.Options{Clock: a.clock})
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	logins := a.srv.Counts().Login
	err = db.PingContext(ctx)
	require.ErrorIs(t, err, patconn.ErrUserMismatch)
	require.ErrorContains(t, err, `"OTHER"`)
	require.NotContains(t, err.Error(), theirs.Reveal())
	require.Equal(t, logins, a.srv.Counts().Login, "a login was attempted with another user's token")

	// The same token without a recorded user (the raw format) is the
	// configured user's to vouch for: it is sent as SVC's, and refused.
	raw, err := pat.EncodeStored(pat.StoredToken{Token: theirs}, pat.FormatRaw)
	require.NoError(t, err)
	_, err = store.Put(ctx, raw, nil)
	require.NoError(t, err)
	_, err = conn.Reader().Refresh(ctx)
	require.NoError(t, err)
	require.ErrorIs(t, db.PingContext(ctx), pat.ErrInvalidToken)
}

// A Reader with Options.User refuses another user's token, and keeps the
// last good one of its own user; without it, it checks nothing.
func TestReaderChecksUser(t *testing.T) {
	ctx := context.Background()
	r, s, _, _ := newReader(t, patconn.Options{User: "svc"})
	putFor(t, s, "OTHER", "theirs")
	_, err := r.Get(ctx)
	require.ErrorIs(t, err, patconn.ErrUserMismatch)

	put(t, s, "ours")
	tok, err := r.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, "ours", tok.Secret.Reveal())
	putFor(t, s, "OTHER", "theirs")
	tok, err = r.Refresh(ctx)
	require.ErrorIs(t, err, patconn.ErrUserMismatch)
	require.Equal(t, "ours", tok.Secret.Reveal(), "the last good token of the right user is kept")

	unchecked, s2, _, _ := newReader(t, patconn.Options{})
	putFor(t, s2, "OTHER", "theirs")
	tok, err = unchecked.Get(ctx)
	require.NoError(t, err)
	require.Equal(t, "OTHER", tok.User, "a Reader alone hands out what the store holds, with its user")
}
