package azfake

import (
	"encoding/json"
	"maps"
	"net/http"
	"unicode/utf8"
)

// The service's limits on what a version may carry.
const (
	maxValueBytes      = 25 * 1024
	maxTags            = 15
	maxTagNameChars    = 512
	maxTagValueChars   = 256
	maxContentTypeChar = 255
)

const recoveryLevel = "Recoverable+Purgeable"

// setSecret creates a version, and the secret with it if needed.
func (s *Server) setSecret(name string, body []byte) (int, any, *APIError) {
	var req setRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return 0, nil, badParameter("The request body is not valid JSON.")
	}
	if req.Value == nil {
		return 0, nil, badParameter("The parameter value is required.")
	}
	if len(*req.Value) > maxValueBytes {
		return 0, nil, badParameter("The secret value is %d bytes; the limit is %d.", len(*req.Value), maxValueBytes)
	}
	if e := checkProperties(req.ContentType, req.Tags); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[key(name)]
	if sec != nil && sec.deleted != nil {
		return 0, nil, reserved(sec.name)
	}
	if sec == nil {
		sec = &secret{name: name}
		s.secrets[key(name)] = sec
	}
	now := s.now().Unix()
	s.seq++
	v := &version{
		id:          newVersionID(),
		seq:         s.seq,
		value:       *req.Value,
		contentType: req.ContentType,
		tags:        maps.Clone(req.Tags),
		enabled:     true,
		created:     now,
		updated:     now,
	}
	if a := req.Attributes; a != nil {
		if a.Enabled != nil {
			v.enabled = *a.Enabled
		}
		v.nbf, v.exp = a.NotBefore, a.Expires
	}
	sec.versions = append(sec.versions, v)
	return http.StatusOK, s.bundle(sec, v, true), nil
}

// getSecret reads a version by id, or the latest when id is empty. A
// disabled version cannot be read, even as the latest: the service does
// not fall back to an older enabled one.
func (s *Server) getSecret(name, id string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, v, e := s.lookup(name, id)
	if e != nil {
		return 0, nil, e
	}
	if !v.enabled {
		return 0, nil, disabled()
	}
	return http.StatusOK, s.bundle(sec, v, true), nil
}

// updateSecret changes a version's properties. Disabled versions may be
// updated: that is how they are enabled again.
func (s *Server) updateSecret(name, id string, body []byte) (int, any, *APIError) {
	var req updateRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return 0, nil, badParameter("The request body is not valid JSON.")
	}
	var tags map[string]string
	if req.Tags != nil {
		tags = *req.Tags
	}
	if e := checkProperties(req.ContentType, tags); e != nil {
		return 0, nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, v, e := s.lookup(name, id)
	if e != nil {
		return 0, nil, e
	}
	if req.ContentType != nil {
		ct := *req.ContentType
		v.contentType = &ct
	}
	if req.Tags != nil {
		v.tags = maps.Clone(tags)
	}
	if a := req.Attributes; a != nil {
		if a.Enabled != nil {
			v.enabled = *a.Enabled
		}
		if a.NotBefore != nil {
			v.nbf = a.NotBefore
		}
		if a.Expires != nil {
			v.exp = a.Expires
		}
	}
	v.updated = s.now().Unix()
	return http.StatusOK, s.bundle(sec, v, false), nil
}

// deleteSecret soft-deletes the secret: its name stays reserved until a
// purge or a recovery.
func (s *Server) deleteSecret(name string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[key(name)]
	if sec == nil || sec.deleted != nil {
		return 0, nil, notFound(name)
	}
	now := s.now()
	sec.deleted = &deletion{deletedDate: now.Unix(), scheduledPurgeDate: now.AddDate(0, 0, 90).Unix()}
	return http.StatusOK, s.deletedBundle(sec), nil
}

// lookup finds a live secret and one of its versions (the latest for "").
// The caller holds s.mu.
func (s *Server) lookup(name, id string) (*secret, *version, *APIError) {
	sec := s.secrets[key(name)]
	if sec == nil || sec.deleted != nil {
		return nil, nil, notFound(name)
	}
	if id == "" {
		return sec, sec.latest(), nil
	}
	v := sec.find(id)
	if v == nil {
		return nil, nil, versionNotFound(name, id)
	}
	return sec, v, nil
}

func checkProperties(contentType *string, tags map[string]string) *APIError {
	if contentType != nil && utf8.RuneCountInString(*contentType) > maxContentTypeChar {
		return badParameter("The content type is longer than %d characters.", maxContentTypeChar)
	}
	if len(tags) > maxTags {
		return badParameter("A secret may have at most %d tags.", maxTags)
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > maxTagNameChars {
			return badParameter("A tag name must be 1 to %d characters.", maxTagNameChars)
		}
		if v == "" {
			// Not documented either way; see the package documentation.
			return badParameter("The value of tag %s is empty.", k)
		}
		if utf8.RuneCountInString(v) > maxTagValueChars {
			return badParameter("The value of tag %s is longer than %d characters.", k, maxTagValueChars)
		}
	}
	return nil
}

// bundle renders a version as the service does; the caller holds s.mu.
func (s *Server) bundle(sec *secret, v *version, withValue bool) bundleJSON {
	b := bundleJSON{
		ID:          s.srv.URL + "/secrets/" + sec.name + "/" + v.id,
		ContentType: v.contentType,
		Tags:        maps.Clone(v.tags),
		Attributes:  attributes(v),
	}
	if withValue {
		val := v.value
		b.Value = &val
	}
	return b
}

func attributes(v *version) attributesJSON {
	enabled, created, updated := v.enabled, v.created, v.updated
	days := int32(90)
	return attributesJSON{
		Enabled:         &enabled,
		NotBefore:       v.nbf,
		Expires:         v.exp,
		Created:         &created,
		Updated:         &updated,
		RecoveryLevel:   recoveryLevel,
		RecoverableDays: &days,
	}
}
