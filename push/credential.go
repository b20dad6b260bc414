package push

import (
	"fmt"
	"log/slog"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push/driver"
)

// Credential is what a push writes into every Snowflake connection of a
// destination: the Snowflake user and its token secret, sent as the
// connection's password with the password embedded.
//
// Printing, logging or encoding a Credential never shows the secret:
// pat.Secret redacts itself, and Credential's own String and LogValue name
// only the account, the user and the version.
type Credential struct {
	// Account is the Snowflake account identifier the token belongs to.
	// A push refuses content whose Snowflake connections point at another
	// account; see MatchAccount for the rule.
	Account string
	// User is the Snowflake user the connections log in as.
	User string
	// Secret is the token secret.
	Secret pat.Secret
	// Version is an opaque id of the stored version the secret came from,
	// such as a secret store's version id, for log lines. It is never
	// sent to the BI tool.
	Version string
}

// String describes the credential without its secret.
func (c Credential) String() string {
	return fmt.Sprintf("push.Credential{Account:%q User:%q Version:%q Secret:%s}", c.Account, c.User, c.Version, c.Secret)
}

// GoString is used by %#v; the secret is redacted.
func (c Credential) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without the secret.
func (c Credential) LogValue() slog.Value {
	return slog.GroupValue(slog.String("account", c.Account), slog.String("user", c.User),
		slog.String("version", c.Version), slog.Any("secret", c.Secret))
}

// validate checks the credential before anything is sent.
func (c Credential) validate() error {
	if _, ok := accountKey(c.Account); !ok {
		return fmt.Errorf("the account %q is not a Snowflake account identifier", c.Account)
	}
	if err := pat.ValidateUserName(c.User); err != nil {
		return fmt.Errorf("the user: %v", err)
	}
	if c.Secret.IsZero() {
		return fmt.Errorf("the secret is empty")
	}
	return nil
}

func (c Credential) driver() driver.Credential {
	return driver.Credential{Account: c.Account, User: c.User, Secret: c.Secret, Version: c.Version}
}
