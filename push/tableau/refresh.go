package tableau

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"

	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
)

// Test is the closest thing to a connection test that the REST API has:
// Update Data Source Now (or Update Workbook Now) starts an extract
// refresh, which logs in to Snowflake with the embedded credentials, and
// Query Job reads its outcome. Tableau has no REST method that tests a
// live connection, so content without an extract is CodeUnsupported: a
// data source says so (hasExtracts), and a workbook's refresh is refused
// with 400, which Test reports the same way.
func (d *dest) Test(ctx context.Context) error {
	s, it, _, err := d.read(ctx)
	defer s.end(ctx)
	if err != nil {
		return err
	}
	if d.kind.singular == "datasource" && !it.hasExtracts {
		return fail(driver.CodeUnsupported, "data source %q is a live connection: the REST API can refresh only extracts and has no connection test", it.name)
	}
	var req refreshRequest
	if versionAtLeast(s.version, extractBody) {
		req.Extract = &struct{}{}
	}
	body, err := xml.Marshal(req)
	if err != nil {
		return err
	}
	var out tsResponse
	// Not idempotent: a retry after a server error could queue a second
	// refresh. Only a 429, which did nothing, is retried.
	err = s.do(ctx, d.kind.refresh, http.MethodPost, "/"+d.kind.plural+"/"+it.id+"/refresh", nil, body, &out, false)
	if e, ok := errors.AsType[*APIError](err); ok && e.Status == http.StatusBadRequest {
		return &httpx.Problem{Tool: "tableau", Code: driver.CodeUnsupported, Msg: d.kind.singular + " " + strconv.Quote(it.name) + " cannot be refreshed through the REST API (no extract?)", Err: err}
	}
	if err != nil {
		return err
	}
	if out.Job == nil || out.Job.ID == "" {
		return fail(driver.CodeInvalidArgument, "%s: the answer has no job", d.kind.refresh)
	}
	return d.await(ctx, s, out.Job.ID)
}

// await polls Query Job until the job finishes or TestTimeout passes, on
// the injected clock.
func (d *dest) await(ctx context.Context, s *session, jobID string) error {
	clock := d.c.pol.Clock()
	deadline := clock.Now().Add(d.c.testTimeout)
	for {
		var out tsResponse
		if err := s.do(ctx, "QueryJob", http.MethodGet, "/jobs/"+jobID, nil, nil, &out, true); err != nil {
			return err
		}
		if j := out.Job; j != nil && j.CompletedAt != "" {
			// Finish codes: 0 success, 1 failure, 2 cancelled; Tableau
			// Server Client also knows 3, "completed".
			switch j.FinishCode {
			case "0", "3":
				return nil
			case "2":
				return fail(driver.CodeRefreshFailed, "refresh job %s was cancelled", jobID)
			default:
				return fail(driver.CodeRefreshFailed, "refresh job %s failed (finish code %s): %s", jobID, j.FinishCode, j.Notes)
			}
		}
		if !clock.Now().Before(deadline) {
			return fail(driver.CodeUnavailable, "refresh job %s still running after %s", jobID, d.c.testTimeout)
		}
		select {
		case <-clock.After(d.c.pollInterval):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
