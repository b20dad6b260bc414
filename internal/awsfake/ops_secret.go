package awsfake

import (
	"slices"
	"time"
)

// validName follows the documented rule for secret names: 1 to 512 ASCII
// letters, digits and /_+=.@-.
func validName(n string) bool {
	if n == "" || len(n) > 512 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && !containsByte("/_+=.@-", c) {
			return false
		}
	}
	return true
}

func containsByte(set string, c byte) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

type createSecretRequest struct {
	Name               string
	ClientRequestToken *string
	Description        string
	SecretString       *string
	SecretBinary       []byte
	Tags               []tag
}

type createSecretResponse struct {
	ARN       string
	Name      string
	VersionId string `json:",omitempty"`
}

func (s *Server) createSecret(body []byte) (any, *APIError) {
	var req createSecretRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	if !validName(req.Name) {
		return nil, invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@")
	}
	if req.SecretString != nil && req.SecretBinary != nil {
		return nil, invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.")
	}
	if e := checkTags(req.Tags); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.secrets[req.Name]; old != nil {
		if old.deleteAt != nil {
			return nil, invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.")
		}
		return nil, exists("The operation failed because the secret " + req.Name + " already exists.")
	}
	now := s.now()
	sec := &secret{name: req.Name, arn: arnFor(req.Name), description: req.Description, tags: req.Tags, created: now, changed: now}
	out := createSecretResponse{ARN: sec.arn, Name: sec.name}
	if req.SecretString != nil || req.SecretBinary != nil {
		id, e := tokenOrNew(req.ClientRequestToken)
		if e != nil {
			return nil, e
		}
		sec.versions = []*version{{id: id, str: req.SecretString, bin: req.SecretBinary, labels: []string{labelCurrent}, created: now}}
		out.VersionId = id
	}
	s.secrets[req.Name] = sec
	return out, nil
}

// tokenOrNew checks a ClientRequestToken, or makes one when the caller
// sent none (the SDKs always send one).
func tokenOrNew(tok *string) (string, *APIError) {
	if tok == nil {
		return newID(), nil
	}
	if len(*tok) < 32 || len(*tok) > 64 {
		return "", validation("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64")
	}
	return *tok, nil
}

type secretIDRequest struct{ SecretId string }

type describeSecretResponse struct {
	ARN                string
	Name               string
	Description        string `json:",omitempty"`
	CreatedDate        epoch
	LastChangedDate    epoch
	DeletedDate        *epoch `json:",omitempty"`
	Tags               []tag  `json:",omitempty"`
	VersionIdsToStages map[string][]string
}

// describeSecret works on a secret scheduled for deletion too: that is how
// a client learns that it is.
func (s *Server) describeSecret(body []byte) (any, *APIError) {
	var req secretIDRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.lookup(req.SecretId)
	if sec == nil {
		return nil, notFound("Secrets Manager can't find the specified secret.")
	}
	return describeSecretResponse{
		ARN: sec.arn, Name: sec.name, Description: sec.description,
		CreatedDate: epoch(sec.created), LastChangedDate: epoch(sec.changed), DeletedDate: epochPtr(sec.deleteAt),
		Tags: slices.Clone(sec.tags), VersionIdsToStages: sec.stagesMap(),
	}, nil
}

type deleteSecretRequest struct {
	SecretId                   string
	RecoveryWindowInDays       *int64
	ForceDeleteWithoutRecovery *bool
}

type deleteSecretResponse struct {
	ARN          string
	Name         string
	DeletionDate epoch
}

func (s *Server) deleteSecret(body []byte) (any, *APIError) {
	var req deleteSecretRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	force := req.ForceDeleteWithoutRecovery != nil && *req.ForceDeleteWithoutRecovery
	if force && req.RecoveryWindowInDays != nil {
		return nil, invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	days := int64(30)
	if req.RecoveryWindowInDays != nil {
		days = *req.RecoveryWindowInDays
		if days < 7 || days > 30 {
			return nil, invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.lookup(req.SecretId)
	if sec == nil {
		return nil, notFound("Secrets Manager can't find the specified secret.")
	}
	now := s.now()
	if force {
		// Forcing works on a secret already scheduled for deletion: it is
		// how one ends the recovery window early.
		delete(s.secrets, sec.name)
		return deleteSecretResponse{ARN: sec.arn, Name: sec.name, DeletionDate: epoch(now)}, nil
	}
	if sec.deleteAt != nil {
		return nil, invalidRequest("You can't perform this operation on the secret because it was already scheduled for deletion.")
	}
	at := now.Add(time.Duration(days) * 24 * time.Hour)
	sec.deleteAt = &at
	sec.changed = now
	return deleteSecretResponse{ARN: sec.arn, Name: sec.name, DeletionDate: epoch(at)}, nil
}

type arnNameResponse struct {
	ARN  string
	Name string
}

func (s *Server) restoreSecret(body []byte) (any, *APIError) {
	var req secretIDRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.lookup(req.SecretId)
	if sec == nil {
		return nil, notFound("Secrets Manager can't find the specified secret.")
	}
	sec.deleteAt = nil
	sec.changed = s.now()
	return arnNameResponse{ARN: sec.arn, Name: sec.name}, nil
}
