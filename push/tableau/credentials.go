package tableau

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
	"github.com/snowpat/snowpat/secrets"
)

// The environment variables the adapter reads its Tableau credentials
// from when the URL has no credentials parameter: a personal access token
// (the first two) or a connected app with direct trust (the other four).
const (
	EnvPATName     = "TABLEAU_PAT_NAME"
	EnvPATSecret   = "TABLEAU_PAT_SECRET"
	EnvClientID    = "TABLEAU_CLIENT_ID"
	EnvSecretID    = "TABLEAU_SECRET_ID"
	EnvSecretValue = "TABLEAU_SECRET_VALUE"
	EnvUsername    = "TABLEAU_USERNAME"
)

// apiCredentials is how the adapter signs in: a personal access token, or
// a connected app's secret and the user it signs in as. Secrets are
// pat.Secret so that no print or log shows them.
type apiCredentials struct {
	PATName   string
	PATSecret pat.Secret

	ClientID, SecretID, Username string
	SecretValue                  pat.Secret
}

func (c apiCredentials) jwt() bool { return c.ClientID != "" }

// storedCredentials is the JSON a secret store holds, with Tableau's own
// names for the fields.
type storedCredentials struct {
	PATName     string `json:"personalAccessTokenName"`
	PATSecret   string `json:"personalAccessTokenSecret"`
	ClientID    string `json:"clientId"`
	SecretID    string `json:"secretId"`
	SecretValue string `json:"secretValue"`
	Username    string `json:"username"`
}

// credentialSource reads the credentials at each sign-in, so that a
// rotated Tableau token is picked up without reopening the destination.
type credentialSource interface {
	read(ctx context.Context) (apiCredentials, error)
	close() error
}

// envSource reads the environment variables.
type envSource struct{ getenv func(string) string }

func (e envSource) read(context.Context) (apiCredentials, error) {
	return complete(storedCredentials{
		PATName: e.getenv(EnvPATName), PATSecret: e.getenv(EnvPATSecret),
		ClientID: e.getenv(EnvClientID), SecretID: e.getenv(EnvSecretID),
		SecretValue: e.getenv(EnvSecretValue), Username: e.getenv(EnvUsername),
	}, "the environment ("+EnvPATName+"/"+EnvPATSecret+", or "+EnvClientID+"/"+EnvSecretID+"/"+EnvSecretValue+"/"+EnvUsername+")")
}

func (envSource) close() error { return nil }

// storeSource reads the current version of a secret store's secret.
type storeSource struct{ store *secrets.Store }

func (s storeSource) read(ctx context.Context) (apiCredentials, error) {
	v, err := s.store.Current(ctx)
	if err != nil {
		return apiCredentials{}, &httpx.Problem{Tool: "tableau", Msg: "reading the Tableau credentials from the secret store", Err: err}
	}
	var sc storedCredentials
	dec := json.NewDecoder(bytes.NewReader(v.Value()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		// The decoder's error may quote the value; say only what is wrong.
		return apiCredentials{}, fail(driver.CodeInvalidArgument, "the secret store's value is not the JSON object this adapter reads (fields personalAccessTokenName, personalAccessTokenSecret, or clientId, secretId, secretValue, username)")
	}
	return complete(sc, "the secret store's value")
}

func (s storeSource) close() error { return s.store.Close() }

// complete checks that exactly one way of signing in is fully given.
func complete(sc storedCredentials, where string) (apiCredentials, error) {
	pat1 := sc.PATName != "" || sc.PATSecret != ""
	app := sc.ClientID != "" || sc.SecretID != "" || sc.SecretValue != "" || sc.Username != ""
	var missing []string
	switch {
	case pat1 && app:
		return apiCredentials{}, fail(driver.CodeInvalidArgument, "%s gives both a personal access token and a connected app; give one", where)
	case pat1:
		missing = absent("personal access token name", sc.PATName, "personal access token secret", sc.PATSecret)
	case app:
		missing = absent("client id", sc.ClientID, "secret id", sc.SecretID, "secret value", sc.SecretValue, "username", sc.Username)
	default:
		return apiCredentials{}, fail(driver.CodeInvalidArgument, "no Tableau credentials in %s", where)
	}
	if len(missing) > 0 {
		return apiCredentials{}, fail(driver.CodeInvalidArgument, "%s lacks the %s", where, strings.Join(missing, " and the "))
	}
	return apiCredentials{
		PATName: sc.PATName, PATSecret: pat.NewSecret(sc.PATSecret),
		ClientID: sc.ClientID, SecretID: sc.SecretID, Username: sc.Username, SecretValue: pat.NewSecret(sc.SecretValue),
	}, nil
}

// absent returns the names, of name-value pairs, whose values are empty.
func absent(pairs ...string) []string {
	var out []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			out = append(out, pairs[i])
		}
	}
	return out
}
