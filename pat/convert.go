package pat

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The converters turn one result cell, scanned into an `any`, into the Go
// type a field wants. Scanning into `any` instead of typed destinations
// keeps decoding independent of how the driver (or a proxy, or a future
// result format) types a column: gosnowflake hands timestamp_ltz cells over
// as time.Time and fixed-point numbers as strings, but a cell may as well
// arrive as []byte, int64 or float64. NULL (nil) is the zero value
// everywhere.
//
// Errors name the Go type but never the value: the cell could be anything.

var errCellType = errors.New("unsupported cell type")

func cellString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	case big.Int:
		return x.String(), nil
	case *big.Int:
		return x.String(), nil
	case big.Float:
		return x.Text('f', -1), nil
	case *big.Float:
		return x.Text('f', -1), nil
	}
	return "", fmt.Errorf("%w %T for text", errCellType, v)
}

// isNullText reports whether a text cell stands for NULL. DESCRIBE output
// writes NULL as the word null, and some tools print it that way too; for
// times and numbers it can never be a real value.
func isNullText(s string) bool {
	return s == "" || strings.EqualFold(s, "null")
}

func cellTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return x, nil
	case string:
		return parseTimeText(x)
	case []byte:
		return parseTimeText(string(x))
	case int64:
		if x < minEpoch || x > maxEpoch {
			return time.Time{}, errEpochRange
		}
		return time.Unix(x, 0), nil
	case float64:
		if math.IsNaN(x) || x < minEpoch || x > maxEpoch {
			return time.Time{}, errEpochRange
		}
		sec, frac := math.Modf(x)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))), nil
	}
	return time.Time{}, fmt.Errorf("%w %T for a time", errCellType, v)
}

// Epoch seconds are accepted for years 1 to 9999, the range RFC 3339 can
// write; nothing outside it is a token's time.
const (
	minEpoch = -62135596800 // 0001-01-01T00:00:00Z
	maxEpoch = 253402300799 // 9999-12-31T23:59:59Z
)

var errEpochRange = errors.New("epoch seconds out of range")

// timeLayouts are the text forms a timestamp cell may take: RFC 3339, and
// Snowflake's default output formats for TIMESTAMP_LTZ/TZ (with a numeric
// offset) and TIMESTAMP_NTZ (no offset, read as UTC).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02 15:04:05.999999999",
}

func parseTimeText(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if isNullText(s) {
		return time.Time{}, nil
	}
	if t, ok := parseEpochText(s); ok {
		return t, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("unrecognised time format")
}

// parseEpochText reads the "seconds.fraction" form that Snowflake's JSON
// result format uses for timestamp cells.
func parseEpochText(s string) (time.Time, bool) {
	secText, fracText, hasFrac := strings.Cut(s, ".")
	if secText == "" || secText == "-" || hasFrac && (fracText == "" || len(fracText) > 9) {
		return time.Time{}, false
	}
	for i := 0; i < len(secText); i++ {
		if c := secText[i]; !(c >= '0' && c <= '9' || i == 0 && c == '-') {
			return time.Time{}, false
		}
	}
	sec, err := strconv.ParseInt(secText, 10, 64)
	if err != nil || sec < minEpoch || sec > maxEpoch {
		return time.Time{}, false
	}
	var nsec int64
	if hasFrac {
		for i := 0; i < len(fracText); i++ {
			if c := fracText[i]; c < '0' || c > '9' {
				return time.Time{}, false
			}
		}
		nsec, _ = strconv.ParseInt(fracText+strings.Repeat("0", 9-len(fracText)), 10, 64)
		if strings.HasPrefix(secText, "-") {
			nsec = -nsec
		}
	}
	return time.Unix(sec, nsec), true
}

func cellInt(v any) (int, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		return int(x), nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, errors.New("not a whole number in range")
		}
		return int(x), nil
	case string:
		return parseIntText(x)
	case []byte:
		return parseIntText(string(x))
	case big.Int:
		return bigInt(&x)
	case *big.Int:
		return bigInt(x)
	}
	return 0, fmt.Errorf("%w %T for a number", errCellType, v)
}

func bigInt(x *big.Int) (int, error) {
	if x == nil || !x.IsInt64() {
		return 0, errors.New("number out of range")
	}
	return int(x.Int64()), nil
}

func parseIntText(s string) (int, error) {
	s = strings.TrimSpace(s)
	if isNullText(s) {
		return 0, nil
	}
	// A NUMBER(p, s) column may print as 10.000; the fraction must be zero.
	if whole, frac, ok := strings.Cut(s, "."); ok && strings.Trim(frac, "0") == "" && frac != "" {
		s = whole
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("not a whole number in range")
	}
	return int(n), nil
}

func cellBool(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case string, []byte:
		s, _ := cellString(x)
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1", "yes", "y", "on":
			return true, nil
		case "false", "0", "no", "n", "off", "", "null":
			return false, nil
		}
		return false, errors.New("not a boolean")
	}
	return false, fmt.Errorf("%w %T for a boolean", errCellType, v)
}
