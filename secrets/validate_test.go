package secrets_test

import (
	"strings"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
)

// The limits are inclusive: the boundary is accepted, one past it refused.
// The spy driver accepts anything, so only the Store can refuse.
func TestLimits(t *testing.T) {
	ctx := t.Context()
	put := func(v []byte, o *secrets.PutOptions) error {
		_, err := secrets.NewStore(&spy{id: "1"}).Put(ctx, v, o)
		return err
	}
	md := func(k, v string) *secrets.PutOptions {
		return &secrets.PutOptions{Metadata: map[string]string{k: v}}
	}
	entries := func(n int) *secrets.PutOptions {
		m := map[string]string{}
		for i := range n {
			m["k"+strings.Repeat("x", i)] = "v"
		}
		return &secrets.PutOptions{Metadata: m}
	}
	ok := map[string]error{
		"1 byte":               put([]byte{0}, nil),
		"MaxValueSize":         put(make([]byte, secrets.MaxValueSize), nil),
		"longest key":          put([]byte("v"), md("k"+strings.Repeat("a", secrets.MaxMetadataKeyLen-1), "")),
		"key charset":          put([]byte("v"), md("a-b_c9", "x")),
		"longest value":        put([]byte("v"), md("k", strings.Repeat("é", secrets.MaxMetadataValueLen/2))),
		"unicode value":        put([]byte("v"), md("k", "Grüße, 世界")),
		"most entries":         put([]byte("v"), entries(secrets.MaxMetadataEntries)),
		"longest idem key":     put([]byte("v"), &secrets.PutOptions{IdempotencyKey: strings.Repeat("A", secrets.MaxIdempotencyKeyLen)}),
		"uuid idempotency key": put([]byte("v"), &secrets.PutOptions{IdempotencyKey: "0b6f8a5e-4b8e-4c1a-9d2e-7f3a1c5b9e20"}),
	}
	for name, err := range ok {
		assert.NoError(t, err, name)
	}
	bad := map[string]error{
		"MaxValueSize+1":    put(make([]byte, secrets.MaxValueSize+1), nil),
		"key too long":      put([]byte("v"), md("k"+strings.Repeat("a", secrets.MaxMetadataKeyLen), "")),
		"key starts digit":  put([]byte("v"), md("9k", "")),
		"key starts dash":   put([]byte("v"), md("-k", "")),
		"key uppercase":     put([]byte("v"), md("kA", "")),
		"key dot":           put([]byte("v"), md("k.a", "")),
		"empty key":         put([]byte("v"), md("", "")),
		"value too long":    put([]byte("v"), md("k", strings.Repeat("a", secrets.MaxMetadataValueLen+1))),
		"value control":     put([]byte("v"), md("k", "a\tb")),
		"value C1 control":  put([]byte("v"), md("k", "a\u0085b")),
		"value bad utf8":    put([]byte("v"), md("k", "\xc3")),
		"too many entries":  put([]byte("v"), entries(secrets.MaxMetadataEntries+1)),
		"idem key too long": put([]byte("v"), &secrets.PutOptions{IdempotencyKey: strings.Repeat("A", secrets.MaxIdempotencyKeyLen+1)}),
		"idem key slash":    put([]byte("v"), &secrets.PutOptions{IdempotencyKey: "a/b"}),
	}
	for name, err := range bad {
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, name)
	}
}

// A refused value's error gives its size, never its contents.
func TestValidationErrorsHideValues(t *testing.T) {
	v := []byte(strings.Repeat("hunter2-", secrets.MaxValueSize/8+1))
	_, err := secrets.NewStore(&spy{}).Put(t.Context(), v, nil)
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "hunter2")
}
