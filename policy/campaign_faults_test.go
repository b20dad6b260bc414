package policy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/secrets/driver"
)

// campaignFaults is where the campaign's actors meet the world: every
// Snowflake statement through schedTransport, every store call through
// schedSecret. Calls made outside an actor (setup, the invariant checks)
// pass untouched.
type campaignFaults struct {
	s    *sched
	srv  *pattest.Server
	read float64 // how likely a read is to fail, this pass

	mu   sync.Mutex
	down map[string]bool // stores that refuse every call, reads included
	// removing is called at every REMOVE an actor is about to send, with
	// the user and token, so the campaign can check it may be removed.
	removing func(user, token string)
}

func (f *campaignFaults) isDown(url string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down[url]
}

// changeRE recognises the statements that change tokens, and the user and
// token they act on.
var changeRE = regexp.MustCompile(`(?is)^ALTER USER (?:IF EXISTS )?"([^"]*)" (ADD|ROTATE|REMOVE|MODIFY) PROGRAMMATIC ACCESS TOKEN (?:IF (?:NOT )?EXISTS )?"([^"]*)"`)

// schedTransport sits between gosnowflake and the emulator.
type schedTransport struct {
	base http.RoundTripper
	f    *campaignFaults
}

var timeoutErr = &pattest.Error{Code: "000630", SQLState: "57014", Message: "Statement reached its statement or warehouse timeout."}

func (t *schedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	a := actorOf(req.Context())
	if a == nil {
		return t.base.RoundTrip(req)
	}
	if a.dead.Load() {
		return nil, errCrashed
	}
	if !strings.HasSuffix(req.URL.Path, "/query-request") || req.Body == nil {
		return t.base.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	var q struct {
		SQLText string `json:"sqlText"`
	}
	_ = json.Unmarshal(body, &q)
	only := "^" + regexp.QuoteMeta(q.SQLText) + "$"
	m := changeRE.FindStringSubmatch(q.SQLText)
	if m == nil {
		// A read: it fails or not by the seed and the read alone.
		if t.f.s.readFault(a, strings.Fields(q.SQLText + " x")[0], q.SQLText, t.f.read) {
			t.f.srv.Inject(pattest.Fault{Match: only, Err: timeoutErr})
		}
		return t.base.RoundTrip(req)
	}
	v := t.f.s.point(a, strings.ToUpper(m[2])+" "+m[3])
	// Checked when the removal is about to be sent, not when the actor
	// parked before it: other actors may have run in between.
	if strings.EqualFold(m[2], "REMOVE") && t.f.removing != nil && (v == proceed || v == loseAfter || v == crashAfter) {
		t.f.removing(m[1], m[3])
	}
	switch v {
	case failBefore:
		t.f.srv.Inject(pattest.Fault{Match: only, Err: timeoutErr})
	case loseAfter:
		t.f.srv.Inject(pattest.Fault{Match: only, LoseResponse: true})
	case crashBefore:
		a.kill()
		return nil, errCrashed
	case crashAfter:
		resp, err := t.base.RoundTrip(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
		a.kill()
		return nil, errCrashed
	}
	return t.base.RoundTrip(req)
}

// schedSecret is a store driver (a memstore) whose calls meet the
// campaign: writes are switch points with a fault drawn for each, reads
// may fail, and a store that is down refuses everything.
type schedSecret struct {
	driver.Secret
	cas driver.CompareAndSwapper
	url string
	f   *campaignFaults
}

func (s *schedSecret) read(ctx context.Context, op string, call func() error) error {
	if s.f.isDown(s.url) {
		return errInjected
	}
	if a := actorOf(ctx); a != nil {
		if a.dead.Load() {
			return errCrashed
		}
		if s.f.s.readFault(a, op, s.url, s.f.read) {
			return errInjected
		}
	}
	return call()
}

func (s *schedSecret) write(ctx context.Context, op string, call func() error) error {
	if s.f.isDown(s.url) {
		return errInjected
	}
	a := actorOf(ctx)
	if a == nil {
		return call()
	}
	if a.dead.Load() {
		return errCrashed
	}
	switch s.f.s.point(a, op+" "+s.url) {
	case failBefore:
		return errInjected
	case loseAfter:
		if err := call(); err != nil {
			return err
		}
		return errInjected
	case crashBefore:
		a.kill()
		return errCrashed
	case crashAfter:
		_ = call()
		a.kill()
		return errCrashed
	}
	return call()
}

func (s *schedSecret) Get(ctx context.Context, sel driver.Selector) (v *driver.Version, err error) {
	err = s.read(ctx, "Get", func() error { v, err = s.Secret.Get(ctx, sel); return err })
	return v, err
}

func (s *schedSecret) List(ctx context.Context) (out []*driver.VersionInfo, err error) {
	err = s.read(ctx, "List", func() error { out, err = s.Secret.List(ctx); return err })
	return out, err
}

func (s *schedSecret) Put(ctx context.Context, req *driver.PutRequest) (id string, err error) {
	err = s.write(ctx, "Put", func() error { id, err = s.Secret.Put(ctx, req); return err })
	return id, err
}

func (s *schedSecret) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (id string, err error) {
	err = s.write(ctx, "PutIf", func() error { id, err = s.cas.PutIf(ctx, req, pre); return err })
	return id, err
}

func (s *schedSecret) Promote(ctx context.Context, id string) error {
	return s.write(ctx, "Promote", func() error { return s.Secret.Promote(ctx, id) })
}

func (s *schedSecret) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	return s.write(ctx, "PromoteIf", func() error { return s.cas.PromoteIf(ctx, id, pre) })
}

func (s *schedSecret) Retire(ctx context.Context, id string) error {
	return s.write(ctx, "Retire", func() error { return s.Secret.Retire(ctx, id) })
}

func (s *schedSecret) Destroy(ctx context.Context, id string) error {
	return s.write(ctx, "Destroy", func() error { return s.Secret.(driver.Destroyer).Destroy(ctx, id) })
}

func (s *schedSecret) ErrorCode(err error) driver.ErrorCode {
	if err == errInjected {
		return driver.CodeUnavailable
	}
	return s.Secret.ErrorCode(err)
}
