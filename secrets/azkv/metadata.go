package azkv

import (
	"fmt"
	"mime"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Metadata keys with a meaning beyond their tag. Both are stored as tags
// too, exactly as given, so that metadata reads back unchanged.
const (
	// MetadataExpiresAt, an RFC 3339 time, becomes the version's exp
	// attribute (whole seconds), which the portal, Azure Policy and Event
	// Grid's SecretNearExpiry event use. Key Vault does not enforce it:
	// an expired version can still be read.
	MetadataExpiresAt = "expires_at"
	// MetadataContentType, a media type such as "application/json",
	// becomes the version's content type (followed by this package's
	// parameters). It takes precedence over Options.ContentType.
	MetadataContentType = "content_type"
)

// tagsFromMetadata copies metadata into tags, one tag per entry: the
// portable limits (15 entries, 256-byte values) are Key Vault's own.
func tagsFromMetadata(md map[string]string) map[string]*string {
	if len(md) == 0 {
		return nil
	}
	out := make(map[string]*string, len(md))
	for k, v := range md {
		out[k] = &v
	}
	return out
}

func metadataFromTags(tags map[string]*string) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		if v != nil {
			out[k] = *v
		} else {
			out[k] = ""
		}
	}
	return out
}

// sameTags compares stored tags with requested metadata.
func sameTags(tags map[string]*string, md map[string]string) bool {
	got := metadataFromTags(tags)
	if len(got) != len(md) {
		return false
	}
	for k, v := range md {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}

// expiry parses the expires_at entry, if any.
func expiry(md map[string]string) (*time.Time, error) {
	s, ok := md[MetadataExpiresAt]
	if !ok {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("azkv: metadata %s is not an RFC 3339 time", MetadataExpiresAt)
	}
	t = t.UTC().Truncate(time.Second)
	return &t, nil
}

// mediaType picks the content type for a new version.
func (s *secret) mediaType(md map[string]string, b64 bool) (string, error) {
	if ct, ok := md[MetadataContentType]; ok {
		if _, _, err := mime.ParseMediaType(ct); err != nil {
			return "", fmt.Errorf("azkv: metadata %s is not a media type", MetadataContentType)
		}
		return ct, nil
	}
	switch {
	case s.opts.ContentType != "":
		return s.opts.ContentType, nil
	case b64:
		return "application/octet-stream", nil
	}
	return "text/plain", nil
}

// checkTagValues refuses metadata with an empty value before anything is
// sent: whether Key Vault stores an empty tag value is documented nowhere,
// and writes with one are reported to fail (see the package doc), so the
// adapter takes the stricter reading rather than find out in production.
func checkTagValues(md map[string]string) error {
	for k, v := range md {
		if v == "" {
			return errorf(driver.CodeInvalidArgument, "metadata %q has an empty value, which a Key Vault tag may not have", k)
		}
	}
	return nil
}
