package powerbi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/snowpat/snowpat/push/driver"
)

type refreshesJSON struct {
	Value []struct {
		RequestID            string `json:"requestId"`
		Status               string `json:"status"`
		ServiceExceptionJSON string `json:"serviceExceptionJson"`
	} `json:"value"`
}

// historyDepth is how many refreshes Test reads to find its own: a
// scheduled refresh may have started right after it.
const historyDepth = 10

// Test starts a refresh of the model (Refresh Dataset In Group) and reads
// the refresh history (Get Refresh History In Group) until the refresh
// with the RequestId the start answered with is no longer Unknown (in
// progress): Completed is success; Failed, Cancelled or Disabled is
// CodeRefreshFailed with the service's exception text.
func (d *dest) Test(ctx context.Context) error {
	path := "/groups/" + d.workspace + "/datasets/" + d.dataset + "/refreshes"
	// Not idempotent: a retry after a server error could start a second
	// refresh. Only a 429, which did nothing, is retried.
	a, err := d.c.call(ctx, "RefreshDatasetInGroup", http.MethodPost, path, map[string]string{"notifyOption": "NoNotification"}, nil, false)
	if err != nil {
		return err
	}
	id := a.header.Get("RequestId")
	clock := d.c.pol.Clock()
	deadline := clock.Now().Add(d.opts.TestTimeout)
	for {
		var h refreshesJSON
		if _, err := d.c.call(ctx, "GetRefreshHistoryInGroup", http.MethodGet, path+"?$top="+strconv.Itoa(historyDepth), nil, &h, true); err != nil {
			return err
		}
		for i, r := range h.Value {
			if id != "" && r.RequestID != id || id == "" && i > 0 {
				continue
			}
			switch r.Status {
			case "Completed":
				return nil
			case "Failed", "Cancelled", "Disabled":
				return fail(driver.CodeRefreshFailed, "refresh %s: %s %s", r.RequestID, r.Status, r.ServiceExceptionJSON)
			}
		}
		if !clock.Now().Before(deadline) {
			return fail(driver.CodeUnavailable, "refresh %s still running after %s", id, d.opts.TestTimeout)
		}
		select {
		case <-clock.After(d.opts.PollInterval):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
