package k8slease

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxSlug bounds the readable part of a hashed lease name.
const maxSlug = 40

// LeaseName is the name of the Lease that guards key: prefix+key when key
// is already a valid name part (lowercase letters, digits and '-', starting
// and ending with a letter or digit), as target names usually are, so
// that RBAC rules and kubectl output are easy to read. Any other key gets
// a readable part and a hash after a '.', which no key of the first kind
// contains, so two keys never share a Lease.
func LeaseName(prefix, key string) string {
	if plainKey(key) && len(prefix)+len(key) <= 253 {
		return prefix + key
	}
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(key) {
		ok := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		switch {
		case ok:
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= maxSlug {
			break
		}
	}
	slug := strings.TrimRight(b.String(), "-")
	if slug == "" {
		slug = "key"
	}
	sum := sha256.Sum256([]byte(key))
	return prefix + slug + "." + hex.EncodeToString(sum[:8])
}

func plainKey(key string) bool {
	if key == "" || key[0] == '-' || key[len(key)-1] == '-' {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
