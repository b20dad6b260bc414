package secrets_test

import (
	"encoding/json"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
)

func TestStageText(t *testing.T) {
	for st, want := range map[secrets.Stage]string{
		secrets.StageNone: "none", secrets.StageCurrent: "current", secrets.StagePending: "pending", secrets.StagePrevious: "previous",
	} {
		assert.Equal(t, want, st.String())
		b, err := st.MarshalText()
		assert.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
	assert.Equal(t, "Stage(9)", secrets.Stage(9).String())
	_, err := json.Marshal(secrets.Stage(9))
	assert.Error(t, err)
}
