package strictyaml

import (
	"cmp"
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Problem is one problem found in a document, at a position.
type Problem struct {
	// Line and Column are 1-based; 0 means unknown.
	Line, Column int
	// Field is the path of the offending field, such as "targets[1].policy";
	// empty for the document itself.
	Field string
	Err   error
}

// Decoder walks one document and collects its problems.
type Decoder struct {
	src []byte
	// problems are the first maxProblems problems; failed counts them all.
	problems    []*Problem
	failed      int
	maxProblems int
	// visits counts the nodes the walk has resolved; see Resolve.
	visits, maxVisits int
}

// NewDecoder returns a decoder for src that keeps at most maxProblems
// problems and allows a walk extraVisits node visits beyond two per byte.
func NewDecoder(src []byte, maxProblems, extraVisits int) *Decoder {
	return &Decoder{src: src, maxProblems: maxProblems, maxVisits: extraVisits + 2*len(src)}
}

// Failed is the number of problems found so far, including those past the
// limit.
func (d *Decoder) Failed() int { return d.failed }

// Problems returns the problems kept, in document order, and how many more
// were found past the limit.
func (d *Decoder) Problems() ([]*Problem, int) {
	out := slices.Clone(d.problems)
	slices.SortStableFunc(out, func(a, b *Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out, d.failed - len(d.problems)
}

// Add records a problem at node n (nil for none).
func (d *Decoder) Add(n *yaml.Node, field string, err error) {
	d.failed++
	if len(d.problems) >= d.maxProblems {
		return
	}
	p := &Problem{Field: field, Err: err}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
}

// Addf records a problem with a formatted message.
func (d *Decoder) Addf(n *yaml.Node, field, format string, args ...any) {
	d.Add(n, field, fmt.Errorf(format, args...))
}

// At is a node that only carries a position, for problems that are not
// about a node.
func At(line, column int) *yaml.Node { return &yaml.Node{Line: line, Column: column} }
