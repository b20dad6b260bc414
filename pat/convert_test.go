package pat

import (
	"math"
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCellTime(t *testing.T) {
	want := time.Date(2025, 6, 30, 12, 34, 56, 789000000, time.UTC)
	for name, v := range map[string]any{
		"time.Time":          want,
		"epoch text":         "1751286896.789",
		"epoch bytes":        []byte("1751286896.789000000"),
		"RFC 3339":           "2025-06-30T12:34:56.789Z",
		"RFC 3339 offset":    "2025-06-30T14:34:56.789+02:00",
		"snowflake ltz":      "2025-06-30 05:34:56.789 -0700",
		"snowflake colon tz": "2025-06-30 05:34:56.789 -07:00",
		"ntz as UTC":         "2025-06-30 12:34:56.789",
		"float epoch":        1751286896.789,
	} {
		got, err := cellTime(v)
		require.NoError(t, err, name)
		assert.WithinDuration(t, want, got, time.Microsecond, name)
	}
	got, err := cellTime(int64(1751286896))
	require.NoError(t, err)
	assert.True(t, got.Equal(want.Truncate(time.Second)))
	for _, null := range []any{nil, "", "NULL", "null", []byte(" ")} {
		got, err := cellTime(null)
		require.NoError(t, err)
		assert.True(t, got.IsZero())
	}
	for _, bad := range []any{"soon", "1.2.3", "12a", "1.1234567890", math.NaN(), math.Inf(1), 1e300, "99999999999999999999", true} {
		_, err := cellTime(bad)
		assert.Error(t, err, "%v", bad)
	}
	neg, err := cellTime("-1.5")
	require.NoError(t, err)
	assert.True(t, neg.Equal(time.Unix(-2, 500000000)))
}

func TestCellIntStringBool(t *testing.T) {
	for v, want := range map[any]int{nil: 0, int64(7): 7, "15": 15, " 15 ": 15, "10.000": 10, "null": 0, float64(3): 3} {
		got, err := cellInt(v)
		require.NoError(t, err, "%v", v)
		assert.Equal(t, want, got)
	}
	n, err := cellInt([]byte("42"))
	require.NoError(t, err)
	assert.Equal(t, 42, n)
	n, err = cellInt(*big.NewInt(9))
	require.NoError(t, err)
	assert.Equal(t, 9, n)
	for _, bad := range []any{"1.5", "x", float64(1.5), new(big.Int).Lsh(big.NewInt(1), 70), time.Now()} {
		_, err := cellInt(bad)
		assert.Error(t, err, "%v", bad)
	}

	for v, want := range map[any]string{nil: "", "x": "x", int64(-3): "-3", 2.5: "2.5", true: "true"} {
		got, err := cellString(v)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	s, err := cellString([]byte("b"))
	require.NoError(t, err)
	assert.Equal(t, "b", s)
	s, err = cellString(big.NewFloat(1.25))
	require.NoError(t, err)
	assert.Equal(t, "1.25", s)
	_, err = cellString([]int{1})
	assert.ErrorIs(t, err, errCellType)

	for v, want := range map[any]bool{"true": true, "TRUE": true, "false": false, "null": false, nil: false, true: true, int64(1): true} {
		got, err := cellBool(v)
		require.NoError(t, err, "%v", v)
		assert.Equal(t, want, got)
	}
	_, err = cellBool("maybe")
	assert.Error(t, err)
}

// FuzzCellValue runs every converter over arbitrary text, as a string and
// as bytes: none may panic, text converts to itself, and a successful time
// or number reads back the same from its canonical text.
func FuzzCellValue(f *testing.F) {
	for _, s := range []string{"", "null", "1751286896.789", "-1.5", "2025-06-30T12:34:56Z", "2025-06-30 05:34:56.789 -0700",
		"10.000", "9223372036854775807", "-9223372036854775808", "1e5", "true", ".5", "-.5", "1.", "\x00", "+1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []any{s, []byte(s)} {
			got, err := cellString(v)
			if err != nil || got != s {
				t.Fatalf("cellString(%q) = %q, %v", s, got, err)
			}
			if tm, err := cellTime(v); err == nil && !tm.IsZero() {
				back, err := cellTime(tm.Format(time.RFC3339Nano))
				if err != nil || !back.Equal(tm) {
					t.Fatalf("time %q -> %v -> %v, %v", s, tm, back, err)
				}
				if tm.Unix() >= 0 { // the sec.frac form is decimal; keep to where sec and frac share a sign
					back, err = cellTime(strconv.FormatInt(tm.Unix(), 10) + "." + strconv.Itoa(1e9 + tm.Nanosecond())[1:])
					if err != nil || !back.Equal(tm) {
						t.Fatalf("epoch of %q -> %v -> %v, %v", s, tm, back, err)
					}
				}
			}
			if n, err := cellInt(v); err == nil {
				back, err := cellInt(strconv.Itoa(n))
				if err != nil || back != n {
					t.Fatalf("int %q -> %d -> %d, %v", s, n, back, err)
				}
			}
			_, _ = cellBool(v)
		}
	})
}
