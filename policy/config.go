package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/snowpat/snowpat/pat"
)

// ErrInvalidConfig is wrapped by every error LoadConfig, LoadConfigFile and
// Config.Validate return for a config that is malformed or breaks a rule.
// Errors from a target's or a policy's own Validate are wrapped as well, so
// errors.Is also matches ErrInvalidTarget or ErrInvalidPolicy for them.
// Failing to read the file is not a config error and does not wrap it.
var ErrInvalidConfig = errors.New("policy: invalid config")

// Config is the set of targets snowpat keeps, as loaded from a config file
// or built in Go.
type Config struct {
	// Account is the file's top-level default account. Loading has already
	// applied it to every target that does not name its own, so nothing
	// needs to read it again; it is kept to describe the file.
	Account string
	// Targets are the tokens to keep, in file order, each with its policy
	// resolved and copied (no two targets share a Policy's slices).
	Targets []Target
}

// ConfigError is one problem found in a config file, at a position. When
// a file has several problems, LoadConfig returns them joined (errors.Join);
// errors.As finds the first.
type ConfigError struct {
	// File is the name the file was loaded under.
	File string
	// Line and Column are 1-based; 0 means unknown (Column is unknown for
	// YAML syntax errors; both are for errors about the file as a whole).
	Line, Column int
	// Field is the path of the offending field, such as
	// "targets[1].policy" or "policies.prod.grace"; empty for errors about
	// the document itself.
	Field string
	// Err is the problem. It may wrap ErrInvalidTarget or ErrInvalidPolicy.
	Err error
}

// Error renders the problem as file:line:column: field: problem, the form
// editors and CI annotations understand.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid config")
	}
	return b.String()
}

// Is makes every ConfigError match ErrInvalidConfig without repeating the
// sentinel's text in each message.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// Unwrap returns the problem, so that errors.Is sees ErrInvalidTarget and
// ErrInvalidPolicy through it.
func (e *ConfigError) Unwrap() error { return e.Err }

// Limits on what LoadConfig accepts.
const (
	// maxConfigSize bounds the bytes read, so that pointing snowpat at the
	// wrong file (a device, a log) fails fast instead of filling memory. A
	// target takes a few hundred bytes, so this leaves room for thousands.
	maxConfigSize = 4 << 20
	// maxConfigErrors is how many problems one load reports before giving
	// up: enough to fix a file in one pass, not a wall of cascading noise.
	maxConfigErrors = 10
	// maxConfigVisits is the node visits a walk may make beyond two per
	// byte of the file (more than any file without aliases needs): room
	// for generous use of aliases, but a bound on the product a few
	// aliases of aliases can build.
	maxConfigVisits = 500_000
	// maxQuoted bounds a value repeated in a message: an error should point
	// at the value, not reproduce a megabyte of it.
	maxQuoted = 64
)

// LoadConfigFile reads and checks the config file at path; see LoadConfig
// for the format. Errors name the file as path.
func LoadConfigFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("policy: reading config: %w", err)
	}
	defer f.Close()
	return LoadConfig(f, path)
}

// LoadConfig reads a YAML config from r and checks it strictly; filename
// names the source in errors ("config" if empty). The file is one YAML
// document:
//
//	account: xy12345          # default account of every target
//	policies:                 # named policies
//	  prod:
//	    preset: production    # optional base: production | development
//	    rotateEvery: 90d      # durations: Go syntax (36h, 90m) or whole days (90d)
//	    rotateBefore: 7d
//	    lifetimeDays: 100
//	    grace: 24h
//	    consumerCacheTTL: 1h
//	    roleRestriction: BI_READER
//	    warnBefore: [14d, 7d, 1d]
//	    strategy: rotate      # rotate | blue-green
//	    maxTokens: 15
//	targets:
//	  - name: powerbi         # optional; default USER/TOKEN
//	    account: other        # optional; default the top-level account
//	    user: POWERBI_SERVICE # required
//	    token: POWERBI        # required
//	    policy: prod          # required: a name from policies, or a preset
//	    roleRestriction: X    # optional; overrides the policy's
//	    stores: ["file:///var/lib/snowpat/powerbi"] # required, at least one
//	    format: json          # json | raw
//	    compromised: false
//	    compromisedAt: 2026-11-20T10:00:00Z # RFC 3339
//
// A policy with a preset starts from a copy of it and overrides the fields
// it sets; one without starts from zero. A name in policies may reuse a
// preset's name and then replaces that preset for this file. Anchors and
// aliases work; merge keys (<<) do not.
//
// Anything else is an error: unknown or repeated fields, wrong types, bad
// durations or enum values, unknown policy names, missing required fields,
// duplicate policy names or target IDs, an empty file or more than one
// document, a policy that fails Policy.Validate, a target that fails
// Target.Validate and the rules Config.Validate checks across targets.
// Every such error is a *ConfigError wrapping ErrInvalidConfig and reads
//
//	file:line:column: field.path: problem
//
// e.g. `targets.yaml:12:13: targets[1].policy: unknown policy "prdo"
// (known: development, prod, production)`. Up to ten are reported at once,
// joined with errors.Join in file order.
func LoadConfig(r io.Reader, filename string) (*Config, error) {
	if filename == "" {
		filename = "config"
	}
	src, err := io.ReadAll(io.LimitReader(r, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("policy: reading config %s: %w", filename, err)
	}
	if len(src) > maxConfigSize {
		return nil, &ConfigError{File: filename, Err: fmt.Errorf("larger than %d MiB; is this the config file?", maxConfigSize>>20)}
	}
	d := &configDecoder{file: filename, src: src, maxVisits: maxConfigVisits + 2*len(src)}
	c := d.decode()
	if err := d.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks a Config built in Go by the rules LoadConfig applies to
// a file: at least one target, every target valid (Target.Validate), no
// two targets with the same ID, none managing the same token (account,
// user and token) as another, and no store URL shared between targets.
// It reports every problem, joined, each wrapping ErrInvalidConfig.
func (c *Config) Validate() error {
	if c == nil || len(c.Targets) == 0 {
		return fmt.Errorf("%w: targets: at least one target is required", ErrInvalidConfig)
	}
	var errs []error
	checkTargets(c.Targets,
		func(i int) string { return fmt.Sprintf("targets[%d]", i) },
		func(i int, field string, err error) {
			errs = append(errs, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, targetPath(i, field), err))
		})
	return errors.Join(errs...)
}

// checkTargets applies the rules every config's targets must follow, for
// both LoadConfig and Config.Validate, so the two cannot drift apart. ref
// names target i in messages (the loader adds its line); report receives
// each problem with the target's index and the field at fault ("" for the
// target as a whole).
func checkTargets(ts []Target, ref func(i int) string, report func(i int, field string, err error)) {
	type tokenKey struct{ account, user, token string }
	ids := map[string]int{}
	tokens := map[tokenKey]int{}
	stores := map[string]int{}
	for i, t := range ts {
		if err := t.Validate(); err != nil {
			report(i, "", err)
		}
		if j, dup := ids[t.ID()]; dup {
			field := ""
			if t.Name != "" {
				field = "name"
			}
			report(i, field, fmt.Errorf("duplicate target %s, first used by %s", quote(t.ID()), ref(j)))
		} else {
			ids[t.ID()] = i
		}
		// Two targets on one token would each rotate it on their own
		// schedule, and each would invalidate the secret the other stored.
		k := tokenKey{t.Account, t.User, t.Token}
		if j, dup := tokens[k]; dup {
			report(i, "", fmt.Errorf("same account, user and token as %s: two targets would rotate one token", ref(j)))
		} else {
			tokens[k] = i
		}
		// A target owns TOKEN, TOKEN_BLUE and TOKEN_GREEN; another target
		// of the same user named like one of them would have its token
		// retired or revoked as part of the first one's family.
		for j := 0; j < i; j++ {
			o := ts[j]
			if o.Account == t.Account && o.User == t.User && o.Token != t.Token && (isGeneration(o, t.Token) || isGeneration(t, o.Token)) {
				report(i, "token", fmt.Errorf("token %s and %s's token %s overlap: a target owns TOKEN, TOKEN_BLUE and TOKEN_GREEN", quote(t.Token), ref(j), quote(o.Token)))
				break
			}
		}
		// A store URL names one secret; two targets writing it would
		// overwrite each other's token.
		for _, s := range t.Stores {
			if j, dup := stores[s]; dup && j != i {
				report(i, "stores", &causeError{fmt.Sprintf("store %s is also used by %s: the targets would overwrite each other's secret", quote(s), ref(j)), ErrSharedStore})
				break
			}
		}
		for _, s := range t.Stores {
			if _, dup := stores[s]; !dup {
				stores[s] = i
			}
		}
	}
}

func targetPath(i int, field string) string {
	p := fmt.Sprintf("targets[%d]", i)
	if field != "" {
		p += "." + field
	}
	return p
}

// The fields of each mapping, sorted: they are listed in messages.
var (
	topFields    = []string{"account", "policies", "targets"}
	policyFields = []string{"consumerCacheTTL", "grace", "lifetimeDays", "maxTokens", "preset", "replaceDisabled", "roleRestriction", "rotateBefore", "rotateEvery", "strategy", "warnBefore"}
	targetFields = []string{"account", "compromised", "compromisedAt", "format", "incident", "name", "policy", "roleRestriction", "stores", "token", "user"}

	presetNames   = []string{"development", "production"}
	strategyNames = []string{string(StrategyBlueGreen), string(StrategyRotate)}
	formatNames   = map[string]pat.Format{"json": pat.FormatJSON, "raw": pat.FormatRaw}
)

// configDecoder walks the YAML node tree itself rather than decoding into
// structs: only the tree knows the line and column of every key and value,
// and walking it lets one pass report all problems, not just the first.
type configDecoder struct {
	file   string
	src    []byte
	errs   []*ConfigError
	failed int // problems found, including those past maxConfigErrors
	// visits counts the nodes the walk has resolved; see resolve.
	visits, maxVisits int
}

// decodedTarget is a target that decoded cleanly, with what the
// cross-target checks need to place their errors.
type decodedTarget struct {
	index int        // position in the file's targets list
	node  *yaml.Node // the target's mapping, as written
	name  *yaml.Node // its name's value, if it has one
	t     Target
}

func (d *configDecoder) add(n *yaml.Node, field string, err error) {
	d.failed++
	if len(d.errs) >= maxConfigErrors {
		return
	}
	e := &ConfigError{File: d.file, Field: field, Err: err}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

func (d *configDecoder) addf(n *yaml.Node, field, format string, args ...any) {
	d.add(n, field, fmt.Errorf(format, args...))
}

// err returns the problems found, in file order, or nil.
func (d *configDecoder) err() error {
	if d.failed == 0 {
		return nil
	}
	if len(d.errs) == 1 {
		return d.errs[0]
	}
	slices.SortStableFunc(d.errs, func(a, b *ConfigError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	errs := make([]error, 0, len(d.errs)+1)
	for _, e := range d.errs {
		errs = append(errs, e)
	}
	if d.failed > len(d.errs) {
		errs = append(errs, &ConfigError{File: d.file, Err: fmt.Errorf("too many errors (%d more)", d.failed-len(d.errs))})
	}
	return errors.Join(errs...)
}

// decode parses the one document and walks it. It returns nil once a
// problem is reported.
func (d *configDecoder) decode() *Config {
	// The YAML reader rejects bad text without saying where; checking
	// first gives those errors a position too.
	if !d.checkText() {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			d.addf(&yaml.Node{Line: 1, Column: 1}, "", "empty document: expected a mapping with targets")
		} else {
			d.syntaxError(err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.addf(&extra, "", "a second YAML document: a config file holds exactly one")
		return nil
	case err != io.EOF:
		d.syntaxError(err)
		return nil
	}
	root := doc.Content[0]
	if root.ShortTag() == "!!null" {
		d.addf(root, "", "empty document: expected a mapping with targets")
		return nil
	}
	return d.walk(root)
}

// walk decodes and checks the document's root mapping. It returns nil
// once a problem is reported.
func (d *configDecoder) walk(root *yaml.Node) (c *Config) {
	defer func() {
		if r := recover(); r != nil {
			if r != errTooMuchAliasing {
				panic(r)
			}
			c = nil // reported by resolve
		}
	}()
	c = d.config(root)
	if d.failed > 0 {
		return nil
	}
	return c
}

// yamlLine finds the line in the YAML package's error text.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// yamlParserProblems are the YAML parser's (not scanner's) errors, whose
// line the YAML package reports 0-based.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// unknownAnchor is the one YAML error that never carries a line.
var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// syntaxError reports an error of the YAML parser. Its line is the
// parser's (sometimes that of the construct around the problem); it has
// no column. The parser leaves the line out when the problem is on the
// first line, and for an unknown anchor, whose use is found here instead.
func (d *configDecoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if yamlParserProblems[msg] {
			// The package adds 1 to the 0-based line of scanner errors
			// only.
			line++
		}
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(d.src, []byte("*"+m[1])); i >= 0 {
			line = 1 + bytes.Count(d.src[:i], []byte("\n"))
		}
	}
	d.add(&yaml.Node{Line: line}, "", fmt.Errorf("invalid YAML: %s", msg))
}

// checkText rejects what the YAML reader would refuse without a position:
// text that is not UTF-8 and characters YAML does not allow.
func (d *configDecoder) checkText() bool {
	line, col := 1, 1
	for i := 0; i < len(d.src); {
		r, size := utf8.DecodeRune(d.src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			d.addf(&yaml.Node{Line: line, Column: col}, "", "not valid UTF-8 (byte %#02x)", d.src[i])
			return false
		case !yamlAllowed(r):
			d.addf(&yaml.Node{Line: line, Column: col}, "", "character %U is not allowed in YAML", r)
			return false
		}
		i += size
		col++
		if r == '\n' {
			line, col = line+1, 1
		}
	}
	return true
}

// yamlAllowed is YAML 1.2's c-printable, the characters a stream may hold.
func yamlAllowed(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

func (d *configDecoder) config(root *yaml.Node) *Config {
	f := d.fields(root, "", topFields)
	if f == nil {
		return nil
	}
	c := &Config{}
	if v, ok := f.get("account"); ok {
		c.Account, _ = d.str(v, "account")
	}
	// Names whose definition failed: targets using them are skipped rather
	// than reported again as using an unknown policy.
	broken := map[string]bool{}
	policies := map[string]Policy{}
	if v, ok := f.get("policies"); ok {
		for _, e := range d.entries(v, "policies", "policy") {
			path := childPath("policies", e.name)
			if p, ok := d.policy(e.name, e.key, e.value, path); ok {
				policies[e.name] = p
			} else {
				broken[e.name] = true
			}
		}
	}
	d.require(f, "targets")
	v, ok := f.get("targets")
	if !ok {
		return nil
	}
	items, ok := d.list(v, "targets")
	if !ok {
		return nil
	}
	if len(items) == 0 {
		d.addf(v, "targets", "at least one target is required")
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
			d.add(at, targetPath(dt.index, field), err)
		})
	c.Targets = ts
	return c
}

// policy decodes one named policy and checks it with Policy.Validate, so
// that a bad policy is reported once, where it is defined, rather than at
// every target using it.
func (d *configDecoder) policy(name string, key, n *yaml.Node, path string) (Policy, bool) {
	before := d.failed
	f := d.fields(n, path, policyFields)
	if f == nil {
		return Policy{}, false
	}
	var p Policy
	if v, ok := f.get("preset"); ok {
		if s, ok := d.enum(v, path+".preset", "preset", presetNames); ok {
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
		if v, ok := f.get(x.key); ok {
			if dur, ok := d.duration(v, path+"."+x.key); ok {
				*x.dst = dur
			}
		}
	}
	if v, ok := f.get("lifetimeDays"); ok {
		p.LifetimeDays, _ = d.integer(v, path+".lifetimeDays")
	}
	if v, ok := f.get("maxTokens"); ok {
		p.MaxTokens, _ = d.integer(v, path+".maxTokens")
	}
	if v, ok := f.get("replaceDisabled"); ok {
		p.ReplaceDisabled, _ = d.boolean(v, path+".replaceDisabled")
	}
	if v, ok := f.get("roleRestriction"); ok {
		p.RoleRestriction, _ = d.str(v, path+".roleRestriction")
	}
	if v, ok := f.get("strategy"); ok {
		if s, ok := d.enum(v, path+".strategy", "strategy", strategyNames); ok {
			p.Strategy = Strategy(s)
		}
	}
	if v, ok := f.get("warnBefore"); ok {
		// The list replaces the preset's rather than adding to it, so that
		// a file can also remove thresholds.
		if items, ok := d.list(v, path+".warnBefore"); ok {
			p.WarnBefore = make([]time.Duration, 0, len(items))
			for i, item := range items {
				if dur, ok := d.duration(item, fmt.Sprintf("%s.warnBefore[%d]", path, i)); ok {
					p.WarnBefore = append(p.WarnBefore, dur)
				}
			}
		}
	}
	if d.failed > before {
		return Policy{}, false
	}
	if err := p.Validate(); err != nil {
		d.add(key, path, err)
		return Policy{}, false
	}
	return p, true
}

func (d *configDecoder) target(n *yaml.Node, path, account string, policies map[string]Policy, broken map[string]bool) (decodedTarget, bool) {
	before := d.failed
	f := d.fields(n, path, targetFields)
	if f == nil {
		return decodedTarget{}, false
	}
	dt := decodedTarget{node: n, t: Target{Account: account}}
	t := &dt.t
	skip := false
	d.require(f, "user", "token", "policy", "stores")
	if v, ok := f.get("name"); ok {
		dt.name = v
		t.Name, _ = d.str(v, path+".name")
	}
	if v, ok := f.get("account"); ok {
		t.Account, _ = d.str(v, path+".account")
	}
	if v, ok := f.get("user"); ok {
		t.User, _ = d.str(v, path+".user")
	}
	if v, ok := f.get("token"); ok {
		t.Token, _ = d.str(v, path+".token")
	}
	if v, ok := f.get("policy"); ok {
		if name, ok := d.str(v, path+".policy"); ok {
			if p, ok := policies[name]; ok {
				t.Policy = clonePolicy(p) // each target owns its slices
			} else if broken[name] {
				// Reported where the policy is defined; the target cannot
				// be checked without it.
				skip = true
			} else if p, ok := Preset(name); ok {
				t.Policy = p
			} else {
				d.addf(v, path+".policy", "unknown policy %s (known: %s)", quote(name), knownPolicies(policies, broken))
			}
		}
	}
	if v, ok := f.get("roleRestriction"); ok {
		t.Policy.RoleRestriction, _ = d.str(v, path+".roleRestriction")
	}
	if v, ok := f.get("stores"); ok {
		if items, ok := d.list(v, path+".stores"); ok {
			if len(items) == 0 {
				d.addf(v, path+".stores", "at least one store URL is required")
			}
			for i, item := range items {
				if s, ok := d.str(item, fmt.Sprintf("%s.stores[%d]", path, i)); ok {
					t.Stores = append(t.Stores, s)
				}
			}
		}
	}
	if v, ok := f.get("format"); ok {
		if s, ok := d.enum(v, path+".format", "format", slices.Sorted(maps.Keys(formatNames))); ok {
			t.Format = formatNames[s]
		}
	}
	if v, ok := f.get("compromised"); ok {
		t.Compromised, _ = d.boolean(v, path+".compromised")
	}
	if v, ok := f.get("compromisedAt"); ok {
		t.CompromisedAt, _ = d.timestamp(v, path+".compromisedAt")
	}
	if v, ok := f.get("incident"); ok {
		t.Incident, _ = d.str(v, path+".incident")
	}
	return dt, d.failed == before && !skip
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
		names[i] = truncate(name)
	}
	if len(names) > shown {
		return strings.Join(names[:shown], ", ") + fmt.Sprintf(", … %d more", len(names)-shown)
	}
	return strings.Join(names, ", ")
}

// field is a key and its value in a mapping.
type field struct {
	key, value *yaml.Node
}

// fieldSet is a mapping's known fields by name.
type fieldSet struct {
	node  *yaml.Node
	path  string
	known map[string]field
	// guessed holds the names suggested for unknown keys: a misspelt
	// field is reported once, as unknown, not again as missing.
	guessed map[string]bool
}

func (f *fieldSet) get(name string) (*yaml.Node, bool) {
	v, ok := f.known[name]
	return v.value, ok
}

// require reports each of names the mapping lacks, at the mapping.
func (d *configDecoder) require(f *fieldSet, names ...string) {
	for _, name := range names {
		if _, ok := f.known[name]; !ok && !f.guessed[name] {
			d.addf(f.node, childPath(f.path, name), "required")
		}
	}
}

// fields checks that n is a mapping whose keys are all in known, each at
// most once, and returns its fields. Unknown and repeated keys are
// reported and left out, so that the rest is still checked. It returns nil
// when n is not a mapping.
func (d *configDecoder) fields(n *yaml.Node, path string, known []string) *fieldSet {
	if d.resolve(n).Kind != yaml.MappingNode {
		d.wrongType(n, path, "a mapping")
		return nil
	}
	f := &fieldSet{node: n, path: path, known: map[string]field{}, guessed: map[string]bool{}}
	for _, e := range d.entries(n, path, "field") {
		if !slices.Contains(known, e.name) {
			msg := "unknown field"
			if s := suggest(e.name, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
				f.guessed[s] = true
			} else {
				msg += " (known: " + strings.Join(known, ", ") + ")"
			}
			d.addf(e.key, childPath(path, e.name), "%s", msg)
			continue
		}
		f.known[e.name] = field{e.key, e.value}
	}
	return f
}

// entry is a mapping's entry with a string key.
type entry struct {
	name       string
	key, value *yaml.Node
}

// entries checks that n is a mapping with distinct, non-empty string keys
// and returns its entries in order. what names a key in messages ("field",
// "policy").
func (d *configDecoder) entries(n *yaml.Node, path, what string) []entry {
	m := d.resolve(n)
	if m.Kind != yaml.MappingNode {
		d.wrongType(n, path, "a mapping")
		return nil
	}
	var out []entry
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], m.Content[i+1]
		k := d.resolve(key)
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			d.addf(key, path, "merge keys (<<) are not supported; write the fields out, or share a policy by name")
			continue
		case k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str":
			d.addf(key, path, "%s names must be strings, got %s", what, describe(k))
			continue
		case k.Value == "":
			d.addf(key, path, "%s name must not be empty", what)
			continue
		}
		at := childPath(path, k.Value)
		if prev, dup := first[k.Value]; dup {
			d.addf(key, at, "duplicate %s (first at line %d)", what, prev.Line)
			continue
		}
		first[k.Value] = key
		out = append(out, entry{k.Value, key, value})
	}
	return out
}

// errTooMuchAliasing aborts a walk that has visited too many nodes; see
// resolve.
var errTooMuchAliasing = errors.New("too much aliasing: the aliases expand to far more than a config file needs")

// resolve follows an alias to the node it names, and counts the visit.
//
// The walk is driven by the config's fixed shape, never by the tree's, so
// an alias that names one of its own ancestors cannot make it loop. But a
// short file can still alias a target with a long store list thousands of
// times, and the work grows with the product: every node visit goes
// through here and is counted, and past a budget proportional to the
// file's size the walk is abandoned by a panic that decode recovers (the
// YAML package guards its own decoding the same way).
func (d *configDecoder) resolve(n *yaml.Node) *yaml.Node {
	d.visits++
	if d.visits > d.maxVisits {
		d.add(n, "", errTooMuchAliasing)
		panic(errTooMuchAliasing)
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// childPath appends key to path, bracketing keys that would not read
// unambiguously after a dot.
func childPath(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

// describe names a node's type for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch tag := n.ShortTag(); tag {
	case "!!null":
		return "nothing (null)"
	case "!!str":
		return "a string"
	case "!!int":
		return "an integer " + n.Value
	case "!!float":
		return "a number " + truncate(n.Value)
	case "!!bool":
		return "a boolean " + n.Value
	case "!!timestamp":
		return "a timestamp " + truncate(n.Value)
	default:
		return "a value tagged " + truncate(tag)
	}
}

// wrongType reports that the node at path is not what it must be. It
// points at the node as written, alias included.
func (d *configDecoder) wrongType(n *yaml.Node, path, want string) {
	got := d.resolve(n)
	msg := fmt.Sprintf("must be %s, got %s", want, describe(got))
	if path == "" {
		msg = "the document " + msg
	}
	if want == "a string" && got.Kind == yaml.ScalarNode && got.ShortTag() != "!!null" {
		msg += " (quote it to use it as text)"
	}
	d.addf(n, path, "%s", msg)
}

// scalar returns the value of n if it is a scalar with one of tags.
func (d *configDecoder) scalar(n *yaml.Node, path, want string, tags ...string) (string, bool) {
	s := d.resolve(n)
	if s.Kind != yaml.ScalarNode || !slices.Contains(tags, s.ShortTag()) {
		d.wrongType(n, path, want)
		return "", false
	}
	return s.Value, true
}

// str returns a non-empty string: every string field is either required
// or optional, and an empty one is a mistake either way.
func (d *configDecoder) str(n *yaml.Node, path string) (string, bool) {
	s, ok := d.scalar(n, path, "a string", "!!str")
	if !ok {
		return "", false
	}
	if s == "" {
		d.addf(n, path, "must not be empty")
		return "", false
	}
	return s, true
}

func (d *configDecoder) enum(n *yaml.Node, path, what string, known []string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(known, s) {
		d.addf(n, path, "unknown %s %s (known: %s)", what, quote(s), strings.Join(known, ", "))
		return "", false
	}
	return s, true
}

func (d *configDecoder) list(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	s := d.resolve(n)
	if s.Kind != yaml.SequenceNode {
		d.wrongType(n, path, "a list")
		return nil, false
	}
	return s.Content, true
}

// integer and boolean let the YAML package convert, so that every form
// YAML resolves to the type (0x10, 0o17, True) is read as YAML defines
// it. Decode fails only for a value forced by an explicit tag, such as
// "!!int ten", or one past the range of int.
func (d *configDecoder) integer(n *yaml.Node, path string) (int, bool) {
	s, ok := d.scalar(n, path, "an integer", "!!int")
	if !ok {
		return 0, false
	}
	var v int
	if err := d.resolve(n).Decode(&v); err != nil {
		d.addf(n, path, "invalid integer %s", quote(s))
		return 0, false
	}
	return v, true
}

func (d *configDecoder) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := d.scalar(n, path, "a boolean (true or false)", "!!bool")
	if !ok {
		return false, false
	}
	var v bool
	if err := d.resolve(n).Decode(&v); err != nil {
		d.addf(n, path, "invalid boolean %s", quote(s))
		return false, false
	}
	return v, true
}

func (d *configDecoder) timestamp(n *yaml.Node, path string) (time.Time, bool) {
	s, ok := d.scalar(n, path, "an RFC 3339 time", "!!timestamp", "!!str")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.addf(n, path, "invalid time %s: must be RFC 3339 with a zone, such as 2026-11-20T10:00:00Z", quote(s))
		return time.Time{}, false
	}
	return t, true
}

// duration accepts a string or, for a bare 0, an integer.
func (d *configDecoder) duration(n *yaml.Node, path string) (time.Duration, bool) {
	s, ok := d.scalar(n, path, "a duration", "!!str", "!!int")
	if !ok {
		return 0, false
	}
	v, err := parseDuration(s)
	if err != nil {
		d.add(n, path, err)
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

// suggest returns the known name closest to name, if it is close enough
// to be a likely typo or a change of case or separators.
func suggest(name string, known []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
	}
	best, bestDist := "", 3 // at most two edits
	for _, k := range known {
		if dist := editDistance(norm(name), norm(k)); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes. It
// is only used on short field names, so quadratic time is fine; longer
// input is not worth comparing.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return s
	}
	r := []rune(s)
	return string(r[:maxQuoted]) + "…"
}

func quote(s string) string { return strconv.Quote(truncate(s)) }
