package azfake

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listVersions returns one page of a secret's versions, without values.
//
// The service lists versions in an order of its own, not by creation; the
// fake sorts them by id, which is random, so that a client relying on list
// order fails here as it would there. The skip token is the last id of the
// previous page, so that a version created between pages never makes a
// page repeat or skip an older one. An unknown name lists nothing.
func (s *Server) listVersions(name string, r *http.Request) (int, any, *APIError) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	size := s.pageSize
	if m := q.Get("maxresults"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 25 {
			return 0, nil, badParameter("maxresults must be between 1 and 25.")
		}
		size = min(size, n)
	}
	out := listJSON{Value: []bundleJSON{}}
	sec := s.secrets[key(name)]
	if sec == nil || sec.deleted != nil {
		return http.StatusOK, out, nil
	}
	vs := slices.Clone(sec.versions)
	slices.SortFunc(vs, func(a, b *version) int { return strings.Compare(a.id, b.id) })
	after := q.Get("$skiptoken")
	i := 0
	if after != "" {
		i, _ = slices.BinarySearchFunc(vs, after, func(v *version, t string) int { return strings.Compare(v.id, t) })
		if i < len(vs) && vs[i].id == after {
			i++
		}
	}
	end := min(i+size, len(vs))
	for _, v := range vs[i:end] {
		out.Value = append(out.Value, s.bundle(sec, v, false))
	}
	if end < len(vs) {
		next := url.Values{}
		next.Set("api-version", q.Get("api-version"))
		next.Set("$skiptoken", vs[end-1].id)
		next.Set("maxresults", strconv.Itoa(size))
		link := s.srv.URL + "/secrets/" + sec.name + "/versions?" + next.Encode()
		out.NextLink = &link
	}
	return http.StatusOK, out, nil
}
