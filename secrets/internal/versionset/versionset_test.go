package versionset

import (
	"testing"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The stage moves of one rotation, checked on the records themselves.
func TestStageMoves(t *testing.T) {
	var s Set
	s.Add(Record{ID: "1"}, false)
	s.Add(Record{ID: "2"}, false)
	s.Add(Record{ID: "p"}, true)
	changed, err := s.Promote("p", &driver.Precondition{CurrentID: "2"})
	require.NoError(t, err)
	assert.True(t, changed)
	stages := map[string]driver.Stage{}
	for _, r := range s.Records {
		stages[r.ID] = r.Stage
	}
	assert.Equal(t, map[string]driver.Stage{"1": driver.StageNone, "2": driver.StagePrevious, "p": driver.StageCurrent}, stages)

	// Already current: no change, and the precondition is not consulted.
	changed, err = s.Promote("p", &driver.Precondition{Absent: true})
	require.NoError(t, err)
	assert.False(t, changed)

	changed, err = s.Retire("1")
	require.NoError(t, err)
	assert.True(t, changed)
	changed, err = s.Retire("1")
	require.NoError(t, err)
	assert.False(t, changed, "retiring twice changes nothing, so nothing is rewritten")
	assert.Equal(t, driver.CodeConflict, Code(func() error { _, err := s.Retire("p"); return err }()))
	assert.Equal(t, driver.CodeNotFound, Code(func() error { _, err := s.Find("x"); return err }()))
}
