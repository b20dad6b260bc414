package pattest

import "time"

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

// PATState is one of a user's tokens as SHOW USER PROGRAMMATIC ACCESS
// TOKENS would list it at the clock's time.
type PATState struct {
	Name      string
	Status    string // ACTIVE, EXPIRED or DISABLED
	CreatedOn time.Time
	ExpiresAt time.Time
	RotatedTo string // the token this one was rotated into; "" if none
	Comment   string
}

// PATs lists user's tokens as SHOW would, without a session or a request:
// for checks run at every step of a simulation. Nil if there is no such
// user.
func (s *Server) PATs(user string) []PATState {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.acct.users[user]
	if !ok {
		return nil
	}
	now := s.clock.Now()
	u.purgeExpired(now)
	out := make([]PATState, 0, len(u.tokens))
	for _, t := range u.tokens {
		st := PATState{Name: t.name, Status: t.status(now), CreatedOn: t.createdOn, ExpiresAt: t.expiresAt, RotatedTo: t.rotatedTo}
		if t.comment != nil {
			st.Comment = *t.comment
		}
		out = append(out, st)
	}
	return out
}
