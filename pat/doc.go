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
//		RoleRestriction: "BI_READER", DaysToExpiry: 90, RoleRestrictionRequired: true,
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
//	Remove, RemoveAll         ALTER USER u REMOVE PROGRAMMATIC ACCESS TOKEN IF EXISTS n
//	List, Get                 SHOW USER PROGRAMMATIC ACCESS TOKENS FOR USER u
//	PATPolicy                 SHOW AUTHENTICATION POLICIES ON USER u, then … ON ACCOUNT;
//	                          DESCRIBE AUTHENTICATION POLICY db.schema.p (its PAT_POLICY row)
//	GrantedRoles              SHOW GRANTS TO USER u (columns role, or name where granted_on = ROLE)
//	Decode                    SELECT SYSTEM$DECODE_PAT(?), the secret bound, never in the text
//	CreateServiceUser         CREATE USER [IF NOT EXISTS] u TYPE = SERVICE [DEFAULT_ROLE = …] [DEFAULT_WAREHOUSE = …] [NETWORK_POLICY = …] [COMMENT = …]
//	GrantRole                 GRANT ROLE r TO USER u
//	DescribeUser              DESCRIBE USER u
//
// Arguments are validated before anything is sent: names, DAYS_TO_EXPIRY
// (1 to Limits.MaxDaysToExpiry, 365 by default), grace hours (not
// negative, optionally bounded), bypass minutes (1–1440), and a role
// restriction when AddOptions.RoleRestrictionRequired says the policy
// requires one. The client does not know the policy by itself: read it with
// PATPolicy and fill the option with PATPolicy.RequiresRoleRestriction (the
// defaults require it for SERVICE and LEGACY_SERVICE users only; a policy
// may lift that or require it for PERSON users too; PUBLIC is valid for
// anyone). PATPolicy also gives the Limits a policy implies. Results are
// read by column name, so new or reordered columns do not break them.
//
// Remove is idempotent (IF EXISTS); Rotate and the MODIFY operations are
// not, because Snowflake has no IF EXISTS for MODIFY and a rotation that
// found nothing must not look like one that succeeded.
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
// errors.As. A sentinel is given only on evidence of what Snowflake sends:
// first a confirmed code, then a message recorded from live Snowflake
// (quoted names and bracketed values blanked, so a name cannot steer the
// match). Anything else stays unclassified: Kind is nil, Classified
// reports false, errors.Is(err, ErrUnclassified) holds, and Code, SQLState
// and Message are kept. Code that acts on errors should treat an
// unclassified one as "outcome unknown" and look at the state again.
//
//	Sentinel                  By code   By recorded message                           Source
//	ErrNotFound               002003    … does not exist or not authorized            Terraform provider live tests
//	                                    Programmatic access token <NAME> not found    Terraform provider live test (REMOVE of a missing token)
//	ErrAlreadyExists          002002    … already exists
//	ErrPermissionDenied       003001    Insufficient privileges …
//	ErrInvalidArgument        001008    invalid value [...] for parameter …           Terraform provider live test logs; and every argument check
//	ErrInvalidToken           394400    Programmatic access token is invalid.         gosnowflake fixture and PAT live tests
//	ErrBadCredentials         390100,   Incorrect username or password was specified. gosnowflake fixtures and live tests
//	                          390144    / JWT token is invalid.
//	ErrNetworkPolicyRequired  390432    Network policy is required.                   Snowflake PAT guide (login)
//	ErrUserDisabled                     User access disabled …                        Snowflake login message
//	ErrAddressNotAllowed                IP … is not allowed to access Snowflake …     Snowflake login message
//	ErrRoleRestrictionRequired  from argument checks (AddOptions.RoleRestrictionRequired)   (is an ErrInvalidArgument)
//	ErrTokenExpired, ErrTokenDisabled, ErrRoleNotGranted, ErrRoleBlocked   from diagnosis
//	ErrTokenLimit, ErrPATSession, ErrRotatedToken   not produced: Snowflake publishes neither code nor text for these refusals
//
// Snowflake answers a login with a bad, expired, disabled or wrong-user PAT
// alike with 394400, so ErrTokenExpired and ErrTokenDisabled are never
// produced from a login code: they come from looking at the token (SHOW,
// SYSTEM$DECODE_PAT). A BI tool that sends the PAT as a password gets 390100
// for a bad token; that is ErrBadCredentials, not ErrInvalidToken, because
// the same code means a wrong password. Other failures (context
// cancellation, network) are returned wrapped, never replaced.
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
// AuthTypePat) and logs out, two requests: Snowflake checks everything that
// decides whether a secret works at the login. nil means it works now.
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
//	CauseRoleBlocked            ACTIVE token refused (394400); PATPolicy    unblock the role, or a token for another role
//	                            lists its role in BLOCKED_ROLES_LIST        (GRANT ROLE would not help)
//	CauseRoleNotGranted         ACTIVE token refused; GrantedRoles lacks    grant the role again (says "inferred" when
//	                            its ROLE_RESTRICTION                        neither grants nor policy could be read)
//	CauseUnknown                anything else                               where to look (authentication policy, account, network)
//
// Diagnosis.Err turns a diagnosis into an error matching the sentinel for
// its cause; that is where ErrTokenExpired and ErrTokenDisabled come from.
// Diagnose returns an error only when the diagnosis itself fails (the
// administrator connection, a cancelled context); a bad token is a
// Diagnosis. Neither ever holds the secret.
package pat
