package azkv

import (
	"encoding/base64"
	"errors"
	"unicode/utf8"
)

// Key Vault stores a value as a JSON string. Text is stored as it is, so
// that Power BI, Data Factory and the portal read the secret itself;
// anything else (invalid UTF-8, control characters other than tab and line
// ends, which services and tools are apt to mangle) is stored as standard
// base64 and marked so in the content type.

// encodeValue returns the string to store and whether it is base64.
func encodeValue(v []byte) (string, bool) {
	if isPlainText(v) {
		return string(v), false
	}
	return base64.StdEncoding.EncodeToString(v), true
}

func isPlainText(v []byte) bool {
	if !utf8.Valid(v) {
		return false
	}
	for _, r := range string(v) {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

var errCorruptValue = errors.New("azkv: a version marked base64 does not hold base64")

// decodeValue reverses encodeValue. A foreign version (b64 false) is text.
func decodeValue(s string, b64 bool) ([]byte, error) {
	if !b64 {
		return []byte(s), nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		// The base64 error gives the offset of the bad byte, never the
		// value; still, say nothing of the contents.
		return nil, errCorruptValue
	}
	return b, nil
}
