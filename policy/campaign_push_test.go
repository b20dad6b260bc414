package policy_test

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/driver"
)

// campaignDest is a BI destination for the campaign: it keeps the
// credential pushed to it, and its pushes are writes the scheduler
// switches at and strikes with faults like any other. It checks, when a
// credential arrives, that it logs in: a destination must never receive a
// secret that has not.
type campaignDest struct {
	c    *campaign
	url  string
	host string // the Snowflake host its connection points at

	mu   sync.Mutex
	user string
	held string
}

var errPushInjected = errors.New("campaign: injected push fault")

func (d *campaignDest) Identity() string { return d.url }

func (d *campaignDest) content() *driver.Content {
	return &driver.Content{Kind: "datasource", ID: d.url, Name: d.url, Connections: []driver.Connection{
		{ID: "1", Type: "snowflake", Snowflake: true, Server: d.host},
	}}
}

func (d *campaignDest) Inspect(context.Context) (*driver.Content, error) { return d.content(), nil }

func (d *campaignDest) Push(ctx context.Context, cred driver.Credential, check func(*driver.Content) error) ([]driver.Connection, error) {
	c := d.content()
	if err := check(c); err != nil {
		return nil, err
	}
	apply := func() {
		// Rotators racing without a common lock can remove the token
		// another has just verified (see checkStores): then only
		// convergence is checked, after settling.
		if err := d.c.w.Server.CheckPAT(cred.User, cred.Secret.Reveal()); err != nil && d.c.strict.Load() {
			d.c.violate("%s was pushed a secret that does not log in as %s: %v", d.url, cred.User, err)
		}
		d.mu.Lock()
		d.user, d.held = cred.User, cred.Secret.Reveal()
		d.mu.Unlock()
	}
	a := actorOf(ctx)
	if a == nil {
		apply()
		return c.Connections, nil
	}
	if a.dead.Load() {
		return nil, errCrashed
	}
	switch d.c.s.point(a, "PUSH "+d.url) {
	case failBefore:
		return nil, errPushInjected
	case loseAfter:
		apply()
		return nil, errPushInjected
	case crashBefore:
		a.kill()
		return nil, errCrashed
	case crashAfter:
		apply()
		a.kill()
		return nil, errCrashed
	}
	apply()
	return c.Connections, nil
}

func (d *campaignDest) ErrorCode(err error) driver.ErrorCode {
	if errors.Is(err, errPushInjected) {
		return driver.CodeUnavailable
	}
	return driver.CodeUnknown
}

func (d *campaignDest) As(any) bool             { return false }
func (d *campaignDest) ErrorAs(error, any) bool { return false }
func (d *campaignDest) Close() error            { return nil }

// refreshes reports whether the destination's dashboard would refresh: its
// credential logs in. A destination never pushed is not checked.
func (d *campaignDest) refreshes() error {
	d.mu.Lock()
	user, held := d.user, d.held
	d.mu.Unlock()
	if held == "" {
		return nil
	}
	return d.c.w.Server.CheckPAT(user, held)
}

// holds reports whether the destination holds secret.
func (d *campaignDest) holds(secret string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.held == secret
}

// destinations makes the run's destinations and the engine's opener.
func (c *campaign) openDestination(_ context.Context, url string) (*push.Destination, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.dests[url]
	if !ok {
		return nil, errors.New("campaign: no such destination " + url)
	}
	return push.NewDestination(d), nil
}

func (c *campaign) snowflakeHost() string {
	return strings.ReplaceAll(strings.ToLower(c.w.Server.Account()), "_", "-") + ".snowflakecomputing.com"
}
