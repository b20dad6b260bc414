package cli

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/snowflakedb/gosnowflake"
)

// Admin is how a program logs in as the administrator that manages tokens.
// It logs in with a key pair: Snowflake refuses PAT management from a
// session that logged in with a PAT.
type Admin struct {
	Account, User, Role, Warehouse string
	Host, Protocol                 string
	Port                           int
	PrivateKeyPath                 string
}

// Register adds the flags to fs, with defaults from SNOWFLAKE_ACCOUNT,
// SNOWFLAKE_USER, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_HOST,
// SNOWFLAKE_PORT, SNOWFLAKE_PROTOCOL and SNOWFLAKE_PRIVATE_KEY_PATH.
func (a *Admin) Register(fs *flag.FlagSet) {
	port, _ := strconv.Atoi(os.Getenv("SNOWFLAKE_PORT"))
	fs.StringVar(&a.Account, "account", os.Getenv("SNOWFLAKE_ACCOUNT"), "Snowflake account identifier (SNOWFLAKE_ACCOUNT)")
	fs.StringVar(&a.User, "admin-user", os.Getenv("SNOWFLAKE_USER"), "administrator user that logs in by key pair (SNOWFLAKE_USER)")
	fs.StringVar(&a.Role, "role", os.Getenv("SNOWFLAKE_ROLE"), "administrator role (SNOWFLAKE_ROLE)")
	fs.StringVar(&a.Warehouse, "warehouse", os.Getenv("SNOWFLAKE_WAREHOUSE"), "warehouse (SNOWFLAKE_WAREHOUSE)")
	fs.StringVar(&a.Host, "host", os.Getenv("SNOWFLAKE_HOST"), "host, when not <account>.snowflakecomputing.com (SNOWFLAKE_HOST)")
	fs.IntVar(&a.Port, "port", port, "port (SNOWFLAKE_PORT)")
	fs.StringVar(&a.Protocol, "protocol", os.Getenv("SNOWFLAKE_PROTOCOL"), "https (default) or http (SNOWFLAKE_PROTOCOL)")
	fs.StringVar(&a.PrivateKeyPath, "private-key", os.Getenv("SNOWFLAKE_PRIVATE_KEY_PATH"), "PEM file of the administrator's private key (SNOWFLAKE_PRIVATE_KEY_PATH)")
}

// Config returns the administrator's gosnowflake configuration.
func (a *Admin) Config() (gosnowflake.Config, error) {
	if a.Account == "" || a.User == "" || a.PrivateKeyPath == "" {
		return gosnowflake.Config{}, errors.New("the administrator login needs --account, --admin-user and --private-key (or SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_PATH)")
	}
	key, err := LoadPrivateKey(a.PrivateKeyPath)
	if err != nil {
		return gosnowflake.Config{}, err
	}
	return gosnowflake.Config{
		Account: a.Account, User: a.User, Role: a.Role, Warehouse: a.Warehouse,
		Host: a.Host, Port: a.Port, Protocol: a.Protocol,
		Authenticator: gosnowflake.AuthTypeJwt, PrivateKey: key,
	}, nil
}

// Base is Config without credentials: the account and connection settings
// that a login with a token starts from.
func (a *Admin) Base() gosnowflake.Config {
	return gosnowflake.Config{Account: a.Account, Host: a.Host, Port: a.Port, Protocol: a.Protocol, Warehouse: a.Warehouse}
}

// LoadPrivateKey reads an unencrypted PKCS #8 or PKCS #1 RSA private key
// in PEM form.
func LoadPrivateKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the private key: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s holds no PEM block", path)
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("%s is not an RSA key", path)
		}
		return rk, nil
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: not an unencrypted PKCS #8 or PKCS #1 RSA key", path)
	}
	return k, nil
}
