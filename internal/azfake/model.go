package azfake

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// version is one stored version of a secret. Times are Unix seconds, the
// service's resolution.
type version struct {
	id          string
	seq         uint64 // creation order; the service's "latest" is the highest
	value       string
	contentType *string
	tags        map[string]string
	enabled     bool
	nbf, exp    *int64
	created     int64
	updated     int64
}

// secret is a name and its versions, live or soft-deleted.
type secret struct {
	name     string // as first written; lookups ignore case
	versions []*version
	deleted  *deletion // non-nil while soft-deleted
}

type deletion struct {
	deletedDate        int64
	scheduledPurgeDate int64
}

// latest is the version GET /secrets/{name}/ returns: the newest one,
// whether or not it is enabled.
func (s *secret) latest() *version {
	var out *version
	for _, v := range s.versions {
		if out == nil || v.seq > out.seq {
			out = v
		}
	}
	return out
}

// find returns the version with id, compared without regard to case as
// the service compares ids, or nil.
func (s *secret) find(id string) *version {
	for _, v := range s.versions {
		if strings.EqualFold(v.id, id) {
			return v
		}
	}
	return nil
}

// newVersionID returns 32 random lowercase hex digits, the service's form.
func newVersionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// key is the map key for a secret name: names are case-insensitive.
func key(name string) string { return strings.ToLower(name) }

// validName reports whether name is a legal Key Vault object name.
func validName(name string) bool {
	if len(name) == 0 || len(name) > 127 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '-' {
			return false
		}
	}
	return true
}
