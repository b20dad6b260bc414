package awsfake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	"github.com/snowpat/snowpat/internal/awsfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The SDK retries throttling and server errors; FastRetryer makes that
// instant, and Calls shows every attempt.
func TestRetriedFaults(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	_, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("f"), SecretString: aws.String("v")})
	require.NoError(t, err)

	srv.FailNext("GetSecretValue", awsfake.Throttling())
	srv.FailNext("GetSecretValue", awsfake.InternalError())
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("f")})
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Calls("GetSecretValue"))

	for range 3 {
		srv.FailNext("GetSecretValue", awsfake.Throttling())
	}
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("f")})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ThrottlingException", api.ErrorCode())

	srv.FailNext("GetSecretValue", awsfake.InternalError())
	srv.FailNext("GetSecretValue", awsfake.InternalError())
	srv.FailNext("GetSecretValue", awsfake.InternalError())
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("f")})
	var ise *types.InternalServiceError
	require.ErrorAs(t, err, &ise)

	srv.FailNext("GetSecretValue", awsfake.AccessDenied())
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("f")})
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "AccessDeniedException", api.ErrorCode())
}

// Hold parks a call so that a test can cancel it in flight; SetLatency
// outlasts a short deadline.
func TestHoldAndLatency(t *testing.T) {
	srv, c := start(t)
	g := srv.Hold("DescribeSecret")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := c.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("x")})
		done <- err
	}()
	<-g.Arrived()
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)

	srv.SetLatency("", time.Minute)
	dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer dcancel()
	_, err := c.DescribeSecret(dctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("x")})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	srv.SetLatency("", 0)

	g = srv.Hold("DescribeSecret")
	go func() {
		_, err := c.DescribeSecret(context.Background(), &secretsmanager.DescribeSecretInput{SecretId: aws.String("x")})
		done <- err
	}()
	<-g.Arrived()
	g.Release()
	var rnf *types.ResourceNotFoundException
	assert.True(t, errors.As(<-done, &rnf), "a released call proceeds")
}

// The wire format: a signature is required, errors carry __type, and
// timestamps are epoch seconds.
func TestWire(t *testing.T) {
	srv, c := start(t)
	_, err := c.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: aws.String("w"), SecretString: aws.String("v")})
	require.NoError(t, err)

	call := func(op string, body any, signed bool) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/", bytes.NewReader(b))
		req.Header.Set("X-Amz-Target", "secretsmanager."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		if signed {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=00")
		}
		resp, err := srv.HTTPClient().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp.StatusCode, out
	}
	status, out := call("DescribeSecret", map[string]string{"SecretId": "w"}, false)
	assert.Equal(t, http.StatusForbidden, status)
	assert.Equal(t, "MissingAuthenticationTokenException", out["__type"])

	status, out = call("DescribeSecret", map[string]string{"SecretId": "nope"}, true)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "ResourceNotFoundException", out["__type"])

	status, out = call("DescribeSecret", map[string]string{"SecretId": "w"}, true)
	assert.Equal(t, http.StatusOK, status)
	created, ok := out["CreatedDate"].(float64)
	require.True(t, ok, "CreatedDate is a number")
	assert.InDelta(t, float64(time.Now().Unix()), created, 60)

	status, out = call("NoSuchOperation", map[string]string{}, true)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "UnknownOperationException", out["__type"])
}

// Deny refuses every request naming the secret, by name or ARN, as IAM
// would; Allow lifts it.
func TestDeny(t *testing.T) {
	srv, c := start(t)
	ctx := context.Background()
	out, err := c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("locked"), SecretString: aws.String("v")})
	require.NoError(t, err)
	srv.Deny("locked")
	var api smithy.APIError
	for _, id := range []*string{aws.String("locked"), out.ARN} {
		_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: id})
		require.ErrorAs(t, err, &api)
		assert.Equal(t, "AccessDeniedException", api.ErrorCode())
	}
	_, err = c.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("open"), SecretString: aws.String("v")})
	require.NoError(t, err, "other secrets are unaffected")
	srv.Allow("locked")
	_, err = c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("locked")})
	require.NoError(t, err)
}

// A call carried out and then failed is resent by the SDK's retryer with
// the same ClientRequestToken, whether the caller set it or the SDK
// filled it in (its token middleware runs once, before the retry loop):
// the retry is a no-op and the secret has one version. The fault can
// name one secret and leave the others alone.
func TestFailAfterApply(t *testing.T) {
	for _, c := range []struct {
		name  string
		fault awsfake.Applied
		tok   *string
	}{
		{"500, token set", awsfake.Applied{}, token("set")},
		{"503, token filled by the SDK", awsfake.Applied{Code: http.StatusServiceUnavailable}, nil},
		{"dropped connection", awsfake.Applied{Drop: true}, token("drop")},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, cl := start(t)
			ctx := context.Background()
			_, err := cl.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("v1")})
			require.NoError(t, err)
			_, err = cl.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("other"), SecretString: aws.String("o1")})
			require.NoError(t, err)
			srv.FailAfterApply("PutSecretValue", "s", c.fault)
			srv.ResetCalls()

			_, err = cl.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("other"), SecretString: aws.String("o2")})
			require.NoError(t, err, "another secret's write is not faulted")
			assert.Equal(t, 1, srv.Calls("PutSecretValue"))

			out, err := cl.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String("s"), ClientRequestToken: c.tok, SecretString: aws.String("v2")})
			require.NoError(t, err)
			assert.Equal(t, 3, srv.Calls("PutSecretValue"), "the faulted call and the SDK's retry")
			st := stages(t, cl, "s")
			assert.Len(t, st, 2, "the retry wrote nothing: %v", st)
			assert.Equal(t, []string{"AWSCURRENT"}, st[*out.VersionId])
		})
	}
}

// A fault outlasting the SDK's attempts reaches the caller, although the
// first attempt took effect; ClearFaults drops the ones no call took.
func TestFailAfterApplyExhaustsRetries(t *testing.T) {
	srv, cl := start(t)
	ctx := context.Background()
	for range 4 {
		srv.FailAfterApply("CreateSecret", "", awsfake.Applied{Code: http.StatusBadGateway})
	}
	_, err := cl.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("n"), ClientRequestToken: token("create"), SecretString: aws.String("v")})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ServiceUnavailable", api.ErrorCode())
	assert.Equal(t, 3, srv.Calls("CreateSecret"), "FastRetryer(3) makes three attempts")
	srv.ClearFaults()

	// The first attempt made the secret. A CreateSecret repeating its
	// token and value is refused as an existing name: the fake's
	// conservative reading of "the request is ignored" (see the package
	// documentation).
	_, err = cl.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String("n"), ClientRequestToken: token("create"), SecretString: aws.String("v")})
	var exists *types.ResourceExistsException
	require.ErrorAs(t, err, &exists)
	assert.Len(t, stages(t, cl, "n"), 1)
}
