package awsfake

import (
	"slices"
	"strconv"
)

// maxValue is the largest SecretString or SecretBinary Secrets Manager
// stores.
const maxValue = 65536

type putSecretValueRequest struct {
	SecretId           string
	ClientRequestToken *string
	SecretString       *string
	SecretBinary       []byte
	VersionStages      []string
}

type versionResponse struct {
	ARN           string
	Name          string
	VersionId     string
	VersionStages []string
}

func checkValue(str *string, bin []byte) *APIError {
	switch {
	case str != nil && bin != nil:
		return invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.")
	case str == nil && bin == nil:
		return invalidParameter("You must provide either SecretString or SecretBinary.")
	case str != nil && len(*str) > maxValue, len(bin) > maxValue:
		return validation("the secret value exceeds 65536 bytes")
	}
	return nil
}

func (s *Server) putSecretValue(body []byte) (any, *APIError) {
	var req putSecretValueRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if e := checkValue(req.SecretString, req.SecretBinary); e != nil {
		return nil, e
	}
	id, e := tokenOrNew(req.ClientRequestToken)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, e := s.live(req.SecretId)
	if e != nil {
		return nil, e
	}
	if v := sec.find(id); v != nil {
		// A retried write: the same value is a no-op that moves no label;
		// another value cannot change an immutable version.
		if !v.sameValue(req.SecretString, req.SecretBinary) {
			return nil, exists("You can't modify an existing version, you can only create a new version.")
		}
		return versionResponse{ARN: sec.arn, Name: sec.name, VersionId: v.id, VersionStages: slices.Clone(v.labels)}, nil
	}
	labels := req.VersionStages
	if labels == nil {
		labels = []string{labelCurrent}
	}
	if len(sec.versions) == 0 && !slices.Contains(labels, labelCurrent) {
		// The first version of a secret is always current, whatever the
		// caller asked for.
		labels = append(slices.Clone(labels), labelCurrent)
	}
	now := s.now()
	v := &version{id: id, str: req.SecretString, bin: req.SecretBinary, created: now}
	sec.versions = append(sec.versions, v)
	for _, l := range labels {
		sec.attach(v, l)
	}
	sec.changed = now
	sec.purge(now)
	return versionResponse{ARN: sec.arn, Name: sec.name, VersionId: v.id, VersionStages: slices.Clone(v.labels)}, nil
}

type getSecretValueRequest struct {
	SecretId     string
	VersionId    *string
	VersionStage *string
}

type getSecretValueResponse struct {
	ARN           string
	Name          string
	VersionId     string
	SecretString  *string `json:",omitempty"`
	SecretBinary  []byte  `json:",omitempty"`
	VersionStages []string
	CreatedDate   epoch
}

func (s *Server) getSecretValue(body []byte) (any, *APIError) {
	var req getSecretValueRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, e := s.live(req.SecretId)
	if e != nil {
		return nil, e
	}
	var v *version
	switch {
	case req.VersionId != nil:
		v = sec.find(*req.VersionId)
		if v == nil {
			return nil, notFound("Secrets Manager can't find the specified secret value for VersionId: " + *req.VersionId)
		}
		if req.VersionStage != nil && !v.has(*req.VersionStage) {
			return nil, notFound("Secrets Manager can't find the specified secret value for VersionId and staging label: " + *req.VersionStage)
		}
	default:
		label := labelCurrent
		if req.VersionStage != nil {
			label = *req.VersionStage
		}
		v = sec.holder(label)
		if v == nil {
			return nil, notFound("Secrets Manager can't find the specified secret value for staging label: " + label)
		}
	}
	return getSecretValueResponse{
		ARN: sec.arn, Name: sec.name, VersionId: v.id,
		SecretString: v.str, SecretBinary: v.bin,
		VersionStages: slices.Clone(v.labels), CreatedDate: epoch(v.created),
	}, nil
}

type updateStageRequest struct {
	SecretId            string
	VersionStage        string
	MoveToVersionId     *string
	RemoveFromVersionId *string
}

func (s *Server) updateSecretVersionStage(body []byte) (any, *APIError) {
	var req updateStageRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	label := req.VersionStage
	if label == "" || len(label) > 256 {
		return nil, validation("VersionStage must be 1 to 256 characters")
	}
	if req.MoveToVersionId == nil && req.RemoveFromVersionId == nil {
		return nil, invalidParameter("You must specify MoveToVersionId, RemoveFromVersionId or both.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, e := s.live(req.SecretId)
	if e != nil {
		return nil, e
	}
	holder := sec.holder(label)
	if req.RemoveFromVersionId != nil {
		if sec.find(*req.RemoveFromVersionId) == nil {
			return nil, notFound("Secrets Manager can't find the specified secret version: " + *req.RemoveFromVersionId)
		}
		// RemoveFromVersionId is a precondition: the label must be there.
		if holder == nil || holder.id != *req.RemoveFromVersionId {
			return nil, invalidParameter("The staging label " + label + " is not attached to version " + *req.RemoveFromVersionId + ".")
		}
	}
	if req.MoveToVersionId == nil {
		if label == labelCurrent {
			return nil, invalidParameter("You can't remove the staging label AWSCURRENT from a version; move it to another version with MoveToVersionId.")
		}
		sec.detach(holder, label)
		sec.changed = s.now()
		return arnNameResponse{ARN: sec.arn, Name: sec.name}, nil
	}
	target := sec.find(*req.MoveToVersionId)
	if target == nil {
		return nil, notFound("Secrets Manager can't find the specified secret version: " + *req.MoveToVersionId)
	}
	if holder != nil && holder != target && req.RemoveFromVersionId == nil {
		return nil, invalidParameter("The staging label " + label + " is currently attached to version " + holder.id + ", so you must explicitly reference that version in RemoveFromVersionId.")
	}
	sec.attach(target, label)
	sec.changed = s.now()
	return arnNameResponse{ARN: sec.arn, Name: sec.name}, nil
}

type listVersionsRequest struct {
	SecretId          string
	MaxResults        *int32
	NextToken         *string
	IncludeDeprecated *bool
}

type versionEntry struct {
	VersionId     string
	VersionStages []string
	CreatedDate   epoch
}

type listVersionsResponse struct {
	ARN       string
	Name      string
	Versions  []versionEntry
	NextToken *string `json:",omitempty"`
}

// listSecretVersionIds pages through versions oldest first. Like
// DescribeSecret it answers for a secret scheduled for deletion.
func (s *Server) listSecretVersionIds(body []byte) (any, *APIError) {
	var req listVersionsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	start, size, e := page(req.NextToken, req.MaxResults)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.lookup(req.SecretId)
	if sec == nil {
		return nil, notFound("Secrets Manager can't find the specified secret.")
	}
	deprecated := req.IncludeDeprecated != nil && *req.IncludeDeprecated
	var all []versionEntry
	for _, v := range sec.versions {
		if len(v.labels) > 0 || deprecated {
			all = append(all, versionEntry{VersionId: v.id, VersionStages: append([]string{}, v.labels...), CreatedDate: epoch(v.created)})
		}
	}
	out := listVersionsResponse{ARN: sec.arn, Name: sec.name, Versions: []versionEntry{}}
	if start < len(all) {
		out.Versions = all[start:min(len(all), start+size)]
	}
	if start+size < len(all) {
		next := strconv.Itoa(start + size)
		out.NextToken = &next
	}
	return out, nil
}
