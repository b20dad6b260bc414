package pattest

// CheckPAT reports whether user could log in now with secret as a
// programmatic access token from a loopback address, decided exactly as
// the login endpoint decides (token state and expiry, user, network
// policy, authentication policy, role restriction), without opening a
// session or counting a request. It is for tests that check credentials at
// every step of a simulation, where a login through a driver per check
// would dominate the run time. It returns nil, or the *Error a login would
// be refused with.
func (s *Server) CheckPAT(user, secret string) error {
	var req loginRequest
	req.Data.AccountName = s.acct.name
	req.Data.LoginName = user
	req.Data.Authenticator = "PROGRAMMATIC_ACCESS_TOKEN"
	req.Data.Token = secret
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, e := s.authenticate(req, "127.0.0.1", ""); e != nil {
		return e
	}
	return nil
}
