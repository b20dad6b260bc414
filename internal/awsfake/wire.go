package awsfake

import (
	"encoding/json"
	"strconv"
	"time"
)

// epoch encodes a time as the JSON number of seconds since 1970 with
// millisecond precision, as AWS JSON protocols send timestamps.
type epoch time.Time

func (e epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(e).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

func epochPtr(t *time.Time) *epoch {
	if t == nil {
		return nil
	}
	e := epoch(*t)
	return &e
}

// decode unmarshals a request body into req, leniently: unknown fields are
// ignored, as a service ignores members added by newer SDKs.
func decode(body []byte, req any) *APIError {
	if len(body) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, req); err != nil {
		return &APIError{Status: 400, Type: "SerializationException", Message: "the request body is not valid JSON for this operation"}
	}
	return nil
}
