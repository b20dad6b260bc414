package vault

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/vault/api"
)

// The KV v2 HTTP API, as this package uses it. Paths are below the mount:
// data/<p> holds versions, metadata/<p> the version list and custom
// metadata, delete/<p> and destroy/<p> take {"versions": [...]}.

// kvVersion is the metadata KV v2 returns with a version.
type kvVersion struct {
	Version      int    `json:"version"`
	CreatedTime  string `json:"created_time"`
	DeletionTime string `json:"deletion_time"`
	Destroyed    bool   `json:"destroyed"`
}

// kvMetadata is metadata/<p>: the versions Vault still keeps (older ones
// are gone once max_versions is exceeded) and the custom metadata.
type kvMetadata struct {
	CurrentVersion int                  `json:"current_version"`
	OldestVersion  int                  `json:"oldest_version"`
	Versions       map[string]kvVersion `json:"versions"`
	CustomMetadata map[string]string    `json:"custom_metadata"`
}

// errCASMismatch is KV v2's refusal of a write whose cas is stale: another
// writer got there first.
var errCASMismatch = errors.New("vault: check-and-set mismatch")

func (s *secret) api(op, p string) string { return s.mount + "/" + op + "/" + p }

// readData reads data/<p> (a version when version > 0, else the latest)
// into data. It returns the version's metadata; found is false for a 404,
// which KV v2 answers for a path without versions and for a deleted or
// destroyed version (with its metadata, which meta then holds).
func (s *secret) readData(ctx context.Context, p string, version int, data any) (meta kvVersion, found bool, err error) {
	var q map[string][]string
	if version > 0 {
		q = map[string][]string{"version": {strconv.Itoa(version)}}
	}
	var body struct {
		Data struct {
			Data     json.RawMessage `json:"data"`
			Metadata kvVersion       `json:"metadata"`
		} `json:"data"`
	}
	found, err = s.readJSON(ctx, s.api("data", p), q, &body)
	if err != nil {
		return kvVersion{}, false, err
	}
	if found {
		if err := json.Unmarshal(body.Data.Data, data); err != nil {
			return kvVersion{}, false, err
		}
	}
	return body.Data.Metadata, found, nil
}

// readMetadata reads metadata/<p>; found is false when p has no versions.
func (s *secret) readMetadata(ctx context.Context, p string) (kvMetadata, bool, error) {
	var body struct {
		Data kvMetadata `json:"data"`
	}
	found, err := s.readJSON(ctx, s.api("metadata", p), nil, &body)
	return body.Data, found, err
}

// readJSON GETs path and decodes the body, also a 404's (KV v2 puts a
// deleted version's metadata in it). found is false for a 404.
func (s *secret) readJSON(ctx context.Context, path string, q map[string][]string, out any) (bool, error) {
	resp, err := s.c.Logical().ReadRawWithDataWithContext(ctx, path, q)
	if resp != nil {
		defer resp.Body.Close()
	}
	found := true
	if err != nil {
		if resp == nil || resp.StatusCode != http.StatusNotFound {
			return false, err
		}
		found = false
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil && found {
		return false, err
	}
	return found, nil
}

// writeData writes a new version of p with check-and-set: cas is the
// version the writer read (0 for none), and a stale one is errCASMismatch.
func (s *secret) writeData(ctx context.Context, p string, data any, cas int) (kvVersion, error) {
	sec, err := s.c.Logical().WriteWithContext(ctx, s.api("data", p), map[string]any{
		"data":    data,
		"options": map[string]any{"cas": cas},
	})
	if err != nil {
		if isCASMismatch(err) {
			return kvVersion{}, errCASMismatch
		}
		return kvVersion{}, err
	}
	var v kvVersion
	if sec == nil {
		return v, errors.New("vault: the write returned no version")
	}
	b, err := json.Marshal(sec.Data)
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal(b, &v)
}

// isCASMismatch recognises KV v2's 400 for a stale cas by its text, the
// only thing that tells it from other 400s.
func isCASMismatch(err error) bool {
	re, ok := errors.AsType[*api.ResponseError](err)
	if !ok || re.StatusCode != http.StatusBadRequest {
		return false
	}
	for _, e := range re.Errors {
		if strings.Contains(e, "check-and-set parameter did not match") {
			return true
		}
	}
	return false
}

// versionsOp soft-deletes (op "delete") or destroys (op "destroy") versions
// of p. Both are idempotent.
func (s *secret) versionsOp(ctx context.Context, op, p string, versions []int) error {
	if len(versions) == 0 {
		return nil
	}
	_, err := s.c.Logical().WriteWithContext(ctx, s.api(op, p), map[string]any{"versions": versions})
	return err
}

// patchCustomMetadata merges md into p's custom metadata; a nil value
// removes the key.
func (s *secret) patchCustomMetadata(ctx context.Context, p string, md map[string]any) error {
	_, err := s.c.Logical().JSONMergePatch(ctx, s.api("metadata", p), map[string]any{"custom_metadata": md})
	return err
}

// parseTime reads KV v2's RFC 3339 times.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t.UTC()
}
