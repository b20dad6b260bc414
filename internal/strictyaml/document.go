package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Document parses the source as exactly one YAML document and returns its
// root node, or nil once a problem is reported. expected describes what
// the document must hold, for the message about an empty one.
func (d *Decoder) Document(expected string) *yaml.Node {
	// The YAML reader rejects bad text without saying where; checking
	// first gives those errors a position too.
	if !d.checkText() {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			d.Addf(At(1, 1), "", "empty document: expected %s", expected)
		} else {
			d.syntaxError(err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.Addf(&extra, "", "a second YAML document: a config file holds exactly one")
		return nil
	case err != io.EOF:
		d.syntaxError(err)
		return nil
	}
	root := doc.Content[0]
	if root.ShortTag() == "!!null" {
		d.Addf(root, "", "empty document: expected %s", expected)
		return nil
	}
	return root
}

// Walk runs fn, which walks the document, and reports whether it finished:
// a walk that exhausted the visit budget is abandoned (see Resolve).
func (d *Decoder) Walk(fn func()) (finished bool) {
	defer func() {
		if r := recover(); r != nil {
			if r != ErrTooMuchAliasing {
				panic(r)
			}
			finished = false // reported by Resolve
		}
	}()
	fn()
	return true
}

// yamlLine finds the line in the YAML package's error text.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// parserProblems are the YAML parser's (not scanner's) errors, whose line
// the YAML package reports 0-based. Every entry is one the tests make the
// YAML package produce, with its line checked, so that a new version of the
// package that changes a message or its line fails them.
var parserProblems = map[string]bool{
	"did not find expected node content":  true,
	"did not find expected key":           true,
	"did not find expected '-' indicator": true,
	"did not find expected ',' or ']'":    true,
	"did not find expected ',' or '}'":    true,
	"found duplicate %YAML directive":     true,
	"found duplicate %TAG directive":      true,
}

// unknownAnchor is the one YAML error that never carries a line.
var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// syntaxError reports an error of the YAML parser. Its line is the
// parser's (sometimes that of the construct around the problem); it has
// no column. The parser leaves the line out when the problem is on the
// first line, and for an unknown anchor, whose use is found here instead.
func (d *Decoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if parserProblems[msg] {
			// The package adds 1 to the 0-based line of scanner errors
			// only.
			line++
		}
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(d.src, []byte("*"+m[1])); i >= 0 {
			line = 1 + bytes.Count(d.src[:i], []byte("\n"))
		}
	}
	d.Add(At(line, 0), "", fmt.Errorf("invalid YAML: %s", msg))
}

// checkText rejects what the YAML reader would refuse without a position:
// text that is not UTF-8 and characters YAML does not allow.
func (d *Decoder) checkText() bool {
	line, col := 1, 1
	for i := 0; i < len(d.src); {
		r, size := utf8.DecodeRune(d.src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			d.Addf(At(line, col), "", "not valid UTF-8 (byte %#02x)", d.src[i])
			return false
		case !allowed(r):
			d.Addf(At(line, col), "", "character %U is not allowed in YAML", r)
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

// allowed is YAML 1.2's c-printable, the characters a stream may hold.
func allowed(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// ErrTooMuchAliasing aborts a walk that has visited too many nodes; see
// Resolve.
var ErrTooMuchAliasing = errors.New("too much aliasing: the aliases expand to far more than a config file needs")
