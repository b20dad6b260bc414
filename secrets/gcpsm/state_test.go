package gcpsm

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

func TestRanges(t *testing.T) {
	var r ranges
	for _, n := range []int64{5, 3, 4, 9, 1, 4} {
		r = r.add(n)
	}
	assert.Equal(t, "1,3-5,9", r.String())
	back, err := parseRanges(r.String())
	require.NoError(t, err)
	assert.Equal(t, r, back)
	assert.True(t, back.has(4))
	assert.False(t, back.has(2))
	for _, bad := range []string{"x", "0", "3-1", "1-", "-", "1,,2"} {
		_, err := parseRanges(bad)
		assert.Error(t, err, bad)
	}
}

// When records outgrow GCP's 16 KiB of annotations, those of the oldest
// unstaged versions are dropped (the versions stay); metadata that cannot
// fit even so is refused, and the refused write leaves nothing behind.
func TestAnnotationBudget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	md := map[string]string{}
	for i := range 15 {
		md[fmt.Sprintf("k%02d", i)] = strings.Repeat("x", 200)
	}
	var ids []string
	for range 6 {
		id, err := f.store.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: md})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	vs, err := f.store.List(ctx)
	require.NoError(t, err)
	require.Len(t, vs, 6, "versions are never dropped, nor hidden")
	assert.Empty(t, vs[0].Metadata, "the oldest unstaged version's record went")
	assert.True(t, maps.Equal(md, vs[5].Metadata), "the current version keeps its metadata")
	assert.True(t, maps.Equal(md, vs[4].Metadata), "so does the previous one")
	assert.Equal(t, "1", f.secret(t).Annotations["snowpat.pruned"][:1])
	_, err = f.store.ByID(ctx, ids[0])
	require.NoError(t, err, "a pruned version stays readable")

}

// Someone else's annotations can leave too little room: metadata that
// cannot fit even with every unstaged record dropped is refused, and the
// refused write leaves nothing visible behind.
func TestAnnotationBudgetExceeded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	sec := f.secret(t)
	sec.Annotations["big"] = strings.Repeat("z", 8<<10)
	_, err = f.client.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"annotations"}}})
	require.NoError(t, err)
	md := map[string]string{}
	for i := range 15 {
		md[fmt.Sprintf("k%02d", i)] = strings.Repeat("x", 200)
	}
	for range 2 {
		_, err = f.store.Put(ctx, []byte("v"), &secrets.PutOptions{Metadata: md})
		require.NoError(t, err)
	}
	before, err := f.store.List(ctx)
	require.NoError(t, err)
	_, err = f.store.PutPending(ctx, []byte("p"), &secrets.PutOptions{Metadata: md})
	assert.ErrorIs(t, err, secrets.ErrInvalidArgument)
	after, err := f.store.List(ctx)
	require.NoError(t, err)
	assert.Len(t, after, len(before))
}

// Annotations snowpat did not write survive its updates; hand-edited
// snowpat annotations are reported, not guessed at.
func TestForeignAnnotations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("v"), nil)
	require.NoError(t, err)
	sec := f.secret(t)
	sec.Annotations["team"] = "bi"
	_, err = f.client.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"annotations"}}})
	require.NoError(t, err)
	_, err = f.store.Put(ctx, []byte("w"), nil)
	require.NoError(t, err)
	assert.Equal(t, "bi", f.secret(t).Annotations["team"])

	sec = f.secret(t)
	sec.Annotations["snowpat.retired"] = "garbage"
	_, err = f.client.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"annotations"}}})
	require.NoError(t, err)
	_, err = f.store.Current(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "edited by hand")
}

func TestRecordTimes(t *testing.T) {
	f := newFixture(t)
	fixed := time.Date(2025, 3, 1, 10, 0, 0, 123456789, time.UTC)
	f.srv.SetClock(func() time.Time { return fixed })
	id, err := f.store.Put(context.Background(), []byte("v"), nil)
	require.NoError(t, err)
	v, err := f.store.ByID(context.Background(), id)
	require.NoError(t, err)
	assert.True(t, v.Created.Equal(fixed), "Get reports the server's creation time: %s", v.Created)
	vs, err := f.store.List(context.Background())
	require.NoError(t, err)
	assert.True(t, vs[0].Created.Equal(fixed))
}
