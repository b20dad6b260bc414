package policy

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/snowpat/snowpat/internal/strictyaml"
	"github.com/snowpat/snowpat/pat"
)

// The fields of each mapping, sorted: they are listed in messages.
var (
	topFields    = []string{"account", "policies", "records", "targets"}
	policyFields = []string{"consumerCacheTTL", "grace", "lifetimeDays", "maxTokens", "preset", "replaceDisabled", "roleRestriction", "rotateBefore", "rotateEvery", "strategy", "warnBefore"}
	targetFields = []string{"account", "compromised", "compromisedAt", "format", "incident", "name", "policy", "push", "roleRestriction", "stores", "token", "user"}

	presetNames   = []string{"development", "production"}
	strategyNames = []string{string(StrategyBlueGreen), string(StrategyRotate)}
	formatNames   = map[string]pat.Format{"json": pat.FormatJSON, "raw": pat.FormatRaw}
)

// configDecoder walks a config file's node tree with strictyaml: only the
// tree knows the line and column of every key and value, and walking it
// lets one pass report all problems, not just the first.
type configDecoder struct {
	*strictyaml.Decoder
	file string
}

func newConfigDecoder(file string, src []byte) *configDecoder {
	return &configDecoder{Decoder: strictyaml.NewDecoder(src, maxConfigErrors, maxConfigVisits), file: file}
}

// decodedTarget is a target that decoded cleanly, with what the
// cross-target checks need to place their errors.
type decodedTarget struct {
	index int        // position in the file's targets list
	node  *yaml.Node // the target's mapping, as written
	name  *yaml.Node // its name's value, if it has one
	t     Target
}

// decode parses the one document and walks it. It returns nil once a
// problem is reported.
func (d *configDecoder) decode() *Config {
	root := d.Document("a mapping with targets")
	if root == nil {
		return nil
	}
	var c *Config
	if !d.Walk(func() { c = d.config(root) }) || d.Failed() > 0 {
		return nil
	}
	return c
}

// err returns the problems found, in file order, as ConfigErrors, or nil.
func (d *configDecoder) err() error {
	probs, more := d.Problems()
	if len(probs) == 0 && more == 0 {
		return nil
	}
	errs := make([]error, 0, len(probs)+1)
	for _, p := range probs {
		errs = append(errs, &ConfigError{File: d.file, Line: p.Line, Column: p.Column, Field: p.Field, Err: p.Err})
	}
	if more > 0 {
		errs = append(errs, &ConfigError{File: d.file, Err: fmt.Errorf("too many errors (%d more)", more)})
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

func (d *configDecoder) config(root *yaml.Node) *Config {
	f := d.Fields(root, "", topFields)
	if f == nil {
		return nil
	}
	c := &Config{}
	if v, ok := f.Get("account"); ok {
		c.Account, _ = d.Str(v, "account")
	}
	if v, ok := f.Get("records"); ok {
		c.Records, _ = d.Str(v, "records")
	}
	// Names whose definition failed: targets using them are skipped rather
	// than reported again as using an unknown policy.
	broken := map[string]bool{}
	policies := map[string]Policy{}
	if v, ok := f.Get("policies"); ok {
		for _, e := range d.Entries(v, "policies", "policy") {
			path := strictyaml.ChildPath("policies", e.Name)
			if p, ok := d.policy(e.Name, e.Key, e.Value, path); ok {
				policies[e.Name] = p
			} else {
				broken[e.Name] = true
			}
		}
	}
	d.Require(f, "targets")
	v, ok := f.Get("targets")
	if !ok {
		return nil
	}
	items, ok := d.List(v, "targets")
	if !ok {
		return nil
	}
	if len(items) == 0 {
		d.Addf(v, "targets", "at least one target is required")
		return nil
	}
	var decoded []decodedTarget
	for i, item := range items {
		path := fmt.Sprintf("targets[%d]", i)
		if dt, ok := d.target(item, path, c.Account, policies, broken); ok {
			dt.index = i
			decoded = append(decoded, dt)
		}
	}
	ts := make([]Target, len(decoded))
	for i, dt := range decoded {
		ts[i] = dt.t
	}
	checkTargets(ts,
		func(j int) string {
			return fmt.Sprintf("targets[%d] (line %d)", decoded[j].index, decoded[j].node.Line)
		},
		func(j int, field string, err error) {
			dt := decoded[j]
			at := dt.node
			if field == "name" && dt.name != nil {
				at = dt.name
			}
			d.Add(at, targetPath(dt.index, field), err)
		})
	c.Targets = ts
	return c
}

// policy decodes one named policy and checks it with Policy.Validate, so
// that a bad policy is reported once, where it is defined, rather than at
// every target using it.
func (d *configDecoder) policy(name string, key, n *yaml.Node, path string) (Policy, bool) {
	before := d.Failed()
	f := d.Fields(n, path, policyFields)
	if f == nil {
		return Policy{}, false
	}
	var p Policy
	if v, ok := f.Get("preset"); ok {
		if s, ok := d.Enum(v, path+".preset", "preset", presetNames); ok {
			p, _ = Preset(s) // a copy: the package's presets stay untouched
		}
	}
	p.Name = name
	durations := []struct {
		key string
		dst *time.Duration
	}{
		{"rotateEvery", &p.RotateEvery},
		{"rotateBefore", &p.RotateBefore},
		{"grace", &p.Grace},
		{"consumerCacheTTL", &p.ConsumerCacheTTL},
	}
	for _, x := range durations {
		if v, ok := f.Get(x.key); ok {
			if dur, ok := d.duration(v, path+"."+x.key); ok {
				*x.dst = dur
			}
		}
	}
	if v, ok := f.Get("lifetimeDays"); ok {
		p.LifetimeDays, _ = d.Integer(v, path+".lifetimeDays")
	}
	if v, ok := f.Get("maxTokens"); ok {
		p.MaxTokens, _ = d.Integer(v, path+".maxTokens")
	}
	if v, ok := f.Get("replaceDisabled"); ok {
		p.ReplaceDisabled, _ = d.Boolean(v, path+".replaceDisabled")
	}
	if v, ok := f.Get("roleRestriction"); ok {
		p.RoleRestriction, _ = d.Str(v, path+".roleRestriction")
	}
	if v, ok := f.Get("strategy"); ok {
		if s, ok := d.Enum(v, path+".strategy", "strategy", strategyNames); ok {
			p.Strategy = Strategy(s)
		}
	}
	if v, ok := f.Get("warnBefore"); ok {
		// The list replaces the preset's rather than adding to it, so that
		// a file can also remove thresholds.
		if items, ok := d.List(v, path+".warnBefore"); ok {
			p.WarnBefore = make([]time.Duration, 0, len(items))
			for i, item := range items {
				if dur, ok := d.duration(item, fmt.Sprintf("%s.warnBefore[%d]", path, i)); ok {
					p.WarnBefore = append(p.WarnBefore, dur)
				}
			}
		}
	}
	if d.Failed() > before {
		return Policy{}, false
	}
	if err := p.Validate(); err != nil {
		d.Add(key, path, err)
		return Policy{}, false
	}
	return p, true
}

func (d *configDecoder) target(n *yaml.Node, path, account string, policies map[string]Policy, broken map[string]bool) (decodedTarget, bool) {
	before := d.Failed()
	f := d.Fields(n, path, targetFields)
	if f == nil {
		return decodedTarget{}, false
	}
	dt := decodedTarget{node: n, t: Target{Account: account}}
	t := &dt.t
	skip := false
	d.Require(f, "user", "token", "policy", "stores")
	if v, ok := f.Get("name"); ok {
		dt.name = v
		t.Name, _ = d.Str(v, path+".name")
	}
	if v, ok := f.Get("account"); ok {
		t.Account, _ = d.Str(v, path+".account")
	}
	if v, ok := f.Get("user"); ok {
		t.User, _ = d.Str(v, path+".user")
	}
	if v, ok := f.Get("token"); ok {
		t.Token, _ = d.Str(v, path+".token")
	}
	if v, ok := f.Get("policy"); ok {
		if name, ok := d.Str(v, path+".policy"); ok {
			if p, ok := policies[name]; ok {
				t.Policy = clonePolicy(p) // each target owns its slices
			} else if broken[name] {
				// Reported where the policy is defined; the target cannot
				// be checked without it.
				skip = true
			} else if p, ok := Preset(name); ok {
				t.Policy = p
			} else {
				d.Addf(v, path+".policy", "unknown policy %s (known: %s)", quote(name), knownPolicies(policies, broken))
			}
		}
	}
	if v, ok := f.Get("roleRestriction"); ok {
		t.Policy.RoleRestriction, _ = d.Str(v, path+".roleRestriction")
	}
	if v, ok := f.Get("stores"); ok {
		if items, ok := d.List(v, path+".stores"); ok {
			if len(items) == 0 {
				d.Addf(v, path+".stores", "at least one store URL is required")
			}
			for i, item := range items {
				if s, ok := d.Str(item, fmt.Sprintf("%s.stores[%d]", path, i)); ok {
					t.Stores = append(t.Stores, s)
				}
			}
		}
	}
	if v, ok := f.Get("push"); ok {
		if items, ok := d.List(v, path+".push"); ok {
			for i, item := range items {
				if s, ok := d.Str(item, fmt.Sprintf("%s.push[%d]", path, i)); ok {
					t.Push = append(t.Push, s)
				}
			}
		}
	}
	if v, ok := f.Get("format"); ok {
		if s, ok := d.Enum(v, path+".format", "format", slices.Sorted(maps.Keys(formatNames))); ok {
			t.Format = formatNames[s]
		}
	}
	if v, ok := f.Get("compromised"); ok {
		t.Compromised, _ = d.Boolean(v, path+".compromised")
	}
	if v, ok := f.Get("compromisedAt"); ok {
		t.CompromisedAt, _ = d.Timestamp(v, path+".compromisedAt")
	}
	if v, ok := f.Get("incident"); ok {
		t.Incident, _ = d.Str(v, path+".incident")
	}
	return dt, d.Failed() == before && !skip
}

// knownPolicies lists the names a target may use: the file's and the
// presets it does not replace (a broken definition still replaces one).
func knownPolicies(policies map[string]Policy, broken map[string]bool) string {
	names := slices.Collect(maps.Keys(policies))
	for name := range broken {
		names = append(names, name)
	}
	for _, name := range presetNames {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	const shown = 20
	for i, name := range names {
		names[i] = strictyaml.Truncate(name)
	}
	if len(names) > shown {
		return strings.Join(names[:shown], ", ") + fmt.Sprintf(", … %d more", len(names)-shown)
	}
	return strings.Join(names, ", ")
}

// duration accepts a string or, for a bare 0, an integer.
func (d *configDecoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	s, ok := d.Scalar(n, path, "a duration", "!!str", "!!int")
	if !ok {
		return 0, false
	}
	v, err := parseDuration(s)
	if err != nil {
		d.Add(n, path, err)
		return 0, false
	}
	return v, true
}

// parseDuration reads Go's duration syntax (36h, 90m) plus whole days
// (90d), the unit token lifetimes are set in. Fractional days are refused
// rather than rounded: 1.5d is written 36h.
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("must not be empty")
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return 0, fmt.Errorf("invalid duration %s: a d suffix takes whole days (90d); write fractions in hours (36h)", quote(s))
		}
		v, err := strconv.ParseInt(n, 10, 64)
		if err != nil || v > math.MaxInt64/int64(Day) {
			return 0, fmt.Errorf("duration %s is too long", quote(s))
		}
		return time.Duration(v) * Day, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %s: use Go syntax (36h, 90m) or whole days (90d)", quote(s))
	}
	return v, nil
}

func quote(s string) string { return strictyaml.Quote(s) }
