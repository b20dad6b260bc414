package pat

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/snowflakedb/gosnowflake"
)

// Cause is why a token secret does or does not log in, as Diagnose found
// it.
type Cause string

// The causes Diagnose tells apart. Snowflake answers a bad, expired,
// disabled, removed or wrong-user token alike (394400), so most of these
// come from asking about the token afterwards, not from the login itself.
const (
	// CauseNone: the secret logs in; nothing is wrong.
	CauseNone Cause = "none"
	// CauseWhitespace: the secret has leading or trailing spaces, tabs or
	// line breaks (a copy/paste error) and is a valid token without them.
	CauseWhitespace Cause = "whitespace"
	// CauseExpired: the token's lifetime is over, or it is the old secret
	// of a rotation whose grace period is over.
	CauseExpired Cause = "expired"
	// CauseDisabled: the token is disabled and its user is not.
	CauseDisabled Cause = "disabled"
	// CauseRevoked: the token was removed, or its user was dropped.
	CauseRevoked Cause = "revoked"
	// CauseWrongUser: the token belongs to another user than the one
	// logging in.
	CauseWrongUser Cause = "wrong_user"
	// CauseUnknownToken: Snowflake does not recognise the text as a token
	// at all: truncated, from another account, or not a PAT.
	CauseUnknownToken Cause = "unknown_token"
	// CauseUserDisabled: the token's user is disabled. It wins over
	// CauseDisabled, because disabling a user disables its tokens.
	CauseUserDisabled Cause = "user_disabled"
	// CauseNetworkPolicyRequired: the user is subject to no network
	// policy, which Snowflake requires by default to use a token (390432).
	CauseNetworkPolicyRequired Cause = "network_policy_required"
	// CauseAddressNotAllowed: the network policy refuses the client's
	// address (390422).
	CauseAddressNotAllowed Cause = "address_not_allowed"
	// CauseRoleNotGranted: the token is restricted to a role the user no
	// longer holds (revoked or dropped), as SHOW GRANTS TO USER shows.
	CauseRoleNotGranted Cause = "role_not_granted"
	// CauseRoleBlocked: the token is restricted to a role that the
	// authentication policy in force lists in BLOCKED_ROLES_LIST; blocking a
	// role invalidates the tokens restricted to it (release 10.15).
	CauseRoleBlocked Cause = "role_blocked"
	// CauseUnknown: the login fails and none of the above explains it.
	CauseUnknown Cause = "unknown"
)

// Diagnosis is what Diagnose found. It never holds the secret: the hint is
// built from names and times only, and LoginErr is scrubbed like every
// error of this package.
type Diagnosis struct {
	Cause Cause
	// Hint is one line a person can act on: what is wrong and what to do.
	Hint string
	// User and TokenName name the token the secret belongs to, as
	// SYSTEM$DECODE_PAT reports them; User is the user Diagnose was asked
	// about when Snowflake does not recognise the secret. TokenName is
	// empty when unknown.
	User, TokenName string
	// ExpiresAt is the token's expiry as SHOW reports it; zero when unknown.
	ExpiresAt time.Time
	// LoginErr is Verify's error: nil when Cause is CauseNone.
	LoginErr error
}

// String returns the cause and the hint on one line.
func (d Diagnosis) String() string { return string(d.Cause) + ": " + d.Hint }

// causeKinds maps a cause to the sentinel its Err matches. The token
// causes map to ErrInvalidToken or one of its children, so that code
// written against Verify's errors keeps working on Err's.
var causeKinds = map[Cause]error{
	CauseWhitespace:            ErrInvalidToken,
	CauseExpired:               ErrTokenExpired,
	CauseDisabled:              ErrTokenDisabled,
	CauseRevoked:               ErrInvalidToken,
	CauseWrongUser:             ErrInvalidToken,
	CauseUnknownToken:          ErrInvalidToken,
	CauseUserDisabled:          ErrUserDisabled,
	CauseNetworkPolicyRequired: ErrNetworkPolicyRequired,
	CauseAddressNotAllowed:     ErrAddressNotAllowed,
	CauseRoleNotGranted:        ErrRoleNotGranted,
	CauseRoleBlocked:           ErrRoleBlocked,
}

// Err returns nil when the token works, and otherwise an error that says
// the cause and hint and matches, under errors.Is, the sentinel for the
// cause (ErrTokenExpired, ErrTokenDisabled, ErrUserDisabled, …; see the
// package documentation) as well as LoginErr. This is where
// ErrTokenExpired and ErrTokenDisabled come from: no login error carries
// them.
func (d Diagnosis) Err() error {
	if d.Cause == CauseNone {
		return nil
	}
	return &diagnosisError{d: d, kind: causeKinds[d.Cause]}
}

type diagnosisError struct {
	d    Diagnosis
	kind error // nil for CauseUnknown
}

func (e *diagnosisError) Error() string { return "pat: diagnose: " + e.d.String() }

func (e *diagnosisError) Unwrap() []error {
	var errs []error
	if e.kind != nil {
		errs = append(errs, e.kind)
	}
	if e.d.LoginErr != nil {
		errs = append(errs, e.d.LoginErr)
	}
	return errs
}

// Diagnose finds out why secret does not log in as user: the
// troubleshooting a person would do by hand, as code. It first logs in with
// Verify (base supplies the account, host and transport, as for Verify).
// When that works the cause is CauseNone. When it fails it asks Snowflake
// about the token through admin, a Client logged in as an administrator:
// SYSTEM$DECODE_PAT (Decode) for which token of which user the secret is
// and its state, DESCRIBE USER (DescribeUser) for a disabled or dropped
// user, and SHOW USER PROGRAMMATIC ACCESS TOKENS (List) for expiry,
// rotation and role restriction.
//
// The returned error is only for failures of the diagnosis itself: admin
// cannot run a statement, ctx ends, or the arguments are unusable (nil
// admin, an invalid user name). A bad token is a Diagnosis, not an error.
// Neither ever contains the secret.
//
// Where the token is only described, not tested, the diagnosis is no
// stronger than what Snowflake reports:
//
//   - When the token is ACTIVE, belongs to the user, the user is enabled,
//     the login still fails with 394400 and the token has a
//     ROLE_RESTRICTION, Diagnose reads the effective PAT policy (PATPolicy)
//     and the user's grants (GrantedRoles): a blocked role is
//     CauseRoleBlocked, a role the user does not hold CauseRoleNotGranted.
//     If admin may read neither, the cause is inferred as
//     CauseRoleNotGranted and the hint says so and names both checks.
//   - After a successful login, and for the network-policy causes, which
//     the login error alone decides, token details (TokenName, ExpiresAt)
//     are looked up on a best-effort basis: if admin fails there, the
//     diagnosis is still returned, without them.
func Diagnose(ctx context.Context, admin *Client, base gosnowflake.Config, user string, secret Secret) (Diagnosis, error) {
	const op = "diagnose"
	if admin == nil {
		return Diagnosis{}, withOp(op, fmt.Errorf("%w: no administrator client", ErrInvalidArgument))
	}
	if err := ValidateUserName(user); err != nil {
		return Diagnosis{}, withOp(op, err)
	}
	dg := diagnoser{ctx: ctx, admin: admin, base: base, user: user}
	d, err := dg.run(secret, true)
	if err != nil {
		return Diagnosis{}, withOp(op, err)
	}
	return d, nil
}

type diagnoser struct {
	ctx   context.Context
	admin *Client
	base  gosnowflake.Config
	user  string
}

// run diagnoses one secret. trim allows the whitespace check, which
// diagnoses the trimmed secret with run again; the second run must not
// recurse.
func (g diagnoser) run(secret Secret, trim bool) (Diagnosis, error) {
	loginErr := Verify(g.ctx, g.base, g.user, secret)
	d := Diagnosis{User: g.user, LoginErr: loginErr}
	if loginErr == nil {
		g.describe(&d, secret)
		d.Cause = CauseNone
		d.Hint = fmt.Sprintf("the token works: it logs in as user %s%s; nothing to do", g.user, expiresPhrase(" and expires ", d.ExpiresAt))
		return d, nil
	}
	if err := g.ctx.Err(); err != nil {
		// The login was cut short, so it says nothing about the token.
		return Diagnosis{}, err
	}
	if strings.TrimSpace(secret.Reveal()) == "" {
		d.Cause = CauseUnknownToken
		d.Hint = "the secret is empty or only whitespace: the token was never stored or was read from the wrong place; check where the secret comes from"
		return d, nil
	}
	var pe *Error
	if !errors.As(loginErr, &pe) {
		d.Cause = CauseUnknown
		d.Hint = "the login got no answer from Snowflake, so the token was not tested: check the account, host and network in the connection settings, then diagnose again"
		return d, nil
	}
	switch {
	case errors.Is(loginErr, ErrInvalidToken), errors.Is(loginErr, ErrBadCredentials):
		return g.investigate(d, secret, trim)
	case errors.Is(loginErr, ErrNetworkPolicyRequired):
		g.describe(&d, secret)
		d.Cause = CauseNetworkPolicyRequired
		d.Hint = fmt.Sprintf("user %s is subject to no network policy, which Snowflake requires to use a token: ALTER USER %s SET NETWORK_POLICY = <a policy admitting the client>",
			g.user, sqlIdent(g.user))
		// Only PERSON users can be given a bypass; offer it unless the
		// user is known to be a service user.
		if info, err := g.admin.DescribeUser(g.ctx, g.user); err != nil || !info.IsService() {
			d.Hint += fmt.Sprintf(", or for a PERSON user a temporary ALTER USER %s MODIFY PROGRAMMATIC ACCESS TOKEN %s SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = <minutes>",
				sqlIdent(g.user), sqlIdentOr(d.TokenName, "<token>"))
		}
		return d, nil
	case errors.Is(loginErr, ErrAddressNotAllowed):
		g.describe(&d, secret)
		d.Cause = CauseAddressNotAllowed
		addr := "the client's address"
		if m := addressRE.FindStringSubmatch(pe.Message); m != nil {
			addr = "the client's address " + m[1]
		}
		policy := "the network policy that applies to user " + g.user
		if info, err := g.admin.DescribeUser(g.ctx, g.user); err == nil && info.NetworkPolicy != "" {
			policy = fmt.Sprintf("network policy %s of user %s", info.NetworkPolicy, g.user)
		}
		d.Hint = fmt.Sprintf("%s is not allowed by %s: connect from an address in its ALLOWED_IP_LIST, or have an administrator add this address to it", addr, policy)
		return d, nil
	case errors.Is(loginErr, ErrUserDisabled):
		g.describe(&d, secret)
		d.Cause = CauseUserDisabled
		d.Hint = fmt.Sprintf("user %s is disabled: re-enable it with ALTER USER %s SET DISABLED = FALSE, then re-enable its tokens, which stay disabled", g.user, sqlIdent(g.user))
		return d, nil
	}
	d.Cause = CauseUnknown
	d.Hint = fmt.Sprintf("the login failed with Snowflake error %d, which does not say the token is bad: read LoginErr; check the authentication policy of user %s or the account (its AUTHENTICATION_METHODS must include PROGRAMMATIC_ACCESS_TOKEN) and the connection settings (account, role, warehouse)", pe.Code, g.user)
	return d, nil
}

// addressRE finds the address in Snowflake's 390422 message, "IP 1.2.3.4
// is not allowed to access Snowflake".
var addressRE = regexp.MustCompile(`(?i)\bIP (\S+) is not allowed`)

// rotatedNameRE matches the name Snowflake gives a rotated-out secret,
// <NAME>_ROTATED_<epoch millis>, for when SHOW no longer lists it.
var rotatedNameRE = regexp.MustCompile(`^(.+)_ROTATED_[0-9]+$`)

// investigate explains a login refused as an invalid token.
func (g diagnoser) investigate(d Diagnosis, secret Secret, trim bool) (Diagnosis, error) {
	text := secret.Reveal()
	trimmed := strings.TrimSpace(text)
	hasSpace := trimmed != text
	if hasSpace && trim {
		// Confirm that the text without the whitespace is a token before
		// blaming the whitespace, then diagnose that text: it may have a
		// second problem the user would meet right after fixing the first.
		clean := NewSecret(trimmed)
		_, err := g.admin.Decode(g.ctx, clean)
		switch {
		case err == nil:
			inner, err := g.run(clean, false)
			if err != nil {
				return Diagnosis{}, err
			}
			out := inner
			out.Cause = CauseWhitespace
			out.LoginErr = d.LoginErr
			out.Hint = fmt.Sprintf("the secret has surrounding whitespace (%s), likely from a copy/paste: remove it where the secret is stored", describeWhitespace(text))
			if inner.Cause == CauseNone {
				out.Hint += "; without it the token works"
			} else {
				out.Hint += "; even then it will fail: " + inner.Hint
			}
			return out, nil
		case !errors.Is(err, ErrInvalidToken):
			return Diagnosis{}, err
		}
	}

	dec, err := g.admin.Decode(g.ctx, secret)
	if errors.Is(err, ErrInvalidToken) {
		d.Cause = CauseUnknownToken
		d.Hint = "Snowflake does not recognise this secret as a token (truncated, from another account, or not a programmatic access token): copy the complete secret again from where it was first stored, or create a new token"
		if hasSpace {
			d.Hint = "Snowflake does not recognise this secret as a token, even without its surrounding whitespace (truncated, from another account, or not a programmatic access token): copy the complete secret again, or create a new token"
		}
		return d, nil
	}
	if err != nil {
		return Diagnosis{}, err
	}
	owner, name := dec.UserName, dec.TokenName
	state := strings.ToUpper(strings.TrimSpace(dec.State))
	d.User, d.TokenName = owner, name

	// Login names compare case-insensitively, and a user's login name may
	// differ from its name: the token is the wrong user's only when the
	// owner can be told apart from user by both.
	sameUser := strings.EqualFold(owner, g.user)
	info, err := g.admin.DescribeUser(g.ctx, owner)
	ownerGone := errors.Is(err, ErrNotFound)
	if err != nil && !ownerGone {
		return Diagnosis{}, err
	}
	if !sameUser && !ownerGone && info.LoginName != "" && strings.EqualFold(info.LoginName, g.user) {
		sameUser = true
	}
	if !sameUser {
		d.Cause = CauseWrongUser
		also := ""
		switch {
		case ownerGone:
			also = " (and that user no longer exists)"
		case state != "ACTIVE" && state != "":
			also = fmt.Sprintf(" (and it is %s)", state)
		}
		d.Hint = fmt.Sprintf("this is token %s of user %s, not of user %s%s: log in as %s, or use a token of %s", name, owner, g.user, also, owner, g.user)
		return d, nil
	}
	if ownerGone {
		d.Cause = CauseRevoked
		d.Hint = fmt.Sprintf("user %s no longer exists, and its tokens went with it: recreate the user and give it a new token", owner)
		return d, nil
	}
	if info.Disabled {
		d.Cause = CauseUserDisabled
		d.Hint = fmt.Sprintf("user %s is disabled: re-enable it with ALTER USER %s SET DISABLED = FALSE", owner, sqlIdent(owner))
		if state == "DISABLED" {
			d.Hint += fmt.Sprintf(", then the token, which stays disabled: ALTER USER %s MODIFY PROGRAMMATIC ACCESS TOKEN %s SET DISABLED = FALSE", sqlIdent(owner), sqlIdent(name))
		}
		return d, nil
	}

	tokens, err := g.admin.List(g.ctx, owner)
	if err != nil {
		return Diagnosis{}, err
	}
	var tok Token
	listed := false
	for _, t := range tokens {
		if t.Name == name {
			tok, listed = t, true
			break
		}
	}
	d.ExpiresAt = tok.ExpiresAt

	switch {
	case state == "REMOVED":
		return revoked(d), nil
	case state == "EXPIRED" || listed && tok.Status == StatusExpired:
		d.Cause = CauseExpired
		replacement := tok.RotatedTo
		if m := rotatedNameRE.FindStringSubmatch(name); replacement == "" && m != nil {
			replacement = m[1]
		}
		if replacement != "" {
			d.Hint = fmt.Sprintf("this is the old secret of token %s of user %s: it was rotated out (as %s) and its grace period ended%s; use the current secret of token %s, which replaced it", replacement, owner, name, expiresPhrase(" at ", d.ExpiresAt), replacement)
		} else {
			d.Hint = fmt.Sprintf("token %s of user %s expired%s: create a new token and store its secret, and rotate before expiry from now on", name, owner, expiresPhrase(" ", d.ExpiresAt))
		}
		return d, nil
	case !listed:
		// SYSTEM$DECODE_PAT still knows the secret, but SHOW no longer
		// lists an unexpired token: it was removed.
		return revoked(d), nil
	case state == "DISABLED" || tok.Status == StatusDisabled:
		d.Cause = CauseDisabled
		// Re-enabling revives this very secret, which is wrong if it leaked
		// (secret scanning disables leaked tokens), so the hint offers
		// replacing it too. Removing is the documented way out for any
		// token; whether Snowflake rotates a disabled one is not.
		d.Hint = fmt.Sprintf("token %s of user %s is disabled (by an administrator, by secret scanning after a leak, or while its user was disabled): if it did not leak, re-enable it with ALTER USER %s MODIFY PROGRAMMATIC ACCESS TOKEN %s SET DISABLED = FALSE; if it may have, remove it and create a new one",
			name, owner, sqlIdent(owner), sqlIdent(name))
		return d, nil
	case state == "ACTIVE" && !errors.Is(d.LoginErr, ErrInvalidToken):
		// 390100 rather than 394400: Snowflake did not get as far as
		// judging the token, so neither may we.
		d.Cause = CauseUnknown
		d.Hint = fmt.Sprintf("token %s of user %s is active, but Snowflake refused the login as a bad user name or credentials: check the account and the user in the connection settings", name, owner)
		return d, nil
	case state == "ACTIVE" && tok.RoleRestriction != "":
		return g.roleCause(d, owner, name, tok.RoleRestriction)
	case state == "ACTIVE":
		d.Cause = CauseUnknown
		d.Hint = fmt.Sprintf("token %s of user %s is active and Snowflake still refuses it: check the authentication policy (MAX_EXPIRY_IN_DAYS lowered below the token's lifetime, or AUTHENTICATION_METHODS without PROGRAMMATIC_ACCESS_TOKEN) and the account in the connection settings", name, owner)
		return d, nil
	}
	d.Cause = CauseUnknown
	d.Hint = fmt.Sprintf("Snowflake reports token %s of user %s in state %q, which Diagnose does not know: check SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER %s", name, owner, dec.State, sqlIdent(owner))
	return d, nil
}

func revoked(d Diagnosis) Diagnosis {
	d.Cause = CauseRevoked
	d.Hint = fmt.Sprintf("token %s of user %s was removed (revoked): create a new token and replace the secret wherever it is stored", d.TokenName, d.User)
	return d
}

// describe fills in the token's name, owner and expiry where the login
// error alone decided the cause. It is best effort: the cause is known
// without these details, so a failing admin connection must not turn a
// finished diagnosis into an error.
func (g diagnoser) describe(d *Diagnosis, secret Secret) {
	dec, err := g.admin.Decode(g.ctx, secret)
	if err != nil {
		return
	}
	d.User, d.TokenName = dec.UserName, dec.TokenName
	if tok, err := g.admin.Get(g.ctx, dec.UserName, dec.TokenName); err == nil {
		d.ExpiresAt = tok.ExpiresAt
	}
}
