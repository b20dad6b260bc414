package pat

import (
	"context"
	"fmt"

	"github.com/snowflakedb/gosnowflake"
)

// Verify logs in as user with the token secret, exactly as a service using
// it would (gosnowflake's AuthTypePat), and logs out: two requests. The
// login is the whole test — Snowflake checks there everything that decides
// whether the secret works (the token's state and expiry, the user, the
// network policy, the restricted role) — so no statement is run. base
// supplies the account, host and any transport settings; its credentials
// are replaced. A nil error means the secret works now. A failed login is
// classified like every other error (ErrInvalidToken, ErrBadCredentials,
// ErrNetworkPolicyRequired, ErrAddressNotAllowed, ErrUserDisabled, …) and
// its text never contains the secret. A base that would send the token in
// clear (Protocol "http" to a host that is not loopback) is refused with
// ErrInsecureTransport before anything is sent; VerifierWith can allow it.
func Verify(ctx context.Context, base gosnowflake.Config, user string, secret Secret) error {
	return verify(ctx, base, user, secret, LoginOptions{})
}

func verify(ctx context.Context, base gosnowflake.Config, user string, secret Secret, o LoginOptions) error {
	if err := ValidateUserName(user); err != nil {
		return withOp("verify", err)
	}
	if secret.IsZero() {
		return withOp("verify", fmt.Errorf("%w: token secret is empty", ErrInvalidArgument))
	}
	cfg := LoginConfig(base, user, secret)
	if err := CheckTransport(cfg, o); err != nil {
		return withOp("verify", err)
	}
	// A probe, not a workload: the driver's client telemetry would be one
	// more request per verification, sent as the session closes. The field
	// is deprecated in favour of a session parameter the driver does not
	// read yet (v1.x); it is still what turns telemetry off.
	//lint:ignore SA1019 no replacement exists in the driver version we pin.
	cfg.DisableTelemetry = true
	conn, err := gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, cfg).Connect(ctx)
	if err == nil {
		// Closing logs the session out; the driver reports no failure of
		// it, and a session left behind only times out.
		err = conn.Close()
	}
	return withOp("verify", mapError(err, secret))
}

// Verifier returns a function that verifies secrets against base, the
// shape policy.Engine takes.
func Verifier(base gosnowflake.Config) func(ctx context.Context, user string, secret Secret) error {
	return VerifierWith(base, LoginOptions{})
}

// VerifierWith is Verifier with what o allows beyond the secure default
// (plain HTTP to a host that is not loopback).
func VerifierWith(base gosnowflake.Config, o LoginOptions) func(ctx context.Context, user string, secret Secret) error {
	return func(ctx context.Context, user string, secret Secret) error {
		return verify(ctx, base, user, secret, o)
	}
}
