package pat

import (
	"regexp"
	"strings"
)

// Classification. A Snowflake error gets a sentinel only on evidence of
// what Snowflake itself sends:
//
//  1. its code, when the code is one whose meaning is confirmed by
//     Snowflake's documentation, its drivers' recorded fixtures or its
//     Terraform provider's live tests (codeKinds);
//  2. otherwise its message, when it matches a message recorded from live
//     Snowflake (messageRules), with quoted names and bracketed values
//     blanked first so that a user called 'already exists' cannot steer
//     the match;
//  3. otherwise nothing: the *Error keeps Code, SQLState and Message, its
//     Kind is nil and it matches ErrUnclassified.
//
// Refusals whose text Snowflake does not publish (the 15-token limit, a
// missing role restriction, a PAT session managing tokens, a rotated-out
// token, a role not granted) are deliberately not guessed at: they arrive
// under whatever generic code Snowflake uses, classified by that code or
// not at all. Each entry names its source; the table test in
// classify_test.go holds the messages as the sources record them.

// codeKinds are the confirmed codes.
var codeKinds = map[int]error{
	394400: ErrInvalidToken,          // gosnowflake fixture auth/pat/invalid_token.json; its PAT live tests
	390100: ErrBadCredentials,        // gosnowflake fixture auth/password/invalid_password.json
	390144: ErrBadCredentials,        // gosnowflake keypair live test (JWT token is invalid)
	390432: ErrNetworkPolicyRequired, // Snowflake PAT guide: network policy required to use a token
	2003:   ErrNotFound,              // "… does not exist or not authorized" (Terraform live tests)
	2002:   ErrAlreadyExists,         // "Object '…' already exists."
	3001:   ErrPermissionDenied,      // "SQL access control error: Insufficient privileges …"
	1008:   ErrInvalidArgument,       // "invalid value [...] for parameter '…'" (Terraform live test logs)
}

type messageRule struct {
	kind error
	re   *regexp.Regexp // matched against the lower-cased, blanked message
}

// messageRules are recorded Snowflake messages, most specific first.
var messageRules = []messageRule{
	// Terraform provider sdk/errors.go matches `Programmatic access token .* not found`;
	// its live test removes a missing token and gets this text.
	{ErrNotFound, regexp.MustCompile(`programmatic access token .+ not found`)},
	{ErrInvalidToken, regexp.MustCompile(`programmatic access token is invalid`)},           // gosnowflake fixture
	{ErrBadCredentials, regexp.MustCompile(`incorrect username or password was specified`)}, // gosnowflake fixture
	{ErrBadCredentials, regexp.MustCompile(`jwt token is invalid`)},                         // gosnowflake keypair test
	{ErrUserDisabled, regexp.MustCompile(`user access disabled`)},                           // Snowflake login message
	{ErrAddressNotAllowed, regexp.MustCompile(`ip \S+ is not allowed to access snowflake`)}, // Snowflake login message
	{ErrNetworkPolicyRequired, regexp.MustCompile(`network policy is required`)},            // Snowflake login message (390432)
	{ErrNotFound, regexp.MustCompile(`does not exist or not authorized`)},                   // Terraform sdk/errors.go
	{ErrAlreadyExists, regexp.MustCompile(`already exists`)},
	{ErrPermissionDenied, regexp.MustCompile(`insufficient privileges`)},
	{ErrInvalidArgument, regexp.MustCompile(`invalid value \[\] for parameter`)}, // Terraform live test logs
}

var (
	quotedRE  = regexp.MustCompile(`'[^']*'`)
	bracketRE = regexp.MustCompile(`\[[^\]]*\]`)
)

// classify returns the sentinel for a Snowflake error, or nil.
func classify(code int, message string) error {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	m := strings.ToLower(bracketRE.ReplaceAllString(quotedRE.ReplaceAllString(message, "''"), "[]"))
	for _, r := range messageRules {
		if r.re.MatchString(m) {
			return r.kind
		}
	}
	return nil
}
