package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/snowflakedb/gosnowflake"
	"github.com/snowpat/snowpat/pat"
)

// Admin is how a program logs in as the administrator that manages tokens.
// It logs in with a key pair: Snowflake refuses PAT management from a
// session that logged in with a PAT.
type Admin struct {
	Account, User, Role, Warehouse string
	Host, Protocol                 string
	Port                           int
	PrivateKeyPath                 string
	PassphraseFile                 string
}

// Register adds the flags to fs, with defaults from SNOWFLAKE_ACCOUNT,
// SNOWFLAKE_USER, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_HOST,
// SNOWFLAKE_PORT, SNOWFLAKE_PROTOCOL, SNOWFLAKE_PRIVATE_KEY_PATH and
// SNOWFLAKE_PRIVATE_KEY_PASSPHRASE_FILE.
func (a *Admin) Register(fs *flag.FlagSet) {
	port, _ := strconv.Atoi(os.Getenv("SNOWFLAKE_PORT"))
	fs.StringVar(&a.Account, "account", os.Getenv("SNOWFLAKE_ACCOUNT"), "Snowflake account identifier (SNOWFLAKE_ACCOUNT)")
	fs.StringVar(&a.User, "admin-user", os.Getenv("SNOWFLAKE_USER"), "administrator user that logs in by key pair (SNOWFLAKE_USER)")
	fs.StringVar(&a.Role, "role", os.Getenv("SNOWFLAKE_ROLE"), "administrator role (SNOWFLAKE_ROLE)")
	fs.StringVar(&a.Warehouse, "warehouse", os.Getenv("SNOWFLAKE_WAREHOUSE"), "warehouse (SNOWFLAKE_WAREHOUSE)")
	fs.StringVar(&a.Host, "host", os.Getenv("SNOWFLAKE_HOST"), "host, when not <account>.snowflakecomputing.com (SNOWFLAKE_HOST)")
	fs.IntVar(&a.Port, "port", port, "port (SNOWFLAKE_PORT)")
	fs.StringVar(&a.Protocol, "protocol", os.Getenv("SNOWFLAKE_PROTOCOL"), "https (default) or http (SNOWFLAKE_PROTOCOL)")
	fs.StringVar(&a.PrivateKeyPath, "private-key", os.Getenv("SNOWFLAKE_PRIVATE_KEY_PATH"), "path of the PEM file of the administrator's private key, readable by its owner only (SNOWFLAKE_PRIVATE_KEY_PATH)")
	fs.StringVar(&a.PassphraseFile, "private-key-passphrase-file", os.Getenv("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE_FILE"), "file holding the passphrase of an encrypted private key (SNOWFLAKE_PRIVATE_KEY_PASSPHRASE_FILE)")
}

// Config returns the administrator's gosnowflake configuration.
func (a *Admin) Config() (gosnowflake.Config, error) {
	if a.Account == "" || a.User == "" || a.PrivateKeyPath == "" {
		return gosnowflake.Config{}, errors.New("the administrator login needs --account, --admin-user and --private-key (or SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_PATH)")
	}
	pass, err := passphrase(a.PassphraseFile)
	if err != nil {
		return gosnowflake.Config{}, err
	}
	key, err := pat.LoadPrivateKey(a.PrivateKeyPath, pass)
	clear(pass)
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

// passphrase reads the key's passphrase from a file that only its owner
// may read, as the key itself; nil when no file is named.
func passphrase(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("reading the private key's passphrase: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: the passphrase file %s must be a regular file readable by its owner only (chmod 600)", pat.ErrInsecureKeyFile, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the private key's passphrase: %w", err)
	}
	return bytes.TrimRight(b, "\r\n"), nil
}
