package pushtest

import (
	"context"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
)

// Snowflake is a pattest emulator with one service user, the user a BI
// tool logs in as, for tests in which a BI fake's refresh logs in with
// the credential a push wrote.
type Snowflake struct {
	// Emulator is the emulator; Client administers it.
	Emulator *pattest.Server
	Client   *pat.Client
	// User is the service user and Token its token's name.
	User, Token string
}

// NewSnowflake starts an emulator with service user BI_SVC (role
// BI_READER, a loopback network policy) and no token yet. It is closed
// when the test ends.
func NewSnowflake(t testing.TB) *Snowflake {
	t.Helper()
	srv := pattest.Start(t)
	admin := srv.Admin()
	for _, stmt := range []string{
		"CREATE NETWORK POLICY IF NOT EXISTS LOOPBACK ALLOWED_IP_LIST = ('127.0.0.1/32', '::1')",
		"CREATE ROLE IF NOT EXISTS BI_READER",
	} {
		if _, err := admin.Exec(stmt); err != nil {
			t.Fatalf("pushtest: %s: %v", stmt, err)
		}
	}
	c := pat.NewClient(admin)
	ctx := context.Background()
	if err := c.CreateServiceUser(ctx, pat.ServiceUser{Name: "BI_SVC", DefaultRole: "BI_READER", NetworkPolicy: "LOOPBACK"}); err != nil {
		t.Fatalf("pushtest: %v", err)
	}
	if err := c.GrantRole(ctx, "BI_READER", "BI_SVC"); err != nil {
		t.Fatalf("pushtest: %v", err)
	}
	return &Snowflake{Emulator: srv, Client: c, User: "BI_SVC", Token: "BI"}
}

// Account is the emulated account's identifier.
func (s *Snowflake) Account() string { return s.Emulator.Account() }

// Host is the account's host name as a BI tool stores it,
// <account>.snowflakecomputing.com (the account lowercased, '_' as '-').
// The BI fakes' refreshes reach the emulator whatever the host says.
func (s *Snowflake) Host() string {
	return strings.ReplaceAll(strings.ToLower(s.Account()), "_", "-") + ".snowflakecomputing.com"
}

// AddToken adds the user's token and returns its secret.
func (s *Snowflake) AddToken(t testing.TB) pat.Secret {
	t.Helper()
	res, err := s.Client.Add(context.Background(), s.User, s.Token, pat.AddOptions{RoleRestriction: "BI_READER", DaysToExpiry: 30})
	if err != nil {
		t.Fatalf("pushtest: %v", err)
	}
	return res.Secret
}

// Rotate rotates the user's token: the old secret stops working at once,
// as after a grace that ran out. It returns the new secret.
func (s *Snowflake) Rotate(t testing.TB) pat.Secret {
	t.Helper()
	res, err := s.Client.Rotate(context.Background(), s.User, s.Token, pat.RotateOptions{ExpireImmediately: true})
	if err != nil {
		t.Fatalf("pushtest: %v", err)
	}
	return res.Secret
}

// Login logs in as user with password as a token, exactly as pat.Verify
// does: what a BI fake's refresh calls.
func (s *Snowflake) Login(ctx context.Context, user, password string) error {
	return pat.Verify(ctx, *s.Emulator.AdminConfig(), user, pat.NewSecret(password))
}
