package pattest

import (
	"regexp"
	"sync/atomic"
	"time"
)

// Fault describes a failure to inject into the next statements whose SQL
// text matches Match (a regular expression, matched case-insensitively).
// Exactly one of Err and LoseResponse should be set.
type Fault struct {
	// Match selects statements by their SQL text. Empty matches every statement.
	Match string
	// Times is how many matching statements the fault applies to; 0 means once.
	Times int
	// Err, if set, fails the statement without running it, with this
	// Snowflake error.
	Err *Error
	// LoseResponse runs the statement, commits its effect, and then fails
	// the HTTP exchange so the client never learns the outcome — as when
	// Snowflake rotated a token and the network dropped the answer. The
	// client sees a non-retryable transport error.
	LoseResponse bool
	// LoseStatus is the HTTP status the lost response is answered with.
	// 0 means 400, which drivers do not retry, so the client sees the loss.
	// A retryable status (5xx, 408, 429) makes the driver send the same
	// requestId again, and the emulator answers that retry with the
	// recorded first answer without running the statement twice: the
	// client then never notices the loss.
	LoseStatus int
	// Rows, if set, answers the statement with this result set instead of
	// running it: a way to feed clients rows Snowflake might send but the
	// emulator never would (a renamed column, an unparsable cell).
	Rows *Rows
}

// Rows is a result set to answer with. Types are Snowflake's lower-case
// column types (text, fixed, boolean, timestamp_ltz); a nil value is NULL.
type Rows struct {
	Columns []string
	Types   []string
	Values  [][]*string
}

type activeFault struct {
	re        *regexp.Regexp
	remaining int
	f         Fault
}

// Inject arms a fault. It panics if Match is not a valid regular
// expression, as a test bug should be loud.
func (s *Server) Inject(f Fault) {
	re := regexp.MustCompile("(?is)" + f.Match)
	n := f.Times
	if n <= 0 {
		n = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &activeFault{re: re, remaining: n, f: f})
	s.mu.Unlock()
}

// ClearFaults disarms every fault not yet used.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns the first armed fault matching sql and uses up one of
// its applications. Called with s.mu held.
func (s *Server) takeFault(sql string) *Fault {
	for i, af := range s.faults {
		if !af.re.MatchString(sql) {
			continue
		}
		af.remaining--
		if af.remaining <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		f := af.f
		return &f
	}
	return nil
}

// SetLatency delays every request the server receives by d before it is
// handled, to model a round trip to a distant Snowflake region. Zero turns
// it off.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// Counts is the number of requests the server has handled, by kind.
type Counts struct {
	Login, Query, Renew, CloseSession, Heartbeat, Telemetry, Other int64
	// Replayed counts query-requests answered from the record of an earlier
	// request with the same requestId (a driver's retry); they are also
	// counted in Query.
	Replayed int64
	// Statements counts queries by statement kind ("ADD PAT", "SELECT", …).
	Statements map[string]int64
}

// RoundTrips is every request counted, the unit of a latency budget.
func (c Counts) RoundTrips() int64 {
	return c.Login + c.Query + c.Renew + c.CloseSession + c.Heartbeat + c.Telemetry + c.Other
}

type counters struct {
	login, query, renew, closeSession, heartbeat, telemetry, other, replayed atomic.Int64
}

// Counts returns a snapshot of the request counters.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	stmts := make(map[string]int64, len(s.stmtCounts))
	for k, v := range s.stmtCounts {
		stmts[k] = v
	}
	s.mu.Unlock()
	return Counts{
		Login: s.counts.login.Load(), Query: s.counts.query.Load(), Renew: s.counts.renew.Load(),
		CloseSession: s.counts.closeSession.Load(), Heartbeat: s.counts.heartbeat.Load(),
		Telemetry: s.counts.telemetry.Load(), Other: s.counts.other.Load(), Replayed: s.counts.replayed.Load(),
		Statements: stmts,
	}
}

// ResetCounts sets every counter back to zero.
func (s *Server) ResetCounts() {
	for _, c := range []*atomic.Int64{&s.counts.login, &s.counts.query, &s.counts.renew,
		&s.counts.closeSession, &s.counts.heartbeat, &s.counts.telemetry, &s.counts.other, &s.counts.replayed} {
		c.Store(0)
	}
	s.mu.Lock()
	s.stmtCounts = map[string]int64{}
	s.mu.Unlock()
}
