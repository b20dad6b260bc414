package strictyaml

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// syntaxCases make the YAML package produce every message this package
// corrects or places, with the line a person would point at.
var syntaxCases = []struct {
	in, msg string
	line    int
}{
	{"a: 1\n- b\n", "did not find expected key", 2},
	{"a:\n  b: 1\n c: 2\n", "did not find expected key", 3},
	{"a: [1, 2\nb: 3\n", "did not find expected ',' or ']'", 2},
	{"a: {x: 1\nb: 2\n", "did not find expected ',' or '}'", 2},
	{"a:\n  - 1\n  b: 2\n", "did not find expected '-' indicator", 2},
	{"- [\n", "did not find expected node content", 2},
	{"%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "found duplicate %YAML directive", 2},
	{"%TAG ! tag:a,2000:\n%TAG ! tag:b,2000:\n---\na: 1\n", "found duplicate %TAG directive", 2},
	// Scanner errors: already 1-based.
	{"a: 1\n  b: 2\n", "mapping values are not allowed in this context", 2},
	// No line from the package: the first line, or the alias's own line.
	{"a: b: c\n", "mapping values are not allowed in this context", 1},
	{"a: 1\nb: *nope\n", "unknown anchor 'nope' referenced", 2},
}

func TestSyntaxErrorsArePlaced(t *testing.T) {
	for _, c := range syntaxCases {
		t.Run(c.msg, func(t *testing.T) {
			d := NewDecoder([]byte(c.in), 10, 1000)
			require.Nil(t, d.Document("a mapping"))
			probs, _ := d.Problems()
			require.Len(t, probs, 1)
			require.Equal(t, "invalid YAML: "+c.msg, probs[0].Err.Error(), "the YAML package's message changed")
			require.Equal(t, c.line, probs[0].Line, "the YAML package's line for %q changed", c.msg)
		})
	}
}

// Every message the package corrects has a case above that makes it occur.
func TestEveryCorrectedMessageOccurs(t *testing.T) {
	for msg := range parserProblems {
		found := false
		for _, c := range syntaxCases {
			found = found || c.msg == msg
		}
		require.True(t, found, "no test makes the YAML package say %q", msg)
	}
}

func TestDocumentShape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty document: expected a mapping"},
		{"~\n", "empty document: expected a mapping"},
		{"a: 1\n---\nb: 2\n", "a second YAML document: a config file holds exactly one"},
		{"a: \xff\n", "not valid UTF-8 (byte 0xff)"},
		{"a: \x01\n", "character U+0001 is not allowed in YAML"},
	} {
		d := NewDecoder([]byte(c.in), 10, 1000)
		require.Nil(t, d.Document("a mapping"), c.in)
		probs, _ := d.Problems()
		require.Len(t, probs, 1)
		require.Equal(t, c.want, probs[0].Err.Error())
		require.NotZero(t, probs[0].Line)
	}
}

func TestFields(t *testing.T) {
	d := NewDecoder([]byte("nmae: x\nother: 1\nother: 2\n"), 10, 1000)
	root := d.Document("a mapping")
	require.NotNil(t, root)
	var f *Fields
	require.True(t, d.Walk(func() { f = d.Fields(root, "t", []string{"name", "other", "needed"}) }))
	d.Require(f, "name", "needed")
	probs, _ := d.Problems()
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Field+": "+p.Err.Error())
	}
	require.Equal(t, []string{
		`t.needed: required`,
		`t.nmae: unknown field (did you mean "name"?)`,
		`t.other: duplicate field (first at line 2)`,
	}, sortedStrings(msgs))
}

// A short file whose aliases expand to a huge walk is abandoned, not
// walked.
func TestAliasBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := 0; i < 8; i++ {
		name := string(rune('b' + i))
		b.WriteString(name + ": &" + name + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	d := NewDecoder([]byte(b.String()), 10, 100)
	root := d.Document("a mapping")
	require.NotNil(t, root)
	finished := d.Walk(func() {
		var visit func(path string, n *yamlNode)
		visit = func(path string, n *yamlNode) {
			n = d.Resolve(n)
			for _, c := range n.Content {
				visit(path, c)
			}
		}
		visit("", root)
	})
	require.False(t, finished)
	probs, _ := d.Problems()
	require.ErrorIs(t, probs[len(probs)-1].Err, ErrTooMuchAliasing)
}
