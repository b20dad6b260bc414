package pattest

import (
	"strings"
	"testing"
)

// FuzzParseStatement feeds arbitrary text to the emulator's SQL front end:
// it must answer with a statement or a Snowflake-shaped error, never panic,
// and a syntax error must carry the compilation error code.
func FuzzParseStatement(f *testing.F) {
	for _, s := range []string{
		"ALTER USER svc ADD PAT t ROLE_RESTRICTION = 'R' DAYS_TO_EXPIRY = 30 COMMENT = 'c'",
		"ALTER USER ROTATE PROGRAMMATIC ACCESS TOKEN t EXPIRE_ROTATED_TOKEN_AFTER_HOURS = 0",
		"ALTER USER u MODIFY PAT t SET DISABLED = TRUE",
		"ALTER USER u MODIFY PAT t UNSET COMMENT, DISABLED",
		"ALTER USER u MODIFY PAT t RENAME TO n",
		"ALTER USER IF EXISTS u REMOVE PAT t",
		"SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER \"x\"\"y\"",
		"CREATE AUTHENTICATION POLICY p PAT_POLICY = (MAX_EXPIRY_IN_DAYS = 30 NETWORK_POLICY_EVALUATION = NOT_ENFORCED)",
		"CREATE NETWORK POLICY n ALLOWED_IP_LIST = ('1.2.3.4/32', '::1') BLOCKED_IP_LIST = ()",
		"SELECT SYSTEM$DECODE_PAT(?), CURRENT_USER()",
		"CREATE USER u COMMENT = 'a\\'b''c'",
		"GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER u TO ROLE r",
		"-- c\n/* d */ SELECT 1;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		st, err := parseStatement(sql)
		if err == nil {
			if st == nil || st.kind() == "" {
				t.Fatalf("nil statement without error for %q", sql)
			}
			return
		}
		if err.Code == "" || err.SQLState == "" || err.Message == "" {
			t.Fatalf("malformed error %#v for %q", err, sql)
		}
		if err.Code == CodeSyntax && !strings.HasPrefix(err.Message, "SQL compilation error") {
			t.Fatalf("syntax error without compilation prefix: %q", err.Message)
		}
	})
}

// FuzzLex checks that quoted identifiers and string literals read back
// exactly what a correct quoter writes, for any content.
func FuzzLex(f *testing.F) {
	f.Add("plain")
	f.Add(`with "quote" and 'apostrophe' and \backslash`)
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || strings.ContainsRune(s, 0) || !isValidUTF8(s) {
			return
		}
		ident := `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		lit := `'` + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + `'`
		toks, err := lex(ident + " = " + lit)
		if err != nil {
			t.Fatalf("lex(%q): %v", s, err)
		}
		if len(toks) != 4 || toks[0].kind != tokQIdent || toks[0].text != s || toks[2].kind != tokString || toks[2].text != s {
			t.Fatalf("round trip of %q gave %#v", s, toks)
		}
	})
}

// FuzzDecodeLoginRequest feeds arbitrary bodies to the login decoder: it
// must not panic, and a body it accepts must re-encode the fields it read.
func FuzzDecodeLoginRequest(f *testing.F) {
	f.Add([]byte(`{"data":{"ACCOUNT_NAME":"A","LOGIN_NAME":"u","AUTHENTICATOR":"PROGRAMMATIC_ACCESS_TOKEN","TOKEN":"t"}}`))
	f.Add([]byte(`{"data":{"PASSWORD":"p"}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := decodeLoginRequest(b)
		if err != nil {
			return
		}
		_ = req.Data.LoginName + req.Data.Token + req.Data.Password + req.Data.Authenticator
	})
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
