package pat

import (
	"strconv"
	"strings"
)

// keyword is SQL text written by this package. It is a distinct type so
// that only constants (which convert implicitly) can be passed where SQL
// keywords go: a string variable holding caller text does not compile
// there, and has to go through ident or lit, that is through quote.go.
type keyword string

// stmt builds one statement. The first quoting error sticks and is
// returned by sql, so builders read as straight-line code.
type stmt struct {
	b   strings.Builder
	err error
}

func (s *stmt) sep() {
	if s.b.Len() > 0 {
		s.b.WriteByte(' ')
	}
}

func (s *stmt) kw(k keyword) *stmt {
	s.sep()
	s.b.WriteString(string(k))
	return s
}

func (s *stmt) ident(name string) *stmt {
	q, err := QuoteIdent(name)
	if err != nil && s.err == nil {
		s.err = err
	}
	s.sep()
	s.b.WriteString(q)
	return s
}

func (s *stmt) lit(text string) *stmt {
	q, err := QuoteLiteral(text)
	if err != nil && s.err == nil {
		s.err = err
	}
	s.sep()
	s.b.WriteString(q)
	return s
}

func (s *stmt) num(n int) *stmt {
	s.sep()
	s.b.WriteString(strconv.Itoa(n))
	return s
}

func (s *stmt) sql() (string, error) {
	if s.err != nil {
		return "", s.err
	}
	return s.b.String(), nil
}

// We write the long forms PROGRAMMATIC ACCESS TOKEN(S) rather than PAT(S):
// they are what the documentation leads with and read unambiguously in
// query history.
const kwPAT keyword = "PROGRAMMATIC ACCESS TOKEN"

// alterToken starts ALTER USER "u" <verb> PROGRAMMATIC ACCESS TOKEN.
func alterToken(user string, verb keyword) *stmt {
	s := &stmt{}
	return s.kw("ALTER USER").ident(user).kw(verb).kw(kwPAT)
}

func addTokenSQL(user, token string, o AddOptions) (string, error) {
	s := alterToken(user, "ADD")
	if o.IfNotExists {
		s.kw("IF NOT EXISTS")
	}
	s.ident(token)
	if o.RoleRestriction != "" {
		s.kw("ROLE_RESTRICTION =").lit(o.RoleRestriction)
	}
	if o.DaysToExpiry != 0 {
		s.kw("DAYS_TO_EXPIRY =").num(o.DaysToExpiry)
	}
	if o.MinsToBypassNetworkPolicy != 0 {
		s.kw("MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT =").num(o.MinsToBypassNetworkPolicy)
	}
	if o.Comment != "" {
		s.kw("COMMENT =").lit(o.Comment)
	}
	return s.sql()
}

func rotateTokenSQL(user, token string, o RotateOptions) (string, error) {
	s := alterToken(user, "ROTATE").ident(token)
	switch {
	case o.ExpireImmediately:
		s.kw("EXPIRE_ROTATED_TOKEN_AFTER_HOURS =").num(0)
	case o.GraceHours > 0:
		s.kw("EXPIRE_ROTATED_TOKEN_AFTER_HOURS =").num(o.GraceHours)
	}
	return s.sql()
}

func modifyToken(user, token string) *stmt {
	return alterToken(user, "MODIFY").ident(token)
}

func setDisabledSQL(user, token string, disabled bool) (string, error) {
	s := modifyToken(user, token).kw("SET DISABLED =")
	if disabled {
		s.kw("TRUE")
	} else {
		s.kw("FALSE")
	}
	return s.sql()
}

func setCommentSQL(user, token, comment string) (string, error) {
	return modifyToken(user, token).kw("SET COMMENT =").lit(comment).sql()
}

func unsetCommentSQL(user, token string) (string, error) {
	return modifyToken(user, token).kw("UNSET COMMENT").sql()
}

func setBypassSQL(user, token string, minutes int) (string, error) {
	return modifyToken(user, token).kw("SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT =").num(minutes).sql()
}

func unsetBypassSQL(user, token string) (string, error) {
	return modifyToken(user, token).kw("UNSET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT").sql()
}

func renameTokenSQL(user, token, newName string) (string, error) {
	return modifyToken(user, token).kw("RENAME TO").ident(newName).sql()
}

// removeTokenSQL uses REMOVE … IF EXISTS (the REMOVE reference page: a
// missing token "does nothing and completes successfully"), so that removing
// is idempotent and a retry after a lost answer is not an error.
func removeTokenSQL(user, token string) (string, error) {
	return alterToken(user, "REMOVE").kw("IF EXISTS").ident(token).sql()
}

func showTokensSQL(user string) (string, error) {
	s := &stmt{}
	return s.kw("SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER").ident(user).sql()
}

// decodeTokenSQL takes the secret as a bind parameter, so the secret is
// never part of the SQL text that Snowflake records in query history and
// may echo in an error.
const decodeTokenSQL = "SELECT SYSTEM$DECODE_PAT(?)"

func createServiceUserSQL(u ServiceUser) (string, error) {
	s := (&stmt{}).kw("CREATE USER")
	if u.IfNotExists {
		s.kw("IF NOT EXISTS")
	}
	s.ident(u.Name).kw("TYPE = SERVICE")
	if u.DefaultRole != "" {
		s.kw("DEFAULT_ROLE =").ident(u.DefaultRole)
	}
	if u.DefaultWarehouse != "" {
		s.kw("DEFAULT_WAREHOUSE =").ident(u.DefaultWarehouse)
	}
	if u.NetworkPolicy != "" {
		s.kw("NETWORK_POLICY =").ident(u.NetworkPolicy)
	}
	if u.Comment != "" {
		s.kw("COMMENT =").lit(u.Comment)
	}
	return s.sql()
}

func grantRoleSQL(role, user string) (string, error) {
	return (&stmt{}).kw("GRANT ROLE").ident(role).kw("TO USER").ident(user).sql()
}

func describeUserSQL(user string) (string, error) {
	return (&stmt{}).kw("DESCRIBE USER").ident(user).sql()
}

// path writes a qualified name, each part quoted: "DB"."SCHEMA"."NAME".
// Empty leading parts are left out.
func (s *stmt) path(parts ...string) *stmt {
	s.sep()
	first := true
	for _, p := range parts {
		if p == "" && first {
			continue
		}
		q, err := QuoteIdent(p)
		if err != nil && s.err == nil {
			s.err = err
		}
		if !first {
			s.b.WriteByte('.')
		}
		s.b.WriteString(q)
		first = false
	}
	return s
}

func showPoliciesOnUserSQL(user string) (string, error) {
	return (&stmt{}).kw("SHOW AUTHENTICATION POLICIES ON USER").ident(user).sql()
}

const showPoliciesOnAccountSQL = "SHOW AUTHENTICATION POLICIES ON ACCOUNT"

func describePolicySQL(database, schema, name string) (string, error) {
	return (&stmt{}).kw("DESCRIBE AUTHENTICATION POLICY").path(database, schema, name).sql()
}

func showGrantsToUserSQL(user string) (string, error) {
	return (&stmt{}).kw("SHOW GRANTS TO USER").ident(user).sql()
}
