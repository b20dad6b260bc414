package gcpsm

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// ranges is a set of version numbers, kept sorted, encoded compactly
// ("3,5-9,12") because it lives in an annotation and annotations share a
// 16 KiB budget: retiring versions one after the other costs a few bytes
// in total, not a few bytes each.
type ranges []int64

var errBadRanges = errors.New("malformed version range")

func parseRanges(s string) (ranges, error) {
	if s == "" {
		return nil, nil
	}
	var out ranges
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseInt(lo, 10, 64)
		if err != nil || a < 1 {
			return nil, errBadRanges
		}
		b := a
		if isRange {
			if b, err = strconv.ParseInt(hi, 10, 64); err != nil || b < a || b-a > 1<<20 {
				return nil, errBadRanges
			}
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (r ranges) has(n int64) bool {
	_, ok := slices.BinarySearch(r, n)
	return ok
}

func (r ranges) add(n int64) ranges {
	i, ok := slices.BinarySearch(r, n)
	if ok {
		return r
	}
	return slices.Insert(slices.Clone(r), i, n)
}

func (r ranges) String() string {
	var b strings.Builder
	for i := 0; i < len(r); {
		j := i
		for j+1 < len(r) && r[j+1] == r[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(r[i], 10))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.FormatInt(r[j], 10))
		}
		i = j + 1
	}
	return b.String()
}
