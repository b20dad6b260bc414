package awsfake

import (
	"slices"
	"strconv"
)

type listSecretsRequest struct {
	MaxResults             *int32
	NextToken              *string
	IncludePlannedDeletion *bool
}

type secretListEntry struct {
	ARN                    string
	Name                   string
	Description            string `json:",omitempty"`
	CreatedDate            epoch
	LastChangedDate        epoch
	DeletedDate            *epoch `json:",omitempty"`
	Tags                   []tag  `json:",omitempty"`
	SecretVersionsToStages map[string][]string
}

type listSecretsResponse struct {
	SecretList []secretListEntry
	NextToken  *string `json:",omitempty"`
}

// listSecrets pages through the secrets in name order. Filters are not
// implemented.
func (s *Server) listSecrets(body []byte) (any, *APIError) {
	var req listSecretsRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	start, size, e := page(req.NextToken, req.MaxResults)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	planned := req.IncludePlannedDeletion != nil && *req.IncludePlannedDeletion
	var names []string
	for n, sec := range s.secrets {
		if sec.deleteAt == nil || planned {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	out := listSecretsResponse{SecretList: []secretListEntry{}}
	for i := start; i < len(names) && i < start+size; i++ {
		sec := s.secrets[names[i]]
		out.SecretList = append(out.SecretList, secretListEntry{
			ARN: sec.arn, Name: sec.name, Description: sec.description,
			CreatedDate: epoch(sec.created), LastChangedDate: epoch(sec.changed), DeletedDate: epochPtr(sec.deleteAt),
			Tags: slices.Clone(sec.tags), SecretVersionsToStages: sec.stagesMap(),
		})
	}
	if start+size < len(names) {
		next := strconv.Itoa(start + size)
		out.NextToken = &next
	}
	return out, nil
}

// page decodes the fake's page tokens (an offset) and MaxResults (1 to
// 100, 100 by default).
func page(token *string, max *int32) (start, size int, e *APIError) {
	size = 100
	if max != nil {
		if *max < 1 || *max > 100 {
			return 0, 0, validation("MaxResults must be between 1 and 100")
		}
		size = int(*max)
	}
	if token != nil && *token != "" {
		n, err := strconv.Atoi(*token)
		if err != nil || n < 0 {
			return 0, 0, clientError("InvalidNextTokenException", "The NextToken value is invalid.")
		}
		start = n
	}
	return start, size, nil
}
