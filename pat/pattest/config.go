package pattest

import (
	"crypto/rsa"

	"github.com/snowflakedb/gosnowflake"
)

// Auth is a way to log in; pass one to Server.Config.
type Auth interface{ apply(*gosnowflake.Config) }

type authFunc func(*gosnowflake.Config)

func (f authFunc) apply(c *gosnowflake.Config) { f(c) }

// Password logs in with a password (not for SERVICE users).
func Password(pw string) Auth {
	return authFunc(func(c *gosnowflake.Config) { c.Authenticator = gosnowflake.AuthTypeSnowflake; c.Password = pw })
}

// PAT logs in with a programmatic access token through gosnowflake's
// AuthTypePat, sending AUTHENTICATOR=PROGRAMMATIC_ACCESS_TOKEN and TOKEN.
func PAT(secret string) Auth {
	return authFunc(func(c *gosnowflake.Config) { c.Authenticator = gosnowflake.AuthTypePat; c.Token = secret })
}

// PATAsPassword logs in the way BI tools do: the token in the password
// field with the default authenticator.
func PATAsPassword(secret string) Auth { return Password(secret) }

// KeyPair logs in with a key-pair JWT (SNOWFLAKE_JWT) signed by key, whose
// public half must be the user's RSA_PUBLIC_KEY or RSA_PUBLIC_KEY_2.
func KeyPair(key *rsa.PrivateKey) Auth {
	return authFunc(func(c *gosnowflake.Config) { c.Authenticator = gosnowflake.AuthTypeJwt; c.PrivateKey = key })
}

// Config returns a gosnowflake configuration that logs user in to this
// server with auth. It talks plain HTTP to loopback, so neither TLS nor
// OCSP is involved.
func (s *Server) Config(user string, auth Auth) *gosnowflake.Config {
	host, port := s.HostPort()
	c := &gosnowflake.Config{
		Account:  s.acct.name,
		User:     user,
		Host:     host,
		Port:     port,
		Protocol: "http",
		// A test that injects a failure wants to see it, not wait for the
		// driver's backoff.
		MaxRetryCount: 1,
		Transporter:   s.transport,
	}
	auth.apply(c)
	return c
}

// AdminConfig logs in as the bootstrap administrator (AdminUser) with its
// key pair, holding ACCOUNTADMIN.
func (s *Server) AdminConfig() *gosnowflake.Config {
	return s.Config(AdminUser, KeyPair(s.adminKey))
}
