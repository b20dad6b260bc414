package azfake

import "net/http"

// getDeleted reads a soft-deleted secret: its latest version's properties
// and the deletion dates, without the value.
func (s *Server) getDeleted(name string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[key(name)]
	if sec == nil || sec.deleted == nil {
		return 0, nil, deletedNotFound(name)
	}
	return http.StatusOK, s.deletedBundle(sec), nil
}

// purge removes a soft-deleted secret for good, freeing its name.
func (s *Server) purge(name string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[key(name)]
	if sec == nil || sec.deleted == nil {
		return 0, nil, deletedNotFound(name)
	}
	delete(s.secrets, key(name))
	return http.StatusNoContent, nil, nil
}

// recover restores a soft-deleted secret with all its versions.
func (s *Server) recover(name string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := s.secrets[key(name)]
	if sec == nil || sec.deleted == nil {
		return 0, nil, deletedNotFound(name)
	}
	sec.deleted = nil
	return http.StatusOK, s.bundle(sec, sec.latest(), false), nil
}

// deletedBundle renders a soft-deleted secret; the caller holds s.mu.
func (s *Server) deletedBundle(sec *secret) deletedJSON {
	return deletedJSON{
		bundleJSON:         s.bundle(sec, sec.latest(), false),
		RecoveryID:         s.srv.URL + "/deletedsecrets/" + sec.name,
		DeletedDate:        sec.deleted.deletedDate,
		ScheduledPurgeDate: sec.deleted.scheduledPurgeDate,
	}
}
