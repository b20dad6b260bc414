package policy

import (
	"fmt"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// Observed is everything Evaluate looks at for one target: what Snowflake
// and the stores said when the engine looked. Gathering it is the only
// input/output a plan needs; Evaluate itself is a pure function of it.
type Observed struct {
	// UserErr is set when the user could not be described (for example
	// pat.ErrNotFound); User is then nil.
	User    *pat.UserInfo
	UserErr error
	// Tokens are every token of the user, as SHOW lists them.
	Tokens    []pat.Token
	TokensErr error
	// Stores holds one entry per target store, in the target's order.
	Stores []StoreState
	// PATPolicy is the PAT_POLICY of the authentication policy in force
	// for the user (its maximum lifetime, whether a role restriction is
	// required, the blocked roles); nil when the administrator may not
	// read it, with PATPolicyErr saying why. Unknown, it constrains
	// nothing: Snowflake decides.
	PATPolicy    *pat.PATPolicy
	PATPolicyErr error
	// GrantedRoles are the roles granted to the user, when RolesKnown (the
	// administrator may not be allowed to read grants).
	GrantedRoles []string
	RolesKnown   bool
	// Pushes holds one entry per push destination, in the target's order:
	// which secret each last received.
	Pushes []PushState

	// partial: some of the target's stores could not be read and are left
	// out of Stores. What they hold is unknown, so no live token may be
	// removed on this view: one of them may hold its secret.
	partial bool
}

// PushState is what is known of one push destination: the fingerprint of
// the secret it last received, "" when nothing was recorded (or the
// records could not be read: pushing again is harmless).
type PushState struct {
	URL         string
	Fingerprint string
	Token       string
	At          time.Time
}

// StoreState is what one store holds for the target.
type StoreState struct {
	URL string
	// Err is set when the store could not be opened or read; nothing else
	// is known.
	Err error
	// Current, Pending and Previous are the versions with those stages,
	// nil when there is none.
	Current  *StoredVersion
	Pending  *StoredVersion
	Previous *StoredVersion
}

// StoredVersion is one stored version of the target's secret.
type StoredVersion struct {
	ID      string
	Created time.Time
	// Metadata is what was written with the version; snowpat records the
	// user and token a secret belongs to (snowflake_user, token_name).
	Metadata map[string]string
	// Token is the decoded value; DecodeErr is set if it did not decode.
	Token     pat.StoredToken
	DecodeErr error
	// Snowflake is what SYSTEM$DECODE_PAT says the secret is; nil when it
	// could not say (an unknown or damaged secret), with SnowflakeErr set.
	Snowflake    *pat.DecodedToken
	SnowflakeErr error
}

// liveSecretOf reports whether v holds a working secret of token name of
// the target's user: Snowflake calls it ACTIVE and attributes it to that
// token and user, and the stored value does not name another user.
func (v *StoredVersion) liveSecretOf(t *Target, name string) bool {
	return v.works(t) && v.Snowflake.TokenName == name
}

// works reports whether v holds a secret that logs in as the target's user
// as far as SYSTEM$DECODE_PAT can tell, and does not name another user.
func (v *StoredVersion) works(t *Target) bool {
	return v.secretWorks(t) && (v.Token.User == "" || v.Token.User == t.User)
}

// secretWorks reports whether the secret v holds logs in as the target's
// user, whatever the stored value's other fields say: such a secret can be
// rewritten in the target's form rather than replaced.
func (v *StoredVersion) secretWorks(t *Target) bool {
	return v != nil && v.DecodeErr == nil && v.Snowflake != nil &&
		v.Snowflake.State == string(pat.StatusActive) && v.Snowflake.UserName == t.User
}

// mismatch says why v, a store's current version, is not what the target
// needs — the active token's working secret, for the target's user, in the
// target's format, without stray whitespace — or "" when it is.
func (v *StoredVersion) mismatch(t *Target, active string) string {
	switch {
	case v == nil:
		return "holds no secret"
	case v.DecodeErr != nil:
		return fmt.Sprintf("holds a value snowpat cannot read (%v)", v.DecodeErr)
	case v.Token.User != "" && v.Token.User != t.User:
		return fmt.Sprintf("holds a secret for user %s, not %s", v.Token.User, t.User)
	case v.Snowflake == nil:
		return "holds a secret Snowflake does not recognise"
	case v.Snowflake.UserName != t.User:
		return fmt.Sprintf("holds a token of user %s, not %s: it cannot log in as the target's user", v.Snowflake.UserName, t.User)
	case v.Snowflake.TokenName != active:
		return fmt.Sprintf("holds the secret of %s (%s), not of the active token %s", v.Snowflake.TokenName, v.Snowflake.State, active)
	case v.Snowflake.State != string(pat.StatusActive):
		return fmt.Sprintf("holds a secret Snowflake reports as %s", v.Snowflake.State)
	}
	return v.formMismatch(t, active)
}

// formMismatch is mismatch for a version known to hold the live secret of
// token active for the target's user (liveSecretOf(t, active)), which
// answers every question mismatch asks before these: what is left is the
// form the secret is stored in.
func (v *StoredVersion) formMismatch(t *Target, active string) string {
	switch {
	case v.Token.WhitespaceTrimmed:
		return "holds the token with surrounding whitespace: a BI tool that sends it verbatim is refused"
	case v.Token.Format != t.format():
		return fmt.Sprintf("holds the secret as %s, the target says %s", v.Token.Format, t.format())
	case v.Token.Format == pat.FormatJSON && v.Token.TokenName != "" && v.Token.TokenName != active:
		return fmt.Sprintf("names token %s, not %s", v.Token.TokenName, active)
	case v.Token.Format == pat.FormatJSON && t.Account != "" && v.Token.Account != "" && v.Token.Account != t.Account:
		return fmt.Sprintf("names account %s, not %s", v.Token.Account, t.Account)
	}
	return ""
}

// foreignOwner names the other target whose live secret v holds — it was
// written by snowpat for a user or token outside t's family, and Snowflake
// says it works — or "" when v is not another target's. Overwriting it
// would cut that target's consumers off, and it would overwrite this one's
// on its next pass.
func (o *Observed) foreignOwner(t *Target, v *StoredVersion) string {
	if v == nil || v.Snowflake == nil || v.Snowflake.State != string(pat.StatusActive) {
		return ""
	}
	d := v.Snowflake
	if d.UserName == t.User {
		// A generation's name is the family's whether or not SHOW lists
		// it, so only another name is looked up (a rotated-out token's).
		if isGeneration(t, d.TokenName) {
			return ""
		}
		if tok := o.token(d.TokenName); tok != nil && owns(t, tok) {
			return ""
		}
	}
	// Asked last: a pass mostly finds the target's own secret, and then
	// reads no map.
	if v.Metadata["snowflake_user"] == "" {
		return ""
	}
	return d.UserName + "/" + d.TokenName
}

// maxDays is the account's maximum token lifetime, 0 when unknown.
func (o *Observed) maxDays() int {
	if o.PATPolicy == nil {
		return 0
	}
	return o.PATPolicy.MaxExpiryDays
}

// roleRequired says whether the policy in force requires a role
// restriction for the user's tokens; unknown is false, and Snowflake
// decides.
func (o *Observed) roleRequired() bool {
	return o.PATPolicy != nil && o.User != nil && o.PATPolicy.RequiresRoleRestriction(o.User.Type)
}

func (o *Observed) token(name string) *pat.Token {
	for i := range o.Tokens {
		if o.Tokens[i].Name == name {
			return &o.Tokens[i]
		}
	}
	return nil
}
