package awssm

import (
	"bytes"
	"unicode/utf8"
)

// encodeValue chooses the field a value travels in. Text goes in
// SecretString, byte for byte, so that the console, the CLI and any other
// reader see exactly what was written (a SnowflakePat JSON document stays
// a JSON document); anything that is not valid UTF-8 goes in SecretBinary,
// which JSON cannot carry as a string.
func encodeValue(v []byte) (str *string, bin []byte) {
	if utf8.Valid(v) {
		s := string(v)
		return &s, nil
	}
	return nil, bytes.Clone(v)
}

// decodeValue returns the bytes of whichever field is set.
func decodeValue(str *string, bin []byte) []byte {
	if str != nil {
		return []byte(*str)
	}
	return bytes.Clone(bin)
}
