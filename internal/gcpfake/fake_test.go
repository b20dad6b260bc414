package gcpfake_test

import (
	"context"
	"hash/crc32"
	"testing"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/internal/gcpfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

// latest, numbers and aliases resolve on the server; only enabled
// versions can be accessed; destroyed ones lose their payload for good.
func TestResolutionAndStates(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	sec := create(t, c)
	v1 := add(t, c, "one")
	add(t, c, "two")
	assert.Equal(t, secretName+"/versions/1", v1.Name)

	got, err := c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/latest"})
	require.NoError(t, err)
	assert.Equal(t, "two", string(got.Payload.Data))
	assert.Equal(t, secretName+"/versions/2", got.Name, "the response names the resolved version")
	assert.Equal(t, int64(crc32.Checksum([]byte("two"), crc32.MakeTable(crc32.Castagnoli))), got.Payload.GetDataCrc32C())

	sec.VersionAliases = map[string]int64{"current": 1}
	sec, err = c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"version_aliases"}}})
	require.NoError(t, err)
	got, err = c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/current"})
	require.NoError(t, err)
	assert.Equal(t, "one", string(got.Payload.Data))
	_, err = c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/pending"})
	assert.Equal(t, codes.NotFound, code(err))

	_, err = c.DisableSecretVersion(ctx, &secretmanagerpb.DisableSecretVersionRequest{Name: secretName + "/versions/1"})
	require.NoError(t, err)
	_, err = c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/current"})
	assert.Equal(t, codes.FailedPrecondition, code(err), "disabled versions cannot be accessed")
	_, err = c.EnableSecretVersion(ctx, &secretmanagerpb.EnableSecretVersionRequest{Name: secretName + "/versions/1"})
	require.NoError(t, err)

	d, err := c.DestroySecretVersion(ctx, &secretmanagerpb.DestroySecretVersionRequest{Name: secretName + "/versions/2"})
	require.NoError(t, err)
	assert.Equal(t, secretmanagerpb.SecretVersion_DESTROYED, d.State)
	assert.NotNil(t, d.DestroyTime)
	_, err = c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/2"})
	assert.Equal(t, codes.FailedPrecondition, code(err))
	_, err = c.EnableSecretVersion(ctx, &secretmanagerpb.EnableSecretVersionRequest{Name: secretName + "/versions/2"})
	assert.Equal(t, codes.FailedPrecondition, code(err), "destroyed is final")

	sec.VersionAliases = map[string]int64{"current": 2}
	_, err = c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"version_aliases"}}})
	assert.Equal(t, codes.FailedPrecondition, code(err), "an alias cannot name a destroyed version")
	_, err = c.GetSecretVersion(ctx, &secretmanagerpb.GetSecretVersionRequest{Name: secretName + "/versions/9"})
	assert.Equal(t, codes.NotFound, code(err))
}

// A stale etag is ABORTED (or FAILED_PRECONDITION, if asked) and changes
// nothing; every update changes the etag.
func TestEtags(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	sec := create(t, c)
	stale := sec.Etag
	sec.Annotations = map[string]string{"a": "1"}
	mask := &fieldmaskpb.FieldMask{Paths: []string{"annotations"}}
	updated, err := c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: mask})
	require.NoError(t, err)
	assert.NotEqual(t, stale, updated.Etag)

	sec.Annotations = map[string]string{"a": "2"}
	_, err = c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: mask})
	assert.Equal(t, codes.Aborted, code(err))
	srv.SetEtagCode(codes.FailedPrecondition)
	_, err = c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: mask})
	assert.Equal(t, codes.FailedPrecondition, code(err))
	got, err := c.GetSecret(ctx, &secretmanagerpb.GetSecretRequest{Name: secretName})
	require.NoError(t, err)
	assert.Equal(t, "1", got.Annotations["a"])

	v := add(t, c, "x")
	_, err = c.DisableSecretVersion(ctx, &secretmanagerpb.DisableSecretVersionRequest{Name: v.Name, Etag: `"stale"`})
	assert.Equal(t, codes.FailedPrecondition, code(err))
	_, err = c.DisableSecretVersion(ctx, &secretmanagerpb.DisableSecretVersionRequest{Name: v.Name, Etag: v.Etag})
	require.NoError(t, err)
	err = c.DeleteSecret(ctx, &secretmanagerpb.DeleteSecretRequest{Name: secretName, Etag: stale})
	assert.Equal(t, codes.FailedPrecondition, code(err))
	err = c.DeleteSecret(ctx, &secretmanagerpb.DeleteSecretRequest{Name: secretName})
	require.NoError(t, err)
	_, err = c.GetSecret(ctx, &secretmanagerpb.GetSecretRequest{Name: secretName})
	assert.Equal(t, codes.NotFound, code(err))
}

func TestValidation(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	sec := create(t, c)
	_, err := c.CreateSecret(ctx, &secretmanagerpb.CreateSecretRequest{Parent: "projects/p", SecretId: "s", Secret: sec})
	assert.Equal(t, codes.AlreadyExists, code(err))
	_, err = c.CreateSecret(ctx, &secretmanagerpb.CreateSecretRequest{Parent: "projects/p", SecretId: "a.b", Secret: sec})
	assert.Equal(t, codes.InvalidArgument, code(err))
	bad := int64(1)
	_, err = c.AddSecretVersion(ctx, &secretmanagerpb.AddSecretVersionRequest{Parent: secretName, Payload: &secretmanagerpb.SecretPayload{Data: []byte("x"), DataCrc32C: &bad}})
	assert.Equal(t, codes.InvalidArgument, code(err))
	big := make(map[string]string)
	for i := range 20 {
		big[string(rune('a'+i))] = string(make([]byte, 1000))
	}
	sec.Annotations = big
	_, err = c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"annotations"}}})
	assert.Equal(t, codes.InvalidArgument, code(err), "annotations total under 16 KiB")
	sec.VersionAliases = map[string]int64{"latest": 1}
	_, err = c.UpdateSecret(ctx, &secretmanagerpb.UpdateSecretRequest{Secret: sec, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"version_aliases"}}})
	assert.Equal(t, codes.InvalidArgument, code(err))
}

// Injected faults, the client's fast retry of AccessSecretVersion, holds
// and latency.
func TestFaults(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	create(t, c)
	add(t, c, "x")

	srv.FailNext("AccessSecretVersion", codes.Unavailable, "try again")
	_, err := c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/1"})
	require.NoError(t, err, "the client retries UNAVAILABLE on access")
	assert.Equal(t, 2, srv.Calls("AccessSecretVersion"))

	srv.FailNext("GetSecret", codes.PermissionDenied, "no")
	_, err = c.GetSecret(ctx, &secretmanagerpb.GetSecretRequest{Name: secretName})
	assert.Equal(t, codes.PermissionDenied, code(err))

	g := srv.Hold("GetSecret")
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, err := c.GetSecret(cctx, &secretmanagerpb.GetSecretRequest{Name: secretName})
		done <- err
	}()
	<-g.Arrived()
	cancel()
	assert.Equal(t, codes.Canceled, code(<-done))

	srv.SetLatency("", time.Minute)
	dctx, dcancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer dcancel()
	_, err = c.GetSecret(dctx, &secretmanagerpb.GetSecretRequest{Name: secretName})
	assert.Equal(t, codes.DeadlineExceeded, code(err))
	srv.SetLatency("", 0)

	_, err = c.RotateSecret(ctx, &secretmanagerpb.RotateSecretRequest{Parent: secretName})
	assert.Equal(t, codes.Unimplemented, code(err))
}

// ListenTCP serves the same secrets to a client that dials an address.
func TestListenTCP(t *testing.T) {
	srv, c := start(t)
	create(t, c)
	addr, err := srv.ListenTCP()
	require.NoError(t, err)
	assert.Contains(t, addr, "127.0.0.1:")
}

// A call carried out and then failed: the client's default call options
// do not retry AddSecretVersion, so the caller gets the error (UNAVAILABLE
// for a dropped connection, or the code queued) although the version
// exists. The connection comes back for the next call; faults can name
// one secret.
func TestFailAfterApply(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	create(t, c)
	add(t, c, "1")

	srv.FailAfterApply("AddSecretVersion", "projects/p/secrets/other", gcpfake.Applied{})
	add(t, c, "2") // not the faulted secret

	srv.FailAfterApply("AddSecretVersion", secretName, gcpfake.Applied{Drop: true})
	_, err := c.AddSecretVersion(ctx, &secretmanagerpb.AddSecretVersionRequest{
		Parent: secretName, Payload: &secretmanagerpb.SecretPayload{Data: []byte("3")},
	})
	assert.Equal(t, codes.Unavailable, code(err))

	srv.FailAfterApply("AddSecretVersion", "", gcpfake.Applied{Code: int(codes.Internal)})
	_, err = c.AddSecretVersion(ctx, &secretmanagerpb.AddSecretVersionRequest{
		Parent: secretName, Payload: &secretmanagerpb.SecretPayload{Data: []byte("4")},
	})
	assert.Equal(t, codes.Internal, code(err))

	srv.FailAfterApply("UpdateSecret", secretName, gcpfake.Applied{})
	srv.ClearFaults()
	n := 0
	for _, err := range c.ListSecretVersions(ctx, &secretmanagerpb.ListSecretVersionsRequest{Parent: secretName}).All() {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n, "both failed calls added their version")
	got, err := c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: secretName + "/versions/latest"})
	require.NoError(t, err)
	assert.Equal(t, "4", string(got.GetPayload().GetData()))
}
