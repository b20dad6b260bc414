package awsfake

import "slices"

func checkTags(tags []tag) *APIError {
	if len(tags) > 50 {
		return validation("a secret may have at most 50 tags")
	}
	for _, t := range tags {
		if t.Key == "" || len(t.Key) > 128 || len(t.Value) > 256 {
			return validation("tag keys are 1 to 128 characters and values at most 256")
		}
	}
	return nil
}

type tagResourceRequest struct {
	SecretId string
	Tags     []tag
}

func (s *Server) tagResource(body []byte) (any, *APIError) {
	var req tagResourceRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, e := s.live(req.SecretId)
	if e != nil {
		return nil, e
	}
	tags := slices.Clone(sec.tags)
	for _, t := range req.Tags {
		if i := slices.IndexFunc(tags, func(o tag) bool { return o.Key == t.Key }); i >= 0 {
			tags[i] = t
		} else {
			tags = append(tags, t)
		}
	}
	if e := checkTags(tags); e != nil {
		return nil, e
	}
	sec.tags = tags
	sec.changed = s.now()
	return struct{}{}, nil
}

type untagResourceRequest struct {
	SecretId string
	TagKeys  []string
}

func (s *Server) untagResource(body []byte) (any, *APIError) {
	var req untagResourceRequest
	if e := decode(body, &req); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, e := s.live(req.SecretId)
	if e != nil {
		return nil, e
	}
	sec.tags = slices.DeleteFunc(sec.tags, func(t tag) bool { return slices.Contains(req.TagKeys, t.Key) })
	sec.changed = s.now()
	return struct{}{}, nil
}
