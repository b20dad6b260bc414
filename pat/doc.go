// Package pat manages Snowflake programmatic access tokens (PATs): typed,
// injection-safe token operations over database/sql and gosnowflake,
// service-user setup, a redacting Secret type, error classification and the
// token's stored format.
//
// # Overview
//
// A Client wraps a *sql.DB logged in as an administrator by any method
// except a PAT (Snowflake refuses token management in a PAT session):
//
//	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, cfg))
//	c := pat.NewClient(db)
//	res, err := c.Add(ctx, "POWERBI_SVC", "POWERBI", pat.AddOptions{
//		RoleRestriction: "BI_READER", DaysToExpiry: 90, ServiceUser: true,
//	})
//	// store res.Secret now: Snowflake never shows it again
//
// Names are passed as Snowflake stores them and are always sent quoted:
// an unquoted powerbi_svc in SQL is the user POWERBI_SVC, so pass
// "POWERBI_SVC", or NormalizeName("powerbi_svc"). Token names are the
// exception: Snowflake stores them upper case only, and this package
// upper-cases them for you.
//
// # Operations
//
// Every operation is one documented Snowflake statement, built from
// constants and text quoted by QuoteIdent and QuoteLiteral only:
//
//	Add                       ALTER USER u ADD PROGRAMMATIC ACCESS TOKEN [IF NOT EXISTS] n [ROLE_RESTRICTION = …] [DAYS_TO_EXPIRY = …] [MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = …] [COMMENT = …]
//	Rotate                    ALTER USER u ROTATE PROGRAMMATIC ACCESS TOKEN n [EXPIRE_ROTATED_TOKEN_AFTER_HOURS = …]
//	Disable, Enable           ALTER USER u MODIFY PROGRAMMATIC ACCESS TOKEN n SET DISABLED = TRUE|FALSE
//	SetComment, UnsetComment  … MODIFY … SET COMMENT = … / UNSET COMMENT
//	SetNetworkPolicyBypass    … MODIFY … SET MINS_TO_BYPASS_NETWORK_POLICY_REQUIREMENT = … (Unset… to end it)
//	Rename                    … MODIFY … RENAME TO m
//	Remove, RemoveAll         ALTER USER u REMOVE PROGRAMMATIC ACCESS TOKEN n
//	List, Get                 SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER u
//	Decode                    SELECT SYSTEM$DECODE_PAT(?), the secret bound, never in the text
//	CreateServiceUser         CREATE USER [IF NOT EXISTS] u TYPE = SERVICE [DEFAULT_ROLE = …] [DEFAULT_WAREHOUSE = …] [NETWORK_POLICY = …] [COMMENT = …]
//	GrantRole                 GRANT ROLE r TO USER u
//	DescribeUser              DESCRIBE USER u
//
// Arguments are validated before anything is sent: names, DAYS_TO_EXPIRY
// (1 to Limits.MaxDaysToExpiry, 365 by default), grace hours (not
// negative, optionally bounded), bypass minutes (1–1440), and a role
// restriction when AddOptions.ServiceUser says one is required. Results are
// read by column name, so new or reordered columns do not break them.
//
// # Secrets never leak
//
// Token secrets are held in Secret. Its String, GoString, Format (every
// fmt verb), MarshalJSON, MarshalText and LogValue give a fixed marker;
// only Reveal returns the text, and it is called only where the text leaves
// for Snowflake or a store. Its text is masked in memory so reflection-based
// printers see noise. Secrets are never put in SQL text (SYSTEM$DECODE_PAT
// takes a bind parameter), SQL text is never put in errors, and Snowflake's
// messages are scrubbed of known secrets and token-shaped text before they
// are kept. Stored-format errors are built from fixed phrases and field
// names only.
//
// One leak is outside snowpat's reach: gosnowflake's own logger, at debug
// level or below, logs every result cell it decodes, and the secret that
// ADD and ROTATE return is a result cell. The logger is global to the
// process, so keep it at info or above in any program that manages tokens:
// it starts at info, and only SetLogLevel or a gosnowflake.Config with
// Tracing (the DSN's tracing parameter, the connections.toml field) lowers
// it.
//
// # Errors
//
// Failures reported by Snowflake become *Error, which matches a sentinel
// under errors.Is and still yields the *gosnowflake.SnowflakeError under
// errors.As. Classification reads the message first, with quoted names
// blanked out (Snowflake documents no codes for the PAT refusals; the
// pattest emulator uses 3944xx), then the code:
//
//	Sentinel                    Code (SQLSTATE)            Message
//	ErrNotFound                 002003 (02000)             … does not exist or not authorized.
//	ErrAlreadyExists            002002 (42710)             Object … already exists.
//	ErrPermissionDenied         003001 (42501)             Insufficient privileges to operate on …
//	                            394407, 390186             session restricted to a role; login refused by authentication policy
//	ErrTokenLimit               394401 (54000)             Number of programmatic access tokens … exceeds the limit …
//	ErrNetworkPolicyRequired    394402 (28000), 390432     A network policy is required … / Network policy is required.
//	ErrRoleRestrictionRequired  394403 (22023)             ROLE_RESTRICTION is required …          (is an ErrInvalidArgument)
//	ErrPATSession               394404 (42501)             A session authenticated with a programmatic access token cannot manage …
//	ErrRotatedToken             394405 (22023)             … has been rotated and can only expire or be removed.  (is an ErrInvalidArgument)
//	ErrRoleNotGranted           394406 (22023)             Role … specified in ROLE_RESTRICTION is not granted …  (is an ErrInvalidArgument)
//	ErrInvalidArgument          001008 (22023)             invalid value [...] for parameter …; and every argument check
//	ErrInvalidToken             394400 (login)             Programmatic access token is invalid.
//	ErrBadCredentials           390100, 390144 (login)     Incorrect username or password was specified. / JWT token is invalid.
//	ErrUserDisabled             390101 (login)             User access disabled …
//	ErrAddressNotAllowed        390422 (login)             IP … is not allowed to access Snowflake …
//	ErrTokenExpired             from diagnosis              (is an ErrInvalidToken)
//	ErrTokenDisabled            from diagnosis              (is an ErrInvalidToken)
//
// Snowflake answers a login with a bad, expired, disabled or wrong-user PAT
// alike with 394400, so ErrTokenExpired and ErrTokenDisabled are never
// produced from a login code: they come from looking at the token (SHOW,
// SYSTEM$DECODE_PAT). A BI tool that sends the PAT as a password gets 390100
// for a bad token; that is ErrBadCredentials, not ErrInvalidToken, because
// the same code means a wrong password. Unrecognised Snowflake errors are
// still *Error, with a nil Kind. Other failures (context cancellation,
// network) are returned wrapped, never replaced.
//
// # Stored format
//
// EncodeStored and DecodeStored convert a StoredToken to and from the bytes
// a secret store holds. FormatJSON is the JSON of AWS Secrets Manager's
// managed SnowflakePat secret (account, user, patTokenName, patTokenValue,
// privateKey, passphrase) plus expiresAt and rotatedAt in RFC 3339; unknown
// fields are preserved on a round trip, duplicate fields are refused.
// FormatRaw is the token text alone, for BI tools that read a plain
// password; surrounding whitespace is trimmed on reading and reported in
// StoredToken.WhitespaceTrimmed. DecodeStored tells the formats apart by
// the first non-space character ({ for JSON). Errors are *StoredError
// (matching ErrMalformedStored), whose text never contains the input.
//
// # Verify and diagnose
//
// Verify logs in with a token exactly as a service would (gosnowflake's
// AuthTypePat), runs SELECT 1 and logs out; nil means the secret works now.
// Its error is classified, but for the token itself Snowflake gives one
// answer, 394400, whatever is wrong, so Verify can only say ErrInvalidToken.
//
// Diagnose says why. It verifies, and when the login fails it asks an
// administrator Client about the secret: SYSTEM$DECODE_PAT for which token
// of which user it is and its state, DESCRIBE USER for the user, SHOW for
// expiry, rotation and role restriction. The result is a Diagnosis with a
// Cause and a one-line Hint a person can act on:
//
//	Cause                       Found by                                    Hint says
//	CauseNone                   the login works                             nothing to do (and when it expires)
//	CauseWhitespace             394400; the trimmed secret decodes          remove the surrounding whitespace (and any second problem)
//	CauseExpired                decode or SHOW says EXPIRED                 when; for a _ROTATED_ token, the token that replaced it
//	CauseDisabled               decode or SHOW says DISABLED                the statement that re-enables it; replace it if it leaked
//	CauseRevoked                decode says REMOVED, SHOW lacks it, or      create a new token
//	                            the user is dropped
//	CauseWrongUser              decode names another user                   whose token it is
//	CauseUnknownToken           decode refuses the text (or it is empty)    copy the whole secret again, or create a token
//	CauseUserDisabled           DESCRIBE USER says DISABLED (or 390101)     re-enable the user, then the token
//	CauseNetworkPolicyRequired  login 390432                                set a network policy, or a bypass for a PERSON user
//	CauseAddressNotAllowed      login 390422                                the refused address and the policy
//	CauseRoleNotGranted         ACTIVE token with ROLE_RESTRICTION still    grant the role again (inferred: grants are not listed)
//	                            refused (394400)
//	CauseUnknown                anything else                               where to look (authentication policy, account, network)
//
// Diagnosis.Err turns a diagnosis into an error matching the sentinel for
// its cause; that is where ErrTokenExpired and ErrTokenDisabled come from.
// Diagnose returns an error only when the diagnosis itself fails (the
// administrator connection, a cancelled context); a bad token is a
// Diagnosis. Neither ever holds the secret.
package pat
