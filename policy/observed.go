package policy

import (
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
	// AccountMaxDays is the account's MAX_EXPIRY_IN_DAYS if known, else 0.
	AccountMaxDays int
}

// StoreState is what one store holds for the target.
type StoreState struct {
	URL string
	// Err is set when the store could not be read; nothing else is known.
	Err error
	// Current and Pending are the versions with those stages, nil when
	// there is none.
	Current  *StoredVersion
	Pending  *StoredVersion
	Previous *StoredVersion
}

// StoredVersion is one stored version of the target's secret.
type StoredVersion struct {
	ID      string
	Created time.Time
	// Token is the decoded value; DecodeErr is set if it did not decode.
	Token     pat.StoredToken
	DecodeErr error
	// Snowflake is what SYSTEM$DECODE_PAT says the secret is; nil when it
	// could not say (an unknown or damaged secret), with SnowflakeErr set.
	Snowflake    *pat.DecodedToken
	SnowflakeErr error
}

// names is the token this stored secret belongs to according to Snowflake,
// and whether Snowflake calls it active.
func (v *StoredVersion) activeAs(name string) bool {
	return v != nil && v.DecodeErr == nil && v.Snowflake != nil &&
		v.Snowflake.State == string(pat.StatusActive) && v.Snowflake.TokenName == name
}

func (o Observed) token(name string) *pat.Token {
	for i := range o.Tokens {
		if o.Tokens[i].Name == name {
			return &o.Tokens[i]
		}
	}
	return nil
}
