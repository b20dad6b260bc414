package pat

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretText looks like a real token so that a leak in any encoding would
// be recognisable.
const secretText = "eyJraWQiOiIxMjM0NTYiLCJhbGciOiJFUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.SIGNATURE-xyz_42"

// assertNoLeak fails if out holds the secret in plain, hex or base64 form.
func assertNoLeak(t *testing.T, out string) {
	t.Helper()
	for _, form := range []string{
		secretText,
		secretText[:20],
		hex.EncodeToString([]byte(secretText))[:20],
		strings.ToUpper(hex.EncodeToString([]byte(secretText)))[:20],
		base64.StdEncoding.EncodeToString([]byte(secretText))[:20],
	} {
		assert.NotContains(t, out, form)
	}
}

type exported struct {
	Name  string
	Token Secret
}

type unexported struct {
	name  string
	token Secret
}

type nested struct {
	Inner  exported
	Ptr    *Secret
	Any    any
	Tokens []Secret
}

func TestSecretRevealIsTheOnlyWayOut(t *testing.T) {
	s := NewSecret(secretText)
	assert.Equal(t, secretText, s.Reveal())
	assert.False(t, s.IsZero())
	assert.True(t, NewSecret("").IsZero())
	assert.True(t, Secret{}.IsZero())
	assert.Equal(t, Secret{}, NewSecret(""))
	assert.Equal(t, "", Secret{}.Reveal())
	// Equal texts give equal values, so == and DeepEqual work in tests.
	assert.True(t, s == NewSecret(secretText))
}

func TestSecretEqual(t *testing.T) {
	a := NewSecret(secretText)
	assert.True(t, a.Equal(NewSecret(secretText)))
	assert.False(t, a.Equal(NewSecret(secretText+"x")))
	assert.False(t, a.Equal(NewSecret(strings.Replace(secretText, "e", "f", 1))))
	assert.False(t, a.Equal(Secret{}))
	assert.True(t, Secret{}.Equal(NewSecret("")))
}

func TestSecretMaskedInMemory(t *testing.T) {
	// The stored form is not the text, so reflection-based dumpers that
	// bypass our methods do not show it.
	s := NewSecret(secretText)
	assert.NotContains(t, s.masked, secretText[:8])
	out := fmt.Sprintf("%v", unexported{token: s})
	assert.NotContains(t, out, secretText[:8])
	assert.Less(t, strings.IndexFunc(out, unicode.IsControl), 0, "the noise is printable, so it cannot garble a log line")
}

func TestSecretEveryFmtVerb(t *testing.T) {
	s := NewSecret(secretText)
	values := map[string]any{
		"value":              s,
		"pointer":            &s,
		"exported field":     exported{Name: "n", Token: s},
		"exported field ptr": &exported{Name: "n", Token: s},
		"unexported field":   unexported{name: "n", token: s},
		"nested":             nested{Inner: exported{Token: s}, Ptr: &s, Any: s, Tokens: []Secret{s, s}},
		"slice":              []Secret{s},
		"array":              [2]Secret{s, s},
		"map value":          map[string]Secret{"k": s},
		"map key":            map[Secret]int{s: 1},
		"interface slice":    []any{s, &s},
		"double pointer":     func() **Secret { p := &s; return &p }(),
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%d", "%o", "%b", "%c", "%U",
		"%e", "%f", "%g", "%t", "%10s", "%-30v", "%08x", "%.3s", "%#x", "%+q", "%#q", "%T", "%p"}
	for name, v := range values {
		for _, verb := range verbs {
			if verb == "%p" && name != "pointer" {
				continue
			}
			out := fmt.Sprintf(verb, v)
			t.Run(name+" "+verb, func(t *testing.T) { assertNoLeak(t, out) })
		}
	}
	assert.Equal(t, "[REDACTED]", fmt.Sprint(s))
	assert.Equal(t, "[REDACTED]", s.String())
	assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", s))
	assert.Equal(t, `pat.Secret("[REDACTED]")`, fmt.Sprintf("%#v", s))
	assert.Equal(t, `pat.Secret("[REDACTED]")`, s.GoString())
	assert.Equal(t, "{Name:n Token:[REDACTED]}", fmt.Sprintf("%+v", exported{Name: "n", Token: s}))
	assert.Equal(t, "[EMPTY]", fmt.Sprint(Secret{}))
	assert.Equal(t, "pat.Secret", fmt.Sprintf("%T", s))
}

func TestSecretInErrors(t *testing.T) {
	s := NewSecret(secretText)
	for _, err := range []error{
		errors.New(fmt.Sprint(s)),
		fmt.Errorf("token %v failed", s),
		fmt.Errorf("token %s failed: %w", s, errors.New("x")),
		fmt.Errorf("%+v", exported{Token: s}),
	} {
		assertNoLeak(t, err.Error())
		assert.Contains(t, err.Error(), "[REDACTED]")
	}
}

func TestSecretJSON(t *testing.T) {
	s := NewSecret(secretText)
	for _, v := range []any{
		s,
		&s,
		exported{Name: "n", Token: s},
		map[string]Secret{"k": s},
		map[Secret]string{s: "v"},
		[]Secret{s},
		struct {
			T Secret `json:"t,omitempty"`
		}{s},
	} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assertNoLeak(t, string(b))
		assert.Contains(t, string(b), "[REDACTED]")
	}
	b, err := json.Marshal(exported{Name: "n", Token: s})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Name":"n","Token":"[REDACTED]"}`, string(b))

	txt, err := s.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "[REDACTED]", string(txt))
}

func TestSecretUnmarshalRefused(t *testing.T) {
	var v exported
	err := json.Unmarshal([]byte(`{"Name":"n","Token":"abc"}`), &v)
	require.ErrorIs(t, err, ErrSecretUnmarshal)
	assert.True(t, v.Token.IsZero())

	var s Secret
	assert.ErrorIs(t, s.UnmarshalText([]byte("abc")), ErrSecretUnmarshal)
	assert.ErrorIs(t, s.UnmarshalJSON([]byte(`"abc"`)), ErrSecretUnmarshal)
}

func TestSecretSlog(t *testing.T) {
	s := NewSecret(secretText)
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(newHandler(&buf))
			log.Info("direct", "token", s)
			log.Info("pointer", "token", &s)
			log.Info("attr", slog.Any("token", s))
			log.Info("group", slog.Group("g", slog.Any("token", s)))
			log.Info("struct", "v", exported{Name: "n", Token: s})
			log.Info("struct pointer", "v", &exported{Name: "n", Token: s})
			log.Info("slice", "v", []Secret{s})
			log.Info("map", "v", map[string]Secret{"k": s})
			log.With("token", s).Info("with")
			log.WithGroup("g").Info("with group", "token", s)
			out := buf.String()
			assertNoLeak(t, out)
			assert.Equal(t, 10, strings.Count(out, "[REDACTED]"), out)
		})
	}
	assert.Equal(t, "[REDACTED]", s.LogValue().String())
}
