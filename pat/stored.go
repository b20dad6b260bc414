package pat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Format is how a token is kept in a secret store.
type Format int

const (
	// FormatJSON is a JSON object with the fields of AWS Secrets Manager's
	// managed SnowflakePat secret (account, user, patTokenName,
	// patTokenValue, optional privateKey and passphrase) plus expiresAt and
	// rotatedAt. Fields we do not know are kept and written back, so a
	// store shared with other tools never loses what they wrote.
	FormatJSON Format = iota + 1
	// FormatRaw is the token text alone, for BI tools that read the secret
	// as a plain password.
	FormatRaw
)

func (f Format) String() string {
	switch f {
	case FormatJSON:
		return "json"
	case FormatRaw:
		return "raw"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// The JSON field names, AWS's first.
const (
	fieldAccount    = "account"
	fieldUser       = "user"
	fieldTokenName  = "patTokenName"
	fieldTokenValue = "patTokenValue"
	fieldPrivateKey = "privateKey"
	fieldPassphrase = "passphrase"
	fieldExpiresAt  = "expiresAt"
	fieldRotatedAt  = "rotatedAt"
)

var knownFields = []string{fieldAccount, fieldUser, fieldTokenName, fieldTokenValue, fieldPrivateKey, fieldPassphrase, fieldExpiresAt, fieldRotatedAt}

// StoredToken is a token as kept in a secret store. The credential fields
// are Secrets, so printing or logging a StoredToken shows no credential.
type StoredToken struct {
	Account   string
	User      string
	TokenName string
	Token     Secret
	ExpiresAt time.Time // zero when not recorded
	RotatedAt time.Time // zero when not recorded

	// PrivateKey and Passphrase are the key-pair credentials AWS's managed
	// rotation keeps in the same secret. This package does not use them; it
	// keeps them so that writing the secret back does not drop them.
	PrivateKey Secret
	Passphrase Secret

	// Format is the format DecodeStored found.
	Format Format
	// WhitespaceTrimmed is set when DecodeStored removed whitespace around a
	// raw token. The token is usable, but a BI tool that was given the same
	// pasted text sends the whitespace along and fails to log in; diagnosis
	// reports it.
	WhitespaceTrimmed bool

	// extra holds the JSON fields we do not know, as a canonical JSON
	// object (sorted keys, compact values). It is a Secret because an
	// unknown field may well hold a credential.
	extra Secret
}

// ErrMalformedStored is matched (errors.Is) by every error DecodeStored and
// EncodeStored return for bad content.
var ErrMalformedStored = errors.New("pat: malformed stored token")

// StoredError describes why a stored value could not be read or written.
// Field is one of the known JSON field names (or "token" for a raw value, or
// empty for the value as a whole) and Reason is a fixed phrase: neither ever
// contains any of the input, so the error is safe to log even when the
// input was a token.
type StoredError struct {
	Field  string
	Reason string
}

func (e *StoredError) Error() string {
	if e.Field == "" {
		return "pat: stored token " + e.Reason
	}
	return "pat: stored token: field " + e.Field + " " + e.Reason
}

// Unwrap makes a StoredError an ErrMalformedStored.
func (e *StoredError) Unwrap() error { return ErrMalformedStored }

// The reasons a StoredError gives. They are constants so that tests can
// prove no error text is built from input.
const (
	reasonEmpty        = "is empty"
	reasonUTF8         = "is not valid UTF-8"
	reasonJSON         = "is not a valid JSON object"
	reasonTrailing     = "has data after the JSON object"
	reasonDuplicate    = "appears more than once"
	reasonDuplicateAny = "has a field that appears more than once"
	reasonCase         = "is spelled with unexpected letter case"
	reasonNotString    = "must be a JSON string or null"
	reasonNotTime      = "must be an RFC 3339 time"
	reasonRawChars     = "contains whitespace or control characters inside the token"
	reasonNoToken      = "is missing or empty"
)

const rawField = "token"

// DecodeStored reads a stored token and detects its format: a value whose
// first non-space character is { is JSON, anything else is a raw token.
// (A token secret never starts with {, and a damaged JSON value must fail
// loudly rather than be taken for a token.)
//
// A raw value has surrounding whitespace (line breaks included) trimmed,
// because people paste tokens with a trailing newline; WhitespaceTrimmed
// records that it happened. Whitespace or control characters inside a raw
// token cannot be repaired safely and are an error. JSON values are taken
// exactly as written.
func DecodeStored(data []byte) (StoredToken, error) {
	if !utf8.Valid(data) {
		return StoredToken{}, &StoredError{Reason: reasonUTF8}
	}
	trimmed := bytes.TrimFunc(data, isTrimmable)
	if len(trimmed) == 0 {
		return StoredToken{}, &StoredError{Reason: reasonEmpty}
	}
	switch trimmed[0] {
	case '{':
		return decodeJSON(trimmed)
	case '[', '"':
		// JSON, but not the object the format is: not a token either.
		return StoredToken{}, &StoredError{Reason: reasonJSON}
	}
	text := string(trimmed)
	if strings.IndexFunc(text, isTrimmable) >= 0 || strings.IndexFunc(text, unicode.IsControl) >= 0 {
		return StoredToken{}, &StoredError{Field: rawField, Reason: reasonRawChars}
	}
	return StoredToken{
		Token:             NewSecret(text),
		Format:            FormatRaw,
		WhitespaceTrimmed: len(trimmed) != len(data),
	}, nil
}

// isTrimmable is whitespace plus the byte-order mark some editors prepend.
func isTrimmable(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }

func decodeJSON(data []byte) (StoredToken, error) {
	fields, err := jsonMembers(data)
	if err != nil {
		return StoredToken{}, err
	}
	st := StoredToken{Format: FormatJSON}
	extra := map[string]json.RawMessage{}
	for key, raw := range fields {
		if !isKnownField(key) {
			if k := knownFieldFold(key); k != "" {
				return StoredToken{}, &StoredError{Field: k, Reason: reasonCase}
			}
			extra[key] = raw
			continue
		}
		var s *string
		if err := json.Unmarshal(raw, &s); err != nil {
			return StoredToken{}, &StoredError{Field: key, Reason: reasonNotString}
		}
		if s == nil {
			continue
		}
		switch key {
		case fieldAccount:
			st.Account = *s
		case fieldUser:
			st.User = *s
		case fieldTokenName:
			st.TokenName = *s
		case fieldTokenValue:
			st.Token = NewSecret(*s)
		case fieldPrivateKey:
			st.PrivateKey = NewSecret(*s)
		case fieldPassphrase:
			st.Passphrase = NewSecret(*s)
		case fieldExpiresAt, fieldRotatedAt:
			t, err := parseStoredTime(*s)
			if err != nil {
				return StoredToken{}, &StoredError{Field: key, Reason: reasonNotTime}
			}
			if key == fieldExpiresAt {
				st.ExpiresAt = t
			} else {
				st.RotatedAt = t
			}
		}
	}
	if st.Token.IsZero() {
		return StoredToken{}, &StoredError{Field: fieldTokenValue, Reason: reasonNoToken}
	}
	st.extra = NewSecret(canonicalObject(extra))
	return st, nil
}

// jsonMembers splits a JSON object into its members, refusing duplicate
// keys: encoding/json would silently keep the last one, and two different
// patTokenValue fields mean someone's write went wrong.
func jsonMembers(data []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, &StoredError{Reason: reasonJSON}
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &StoredError{Reason: reasonJSON}
		}
		key, ok := tok.(string)
		if !ok {
			return nil, &StoredError{Reason: reasonJSON}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &StoredError{Reason: reasonJSON}
		}
		if _, dup := fields[key]; dup {
			if isKnownField(key) {
				return nil, &StoredError{Field: key, Reason: reasonDuplicate}
			}
			return nil, &StoredError{Reason: reasonDuplicateAny}
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, &StoredError{Reason: reasonJSON}
		}
		fields[key] = compact.Bytes()
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, &StoredError{Reason: reasonJSON}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &StoredError{Reason: reasonTrailing}
	}
	return fields, nil
}

func isKnownField(key string) bool {
	for _, k := range knownFields {
		if k == key {
			return true
		}
	}
	return false
}

// knownFieldFold returns the known field that key spells in another letter
// case, or "". Such a key is refused rather than kept as unknown, since
// readers that match case-insensitively (encoding/json does) would take it
// for the real field.
func knownFieldFold(key string) string {
	for _, k := range knownFields {
		if strings.EqualFold(k, key) {
			return k
		}
	}
	return ""
}

// parseStoredTime reads an RFC 3339 time. Times whose UTC year is outside
// 1–9999 are refused because they cannot be written back in RFC 3339 once
// converted to UTC.
func parseStoredTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	if !storableTime(t) {
		return time.Time{}, errors.New("year out of range")
	}
	return t, nil
}

func storableTime(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 1 && y <= 9999
}

// canonicalObject writes members as a JSON object with sorted keys, or ""
// for none. Values are already compact.
func canonicalObject(members map[string]json.RawMessage) string {
	if len(members) == 0 {
		return ""
	}
	keys := make([]string, 0, len(members))
	for k := range members {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonString(k))
		b.WriteByte(':')
		b.Write(members[k])
	}
	b.WriteByte('}')
	return b.String()
}

// jsonString encodes s as a JSON string without HTML escaping, so that
// values read back byte for byte as written.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// EncodeStored writes st in format f. FormatRaw writes the token text alone
// (and so drops every other field by design); it refuses an empty token or
// one that DecodeStored could not read back. FormatJSON writes the known
// fields that are set, times in UTC RFC 3339, followed by any unknown
// fields st was decoded with.
func EncodeStored(st StoredToken, f Format) ([]byte, error) {
	switch f {
	case FormatRaw:
		text := st.Token.Reveal()
		if text == "" {
			return nil, &StoredError{Field: rawField, Reason: reasonEmpty}
		}
		if !utf8.ValidString(text) {
			return nil, &StoredError{Field: rawField, Reason: reasonUTF8}
		}
		if strings.IndexFunc(text, isTrimmable) >= 0 || strings.IndexFunc(text, unicode.IsControl) >= 0 || text[0] == '{' {
			return nil, &StoredError{Field: rawField, Reason: reasonRawChars}
		}
		return []byte(text), nil
	case FormatJSON:
		return encodeJSON(st)
	}
	return nil, fmt.Errorf("%w: unknown stored format %d", ErrInvalidArgument, int(f))
}

func encodeJSON(st StoredToken) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	put := func(key, value string) error {
		if value == "" {
			return nil
		}
		if !utf8.ValidString(value) {
			// encoding/json would replace the bad bytes silently.
			return &StoredError{Field: key, Reason: reasonUTF8}
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.Write(jsonString(key))
		b.WriteByte(':')
		b.Write(jsonString(value))
		return nil
	}
	for _, tf := range []struct {
		field string
		t     time.Time
	}{{fieldExpiresAt, st.ExpiresAt}, {fieldRotatedAt, st.RotatedAt}} {
		if !tf.t.IsZero() && !storableTime(tf.t) {
			return nil, &StoredError{Field: tf.field, Reason: reasonNotTime}
		}
	}
	for _, kv := range [][2]string{
		{fieldAccount, st.Account},
		{fieldUser, st.User},
		{fieldTokenName, st.TokenName},
		{fieldTokenValue, st.Token.Reveal()},
		{fieldPrivateKey, st.PrivateKey.Reveal()},
		{fieldPassphrase, st.Passphrase.Reveal()},
		{fieldExpiresAt, storedTime(st.ExpiresAt)},
		{fieldRotatedAt, storedTime(st.RotatedAt)},
	} {
		if err := put(kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	if extra := st.extra.Reveal(); len(extra) > 2 {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(extra[1 : len(extra)-1]) // the members, without braces
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func storedTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
