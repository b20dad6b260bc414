package awssm

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After a rotation the console shows what AWS's own rotation leaves:
// AWSCURRENT on the new version, AWSPREVIOUS on the old one, AWSPENDING
// gone, and older versions deprecated (no label) but still listed by the
// Store.
func TestConsoleLabelsAfterRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1, err := f.store.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	p, err := f.store.PutPending(ctx, []byte("p"), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{v1: {"AWSCURRENT"}, p: {"AWSPENDING"}}, f.labels(t))

	require.NoError(t, f.store.Promote(ctx, p))
	assert.Equal(t, map[string][]string{v1: {"AWSPREVIOUS"}, p: {"AWSCURRENT"}}, f.labels(t))

	p2, err := f.store.PutPending(ctx, []byte("p2"), nil)
	require.NoError(t, err)
	require.NoError(t, f.store.Promote(ctx, p2))
	assert.Equal(t, map[string][]string{p: {"AWSPREVIOUS"}, p2: {"AWSCURRENT"}}, f.labels(t))

	require.NoError(t, f.store.Retire(ctx, p))
	assert.Equal(t, map[string][]string{p2: {"AWSCURRENT"}}, f.labels(t))
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	assert.Len(t, vs, 3, "deprecated versions are still versions")
	old, err := f.store.ByID(ctx, v1)
	require.NoError(t, err, "AWS cannot disable: a retired version stays readable by id")
	assert.Equal(t, secrets.StageNone, old.Stage)
	assert.True(t, old.Enabled)

	// Rollback: the previous version becomes current again and AWS moves
	// AWSPREVIOUS to the version it replaced.
	require.NoError(t, f.store.Promote(ctx, p))
	assert.Equal(t, map[string][]string{p: {"AWSCURRENT"}, p2: {"AWSPREVIOUS"}}, f.labels(t))
}

// AWS makes the first version of a secret AWSCURRENT whatever the write
// asked for. A pending first write therefore carries both labels; the
// Store reports it as pending, with no current version, until Promote
// takes AWSPENDING off.
func TestPendingFirstVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, err := f.store.PutPending(ctx, []byte("first"), nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"AWSPENDING", "AWSCURRENT"}, f.labels(t)[p])

	v, err := f.store.ByStage(ctx, secrets.StagePending)
	require.NoError(t, err)
	assert.Equal(t, p, v.ID)
	_, err = f.store.Current(ctx)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	assert.ErrorIs(t, f.store.Retire(ctx, p), secrets.ErrConflict, "AWSCURRENT cannot be taken off")

	require.NoError(t, f.store.Promote(ctx, p))
	assert.Equal(t, map[string][]string{p: {"AWSCURRENT"}}, f.labels(t))
	v, err = f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, p, v.ID)
}

// A version carrying AWSPENDING and AWSCURRENT (what AWS's rotation
// leaves until it cleans up, or a promotion interrupted between its two
// calls) reads as current, and no version as pending; Promote finishes.
func TestStrongestLabelWins(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1, err := f.store.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	p, err := f.store.PutPending(ctx, []byte("p"), nil)
	require.NoError(t, err)
	_, err = f.client.UpdateSecretVersionStage(ctx, &secretsmanager.UpdateSecretVersionStageInput{
		SecretId: aws.String(f.name), VersionStage: aws.String("AWSCURRENT"), MoveToVersionId: aws.String(p), RemoveFromVersionId: aws.String(v1),
	})
	require.NoError(t, err)
	cur, err := f.store.Current(ctx)
	require.NoError(t, err)
	assert.Equal(t, p, cur.ID)
	_, err = f.store.ByStage(ctx, secrets.StagePending)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	require.NoError(t, f.store.Promote(ctx, p), "promoting what is current changes nothing readers see")
	assert.Equal(t, map[string][]string{v1: {"AWSPREVIOUS"}, p: {"AWSCURRENT"}}, f.labels(t), "and finishes the job")
}

func TestStageOf(t *testing.T) {
	for _, tc := range []struct {
		labels []string
		only   bool
		want   driver.Stage
	}{
		{nil, false, driver.StageNone},
		{[]string{"custom"}, false, driver.StageNone},
		{[]string{"AWSCURRENT"}, true, driver.StageCurrent},
		{[]string{"AWSPREVIOUS"}, false, driver.StagePrevious},
		{[]string{"AWSPREVIOUS", "AWSPENDING"}, false, driver.StagePending},
		{[]string{"AWSPENDING", "AWSCURRENT"}, false, driver.StageCurrent},
		{[]string{"AWSPENDING", "AWSCURRENT"}, true, driver.StagePending},
	} {
		assert.Equal(t, tc.want, stageOf(tc.labels, tc.only), "%v only=%t", tc.labels, tc.only)
	}
}

// A promotion that races with another writer is refused by AWS (its
// RemoveFromVersionId names a version that is no longer current),
// re-reads and promotes on top; a refusal no race explains is returned.
func TestPromoteRace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	p, err := f.store.PutPending(ctx, []byte("p"), nil)
	require.NoError(t, err)

	g := f.srv.Hold("UpdateSecretVersionStage")
	done := make(chan error)
	go func() { done <- f.store.Promote(ctx, p) }()
	<-g.Arrived()
	v2, err := f.store.Put(ctx, []byte("v2"), nil) // moves AWSCURRENT under the held call
	require.NoError(t, err)
	g.Release()
	require.NoError(t, <-done)
	assert.Equal(t, map[string][]string{v2: {"AWSPREVIOUS"}, p: {"AWSCURRENT"}}, f.labels(t))

	p2, err := f.store.PutPending(ctx, []byte("p2"), nil)
	require.NoError(t, err)
	f.srv.FailNext("UpdateSecretVersionStage", awsfake.ErrorOf("InvalidParameterException", "refused for another reason"))
	err = f.store.Promote(ctx, p2)
	assert.ErrorIs(t, err, secrets.ErrConflict)
	var ipe *types.InvalidParameterException
	assert.ErrorAs(t, err, &ipe)
	assert.Equal(t, []string{"AWSPENDING"}, f.labels(t)[p2], "nothing changed")
}
