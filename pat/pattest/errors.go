package pattest

import "fmt"

// Error is a Snowflake-shaped failure: the emulator sends it as
// {"success":false,"code":…,"message":…,"data":{"sqlState":…,"queryId":…}},
// and gosnowflake turns it into a *gosnowflake.SnowflakeError with the same
// Number, SQLState and Message. Tests use it to inject failures.
type Error struct {
	Code     string // six digits, e.g. "002003"
	SQLState string // five characters, e.g. "02000"
	Message  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%s): %s", e.Code, e.SQLState, e.Message) }

// The codes below that Snowflake documents (login codes, 001003, 002002,
// 002003, 003001, 390112) are Snowflake's own. Snowflake does not document
// codes for the PAT management refusals, so the emulator uses the 3944xx
// range next to 394400 for them and says so here; clients should match on
// both code and message, as package pat does.
const (
	CodeSyntax            = "001003" // SQL compilation error: syntax or unsupported statement
	CodeInvalidValue      = "001008" // invalid value for a parameter
	CodeAlreadyExists     = "002002"
	CodeDoesNotExist      = "002003"
	CodeInsufficientPrivs = "003001"
	CodeTokenLimit        = "394401"
	CodeNetworkPolicyReq  = "394402" // SERVICE user without network policy given a PAT
	CodeRoleRestrictReq   = "394403"
	CodePATSession        = "394404" // PAT-authenticated session managing PATs
	CodeRotatedToken      = "394405" // rotated-out token can only expire or be removed
	CodeRoleNotGranted    = "394406"
	CodeRoleRestricted    = "394407" // USE ROLE in a role-restricted session

	CodeInvalidPAT           = "394400"
	CodeBadPassword          = "390100"
	CodeUserDisabled         = "390101"
	CodeSessionExpired       = "390112"
	CodeMasterTokenExpired   = "390114"
	CodeJWTInvalid           = "390144"
	CodeAuthPolicyRejected   = "390186"
	CodeAddressNotAllowed    = "390422"
	CodeNetworkPolicyMissing = "390432"
)

func errSyntax(pos int, near string) *Error {
	if near == "" {
		return &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d unexpected '<EOF>'.", pos)}
	}
	return &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\nsyntax error line 1 at position %d unexpected '%s'.", pos, near)}
}

func errUnsupported(what string) *Error {
	return &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\nunsupported statement or feature: %s", what)}
}

func errInvalidValue(param, value string) *Error {
	return &Error{CodeInvalidValue, "22023", fmt.Sprintf("SQL compilation error:\ninvalid value [%s] for parameter '%s'", value, param)}
}

func errNotExist(kind, name string) *Error {
	return &Error{CodeDoesNotExist, "02000", fmt.Sprintf("SQL compilation error:\n%s '%s' does not exist or not authorized.", kind, name)}
}

func errExists(name string) *Error {
	return &Error{CodeAlreadyExists, "42710", fmt.Sprintf("SQL compilation error:\nObject '%s' already exists.", name)}
}

func errPrivileges(what string) *Error {
	return &Error{CodeInsufficientPrivs, "42501", fmt.Sprintf("SQL access control error:\nInsufficient privileges to operate on %s", what)}
}

func errTokenLimit(user string) *Error {
	return &Error{CodeTokenLimit, "54000", fmt.Sprintf("Number of programmatic access tokens for user '%s' exceeds the limit of %d.", user, maxTokensPerUser)}
}

func errNetworkPolicyRequired(user string) *Error {
	return &Error{CodeNetworkPolicyReq, "28000", fmt.Sprintf("A network policy is required for user '%s' to be given a programmatic access token.", user)}
}

func errRoleRestrictionRequired() *Error {
	return &Error{CodeRoleRestrictReq, "22023", "ROLE_RESTRICTION is required for programmatic access tokens of service users."}
}

func errPATSession() *Error {
	return &Error{CodePATSession, "42501", "A session authenticated with a programmatic access token cannot manage programmatic access tokens."}
}

func errRotated(name string) *Error {
	return &Error{CodeRotatedToken, "22023", fmt.Sprintf("Programmatic access token '%s' has been rotated and can only expire or be removed.", name)}
}

func errRoleNotGranted(role, user string) *Error {
	return &Error{CodeRoleNotGranted, "22023", fmt.Sprintf("Role '%s' specified in ROLE_RESTRICTION is not granted to user '%s'.", role, user)}
}

func errRoleRestricted(role string) *Error {
	return &Error{CodeRoleRestricted, "42501", fmt.Sprintf("This session is restricted to role '%s' by its programmatic access token.", role)}
}

// Login failures. 394400 is deliberately the same for a bad, expired,
// disabled or wrong-user token: Snowflake does not tell them apart.
var (
	errLoginInvalidPAT     = &Error{CodeInvalidPAT, "08004", "Programmatic access token is invalid."}
	errLoginBadPassword    = &Error{CodeBadPassword, "08004", "Incorrect username or password was specified."}
	errLoginUserDisabled   = &Error{CodeUserDisabled, "08004", "User access disabled. Contact your local system administrator."}
	errLoginJWT            = &Error{CodeJWTInvalid, "08004", "JWT token is invalid."}
	errLoginAuthPolicy     = &Error{CodeAuthPolicyRejected, "08004", "Authentication attempt rejected by the current authentication policy."}
	errLoginNetworkMissing = &Error{CodeNetworkPolicyMissing, "08004", "Network policy is required."}
	errSessionExpired      = &Error{CodeSessionExpired, "08001", "Authentication token has expired.  The user must authenticate again."}
	errMasterExpired       = &Error{CodeMasterTokenExpired, "08001", "Authentication token has expired.  The user must authenticate again."}
)

func errLoginAddress(ip string) *Error {
	return &Error{CodeAddressNotAllowed, "08004", fmt.Sprintf("IP %s is not allowed to access Snowflake.  Contact your local security administrator or please create a case with Snowflake Support or reach us on our support line.", ip)}
}

var errSessionGone = &Error{"390111", "08001", "Session no longer exists.  New login required to access the service."}

func errExpiredToken(name string) *Error {
	return &Error{"394408", "22023", fmt.Sprintf("Programmatic access token '%s' has expired and cannot be rotated.", name)}
}

func errUnknownProperty(p prop) *Error {
	return &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\ninvalid property '%s' at position %d.", p.key, p.val.pos)}
}
