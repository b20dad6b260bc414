package powerbifake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Login is what a refresh logs in to Snowflake with: one data source's
// server and the credentials it holds.
type Login struct {
	Dataset, Datasource string
	Server              string
	User, Password      string
}

// LoginFunc logs in to Snowflake as a refresh would. Tests wire it to
// pat.Verify against the pattest emulator.
type LoginFunc func(ctx context.Context, l Login) error

// SetLogin sets the function refreshes log in with.
func (s *Server) SetLogin(f LoginFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login = f
}

// SetRefreshPolls sets how many reads of the refresh history report a
// refresh the API started as Unknown (in progress) before its outcome
// (default 1).
func (s *Server) SetRefreshPolls(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshPolls = max(n, 0)
}

// ErrNoCredentials is the refresh failure of a data source that was never
// given credentials.
var ErrNoCredentials = errors.New("powerbifake: the data source has no credentials")

func runLogin(ctx context.Context, f LoginFunc, l Login) error {
	switch {
	case l.User == "" || l.Password == "":
		return ErrNoCredentials
	case f == nil:
		return errors.New("powerbifake: no LoginFunc set")
	}
	return f(ctx, l)
}

// Refresh refreshes every model with a Snowflake data source, as their
// schedules would, and returns the failures joined, each naming its
// model; nil when every model refreshed.
func (s *Server) Refresh(ctx context.Context) error {
	s.mu.Lock()
	var ids []string
	for _, w := range s.workspaces {
		for _, ds := range w.datasets {
			if len(s.logins(ds)) > 0 {
				ids = append(ids, ds.id)
			}
		}
	}
	s.mu.Unlock()
	var errs []error
	for _, id := range ids {
		if err := s.RefreshDataset(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RefreshDataset refreshes one model: each Snowflake data source logs in
// with the credentials its gateway holds.
func (s *Server) RefreshDataset(ctx context.Context, id string) error {
	s.mu.Lock()
	_, ds := s.dataset(id)
	if ds == nil {
		s.mu.Unlock()
		return fmt.Errorf("powerbifake: no dataset %s", id)
	}
	logins, f := s.logins(ds), s.login
	s.mu.Unlock()
	for _, l := range logins {
		if err := runLogin(ctx, f, l); err != nil {
			return fmt.Errorf("refresh of %q (data source %s): %w", l.Dataset, l.Datasource, err)
		}
	}
	return nil
}

// logins are the Snowflake logins a refresh of ds makes. The caller holds
// the lock.
func (s *Server) logins(ds *dataset) []Login {
	var out []Login
	for _, src := range ds.sources {
		if !strings.EqualFold(src.Type, "Snowflake") {
			continue
		}
		held := s.gateways[src.Gateway].sources[src.ID]
		out = append(out, Login{Dataset: ds.name, Datasource: src.ID, Server: src.Server, User: held.User, Password: held.Password})
	}
	return out
}

type refresh struct {
	requestID  string
	start, end time.Time
	polls      int
	err        error
}

type refreshJSON struct {
	RequestID            string `json:"requestId"`
	RefreshType          string `json:"refreshType"`
	StartTime            string `json:"startTime"`
	EndTime              string `json:"endTime,omitempty"`
	Status               string `json:"status"`
	ServiceExceptionJSON string `json:"serviceExceptionJson,omitempty"`
}

// startRefresh handles Datasets - Refresh Dataset In Group: 202 with a
// RequestId header. The refresh runs before the answer (outside the
// lock); the history shows it in progress for SetRefreshPolls reads.
func (s *Server) startRefresh(r *http.Request, p, wsID, dsID string, body []byte) (int, any, *APIError) {
	if len(body) > 0 {
		var req map[string]any
		if json.Unmarshal(body, &req) != nil {
			return 0, nil, invalid("The request body is not a JSON object.")
		}
	}
	s.mu.Lock()
	_, ds, e := s.model(p, wsID, dsID)
	if e != nil {
		s.mu.Unlock()
		return 0, nil, e
	}
	rf := &refresh{requestID: newID(), start: s.now(), polls: s.refreshPolls}
	logins, f := s.logins(ds), s.login
	s.mu.Unlock()
	for _, l := range logins {
		if rf.err = runLogin(r.Context(), f, l); rf.err != nil {
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rf.end = s.now()
	ds.refreshes = append(ds.refreshes, rf)
	return http.StatusAccepted, requestID(rf.requestID), nil
}

// requestID is a 202 answer with no body and a RequestId header, which
// writeJSON cannot express, so serve's default path writes it through
// this type's method.
type requestID string

// refreshHistory handles Datasets - Get Refresh History In Group, newest
// first, $top entries at most.
func (s *Server) refreshHistory(r *http.Request, p, wsID, dsID string) (int, any, *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ds, e := s.model(p, wsID, dsID)
	if e != nil {
		return 0, nil, e
	}
	top := len(ds.refreshes)
	if v := r.URL.Query().Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, invalid("$top must be a positive integer.")
		}
		top = min(n, top)
	}
	out := listJSON[refreshJSON]{Context: s.URL() + "/v1.0/myorg/$metadata#refreshes", Value: []refreshJSON{}}
	for i := len(ds.refreshes) - 1; i >= len(ds.refreshes)-top; i-- {
		rf := ds.refreshes[i]
		x := refreshJSON{RequestID: rf.requestID, RefreshType: "ViaApi", StartTime: rf.start.UTC().Format(time.RFC3339), Status: "Unknown"}
		if rf.polls > 0 {
			rf.polls--
		} else {
			x.EndTime = rf.end.UTC().Format(time.RFC3339)
			x.Status = "Completed"
			if rf.err != nil {
				x.Status = "Failed"
				b, _ := json.Marshal(map[string]string{"errorCode": "ModelRefresh_ShortMessage_ProcessingError", "errorDescription": rf.err.Error()})
				x.ServiceExceptionJSON = string(b)
			}
		}
		out.Value = append(out.Value, x)
	}
	return http.StatusOK, out, nil
}
