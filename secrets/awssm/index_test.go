package awssm

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Pruning drops entries of versions that never appeared once they are old
// enough, then the metadata of the oldest unlabelled versions, and keeps
// labelled ones whatever the size.
func TestIndexPrune(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	big := map[string]string{"v": strings.Repeat("x", 250)}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"} {
		big[k] = strings.Repeat("y", 250)
	}
	d := newIndex()
	var versions []mainVersion
	for i := range 40 {
		id := fmt.Sprintf("v%02d", i)
		d.set(id, big, now)
		versions = append(versions, mainVersion{id: id, labelled: i >= 38})
	}
	d.set("orphan-old", nil, now.Add(-2*time.Hour))
	d.set("orphan-new", nil, now)

	fits, err := d.prune(versions, now)
	require.NoError(t, err)
	assert.True(t, fits)
	s, err := d.encode()
	require.NoError(t, err)
	assert.LessOrEqual(t, len(s), indexPruneAt)
	assert.NotContains(t, d.Versions, "orphan-old")
	assert.Contains(t, d.Versions, "orphan-new", "a write may still be in flight")
	assert.Contains(t, d.Versions, "v38")
	assert.Contains(t, d.Versions, "v39")
	assert.Contains(t, d.Versions, "v37", "the newest unlabelled versions keep their metadata")
	assert.NotContains(t, d.Versions, "v00", "the oldest unlabelled versions go first")

	// Labelled versions alone over the limit: it does not fit.
	d = newIndex()
	versions = nil
	for i := range 60 {
		id := fmt.Sprintf("l%02d", i)
		d.set(id, big, now)
		versions = append(versions, mainVersion{id: id, labelled: true})
	}
	fits, err = d.prune(versions, now)
	require.NoError(t, err)
	assert.False(t, fits)
}

func TestParseIndex(t *testing.T) {
	_, err := parseIndex(`{"format":"something-else"}`)
	assert.ErrorIs(t, err, errNotIndex)
	_, err = parseIndex(`not json`)
	assert.ErrorIs(t, err, errNotIndex)
	d, err := parseIndex(`{"format":"` + indexFormat + `","seq":3}`)
	require.NoError(t, err)
	assert.NotNil(t, d.Versions)
	assert.Nil(t, d.metadata("x"))
}
