package pattest

import (
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds a request body after decompression. Snowflake documents a
// 128 MB payload limit for the Node driver; PAT administration never comes
// near it, so a smaller bound keeps a bad client from exhausting memory.
const maxBody = 8 << 20

var errBodyTooLarge = errors.New("request body too large")

// readBody reads a request body, decompressing it first when the client
// sent Content-Encoding: gzip, as the Python connector does for every
// non-empty body (network.py) and other drivers may. Any other encoding is
// refused: the emulator cannot read it, and guessing would hide a bug in
// the client.
func readBody(r *http.Request) ([]byte, error) {
	var src io.Reader = r.Body
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			if err == io.EOF { // an empty compressed body is an empty body
				return nil, nil
			}
			return nil, err
		}
		defer zr.Close()
		src = zr
	default:
		return nil, errors.New("unsupported Content-Encoding " + enc)
	}
	b, err := io.ReadAll(io.LimitReader(src, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBody {
		return nil, errBodyTooLarge
	}
	return b, nil
}
