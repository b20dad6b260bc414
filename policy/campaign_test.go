package policy_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/snowflakedb/gosnowflake"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/k8slease"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/k8ssecret"
)

// TestFaultCampaign is a seeded, deterministic campaign: many rotations
// over three targets, each pass run by one to three rotators at once —
// separate processes with or without a shared lease, or two Applies of one
// engine — interleaved by a scheduler that switches between them only
// where one is about to change something (see sched). At every change a
// fault may strike: refused, done but the answer lost, the rotator dying
// before or after it; reads fail now and then. Between passes the world
// changes under the engine: incidents are declared (and their flags
// cleared later), strategies switched, stores taken down for longer than
// the grace, other users' tokens pasted into stores, and time jumps to a
// token's last hours. After each faulty pass a fresh engine, without
// faults, must settle everything.
//
// The invariants, checked at every switch point and between passes:
//
//   - every store that is up and has not been tampered with holds, as
//     current, a secret that logs in as its target's user (a target whose
//     incident is being handled is exempt until handled: cutting it off is
//     the point);
//   - after time passes, those secrets still log in: no store holds a
//     secret that stops working before its replacement is installed;
//   - no token is removed unless its target declared an incident, it has
//     expired, or it is a generation superseded for longer than the grace
//     and held by no store;
//   - at most three generations and fifteen tokens per user are live;
//   - after the settling pass, the stores of a target agree and hold no
//     pending version;
//   - no secret appears in a log line, an event or an error.
//
// Each run is a function of its seed: a failure prints the command that
// replays it. SNOWPAT_CAMPAIGN_SEED sets the first seed (fixed by default,
// so CI runs the same campaign every time) and SNOWPAT_CAMPAIGN_RUNS the
// number of runs (20 by default; CI runs 500).
func TestFaultCampaign(t *testing.T) {
	seed := uint64(20261201)
	if v, err := strconv.ParseUint(os.Getenv("SNOWPAT_CAMPAIGN_SEED"), 10, 64); err == nil {
		seed = v
	}
	// A short campaign by default, so that `go test -race ./...` stays
	// quick; CI runs SNOWPAT_CAMPAIGN_RUNS=500 as a step of its own.
	runs := 20
	if v, err := strconv.Atoi(os.Getenv("SNOWPAT_CAMPAIGN_RUNS")); err == nil && v > 0 {
		runs = v
	}
	t.Logf("fault campaign seed %d, %d runs (rerun one with SNOWPAT_CAMPAIGN_SEED=<seed> SNOWPAT_CAMPAIGN_RUNS=1)", seed, runs)
	var stats campaignStats
	t.Run("runs", func(t *testing.T) {
		for run := 0; run < runs; run++ {
			runSeed := seed + uint64(run)
			t.Run(fmt.Sprintf("seed%d", runSeed), func(t *testing.T) {
				t.Parallel()
				campaignRun(t, runSeed, &stats)
			})
		}
	})
	t.Logf("%s", stats.report(runs))
	if t.Failed() {
		t.Logf("replay a failed run with: SNOWPAT_CAMPAIGN_SEED=<its seed> SNOWPAT_CAMPAIGN_RUNS=1 go test -run '^TestFaultCampaign$' -v ./policy/")
	}
}

type campaignStats struct {
	mu         sync.Mutex
	faults     map[string]int
	passes     int
	steps      int
	rotations  int
	pushes     int
	events     map[string]int
	violations int
}

func (s *campaignStats) fault(kind string) {
	s.mu.Lock()
	if s.faults == nil {
		s.faults = map[string]int{}
	}
	s.faults[kind]++
	s.mu.Unlock()
}

func (s *campaignStats) event(kind string) {
	s.mu.Lock()
	if s.events == nil {
		s.events = map[string]int{}
	}
	s.events[kind]++
	s.mu.Unlock()
}

func (s *campaignStats) report(runs int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := func(m map[string]int) (string, int) {
		var kinds []string
		total := 0
		for k, n := range m {
			kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
			total += n
		}
		sort.Strings(kinds)
		return strings.Join(kinds, " "), total
	}
	faults, nf := list(s.faults)
	events, _ := list(s.events)
	return fmt.Sprintf("runs=%d passes=%d switch-points=%d rotations=%d pushes=%d faults=%d (%s) world-changes: %s violations=%d",
		runs, s.passes, s.steps, s.rotations, s.pushes, nf, faults, events, s.violations)
}

// campaign is one run's world and what it knows about its targets.
type campaign struct {
	t       *testing.T
	w       *world
	rng     *rand.Rand
	s       *sched
	f       *campaignFaults
	stats   *campaignStats
	targets []policy.Target
	// incident: declared and not yet settled by a pass without faults.
	incident map[string]bool
	// stale: stores that were down or tampered with, until a settling pass
	// repaired them.
	stale     map[string]bool
	downFor   map[string]int
	incidents int
	// kube: the API server of a run on Kubernetes; nil otherwise.
	kube *k8sfake.Server
	// dests: the BI destinations the targets push to, by URL.
	dests map[string]*campaignDest
	// records: the push records the engines share, a store like any other.
	records *secrets.Store

	// strict: every invariant holds at every switch point of this pass
	// (one rotator, or a shared lease).
	strict atomic.Bool

	mu        sync.Mutex
	violation string
}

func (c *campaign) violate(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.violation == "" {
		c.violation = fmt.Sprintf(format, args...)
	}
}

func campaignRun(t *testing.T, seed uint64, stats *campaignStats) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := newWorld(t)
	c := &campaign{t: t, w: w, rng: rng, stats: stats,
		incident: map[string]bool{}, stale: map[string]bool{}, downFor: map[string]int{},
		dests: map[string]*campaignDest{}}
	c.s = &sched{rng: rng, seed: seed, back: make(chan *actor), stats: stats}
	// A quarter of the runs keep their secrets in Kubernetes Secrets (an
	// in-process API server through client-go) and, unless they race,
	// coordinate by Kubernetes Leases, one connection per replica, which
	// a replica's crash cuts.
	if rng.IntN(4) == 0 {
		c.kube = k8sfake.New()
		link := c.kube.Link()
		t.Cleanup(link.Close)
		cs := link.Clientset()
		w.base = func(url string) driver.Secret {
			ns, name, _ := strings.Cut(strings.TrimPrefix(url, "k8s://"), "/")
			d, err := k8ssecret.NewDriver(cs, ns, name)
			require.NoError(t, err)
			return d
		}
		stats.event("runs-on-kubernetes")
	}
	c.f = &campaignFaults{s: c.s, srv: w.Server, down: map[string]bool{}}
	w.wrap = func(d driver.Secret, url string) driver.Secret {
		cas, _ := d.(driver.CompareAndSwapper)
		return &schedSecret{Secret: d, cas: cas, url: url, f: c.f}
	}
	w.verifyFault = func(ctx context.Context, user string) error {
		if a := actorOf(ctx); a != nil && c.s.readFault(a, "verify", user, c.f.read) {
			return errInjected
		}
		return nil
	}
	// The administrator's connection goes through the scheduler.
	cfg := *w.Server.AdminConfig()
	cfg.Transporter = &schedTransport{base: cfg.Transporter, f: c.f}
	w.DB = sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, cfg))
	t.Cleanup(func() { _ = w.DB.Close() })
	w.Admin = pat.NewClient(w.DB)

	fast := policy.Policy{Name: "fast", RotateEvery: 10 * policy.Day, RotateBefore: 3 * policy.Day, LifetimeDays: 15,
		Grace: 24 * time.Hour, ConsumerCacheTTL: time.Hour, WarnBefore: []time.Duration{2 * policy.Day}}
	slow := fast
	slow.Name, slow.RotateEvery, slow.LifetimeDays = "slow", 20*policy.Day, 25
	for i := 0; i < 3; i++ {
		p := []policy.Policy{fast, slow}[rng.IntN(2)]
		if rng.IntN(2) == 0 {
			p.Strategy = policy.StrategyBlueGreen
		}
		user := fmt.Sprintf("SVC%d", i)
		tg := w.target(user, p, 0)
		// Store names are the run's own, not drawn from a counter the
		// parallel runs share: faults on reads are a hash of the name.
		for j := 0; j <= rng.IntN(2); j++ {
			tg.Stores = append(tg.Stores, c.storeURL(fmt.Sprintf("%s-%d", strings.ToLower(user), j)))
		}
		if rng.IntN(3) == 0 {
			tg.Format = pat.FormatRaw
		}
		// Zero to two BI destinations, whose pushes are changes like any
		// other.
		for k := 0; k < rng.IntN(3); k++ {
			url := fmt.Sprintf("campaign://%d/%s/%d", seed, strings.ToLower(user), k)
			c.dests[url] = &campaignDest{c: c, url: url, host: c.snowflakeHost()}
			tg.Push = append(tg.Push, url)
		}
		c.targets = append(c.targets, tg)
	}
	w.ServiceUser("OTHER")
	c.records = w.Store(c.storeURL("records"))
	leases := w.Store(c.storeURL("leases"))
	// With a shared lease (or one rotator), every invariant is checked at
	// every switch point. Without a common lock, rotators race: one acting
	// on a stale observation can remove the token another just added (by
	// name: Snowflake has no conditional REMOVE), cutting its fresh secret
	// off until the next pass repairs it. Then only convergence is checked:
	// after time passes and after the settling pass.
	shareLease := rng.IntN(3) > 0
	switch {
	case shareLease && c.kube != nil:
		stats.event("runs-with-kubernetes-leases")
	case shareLease:
		stats.event("runs-with-a-shared-lease")
		// A rotator may stall before a change until its lease has run
		// out, and others take over meanwhile. (A Kubernetes Lease is
		// renewed in the background, so a stall there is a partition,
		// which a crash already is.)
		c.s.pauseFor = func() { w.Clock.Step(2*time.Minute + time.Second) }
	default:
		stats.event("runs-racing-without-a-lock")
	}
	if shareLease {
		c.f.removing = c.checkRemoval
	}

	ctx := context.Background()
	setup := c.engine()
	for _, tg := range c.targets {
		_, err := setup.Apply(ctx, tg)
		require.NoError(t, err)
	}
	var errTexts []string
	for pass := 0; pass < 8; pass++ {
		c.advance()
		c.checkStores("after time passed", true)
		c.changeWorld()

		// The faulty pass.
		c.s.fault = []float64{0, 0.05, 0.15, 0.3}[rng.IntN(4)]
		c.f.read = []float64{0, 0.02, 0.05}[rng.IntN(3)]
		if c.s.pauseFor != nil {
			c.s.pause = []float64{0, 0.02, 0.05}[rng.IntN(3)]
		}
		actors := 1 + rng.IntN(3)
		engines := make([]*policy.Engine, actors)
		onKill := make([]func(), actors)
		for i := range engines {
			if i > 0 && c.kube == nil && rng.IntN(3) == 0 {
				engines[i] = engines[i-1] // two Applies of one engine at once
				continue
			}
			locker := policy.NewLocalLocker()
			switch {
			case shareLease && c.kube != nil:
				var l policy.Locker
				l, onKill[i] = c.kubeLocker(fmt.Sprintf("replica-%d", i))
				locker = l
			case shareLease:
				l, err := policy.NewLeaseLocker(leases, fmt.Sprintf("replica-%d", i), time.Minute, w.Clock)
				require.NoError(t, err)
				locker = l
			}
			engines[i] = c.engine(func(o *policy.Options) {
				o.Locker = locker
				o.Retry = policy.Retry{Attempts: 1 + rng.IntN(2)}
				o.Rand = rand.New(rand.NewPCG(rng.Uint64(), 0))
			})
		}
		var mu sync.Mutex
		bodies := make([]func(context.Context), actors)
		for i := range bodies {
			e, order := engines[i], rng.Perm(len(c.targets))
			bodies[i] = func(ctx context.Context) {
				for _, j := range order {
					if _, err := e.Apply(ctx, c.targets[j]); err != nil {
						mu.Lock()
						errTexts = append(errTexts, err.Error())
						mu.Unlock()
					}
				}
			}
		}
		c.strict.Store(shareLease || actors == 1)
		c.s.check = func(string) {
			stats.mu.Lock()
			stats.steps++
			stats.mu.Unlock()
			if shareLease || actors == 1 {
				c.checkStores("at a switch point", false)
			}
		}
		c.s.run(bodies, onKill...)
		c.s.check, c.s.fault, c.f.read, c.s.pause = nil, 0, 0, 0
		c.requireNoViolation()
		if shareLease || actors == 1 {
			c.checkStores("right after the faulty pass", false)
		}
		stats.mu.Lock()
		stats.passes++
		stats.mu.Unlock()

		// Settling: leases of dead rotators expire; a fresh engine without
		// faults must repair everything it can reach.
		w.Clock.Step(2 * time.Minute)
		fresh := c.engine(func(o *policy.Options) {
			switch {
			case shareLease && c.kube != nil:
				o.Locker, _ = c.kubeLocker("settler")
			case shareLease:
				l, _ := policy.NewLeaseLocker(leases, "settler", time.Minute, w.Clock)
				o.Locker = l
			}
		})
		for _, tg := range c.targets {
			d, err := fresh.Apply(ctx, tg)
			// A Lease a dead replica held is taken over once it has not
			// changed for its duration, as the settler sees it.
			for try := 0; try < 3 && errors.Is(err, policy.ErrLocked); try++ {
				w.Clock.Step(time.Minute + time.Second)
				d, err = fresh.Apply(ctx, tg)
			}
			if err != nil && !c.hasDownStore(tg) {
				c.violate("pass %d: settling %s failed (%s: %s): %v", pass, tg.ID(), d.Action, d.Reason(), err)
			}
		}
		c.requireNoViolation()
		for _, tg := range c.targets {
			delete(c.incident, tg.ID())
			for _, u := range tg.Stores {
				if !c.f.isDown(u) {
					delete(c.stale, u)
				}
			}
		}
		c.checkStores("after settling", false)
		c.checkSettled()
		c.requireNoViolation()
		c.bringStoresBack()
	}
	stats.mu.Lock()
	stats.rotations += w.Count(policy.EventRotated) + w.Count(policy.EventCreated)
	stats.pushes += w.Count(policy.EventPushed)
	stats.mu.Unlock()
	if !w.RequireNoSecretIn(t, errTexts...) {
		t.FailNow()
	}
}

// storeURL names one of the run's secrets: a memory store, or a Secret
// in the Kubernetes runs. Names are the run's own, not drawn from a
// counter the parallel runs share: faults on reads are a hash of the name.
func (c *campaign) storeURL(name string) string {
	if c.kube != nil {
		return fmt.Sprintf("k8s://snowpat/campaign-%d-%s", c.s.seed, name)
	}
	return fmt.Sprintf("mem://campaign-%d/%s", c.s.seed, name)
}

// kubeLocker is a replica's Lease locker over a connection of its own,
// and the partition of that connection its crash causes.
func (c *campaign) kubeLocker(identity string) (policy.Locker, func()) {
	link := c.kube.Link()
	c.t.Cleanup(link.Close)
	l, err := k8slease.New(link.Clientset(), k8slease.Options{Namespace: "snowpat", Identity: identity, Duration: time.Minute, Clock: c.w.Clock})
	require.NoError(c.t, err)
	return l, link.Partition
}

// engine is a fresh engine of the world that pushes to the campaign's
// destinations.
func (c *campaign) engine(opts ...func(*policy.Options)) *policy.Engine {
	return c.w.engine(append([]func(*policy.Options){func(o *policy.Options) {
		o.OpenDestination = c.openDestination
		o.Records = c.records
	}}, opts...)...)
}

// advance moves time: usually half a day to two days, sometimes to the
// last hours of the first token to expire, as when nobody ran the engine
// for weeks (but not past any token's expiry: the engine's promise holds
// for an engine that runs at least once before its tokens expire).
func (c *campaign) advance() {
	if c.rng.IntN(10) == 0 {
		var first time.Time
		for _, tg := range c.targets {
			if exp, ok := c.activeExpiry(tg); ok && (first.IsZero() || exp.Before(first)) {
				first = exp
			}
		}
		// A pass may stall past its lease several times (2 minutes each,
		// see pauseFor); the engine gets half an hour for its pass on top,
		// or a stall alone would let the token expire before the engine
		// could reach it, which no engine can prevent.
		margin := time.Duration(1+c.rng.IntN(120)) * time.Minute
		if c.s.pauseFor != nil {
			margin += 30 * time.Minute
		}
		if at := first.Add(-margin); !first.IsZero() && at.After(c.w.Clock.Now()) {
			c.stats.event("last-hours")
			c.w.Clock.SetTime(at)
			return
		}
	}
	c.w.Clock.Step(time.Duration(12+c.rng.IntN(37)) * time.Hour)
}

// activeExpiry is the expiry of the secret tg's first healthy store holds.
func (c *campaign) activeExpiry(tg policy.Target) (time.Time, bool) {
	for i, u := range tg.Stores {
		if c.f.isDown(u) || c.stale[u] {
			continue
		}
		st, ok := c.w.stored(tg, i)
		if !ok {
			continue
		}
		d, err := c.w.Admin.Decode(context.Background(), st.Token)
		if err != nil {
			continue
		}
		for _, tok := range c.w.Server.PATs(tg.User) {
			if tok.Name == d.TokenName {
				return tok.ExpiresAt, true
			}
		}
	}
	return time.Time{}, false
}

// changeWorld makes the changes operators and accidents make between
// passes.
func (c *campaign) changeWorld() {
	ctx := context.Background()
	for i := range c.targets {
		tg := &c.targets[i]
		switch r := c.rng.IntN(40); {
		case r < 3:
			c.incidents++
			tg.Compromised, tg.Incident, tg.CompromisedAt = true, fmt.Sprintf("INC-%d", c.incidents), time.Time{}
			c.incident[tg.ID()] = true
			c.stats.event("incident")
		case r < 5 && tg.Compromised:
			tg.Compromised, tg.Incident = false, ""
			c.stats.event("flag-cleared")
		case r < 8:
			if tg.Policy.Strategy == policy.StrategyBlueGreen {
				tg.Policy.Strategy = policy.StrategyRotate
			} else {
				tg.Policy.Strategy = policy.StrategyBlueGreen
			}
			c.stats.event("strategy-switch")
		case r < 10:
			// Another user's token, of the same name, pasted into a store.
			u := tg.Stores[c.rng.IntN(len(tg.Stores))]
			if c.f.isDown(u) {
				continue
			}
			_ = c.w.Admin.Remove(ctx, "OTHER", tg.Token)
			res, err := c.w.Admin.Add(ctx, "OTHER", tg.Token, pat.AddOptions{RoleRestriction: "BI_READER", DaysToExpiry: 30})
			require.NoError(c.t, err)
			c.w.Remember(res.Secret)
			_, err = c.w.Store(u).Put(ctx, []byte(res.Secret.Reveal()), nil)
			require.NoError(c.t, err)
			c.stale[u] = true
			c.stats.event("foreign-token")
		case r < 12 && len(tg.Stores) > 1:
			// One store down for two to four passes: longer than the grace.
			u := tg.Stores[c.rng.IntN(len(tg.Stores))]
			if !c.f.isDown(u) && !c.hasDownStore(*tg) {
				c.f.mu.Lock()
				c.f.down[u] = true
				c.f.mu.Unlock()
				c.downFor[u] = 2 + c.rng.IntN(3)
				c.stale[u] = true
				c.stats.event("store-down")
			}
		}
	}
}

func (c *campaign) bringStoresBack() {
	for u := range c.downFor {
		if c.downFor[u]--; c.downFor[u] <= 0 {
			delete(c.downFor, u)
			c.f.mu.Lock()
			delete(c.f.down, u)
			c.f.mu.Unlock()
		}
	}
}

func (c *campaign) hasDownStore(tg policy.Target) bool {
	for _, u := range tg.Stores {
		if c.f.isDown(u) {
			return true
		}
	}
	return false
}

// checkStores checks that every store that is up and untampered holds a
// secret that logs in as its target's user; strict also covers targets
// whose incident is being handled (time passing must not kill anything).
func (c *campaign) checkStores(when string, strict bool) {
	ctx := context.Background()
	for _, tg := range c.targets {
		if c.incident[tg.ID()] && !strict {
			continue
		}
		for _, u := range tg.Stores {
			if c.f.isDown(u) || c.stale[u] {
				continue
			}
			v, err := c.w.Store(u).Current(ctx)
			if err != nil {
				c.violate("%s: %s: %s holds nothing readable: %v", when, tg.ID(), u, err)
				continue
			}
			st, err := pat.DecodeStored(v.Value())
			if err != nil {
				c.violate("%s: %s: %s holds a value that does not decode", when, tg.ID(), u)
				continue
			}
			if st.User != "" && st.User != tg.User {
				c.violate("%s: %s: %s names user %s", when, tg.ID(), u, st.User)
			}
			if err := c.w.Server.CheckPAT(tg.User, st.Token.Reveal()); err != nil {
				c.violate("%s at %s: %s: %s holds a secret that does not log in as %s: %v", when, c.w.Clock.Now().Format(time.DateTime), tg.ID(), u, tg.User, err)
			}
		}
		for _, url := range tg.Push {
			if err := c.dests[url].refreshes(); err != nil {
				c.violate("%s at %s: %s: destination %s no longer refreshes: %v", when, c.w.Clock.Now().Format(time.DateTime), tg.ID(), url, err)
			}
		}
		live, gens := 0, 0
		for _, tok := range c.w.Server.PATs(tg.User) {
			if tok.Status == "EXPIRED" {
				continue
			}
			live++
			if tok.RotatedTo == "" {
				gens++
			}
		}
		if gens > 3 || live > 15 {
			c.violate("%s: %s has %d live generations and %d live tokens", when, tg.ID(), gens, live)
		}
	}
}

// checkRemoval runs before an actor removes token of user: it must belong
// to a target with a declared incident, have expired, or be a generation
// superseded for longer than the grace that no store holds.
func (c *campaign) checkRemoval(user, token string) {
	var tg *policy.Target
	for i := range c.targets {
		if c.targets[i].User == user {
			tg = &c.targets[i]
		}
	}
	if tg == nil {
		c.violate("a rotator removed %s of %s, a user it does not manage", token, user)
		return
	}
	if c.incident[tg.ID()] {
		return
	}
	now := c.w.Clock.Now()
	toks := c.w.Tokens(user)
	var tok *pat.Token
	var newest time.Time
	for i := range toks {
		if toks[i].Name == token {
			tok = &toks[i]
		}
		if !toks[i].IsRotated() && toks[i].Status == pat.StatusActive && toks[i].CreatedOn.After(newest) {
			newest = toks[i].CreatedOn
		}
	}
	switch {
	case tok == nil, tok.IsExpired(now):
		return
	case tok.IsRotated():
		c.violate("%s removed rotated-out %s before it expired", tg.ID(), token)
		return
	case tok.Status == pat.StatusDisabled && tg.Policy.ReplaceDisabled:
		return
	}
	since := tok.CreatedOn
	if newest.After(since) {
		since = newest
	}
	if now.Before(since.Add(tg.Policy.Grace)) {
		c.violate("%s removed live %s %s after it was superseded, within the grace", tg.ID(), token, now.Sub(since))
		return
	}
	for _, u := range tg.Stores {
		if c.f.isDown(u) {
			continue
		}
		for _, stage := range []int{1, 2} { // current, pending
			v, err := c.w.Store(u).ByStage(context.Background(), secretsStage(stage))
			if err != nil {
				continue
			}
			st, err := pat.DecodeStored(v.Value())
			if err != nil {
				continue
			}
			if d, err := c.w.Admin.Decode(context.Background(), st.Token); err == nil && d.TokenName == token && d.UserName == user {
				c.violate("%s removed %s, whose secret %s holds", tg.ID(), token, u)
			}
		}
	}
}

// checkSettled checks each target after the settling pass: its healthy
// stores agree and hold no pending version.
func (c *campaign) checkSettled() {
	ctx := context.Background()
	for _, tg := range c.targets {
		var first pat.Secret
		for _, u := range tg.Stores {
			if c.f.isDown(u) {
				continue
			}
			if _, err := c.w.Store(u).ByStage(ctx, secretsStage(2)); err == nil {
				c.violate("%s: %s kept a pending version after settling", tg.ID(), u)
			}
			v, err := c.w.Store(u).Current(ctx)
			if err != nil {
				continue
			}
			st, err := pat.DecodeStored(v.Value())
			if err != nil {
				continue
			}
			if first.IsZero() {
				first = st.Token
			} else if !first.Equal(st.Token) {
				c.violate("%s: its stores disagree after settling", tg.ID())
			}
		}
		if first.IsZero() || c.hasDownStore(tg) {
			continue
		}
		for _, url := range tg.Push {
			if !c.dests[url].holds(first.Reveal()) {
				c.violate("%s: destination %s does not hold the stores' secret after settling", tg.ID(), url)
			}
		}
	}
}

func secretsStage(n int) secrets.Stage { return secrets.Stage(n) }

func (c *campaign) requireNoViolation() {
	c.t.Helper()
	c.mu.Lock()
	v := c.violation
	c.mu.Unlock()
	if v == "" {
		return
	}
	c.stats.mu.Lock()
	c.stats.violations++
	c.stats.mu.Unlock()
	c.w.rec.mu.Lock()
	for i, ev := range c.w.rec.events {
		c.t.Logf("%s actor%-2d %-9s %-14s %-9s %s %s %s", ev.Time.Format(time.DateTime), c.w.rec.actors[i], ev.Kind, ev.Target, ev.Token, ev.Store, ev.Reason, ev.Err)
	}
	c.w.rec.mu.Unlock()
	c.t.Fatalf("violation: %s", v)
}
