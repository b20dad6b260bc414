package awssm

import (
	"context"
	"errors"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/snowpat/snowpat/secrets/driver"
	errs "github.com/snowpat/snowpat/secrets/internal/coded"
)

// coded makes an error whose code the adapter decided from context, not
// from the native error's type alone: the same ResourceExistsException
// means "the secret exists" to CreateSecret, which the adapter handles,
// and "this token was used with another value" to PutSecretValue, a
// conflict.
func coded(code driver.ErrorCode, err error, format string, args ...any) error {
	return errs.New("awssm", code, err, format, args...)
}

// errorCode classifies an error returned by the driver's methods.
func errorCode(err error) driver.ErrorCode {
	if code, ok := errs.Of(err); ok {
		return code
	}
	var (
		rnf *types.ResourceNotFoundException
		ree *types.ResourceExistsException
		ipe *types.InvalidParameterException
		ire *types.InvalidRequestException
		pnm *types.PreconditionNotMetException
		ise *types.InternalServiceError
		dec *types.DecryptionFailure
		enc *types.EncryptionFailure
		lim *types.LimitExceededException
	)
	switch {
	case errors.As(err, &rnf):
		return driver.CodeNotFound
	case errors.As(err, &ree):
		return driver.CodeAlreadyExists
	case errors.As(err, &ipe):
		return driver.CodeInvalidArgument
	case errors.As(err, &ire), errors.As(err, &pnm):
		// The request does not apply to the resource's state (a rotation
		// in progress, a policy prerequisite): re-read and decide. The
		// state "scheduled for deletion" is told apart where it arises.
		return driver.CodeConflict
	case errors.As(err, &dec), errors.As(err, &enc):
		// KMS refused the key: almost always a missing kms:Decrypt or
		// kms:GenerateDataKey grant.
		return driver.CodePermissionDenied
	case errors.As(err, &ise), errors.As(err, &lim):
		// LimitExceededException is a quota that frees up with time; the
		// SDK itself retries it as throttling.
		return driver.CodeUnavailable
	}
	if api, ok := errors.AsType[smithy.APIError](err); ok {
		return apiErrorCode(api.ErrorCode(), err)
	}
	return transportCode(err)
}

// apiErrorCode classifies the errors Secrets Manager shares with every AWS
// service, which the SDK does not model as types.
func apiErrorCode(code string, err error) driver.ErrorCode {
	switch code {
	case "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
		"InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationTokenException",
		"ExpiredTokenException", "SignatureDoesNotMatch":
		return driver.CodePermissionDenied
	case "ValidationException", "SerializationException":
		return driver.CodeInvalidArgument
	case "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "RequestTimeout",
		"RequestTimeoutException":
		return driver.CodeUnavailable
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool() {
		return driver.CodeUnavailable
	}
	return transportCode(err)
}

// transportCode classifies failures below the API: an HTTP 5xx or 429 the
// SDK could not decode, a connection that failed, a retry budget spent.
func transportCode(err error) driver.ErrorCode {
	if re, ok := errors.AsType[*smithyhttp.ResponseError](err); ok {
		if s := re.HTTPStatusCode(); s >= 500 || s == 429 {
			return driver.CodeUnavailable
		}
	}
	if _, ok := errors.AsType[*smithyhttp.RequestSendError](err); ok {
		return driver.CodeUnavailable
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return driver.CodeUnavailable
	}
	return driver.CodeUnknown
}

// scrub keeps native errors as they are, except those that could carry a
// response body, which may hold a secret value: a response that failed to
// decode is replaced by a plain message.
func scrub(err error) error {
	if _, ok := errors.AsType[*smithy.DeserializationError](err); ok {
		return coded(driver.CodeUnknown, nil, "a response from Secrets Manager could not be decoded")
	}
	return err
}

// fail prepares an error for returning: scrubbed, and matching the
// context's error when the context is done, so that a cancelled call is
// never mistaken for a failed one, whatever the SDK reported.
func fail(ctx context.Context, err error) error { return errs.Fail(ctx, scrub(err)) }

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}
