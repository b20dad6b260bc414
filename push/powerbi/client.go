package powerbi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"

	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
)

const (
	moduleName    = "snowpat/push/powerbi"
	moduleVersion = "v0.1.0"
	// maxAnswer bounds an answer's body.
	maxAnswer = 8 << 20
)

// client sends Power BI REST requests through azcore's pipeline, whose
// bearer token policy gets and caches Entra ID tokens from the credential.
// azcore's own retries are off: the adapter retries with its injected
// clock, so that tests never sleep.
type client struct {
	base      string // such as https://api.powerbi.com/v1.0/myorg
	cred      azcore.TokenCredential
	scope     string
	transport *http.Client
	allowHTTP bool
	pol       *httpx.Policy
	log       *slog.Logger

	mu sync.Mutex
	pl *runtime.Pipeline
}

// pipeline returns the current pipeline; renew drops it so that the next
// request gets a fresh token (after the API rejected a cached one).
func (c *client) pipeline() runtime.Pipeline {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pl == nil {
		bearer := runtime.NewBearerTokenPolicy(tokenErrors{c.cred}, []string{c.scope},
			&policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: c.allowHTTP})
		pl := runtime.NewPipeline(moduleName, moduleVersion, runtime.PipelineOptions{PerRetry: []policy.Policy{bearer}},
			&policy.ClientOptions{Transport: c.transport, Retry: policy.RetryOptions{MaxRetries: -1},
				InsecureAllowCredentialWithHTTP: c.allowHTTP})
		c.pl = &pl
	}
	return *c.pl
}

func (c *client) renew() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pl = nil
}

// tokenErrors marks the credential's failures, which azcore passes on
// wrapped, so that they classify as unauthenticated.
type tokenErrors struct{ azcore.TokenCredential }

func (t tokenErrors) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := t.TokenCredential.GetToken(ctx, o)
	if err != nil && ctx.Err() == nil {
		err = &TokenError{Err: err}
	}
	return tok, err
}

// answer is what a call returns besides its decoded body.
type answer struct {
	header http.Header
}

// call sends one operation with retries. A 401 (the API no longer takes
// the cached token) gets a fresh token and one more try. in, when not
// nil, is sent as JSON and never logged nor quoted in an error: it may
// hold credentials.
func (c *client) call(ctx context.Context, op, method, path string, in, out any, idempotent bool) (answer, error) {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return answer{}, err
		}
	}
	var a answer
	renewed := false
	for {
		err := c.pol.Do(ctx, func() httpx.Attempt {
			var at httpx.Attempt
			a, at = c.once(ctx, op, method, path, body, out, idempotent)
			return at
		})
		if e, ok := errors.AsType[*APIError](err); ok && e.Status == http.StatusUnauthorized && !renewed {
			renewed = true
			c.renew()
			continue
		}
		return a, err
	}
}

func (c *client) once(ctx context.Context, op, method, path string, body []byte, out any, idempotent bool) (answer, httpx.Attempt) {
	req, err := runtime.NewRequest(ctx, method, c.base+path)
	if err != nil {
		return answer{}, httpx.Attempt{Err: err}
	}
	req.Raw().Header.Set("Accept", "application/json")
	if body != nil {
		if err := req.SetBody(streaming.NopCloser(bytes.NewReader(body)), "application/json"); err != nil {
			return answer{}, httpx.Attempt{Err: err}
		}
	}
	resp, err := c.pipeline().Do(req)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return answer{}, httpx.Attempt{Err: ctx.Err()}
		case errors.As(err, new(*TokenError)):
			return answer{}, httpx.Attempt{Err: err}
		}
		return answer{}, httpx.Attempt{Err: httpx.Transport("powerbi", op, err), Retry: idempotent}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return answer{}, httpx.Attempt{Err: httpx.Transport("powerbi", op, err), Retry: idempotent}
	}
	if resp.StatusCode >= 300 {
		return answer{}, httpx.Attempt{Err: decodeError(op, resp, data),
			RetryAfter: httpx.RetryAfter(resp.Header, c.pol.Clock().Now()),
			Retry:      httpx.Transient(resp.StatusCode) && (idempotent || resp.StatusCode == http.StatusTooManyRequests)}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return answer{}, httpx.Attempt{Err: fail(driver.CodeInvalidArgument, "%s: the answer is not the JSON the API documents", op)}
		}
	}
	return answer{header: resp.Header}, httpx.Attempt{}
}

// decodeError builds the APIError for a non-2xx answer; a redirect is
// reported, never followed.
func decodeError(op string, resp *http.Response, data []byte) *APIError {
	e := &APIError{Operation: op, Status: resp.StatusCode, RequestID: resp.Header.Get("RequestId")}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("x-ms-request-id")
	}
	if resp.StatusCode < 400 {
		e.Message = "redirected; the endpoint must be the API's own"
		return e
	}
	var b struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(data, &b) == nil && b.Error.Code != "" {
		e.Code, e.Message = b.Error.Code, b.Error.Message
	} else {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}
