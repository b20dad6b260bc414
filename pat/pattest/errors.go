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

// Codes. Each is Snowflake's own, seen in its documentation, its drivers'
// recorded fixtures or its Terraform provider's live tests; FIDELITY.md
// beside this file says where. The emulator invents no numbers: where
// Snowflake's number for a refusal is unknown it answers with the generic
// code of that class of error (001008 invalid value, 002003 not found,
// 003001 access control) and says so in FIDELITY.md.
const (
	CodeSyntax            = "001003" // SQL compilation error: syntax or unsupported statement
	CodeInvalidValue      = "001008" // invalid value for a parameter
	CodeAlreadyExists     = "002002"
	CodeDoesNotExist      = "002003"
	CodeInsufficientPrivs = "003001"

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

// The refusals below are rules Snowflake documents, but no recorded
// message or number was found for them. Each uses the generic code of its
// class and a message phrased after the documentation; both are marked
// assumed in FIDELITY.md. A client must not rely on their text.

func errTokenLimit(user string) *Error {
	return &Error{CodeInvalidValue, "54000", fmt.Sprintf("Number of programmatic access tokens for user '%s' exceeds the limit of %d.", user, maxTokensPerUser)}
}

func errNetworkPolicyRequired(user string) *Error {
	return &Error{CodeInvalidValue, "28000", fmt.Sprintf("A network policy is required for user '%s' to be given a programmatic access token.", user)}
}

func errRoleRestrictionRequired(userType string) *Error {
	return &Error{CodeInvalidValue, "22023", fmt.Sprintf("ROLE_RESTRICTION is required for programmatic access tokens of %s users.", userType)}
}

func errRoleBlocked(role string) *Error {
	return &Error{CodeInvalidValue, "22023", fmt.Sprintf("Role '%s' is in the BLOCKED_ROLES_LIST of the authentication policy and cannot be used as ROLE_RESTRICTION.", role)}
}

func errPATSession() *Error {
	return &Error{CodeInsufficientPrivs, "42501", "A session authenticated with a programmatic access token cannot manage programmatic access tokens."}
}

func errRotated(name string) *Error {
	return &Error{CodeInvalidValue, "22023", fmt.Sprintf("Programmatic access token '%s' has been rotated and can only expire or be removed.", name)}
}

func errRoleNotGranted(role, user string) *Error {
	return &Error{CodeInvalidValue, "22023", fmt.Sprintf("Role '%s' specified in ROLE_RESTRICTION is not granted to user '%s'.", role, user)}
}

func errRoleRestricted(role string) *Error {
	return &Error{CodeInsufficientPrivs, "42501", fmt.Sprintf("This session is restricted to role '%s' by its programmatic access token.", role)}
}

func errExpiredToken(name string) *Error {
	return &Error{CodeInvalidValue, "22023", fmt.Sprintf("Programmatic access token '%s' has expired and cannot be rotated.", name)}
}

// errPATNotFound is what the Terraform provider's live integration tests
// observe for REMOVE of a token the user does not have: the message
// "Programmatic access token <NAME> not found" (the provider matches
// `Programmatic access token .* not found` and asserts that the text is not
// the generic "does not exist or not authorized"). The number is not
// recorded anywhere we found; 002003 is assumed.
func errPATNotFound(name string) *Error {
	return &Error{CodeDoesNotExist, "02000", fmt.Sprintf("Programmatic access token %s not found", name)}
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

func errUnknownProperty(p prop) *Error {
	return &Error{CodeSyntax, "42000", fmt.Sprintf("SQL compilation error:\ninvalid property '%s' at position %d.", p.key, p.val.pos)}
}
