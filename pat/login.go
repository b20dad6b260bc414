package pat

import "github.com/snowflakedb/gosnowflake"

// LoginConfig returns base set up to log in as user with secret as a
// programmatic access token (gosnowflake's AuthTypePat): base supplies the
// account, host and transport settings, and every credential it carries —
// password, key pair, token file or accessor, OAuth client, MFA passcode,
// cached ID and MFA tokens, workload identity — is cleared, so that the
// login can only be the token's. Verify and patconn build their logins
// with it; a credential field added to gosnowflake's Config must be
// cleared here, and this package's tests fail until it is.
func LoginConfig(base gosnowflake.Config, user string, secret Secret) gosnowflake.Config {
	cfg := base
	cfg.User = user
	cfg.Authenticator = gosnowflake.AuthTypePat
	cfg.Token = secret.Reveal()
	cfg.TokenFilePath = ""
	cfg.TokenAccessor = nil
	cfg.Password = ""
	cfg.PrivateKey = nil
	cfg.Passcode, cfg.PasscodeInPassword = "", false
	cfg.OauthClientID, cfg.OauthClientSecret = "", ""
	cfg.OauthAuthorizationURL, cfg.OauthTokenRequestURL, cfg.OauthRedirectURI, cfg.OauthScope = "", "", "", ""
	//lint:ignore SA1019 deprecated, but still fields that can carry a cached credential
	cfg.MfaToken, cfg.IDToken = "", ""
	cfg.OktaURL = nil
	cfg.WorkloadIdentityProvider, cfg.WorkloadIdentityEntraResource, cfg.WorkloadIdentityImpersonationPath = "", "", nil
	return cfg
}
