package strictyaml

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Resolve follows an alias to the node it names, and counts the visit.
//
// A walk driven by a config's fixed shape, never by the tree's, cannot be
// made to loop by an alias that names one of its own ancestors. But a short
// file can still alias a long list thousands of times, and the work grows
// with the product: every node visit goes through here and is counted, and
// past a budget proportional to the file's size the walk is abandoned by a
// panic that Walk recovers (the YAML package guards its own decoding the
// same way).
func (d *Decoder) Resolve(n *yaml.Node) *yaml.Node {
	d.visits++
	if d.visits > d.maxVisits {
		d.Add(n, "", ErrTooMuchAliasing)
		panic(ErrTooMuchAliasing)
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// Fields is a mapping's known fields by name.
type Fields struct {
	node  *yaml.Node
	path  string
	known map[string]*yaml.Node
	// guessed holds the names suggested for unknown keys: a misspelt
	// field is reported once, as unknown, not again as missing.
	guessed map[string]bool
}

// Get returns the value of field name, if the mapping has it.
func (f *Fields) Get(name string) (*yaml.Node, bool) {
	v, ok := f.known[name]
	return v, ok
}

// Require reports each of names the mapping lacks, at the mapping.
func (d *Decoder) Require(f *Fields, names ...string) {
	for _, name := range names {
		if _, ok := f.known[name]; !ok && !f.guessed[name] {
			d.Addf(f.node, ChildPath(f.path, name), "required")
		}
	}
}

// Fields checks that n is a mapping whose keys are all in known, each at
// most once, and returns its fields. Unknown and repeated keys are
// reported and left out, so that the rest is still checked. It returns nil
// when n is not a mapping.
func (d *Decoder) Fields(n *yaml.Node, path string, known []string) *Fields {
	if d.Resolve(n).Kind != yaml.MappingNode {
		d.WrongType(n, path, "a mapping")
		return nil
	}
	f := &Fields{node: n, path: path, known: map[string]*yaml.Node{}, guessed: map[string]bool{}}
	for _, e := range d.Entries(n, path, "field") {
		if !slices.Contains(known, e.Name) {
			msg := "unknown field"
			if s := Suggest(e.Name, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
				f.guessed[s] = true
			} else {
				msg += " (known: " + strings.Join(known, ", ") + ")"
			}
			d.Addf(e.Key, ChildPath(path, e.Name), "%s", msg)
			continue
		}
		f.known[e.Name] = e.Value
	}
	return f
}

// Entry is a mapping's entry with a string key.
type Entry struct {
	Name       string
	Key, Value *yaml.Node
}

// Entries checks that n is a mapping with distinct, non-empty string keys
// and returns its entries in order. what names a key in messages ("field",
// "policy").
func (d *Decoder) Entries(n *yaml.Node, path, what string) []Entry {
	m := d.Resolve(n)
	if m.Kind != yaml.MappingNode {
		d.WrongType(n, path, "a mapping")
		return nil
	}
	var out []Entry
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], m.Content[i+1]
		k := d.Resolve(key)
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			d.Addf(key, path, "merge keys (<<) are not supported; write the fields out, or share a policy by name")
			continue
		case k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str":
			d.Addf(key, path, "%s names must be strings, got %s", what, Describe(k))
			continue
		case k.Value == "":
			d.Addf(key, path, "%s name must not be empty", what)
			continue
		}
		at := ChildPath(path, k.Value)
		if prev, dup := first[k.Value]; dup {
			d.Addf(key, at, "duplicate %s (first at line %d)", what, prev.Line)
			continue
		}
		first[k.Value] = key
		out = append(out, Entry{k.Value, key, value})
	}
	return out
}

// WrongType reports that the node at path is not what it must be. It
// points at the node as written, alias included.
func (d *Decoder) WrongType(n *yaml.Node, path, want string) {
	got := d.Resolve(n)
	msg := fmt.Sprintf("must be %s, got %s", want, Describe(got))
	if path == "" {
		msg = "the document " + msg
	}
	if want == "a string" && got.Kind == yaml.ScalarNode && got.ShortTag() != "!!null" {
		msg += " (quote it to use it as text)"
	}
	d.Addf(n, path, "%s", msg)
}

// Scalar returns the value of n if it is a scalar with one of tags.
func (d *Decoder) Scalar(n *yaml.Node, path, want string, tags ...string) (string, bool) {
	s := d.Resolve(n)
	if s.Kind != yaml.ScalarNode || !slices.Contains(tags, s.ShortTag()) {
		d.WrongType(n, path, want)
		return "", false
	}
	return s.Value, true
}

// Str returns a non-empty string: a string field is either required or
// optional, and an empty one is a mistake either way.
func (d *Decoder) Str(n *yaml.Node, path string) (string, bool) {
	s, ok := d.Scalar(n, path, "a string", "!!str")
	if !ok {
		return "", false
	}
	if s == "" {
		d.Addf(n, path, "must not be empty")
		return "", false
	}
	return s, true
}

// Enum returns a string that must be one of known; what names the kind of
// value in messages.
func (d *Decoder) Enum(n *yaml.Node, path, what string, known []string) (string, bool) {
	s, ok := d.Str(n, path)
	if !ok {
		return "", false
	}
	if !slices.Contains(known, s) {
		d.Addf(n, path, "unknown %s %s (known: %s)", what, Quote(s), strings.Join(known, ", "))
		return "", false
	}
	return s, true
}

// List returns the items of a sequence.
func (d *Decoder) List(n *yaml.Node, path string) ([]*yaml.Node, bool) {
	s := d.Resolve(n)
	if s.Kind != yaml.SequenceNode {
		d.WrongType(n, path, "a list")
		return nil, false
	}
	return s.Content, true
}

// Integer and Boolean let the YAML package convert, so that every form YAML
// resolves to the type (0x10, 0o17, True) is read as YAML defines it.
// Decode fails only for a value forced by an explicit tag, such as
// "!!int ten", or one past the range of int.
func (d *Decoder) Integer(n *yaml.Node, path string) (int, bool) {
	s, ok := d.Scalar(n, path, "an integer", "!!int")
	if !ok {
		return 0, false
	}
	var v int
	if err := d.Resolve(n).Decode(&v); err != nil {
		d.Addf(n, path, "invalid integer %s", Quote(s))
		return 0, false
	}
	return v, true
}

// Boolean returns a YAML boolean.
func (d *Decoder) Boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := d.Scalar(n, path, "a boolean (true or false)", "!!bool")
	if !ok {
		return false, false
	}
	var v bool
	if err := d.Resolve(n).Decode(&v); err != nil {
		d.Addf(n, path, "invalid boolean %s", Quote(s))
		return false, false
	}
	return v, true
}

// Timestamp returns an RFC 3339 time with a zone.
func (d *Decoder) Timestamp(n *yaml.Node, path string) (time.Time, bool) {
	s, ok := d.Scalar(n, path, "an RFC 3339 time", "!!timestamp", "!!str")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.Addf(n, path, "invalid time %s: must be RFC 3339 with a zone, such as 2026-11-20T10:00:00Z", Quote(s))
		return time.Time{}, false
	}
	return t, true
}

// ChildPath appends key to path, bracketing keys that would not read
// unambiguously after a dot.
func ChildPath(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return path + "[" + Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

// Describe names a node's type for "expected X, got Y" messages.
func Describe(n *yaml.Node) string {
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
		return "a number " + Truncate(n.Value)
	case "!!bool":
		return "a boolean " + n.Value
	case "!!timestamp":
		return "a timestamp " + Truncate(n.Value)
	default:
		return "a value tagged " + Truncate(tag)
	}
}

// Suggest returns the known name closest to name, if it is close enough to
// be a likely typo or a change of case or separators.
func Suggest(name string, known []string) string {
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

// editDistance is the Levenshtein distance between a and b, in bytes. It is
// only used on short field names, so quadratic time is fine; longer input
// is not worth comparing.
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

// MaxQuoted bounds a value repeated in a message: an error should point at
// the value, not reproduce a megabyte of it.
const MaxQuoted = 64

// Truncate shortens s to MaxQuoted characters.
func Truncate(s string) string {
	if utf8.RuneCountInString(s) <= MaxQuoted {
		return s
	}
	r := []rune(s)
	return string(r[:MaxQuoted]) + "…"
}

// Quote quotes s, truncated, for a message.
func Quote(s string) string { return strconv.Quote(Truncate(s)) }
