package pat

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeStoredAWSShape(t *testing.T) {
	in := `{
		"account": "ORG-ACCT",
		"user": "POWERBI_SVC",
		"privateKey": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
		"passphrase": "pp",
		"patTokenName": "POWERBI",
		"patTokenValue": "` + secretText + `",
		"expiresAt": "2025-09-01T00:00:00Z",
		"rotatedAt": "2025-06-03T10:00:00.5+02:00",
		"owner": {"team": "bi", "tags": [1, 2]},
		"notes": "kept <as> & written"
	}`
	st, err := DecodeStored([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, FormatJSON, st.Format)
	assert.Equal(t, "ORG-ACCT", st.Account)
	assert.Equal(t, "POWERBI_SVC", st.User)
	assert.Equal(t, "POWERBI", st.TokenName)
	assert.Equal(t, secretText, st.Token.Reveal())
	assert.Equal(t, "pp", st.Passphrase.Reveal())
	assert.Contains(t, st.PrivateKey.Reveal(), "BEGIN PRIVATE KEY")
	assert.True(t, st.ExpiresAt.Equal(time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)))
	assert.True(t, st.RotatedAt.Equal(time.Date(2025, 6, 3, 8, 0, 0, 5e8, time.UTC)))
	assert.False(t, st.WhitespaceTrimmed)

	// Printing the decoded value shows no credential, unknown fields included.
	for _, out := range []string{fmt.Sprintf("%+v", st), fmt.Sprintf("%#v", st), fmt.Sprint(st)} {
		assertNoLeak(t, out)
		assert.NotContains(t, out, "BEGIN PRIVATE KEY")
		assert.NotContains(t, out, "team")
	}

	out, err := EncodeStored(st, FormatJSON)
	require.NoError(t, err)
	assert.Equal(t, `{"account":"ORG-ACCT","user":"POWERBI_SVC","patTokenName":"POWERBI","patTokenValue":"`+secretText+
		`","privateKey":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----","passphrase":"pp",`+
		`"expiresAt":"2025-09-01T00:00:00Z","rotatedAt":"2025-06-03T08:00:00.5Z",`+
		`"notes":"kept <as> & written","owner":{"team":"bi","tags":[1,2]}}`, string(out))
	var generic map[string]any
	require.NoError(t, json.Unmarshal(out, &generic), "output is valid JSON")
}

func TestEncodeStoredMinimalAndReplacingToken(t *testing.T) {
	out, err := EncodeStored(StoredToken{User: "U", TokenName: "T", Token: NewSecret("abc")}, FormatJSON)
	require.NoError(t, err)
	assert.Equal(t, `{"user":"U","patTokenName":"T","patTokenValue":"abc"}`, string(out))

	out, err = EncodeStored(StoredToken{}, FormatJSON)
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(out))

	// Rotation replaces the token and keeps everything else, unknown
	// fields included.
	st, err := DecodeStored([]byte(`{"patTokenValue":"old","x-other-tool":true}`))
	require.NoError(t, err)
	st.Token = NewSecret("new")
	out, err = EncodeStored(st, FormatJSON)
	require.NoError(t, err)
	assert.Equal(t, `{"patTokenValue":"new","x-other-tool":true}`, string(out))
}

func TestStoredRaw(t *testing.T) {
	st, err := DecodeStored([]byte(secretText))
	require.NoError(t, err)
	assert.Equal(t, FormatRaw, st.Format)
	assert.Equal(t, secretText, st.Token.Reveal())
	assert.False(t, st.WhitespaceTrimmed)

	for _, pasted := range []string{secretText + "\n", secretText + "\r\n", "  " + secretText + "\t", "\uFEFF" + secretText, secretText + "\u00a0"} {
		st, err := DecodeStored([]byte(pasted))
		require.NoError(t, err)
		assert.Equal(t, secretText, st.Token.Reveal())
		assert.True(t, st.WhitespaceTrimmed)
	}

	out, err := EncodeStored(StoredToken{Token: NewSecret(secretText), Account: "dropped by design"}, FormatRaw)
	require.NoError(t, err)
	assert.Equal(t, secretText, string(out))
}

func TestStoredErrors(t *testing.T) {
	cases := []struct {
		name, in string
		field    string
		reason   string
	}{
		{"empty", "", "", reasonEmpty},
		{"blank", " \n\t", "", reasonEmpty},
		{"bad UTF-8", "tok\xff", "", reasonUTF8},
		{"broken JSON", `{"patTokenValue": "` + secretText, "", reasonJSON},
		{"JSON array", `[1, 2]`, "", reasonJSON},
		{"JSON string", `"tok"`, "", reasonJSON},
		{"no token", `{"user":"u"}`, fieldTokenValue, reasonNoToken},
		{"empty token", `{"patTokenValue":""}`, fieldTokenValue, reasonNoToken},
		{"trailing", `{"user":"u"} {"user":"v"}`, "", reasonTrailing},
		{"duplicate known", `{"patTokenValue":"a","patTokenValue":"` + secretText + `"}`, fieldTokenValue, reasonDuplicate},
		{"duplicate unknown", `{"x":1,"x":2}`, "", reasonDuplicateAny},
		{"case variant", `{"PatTokenValue":"` + secretText + `"}`, fieldTokenValue, reasonCase},
		{"not a string", `{"patTokenValue":12345678901234567890}`, fieldTokenValue, reasonNotString},
		{"object token", `{"patTokenValue":{"v":"` + secretText + `"}}`, fieldTokenValue, reasonNotString},
		{"bad time", `{"expiresAt":"` + secretText + `"}`, fieldExpiresAt, reasonNotTime},
		{"time not RFC 3339", `{"rotatedAt":"2025-06-03 10:00:00"}`, fieldRotatedAt, reasonNotTime},
		{"raw with inner space", "abc def", rawField, reasonRawChars},
		{"raw with inner newline", secretText[:30] + "\n" + secretText[30:], rawField, reasonRawChars},
		{"raw with control", "abc\x00def", rawField, reasonRawChars},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeStored([]byte(c.in))
			var se *StoredError
			require.ErrorAs(t, err, &se)
			assert.ErrorIs(t, err, ErrMalformedStored)
			assert.Equal(t, c.field, se.Field)
			assert.Equal(t, c.reason, se.Reason)
			assertNoLeak(t, err.Error())
			if len(c.in) > 3 {
				assert.NotContains(t, err.Error(), strings.TrimSpace(c.in))
			}
		})
	}

	for name, c := range map[string]struct {
		st    StoredToken
		f     Format
		field string
	}{
		"raw empty":           {StoredToken{}, FormatRaw, rawField},
		"raw with newline":    {StoredToken{Token: NewSecret("abc\n")}, FormatRaw, rawField},
		"raw starting {":      {StoredToken{Token: NewSecret("{abc")}, FormatRaw, rawField},
		"raw bad UTF-8":       {StoredToken{Token: NewSecret("a\xff")}, FormatRaw, rawField},
		"json bad UTF-8":      {StoredToken{User: "\xff"}, FormatJSON, fieldUser},
		"json year 10000":     {StoredToken{ExpiresAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, FormatJSON, fieldExpiresAt},
		"json token bad UTF8": {StoredToken{Token: NewSecret("\xfe" + secretText)}, FormatJSON, fieldTokenValue},
	} {
		_, err := EncodeStored(c.st, c.f)
		var se *StoredError
		require.ErrorAs(t, err, &se, name)
		assert.Equal(t, c.field, se.Field, name)
		assertNoLeak(t, err.Error())
	}
	_, err := EncodeStored(StoredToken{Token: NewSecret("x")}, Format(0))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, "json", FormatJSON.String())
	assert.Equal(t, "raw", FormatRaw.String())
	assert.Equal(t, "Format(9)", Format(9).String())
}

// storedErrorTexts is every text a StoredError can have. Errors are built
// only from these, so no error can carry input.
func storedErrorTexts() map[string]bool {
	reasons := []string{reasonNoToken, reasonEmpty, reasonUTF8, reasonJSON, reasonTrailing, reasonDuplicate, reasonDuplicateAny,
		reasonCase, reasonNotString, reasonNotTime, reasonRawChars}
	texts := map[string]bool{}
	for _, r := range reasons {
		texts[(&StoredError{Reason: r}).Error()] = true
		for _, f := range append([]string{rawField}, knownFields...) {
			texts[(&StoredError{Field: f, Reason: r}).Error()] = true
		}
	}
	return texts
}

func sameStored(a, b StoredToken) bool {
	return a.Account == b.Account && a.User == b.User && a.TokenName == b.TokenName &&
		a.Token == b.Token && a.PrivateKey == b.PrivateKey && a.Passphrase == b.Passphrase &&
		a.ExpiresAt.Equal(b.ExpiresAt) && a.RotatedAt.Equal(b.RotatedAt) &&
		a.Format == b.Format && a.extra == b.extra
}

func FuzzDecodeStored(f *testing.F) {
	for _, s := range []string{
		"", "tok", " tok\n", "{}", `{"patTokenValue":"v"}`, `{"a":1,"a":2}`, `{"user":null,"expiresAt":""}`,
		`{"expiresAt":"2025-01-01T00:00:00+01:00","x":[1,{"y":"<"}]}`, `{"PATTOKENVALUE":"v"}`, "{", `{"a":1} x`,
		"\uFEFFtok", "a b", `{"x":"\u00e9\ud800"}`, `{"rotatedAt":"0001-01-01T00:30:00+01:00"}`,
	} {
		f.Add([]byte(s))
	}
	texts := storedErrorTexts()
	f.Fuzz(func(t *testing.T, in []byte) {
		st, err := DecodeStored(in)
		if err != nil {
			var se *StoredError
			if !errors.As(err, &se) || !texts[err.Error()] {
				t.Fatalf("error %q is not one of the fixed texts", err)
			}
			return
		}
		if st.Format != FormatJSON && st.Format != FormatRaw {
			t.Fatalf("no format detected")
		}
		if st.Format == FormatRaw && st.Token.IsZero() {
			t.Fatalf("raw value decoded to an empty token")
		}
		out, err := EncodeStored(st, st.Format)
		if err != nil {
			t.Fatalf("decoded value does not encode: %v", err)
		}
		back, err := DecodeStored(out)
		if err != nil {
			t.Fatalf("encoded value does not decode: %v", err)
		}
		if !sameStored(st, back) {
			t.Fatalf("round trip changed the value:\n%q\n%q", in, out)
		}
		if back.WhitespaceTrimmed {
			t.Fatalf("encoding wrote whitespace around a raw token")
		}
	})
}
