package powerbi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/driver"
)

// dest is one semantic model (dataset) in one workspace.
type dest struct {
	c                  *client
	workspace, dataset string
	privacy            string
	opts               push.Options
	identity           string
}

var (
	_ driver.Destination = (*dest)(nil)
	_ driver.Tester      = (*dest)(nil)
)

func (d *dest) Identity() string { return d.identity }

func (d *dest) Inspect(ctx context.Context) (*driver.Content, error) {
	c, _, err := d.inspect(ctx)
	return c, err
}

type credentialDetails struct {
	CredentialType              string `json:"credentialType"`
	Credentials                 string `json:"credentials"`
	EncryptedConnection         string `json:"encryptedConnection"`
	EncryptionAlgorithm         string `json:"encryptionAlgorithm"`
	PrivacyLevel                string `json:"privacyLevel"`
	UseEndUserOAuth2Credentials bool   `json:"useEndUserOAuth2Credentials"`
}

type updateRequest struct {
	CredentialDetails credentialDetails `json:"credentialDetails"`
}

// Push checks, then builds every request (encrypting for on-premises
// gateways) before it sends the first, then updates each data source.
func (d *dest) Push(ctx context.Context, cred driver.Credential, check func(*driver.Content) error) ([]driver.Connection, error) {
	content, sources, err := d.inspect(ctx)
	if err != nil {
		return nil, err
	}
	if err := check(content); err != nil {
		return nil, err
	}
	plain, err := basicCredentials(cred)
	if err != nil {
		return nil, err
	}
	reqs := make([]updateRequest, len(sources))
	for i, s := range sources {
		cd := credentialDetails{CredentialType: "Basic", Credentials: string(plain), EncryptionAlgorithm: "None",
			// Snowflake connections are always TLS, so the connection is
			// encrypted either way; Encrypted makes Power BI insist on it.
			EncryptedConnection: "Encrypted", PrivacyLevel: d.privacy}
		if s.key != nil {
			enc, err := encrypt(*s.key, plain, rand.Reader)
			if err != nil {
				return nil, fail(driver.CodeInvalidArgument, "encrypting for %s: %v", s.conn.Via, err)
			}
			cd.Credentials, cd.EncryptionAlgorithm = enc, "RSA-OAEP"
		}
		reqs[i] = updateRequest{CredentialDetails: cd}
	}
	var done []driver.Connection
	for i, s := range sources {
		path := "/gateways/" + url.PathEscape(s.gatewayID) + "/datasources/" + url.PathEscape(s.datasourceID)
		if _, err := d.c.call(ctx, "UpdateDatasource", http.MethodPatch, path, reqs[i], nil, true); err != nil {
			return done, fmt.Errorf("data source %s via %s (%d of %d written before it): %w", s.conn.ID, s.conn.Via, len(done), len(sources), err)
		}
		done = append(done, s.conn)
		d.c.log.Info("push: credential written", "destination", d.identity, "datasource", s.conn.ID, "via", s.conn.Via, "user", cred.User, "version", cred.Version)
	}
	return done, nil
}

// basicCredentials is the credentials string of Basic credentials, as the
// SDK serializes it (Newtonsoft.Json escapes neither '<', '>' nor '&').
func basicCredentials(cred driver.Credential) ([]byte, error) {
	type pair struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		CredentialData []pair `json:"credentialData"`
	}{[]pair{{"username", cred.User}, {"password", cred.Secret.Reveal()}}})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

func (d *dest) ErrorCode(err error) driver.ErrorCode { return errorCode(err) }

// As supports *azcore.TokenCredential, the credential the adapter gets
// tokens from.
func (d *dest) As(i any) bool {
	if p, ok := i.(*azcore.TokenCredential); ok {
		*p = d.c.cred
		return true
	}
	return false
}

func (d *dest) ErrorAs(err error, i any) bool { return errors.As(err, i) }

func (d *dest) Close() error { return nil }
