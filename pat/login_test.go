package pat

import (
	"crypto/rand"
	"crypto/rsa"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"
)

// credentialFields are the gosnowflake.Config fields that carry a
// credential; kept are those LoginConfig sets or that are not a login's
// (a proxy's own password belongs to the transport).
var kept = map[string]bool{"User": true, "Token": true, "Authenticator": true, "ProxyUser": true, "ProxyPassword": true,
	// Settings about credentials, not credentials.
	"ClientRequestMfaToken": true, "EnableSingleUseRefreshTokens": true}

func isCredential(name string) bool {
	for _, w := range []string{"Password", "Token", "Key", "Passcode", "Secret", "Oauth", "Okta", "WorkloadIdentity", "MfaToken", "IDToken"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// Every credential field gosnowflake's Config has is cleared: a new one in
// a later gosnowflake fails this test until LoginConfig clears it.
func TestLoginConfigClearsEveryCredential(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	okta, _ := url.Parse("https://example.okta.com")
	base := gosnowflake.Config{Account: "xy12345", Host: "h", Protocol: "https", Port: 443}
	// Fill every credential-looking field with something.
	v := reflect.ValueOf(&base).Elem()
	var names []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() || !isCredential(f.Name) || kept[f.Name] {
			continue
		}
		names = append(names, f.Name)
		switch fv := v.Field(i); fv.Kind() {
		case reflect.String:
			fv.SetString("leftover")
		case reflect.Bool:
			fv.SetBool(true)
		case reflect.Slice:
			fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
		case reflect.Pointer:
			switch fv.Type() {
			case reflect.TypeOf(key):
				fv.Set(reflect.ValueOf(key))
			case reflect.TypeOf(okta):
				fv.Set(reflect.ValueOf(okta))
			default:
				fv.Set(reflect.New(fv.Type().Elem()))
			}
		case reflect.Interface:
			// TokenAccessor: any non-nil value will do.
			fv.Set(reflect.ValueOf(fakeAccessor{}))
		default:
			t.Fatalf("credential field %s has a kind (%s) this test cannot fill", f.Name, fv.Kind())
		}
	}
	require.Contains(t, names, "Password")
	require.Contains(t, names, "PrivateKey")
	cfg := LoginConfig(base, "SVC", NewSecret("the-pat"))
	got := reflect.ValueOf(cfg)
	for _, name := range names {
		require.True(t, got.FieldByName(name).IsZero(), "LoginConfig leaves %s set", name)
	}
	require.Equal(t, "SVC", cfg.User)
	require.Equal(t, "the-pat", cfg.Token)
	require.Equal(t, gosnowflake.AuthTypePat, cfg.Authenticator)
	require.Equal(t, "xy12345", cfg.Account)
	require.Equal(t, "h", cfg.Host)
}

type fakeAccessor struct{}

func (fakeAccessor) GetTokens() (string, string, int64) { return "", "", 0 }
func (fakeAccessor) SetTokens(string, string, int64)    {}
func (fakeAccessor) Lock() error                        { return nil }
func (fakeAccessor) Unlock()                            {}
