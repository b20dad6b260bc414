package secrets

import (
	"fmt"
	"unicode/utf8"
)

// The portable limits. Each is the tightest among the backends adapters
// exist or are planned for, so that a secret written through one backend
// can be moved to any other.
const (
	// MaxValueSize is the largest value, in bytes, that every backend
	// accepts with room to spare: AWS Secrets Manager and GCP Secret
	// Manager take 64 KiB, but Azure Key Vault takes 25k characters of
	// text (about 18 KiB of binary once base64-encoded), and adapters whose
	// backend has no per-version metadata keep it in an envelope beside
	// the value. 16 KiB is a hundred times a PAT in the SnowflakePat JSON
	// format. Values are at least one byte, since an empty secret is almost
	// always a bug upstream.
	MaxValueSize = 16 << 10
	// MaxMetadataEntries is the most metadata entries a version may carry:
	// Azure Key Vault allows 15 tags per secret version.
	MaxMetadataEntries = 15
	// MaxMetadataKeyLen is the longest metadata key, in bytes: GCP's label
	// key limit.
	MaxMetadataKeyLen = 63
	// MaxMetadataValueLen is the longest metadata value, in bytes: AWS's and
	// Azure's tag value limit.
	MaxMetadataValueLen = 256
	// MaxIdempotencyKeyLen is the longest idempotency key: AWS's
	// ClientRequestToken limit.
	MaxIdempotencyKeyLen = 64
	// MaxVersionIDLen bounds version ids the Store passes to a driver. Ids
	// come from backends (a UUID, a number, 32 hex digits); anything longer
	// is a caller's mistake, not an id.
	MaxVersionIDLen = 256
)

// validateValue checks a value's size. The message gives the size, never
// the contents.
func validateValue(op string, v []byte) error {
	if len(v) == 0 || len(v) > MaxValueSize {
		return invalid(op, "value is %d bytes; want 1 to %d", len(v), MaxValueSize)
	}
	return nil
}

// validateMetadata enforces the metadata rules: at most MaxMetadataEntries
// entries; keys of 1 to MaxMetadataKeyLen bytes that start with a lowercase
// ASCII letter and hold only lowercase ASCII letters, digits, '_' and '-'
// (what GCP labels, Azure tags, AWS tags and Vault custom metadata all
// accept); values of at most MaxMetadataValueLen bytes of valid UTF-8
// without control characters.
func validateMetadata(op string, md map[string]string) error {
	if len(md) > MaxMetadataEntries {
		return invalid(op, "%d metadata entries; want at most %d", len(md), MaxMetadataEntries)
	}
	for k, v := range md {
		if err := checkMetadataKey(k); err != nil {
			return invalid(op, "metadata key %q: %v", truncate(k), err)
		}
		if err := checkMetadataValue(v); err != nil {
			return invalid(op, "metadata value for key %q: %v", k, err)
		}
	}
	return nil
}

func checkMetadataKey(k string) error {
	if len(k) == 0 || len(k) > MaxMetadataKeyLen {
		return fmt.Errorf("is %d bytes; want 1 to %d", len(k), MaxMetadataKeyLen)
	}
	if k[0] < 'a' || k[0] > 'z' {
		return fmt.Errorf("must start with a lowercase letter")
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '-' {
			return fmt.Errorf("byte %d is not a lowercase letter, digit, '_' or '-'", i)
		}
	}
	return nil
}

func checkMetadataValue(v string) error {
	if len(v) > MaxMetadataValueLen {
		return fmt.Errorf("is %d bytes; want at most %d", len(v), MaxMetadataValueLen)
	}
	return checkText(v)
}

// checkText requires valid UTF-8 without control characters, so that
// strings survive every backend's API and every terminal unchanged.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("contains control character %U", r)
		}
	}
	return nil
}

// validateIdempotencyKey allows the empty key (no idempotency) or 1 to
// MaxIdempotencyKeyLen ASCII letters, digits, '.', '_' and '-'; a UUID
// fits, and so does anything an adapter must hash into a backend's own
// token format.
func validateIdempotencyKey(op, key string) error {
	if len(key) > MaxIdempotencyKeyLen {
		return invalid(op, "idempotency key is %d bytes; want at most %d", len(key), MaxIdempotencyKeyLen)
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '.' && c != '_' && c != '-' {
			return invalid(op, "idempotency key byte %d is not a letter, digit, '.', '_' or '-'", i)
		}
	}
	return nil
}

// validateID checks a version id given by a caller.
func validateID(op, id string) error {
	if id == "" || len(id) > MaxVersionIDLen {
		return invalid(op, "version id is %d bytes; want 1 to %d", len(id), MaxVersionIDLen)
	}
	if err := checkText(id); err != nil {
		return invalid(op, "version id %v", err)
	}
	return nil
}

// validateStage accepts the three stages a version can be read at.
func validateStage(op string, st Stage) error {
	if st != StageCurrent && st != StagePending && st != StagePrevious {
		return invalid(op, "stage %v cannot be read; want current, pending or previous", st)
	}
	return nil
}

// truncate shortens a caller's string for an error message.
func truncate(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
