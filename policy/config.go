package policy

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
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
	// Records is the URL of a secret store (one secret) where the engine
	// keeps which secret each push destination last received, so that a
	// restarted rotator does not push everything again; empty keeps the
	// records in memory only. See Options.Records.
	Records string
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
	if e.File == "" {
		// A Config built in Go: no file to point at.
		b.WriteString("policy: invalid config: ")
		if e.Field != "" {
			b.WriteString(e.Field)
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
		return b.String()
	}
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
	d := newConfigDecoder(filename, src)
	c := d.decode()
	if err := d.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks a Config built in Go by the rules LoadConfig applies to
// a file: at least one target, every target valid (Target.Validate), no
// two targets with the same ID, none managing the same token (account,
// user and token) as another or one named like another's generations, and
// no store URL shared between targets. It reports every problem, joined,
// each a *ConfigError (with no file or position) wrapping ErrInvalidConfig,
// as LoadConfig's are.
func (c *Config) Validate() error {
	if c == nil || len(c.Targets) == 0 {
		return &ConfigError{Field: "targets", Err: errors.New("at least one target is required")}
	}
	var errs []error
	checkTargets(c.Targets,
		func(i int) string { return fmt.Sprintf("targets[%d]", i) },
		func(i int, field string, err error) {
			errs = append(errs, &ConfigError{Field: targetPath(i, field), Err: err})
		})
	return errors.Join(errs...)
}
