package azfake

// The JSON shapes of the Key Vault secrets REST API, written from its
// reference (api-version 7.x): times are Unix seconds, absent fields are
// omitted.

type attributesJSON struct {
	Enabled         *bool  `json:"enabled,omitempty"`
	NotBefore       *int64 `json:"nbf,omitempty"`
	Expires         *int64 `json:"exp,omitempty"`
	Created         *int64 `json:"created,omitempty"`
	Updated         *int64 `json:"updated,omitempty"`
	RecoveryLevel   string `json:"recoveryLevel,omitempty"`
	RecoverableDays *int32 `json:"recoverableDays,omitempty"`
}

// bundleJSON is a SecretBundle; Value is nil where the service leaves the
// value out (PATCH responses, lists, deleted secrets).
type bundleJSON struct {
	Value       *string           `json:"value,omitempty"`
	ID          string            `json:"id"`
	ContentType *string           `json:"contentType,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	Attributes  attributesJSON    `json:"attributes"`
}

type listJSON struct {
	Value    []bundleJSON `json:"value"`
	NextLink *string      `json:"nextLink"`
}

type deletedJSON struct {
	bundleJSON
	RecoveryID         string `json:"recoveryId"`
	DeletedDate        int64  `json:"deletedDate"`
	ScheduledPurgeDate int64  `json:"scheduledPurgeDate"`
}

// requestAttributes are the attributes a client may set.
type requestAttributes struct {
	Enabled   *bool  `json:"enabled"`
	NotBefore *int64 `json:"nbf"`
	Expires   *int64 `json:"exp"`
}

type setRequest struct {
	Value       *string            `json:"value"`
	ContentType *string            `json:"contentType"`
	Tags        map[string]string  `json:"tags"`
	Attributes  *requestAttributes `json:"attributes"`
}

// updateRequest is a PATCH body: a field that is absent is left alone, and
// tags, when present, replace all the version's tags.
type updateRequest struct {
	ContentType *string            `json:"contentType"`
	Tags        *map[string]string `json:"tags"`
	Attributes  *requestAttributes `json:"attributes"`
}

type errorJSON struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError *innerJSON `json:"innererror,omitempty"`
}

type innerJSON struct {
	Code string `json:"code"`
}
