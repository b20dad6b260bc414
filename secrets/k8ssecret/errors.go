package k8ssecret

import (
	"errors"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/coded"
	"github.com/snowpat/snowpat/secrets/internal/idem"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// decided is an error whose code the adapter decided: a Secret whose
// snowpat keys are damaged, a Secret too large to take another version,
// one that kept changing under a write.
func decided(code driver.ErrorCode, format string, args ...any) error {
	return coded.New("k8ssecret", code, nil, format, args...)
}

func invalidArg(format string, args ...any) error {
	return &secrets.Error{Op: "k8ssecret.New", Kind: secrets.ErrInvalidArgument, Err: decided(driver.CodeInvalidArgument, format, args...)}
}

// errorCode classifies an error by the API server's Status reason, then
// by its HTTP code.
func errorCode(err error) driver.ErrorCode {
	if c, ok := coded.Of(err); ok {
		return c
	}
	if c := versionset.Code(err); c != driver.CodeUnknown {
		return c
	}
	var st apierrors.APIStatus
	if !errors.As(err, &st) {
		if idem.IsTransport(err) {
			return driver.CodeUnavailable
		}
		return driver.CodeUnknown
	}
	switch apierrors.ReasonForError(err) {
	case metav1.StatusReasonNotFound:
		return driver.CodeNotFound
	case metav1.StatusReasonAlreadyExists:
		return driver.CodeAlreadyExists
	case metav1.StatusReasonConflict:
		return driver.CodeConflict
	case metav1.StatusReasonForbidden, metav1.StatusReasonUnauthorized:
		return driver.CodePermissionDenied
	case metav1.StatusReasonInvalid, metav1.StatusReasonBadRequest, metav1.StatusReasonRequestEntityTooLarge:
		return driver.CodeInvalidArgument
	case metav1.StatusReasonMethodNotAllowed, metav1.StatusReasonUnsupportedMediaType, metav1.StatusReasonNotAcceptable:
		return driver.CodeUnsupported
	}
	if c := st.Status().Code; c >= http.StatusInternalServerError || c == http.StatusTooManyRequests {
		return driver.CodeUnavailable // server errors, timeouts, throttling
	}
	return driver.CodeUnknown
}
