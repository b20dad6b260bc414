package pat

import (
	"database/sql"
	"strings"
)

// row is one result row keyed by lower-case column name. Every result this
// package reads (SHOW, DESCRIBE, and the rows ADD and ROTATE return) is read
// by column name, never by position: Snowflake has added and renamed
// columns before, and a positional reader would then silently mis-assign
// them.
type row map[string]any

// readRows reads all rows of rs, scanning every cell into an `any`, and
// closes rs. When two columns differ only in case the first one wins.
func readRows(rs *sql.Rows) ([]row, error) {
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(cols))
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		k := strings.ToLower(strings.TrimSpace(c))
		if seen[k] {
			k = "" // shadowed duplicate: read but not kept
		}
		seen[k] = true
		keys[i] = k
	}
	var out []row
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := make(row, len(cols))
		for i, k := range keys {
			if k != "" {
				r[k] = vals[i]
			}
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	return out, rs.Close()
}

// has reports whether the result had the column at all, as opposed to
// having it with a NULL cell.
func (r row) has(col string) bool {
	_, ok := r[col]
	return ok
}
