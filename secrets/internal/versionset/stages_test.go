package versionset

import (
	"errors"
	"testing"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ReadStages picks the record Select picks for each stage, reads only
// those values, and says not found when no record holds a stage.
func TestReadStages(t *testing.T) {
	var read []string
	value := func(r *Record) ([]byte, error) {
		read = append(read, r.ID)
		return []byte("value of " + r.ID), nil
	}
	var s Set
	_, err := s.ReadStages(value)
	assert.Equal(t, driver.CodeNotFound, Code(err), "no secret")

	s.Add(Record{ID: "1"}, false)
	s.Add(Record{ID: "2"}, false)
	s.Add(Record{ID: "3"}, false)
	got, err := s.ReadStages(value)
	require.NoError(t, err)
	assert.Equal(t, "3", got.Current.ID)
	assert.Equal(t, driver.StageCurrent, got.Current.Stage)
	assert.Equal(t, "value of 3", string(got.Current.Value))
	assert.Nil(t, got.Pending)
	assert.Equal(t, "2", got.Previous.ID)
	assert.Equal(t, []string{"3", "2"}, read, "the unstaged version's value is not read")
	for _, st := range []driver.Stage{driver.StageCurrent, driver.StagePrevious} {
		r, err := s.Select(driver.Selector{Stage: st})
		require.NoError(t, err)
		assert.Same(t, r, s.Holding(st))
	}

	boom := errors.New("disk on fire")
	_, err = s.ReadStages(func(*Record) ([]byte, error) { return nil, boom })
	assert.ErrorIs(t, err, boom)

	// A secret whose only version lost its stage exists, but holds none.
	var lone Set
	lone.Add(Record{ID: "p"}, true)
	_, err = lone.Retire("p")
	require.NoError(t, err)
	_, err = lone.ReadStages(value)
	assert.Equal(t, driver.CodeNotFound, Code(err))
	assert.True(t, lone.Exists())
}
