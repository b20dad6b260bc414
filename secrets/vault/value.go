package vault

import (
	"encoding/base64"
	"unicode/utf8"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// valueData is a KV version of the value path: the value under "value"
// when it is UTF-8 text, so that vault kv get -field=value and Vault Agent
// templates read it as it is, and under "value_base64" otherwise (JSON
// strings cannot hold arbitrary bytes).
type valueData struct {
	Value       *string `json:"value,omitempty"`
	ValueBase64 *string `json:"value_base64,omitempty"`
}

func encodeValue(v []byte) valueData {
	if utf8.Valid(v) {
		s := string(v)
		return valueData{Value: &s}
	}
	s := base64.StdEncoding.EncodeToString(v)
	return valueData{ValueBase64: &s}
}

// decode returns the bytes. Its errors never quote the data.
func (d valueData) decode() ([]byte, error) {
	switch {
	case d.Value != nil:
		return []byte(*d.Value), nil
	case d.ValueBase64 != nil:
		b, err := base64.StdEncoding.DecodeString(*d.ValueBase64)
		if err != nil {
			return nil, versionset.Errorf(driver.CodeUnknown, "value_base64 is not base64")
		}
		return b, nil
	}
	return nil, versionset.Errorf(driver.CodeUnknown, "the version has neither value nor value_base64")
}
