package tableau

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
)

// signOutTimeout bounds the sign-out that ends every session, which runs
// even after the caller's context is done.
const signOutTimeout = 10 * time.Second

// maxAnswer bounds an answer's body: a page of 100 items is a few tens of
// kilobytes.
const maxAnswer = 8 << 20

// The API versions that introduced what the adapter uses.
const (
	minPATVersion = "3.6"  // sign-in with a personal access token (Tableau Server 2019.4)
	minJWTVersion = "3.17" // sign-in with a connected app's JWT (Tableau Server 2022.3)
	extractBody   = "3.25" // Update Data Source Now takes an extractRefresh element
)

// client talks to one Tableau server for one site. Sessions are per
// operation (a push signs in and out), so one client serves concurrent
// pushes.
type client struct {
	base    *url.URL
	http    *http.Client
	pol     *httpx.Policy
	log     *slog.Logger
	creds   credentialSource
	siteURL string

	pollInterval, testTimeout time.Duration // for Test

	mu      sync.Mutex
	version string // negotiated once
}

// session is one signed-in session: the API version, its token and the
// site's id.
type session struct {
	c       *client
	version string
	token   string
	siteID  string
}

// negotiate asks the server for the newest REST API version it speaks,
// once per client, as Tableau Server Client does: GET
// /api/2.4/serverinfo, the first version that has it.
func (c *client) negotiate(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != "" {
		return c.version, nil
	}
	var out tsResponse
	err := c.call(ctx, "ServerInfo", http.MethodGet, "/api/2.4/serverinfo", "", nil, &out, true)
	if e, ok := errors.AsType[*APIError](err); ok && e.Status == http.StatusNotFound {
		return "", &httpx.Problem{Tool: "tableau", Code: driver.CodeUnsupported, Msg: "the server has no serverinfo: it predates REST API 2.4 (Tableau Server 10.1)", Err: err}
	}
	if err != nil {
		return "", err
	}
	if out.ServerInfo == nil || !validVersion(out.ServerInfo.RestAPIVersion) {
		return "", fail(driver.CodeInvalidArgument, "the server's serverinfo has no REST API version")
	}
	c.version = out.ServerInfo.RestAPIVersion
	return c.version, nil
}

// begin negotiates the version and signs in.
func (c *client) begin(ctx context.Context) (*session, error) {
	s := &session{c: c}
	if err := s.signIn(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// signIn signs in with the credentials as they are now.
func (s *session) signIn(ctx context.Context) error {
	c := s.c
	v, err := c.negotiate(ctx)
	if err != nil {
		return err
	}
	creds, err := c.creds.read(ctx)
	if err != nil {
		return err
	}
	var req signInRequest
	req.Credentials.Site.ContentURL = c.siteURL
	if creds.jwt() {
		if !versionAtLeast(v, minJWTVersion) {
			return fail(driver.CodeUnsupported, "the server speaks REST API %s; a connected app needs %s or later", v, minJWTVersion)
		}
		tok, err := connectedAppJWT(creds, c.pol.Clock().Now())
		if err != nil {
			return err
		}
		req.Credentials.JWT = tok.Reveal()
	} else {
		if !versionAtLeast(v, minPATVersion) {
			return fail(driver.CodeUnsupported, "the server speaks REST API %s; a personal access token needs %s or later", v, minPATVersion)
		}
		req.Credentials.PATName = creds.PATName
		req.Credentials.PATSecret = creds.PATSecret.Reveal()
	}
	body, err := xml.Marshal(req)
	if err != nil {
		return err
	}
	var out tsResponse
	if err := c.call(ctx, "SignIn", http.MethodPost, "/api/"+v+"/auth/signin", "", body, &out, true); err != nil {
		return err
	}
	if out.Credentials == nil || out.Credentials.Token == "" || out.Credentials.Site.ID == "" {
		return fail(driver.CodeInvalidArgument, "the sign-in answer has no session token or site id")
	}
	s.version, s.token, s.siteID = v, out.Credentials.Token, out.Credentials.Site.ID
	return nil
}

// end signs out, whatever happened: a session left open counts against
// the server's limit until it times out. It runs even when ctx is done,
// with a bound of its own.
func (s *session) end(ctx context.Context) {
	if s == nil || s.token == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), signOutTimeout)
	defer cancel()
	if err := s.c.call(ctx, "SignOut", http.MethodPost, "/api/"+s.version+"/auth/signout", s.token, nil, nil, true); err != nil {
		s.c.log.Debug("push: tableau sign-out failed", "error", err)
	}
	s.token = ""
}

// do calls a method in the session's site: path is relative to
// /api/<version>/sites/<site-id>. A 401002 (the session has ended on the
// server) signs in again and repeats the call, once.
func (s *session) do(ctx context.Context, method, httpMethod, path string, query url.Values, body []byte, out *tsResponse, idempotent bool) error {
	for resigned := false; ; resigned = true {
		full := "/api/" + s.version + "/sites/" + s.siteID + path
		if len(query) > 0 {
			full += "?" + encodeQuery(query)
		}
		err := s.c.call(ctx, method, httpMethod, full, s.token, body, out, idempotent)
		if e, ok := errors.AsType[*APIError](err); ok && e.sessionExpired() && !resigned {
			if err := s.signIn(ctx); err != nil {
				return err
			}
			continue
		}
		return err
	}
}

// encodeQuery encodes a query with %20 for spaces, not '+': the REST API
// reference writes filter values that way, and it is unambiguous for any
// server.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}

// call sends one request with retries and decodes the answer into out.
// A request body is never logged nor quoted in an error: it may hold a
// password or a token.
func (c *client) call(ctx context.Context, method, httpMethod, path, token string, body []byte, out *tsResponse, idempotent bool) error {
	return c.pol.Do(ctx, func() httpx.Attempt {
		req, err := http.NewRequestWithContext(ctx, httpMethod, c.base.String()+path, bytes.NewReader(body))
		if err != nil {
			return httpx.Attempt{Err: err}
		}
		req.Header.Set("Accept", "application/xml")
		if body != nil {
			req.Header.Set("Content-Type", "application/xml")
		}
		if token != "" {
			req.Header.Set("X-Tableau-Auth", token)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return httpx.Attempt{Err: ctx.Err()}
			}
			return httpx.Attempt{Err: httpx.Transport("tableau", method, err), Retry: idempotent}
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
		if err != nil {
			if ctx.Err() != nil {
				return httpx.Attempt{Err: ctx.Err()}
			}
			return httpx.Attempt{Err: httpx.Transport("tableau", method, err), Retry: idempotent}
		}
		if resp.StatusCode >= 300 {
			e := decodeError(method, resp, data)
			return httpx.Attempt{Err: e, RetryAfter: httpx.RetryAfter(resp.Header, c.pol.Clock().Now()),
				Retry: httpx.Transient(resp.StatusCode) && (idempotent || resp.StatusCode == http.StatusTooManyRequests)}
		}
		if out != nil && len(data) > 0 {
			if err := xml.Unmarshal(data, out); err != nil {
				return httpx.Attempt{Err: fail(driver.CodeInvalidArgument, "%s: the answer is not a tsResponse in namespace %s", method, ns)}
			}
		}
		return httpx.Attempt{}
	})
}

// decodeError builds the APIError for a non-2xx answer. A redirect is
// reported, never followed: credentials must not go where the URL did not
// say.
func decodeError(method string, resp *http.Response, data []byte) *APIError {
	e := &APIError{Method: method, Status: resp.StatusCode}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Summary = "redirected"
		if loc, err := resp.Location(); err == nil {
			e.Detail = "the server redirects to " + loc.Host + "; put that host in the destination URL"
		}
		return e
	}
	var out tsResponse
	if xml.Unmarshal(data, &out) == nil && out.Error != nil {
		e.Code, e.Summary, e.Detail = out.Error.Code, out.Error.Summary, out.Error.Detail
	} else {
		e.Summary = http.StatusText(resp.StatusCode)
	}
	return e
}

func validVersion(v string) bool {
	_, ok := parseVersion(v)
	return ok
}

func parseVersion(v string) ([2]int, bool) {
	a, b, ok := strings.Cut(v, ".")
	if !ok {
		return [2]int{}, false
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	return [2]int{x, y}, err1 == nil && err2 == nil && x >= 0 && y >= 0
}

// versionAtLeast reports whether v is min or newer.
func versionAtLeast(v, min string) bool {
	a, ok1 := parseVersion(v)
	b, ok2 := parseVersion(min)
	return ok1 && ok2 && (a[0] > b[0] || (a[0] == b[0] && a[1] >= b[1]))
}
