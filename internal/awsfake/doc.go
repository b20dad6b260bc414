// Package awsfake is an in-process AWS Secrets Manager for tests: an
// httptest server speaking the AWS JSON 1.1 protocol that the real
// aws-sdk-go-v2 secretsmanager client talks to through its BaseEndpoint.
//
// # Overview
//
// New starts a Server on loopback; NewClient returns an SDK client pointed
// at it with static credentials and a retryer without backoff, so that
// tests exercise the SDK's own serialisation, error decoding and retries
// without waiting. Close shuts the server down and closes the idle
// connections of the clients it made.
//
// The fake implements the operations secrets/awssm calls, written from
// the Secrets Manager API reference rather than from the adapter, so that
// it can catch the adapter's mistakes instead of sharing them:
// CreateSecret, PutSecretValue, GetSecretValue, UpdateSecretVersionStage,
// DescribeSecret, ListSecretVersionIds, ListSecrets, DeleteSecret,
// RestoreSecret, TagResource and UntagResource.
//
// # What it reproduces
//
//   - Staging labels: a label is on at most one version; attaching it moves
//     it; moving AWSCURRENT moves AWSPREVIOUS to the version it left; the
//     first version of a secret always gets AWSCURRENT, whatever
//     VersionStages asked for; AWSCURRENT can be moved but never removed;
//     moving or removing a label that sits on another version than
//     RemoveFromVersionId names fails with InvalidParameterException.
//   - ClientRequestToken: it becomes the version id; 32 to 64 characters;
//     reusing it with the same value does nothing (no label moves either),
//     with another value fails with ResourceExistsException. CreateSecret
//     on a name that exists fails with ResourceExistsException even when
//     its token and value repeat the secret's first version: the API
//     reference says such a request "is ignored" without saying what it
//     answers, and the fake takes the answer a client must handle anyway.
//   - Deprecation: versions without labels are listed only with
//     IncludeDeprecated, stay readable by id, and are purged once a secret
//     has more than 100 versions and they are older than 24 hours (by the
//     server's clock, which SetClock replaces).
//   - Deletion: DeleteSecret schedules deletion (7 to 30 days, 30 by
//     default) or, with ForceDeleteWithoutRecovery, deletes at once. A
//     secret scheduled for deletion refuses reads and writes with
//     InvalidRequestException, answers DescribeSecret with a DeletedDate,
//     keeps its name reserved (CreateSecret fails with
//     InvalidRequestException) and comes back with RestoreSecret.
//   - Wire details: errors as HTTP 400 (500 for InternalServiceError) with
//     a "__type" body, timestamps as epoch seconds with milliseconds, ARNs
//     with the six-character random suffix, tags.
//
// Requests must carry an AWS4-HMAC-SHA256 Authorization header; the
// signature itself is not checked.
//
// # Fault injection
//
// FailNext makes the next call of an operation fail with a given error
// (Throttling, InternalError, AccessDenied or any APIError); SetLatency
// delays every call of an operation; FailAfterApply lets the next call of
// an operation (for one secret, or any) take effect and then answers it
// with a 5xx or drops the connection, the lost answer the SDK's retryer
// resends; Hold parks the next call until the
// test releases it, for tests that cancel a request in flight without
// sleeping; Deny refuses every request naming a secret, as IAM does for a
// policy that leaves it out. Calls counts requests per operation, faulted
// ones included.
package awsfake
