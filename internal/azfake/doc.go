// Package azfake is an in-process Azure Key Vault secrets endpoint for
// tests: the real azsecrets client talks to it over TLS on loopback, so an
// adapter is tested through the SDK's own request building, challenge
// authentication, paging and error decoding.
//
// # Overview
//
// New starts a Server; Server.NewClient returns an *azsecrets.Client wired
// to it (the server's TLS certificate, a fake token credential, no
// retries). The fake is written from the Key Vault REST documentation, not
// from any adapter, so that it can catch an adapter's wrong assumptions
// rather than share them.
//
// # What it reproduces
//
//   - The challenge flow: a request without a bearer token (the client's
//     first, sent without its body) gets 401 with a WWW-Authenticate
//     header naming the tenant and https://vault.azure.net; the client then
//     resends with a token. Any bearer token is accepted.
//   - Secrets and their versions: PUT /secrets/{name} creates a version
//     with a random 32-hex-digit id; GET /secrets/{name}/ returns the newest
//     version whatever its state, and 403 Forbidden (inner code
//     SecretDisabled) when that version, or any version read by id, is
//     disabled; PATCH /secrets/{name}/{version} updates contentType, tags
//     and the enabled, nbf and exp attributes. nbf and exp are recorded,
//     never enforced, as on the service. Names are 1 to 127 of 0-9, a-z,
//     A-Z and '-', compared without regard to case.
//   - Service limits: values up to 25 KiB, 15 tags, tag values of 256
//     characters, content types of 255. An empty tag value is refused
//     with 400 BadParameter: no Microsoft document says whether Key Vault
//     accepts one (the REST reference types tags as a map of strings and
//     states no minimum), and users report secret writes failing on one
//     (hashicorp/terraform-provider-azurerm#7609), so the fake takes the
//     stricter reading and an adapter must not send one.
//   - GET /secrets/{name}/versions in pages (25 by default, at most
//     maxresults) with an absolute nextLink, in an order that is not
//     creation order, as the service's is not.
//   - Soft delete: DELETE /secrets/{name} returns the deleted-secret bundle
//     and keeps the name reserved (PUT gets 409 Conflict, inner code
//     ObjectIsDeletedButRecoverable) until DELETE /deletedsecrets/{name}
//     purges it or POST /deletedsecrets/{name}/recover restores it; GET
//     /deletedsecrets/{name} reads it.
//   - Errors in the service's shape: {"error":{"code":…,"message":…,
//     "innererror":{"code":…}}}.
//
// # Faults
//
// FailNext makes the next call of an operation fail with a given status
// and code; FailAfterApply lets it take effect and then answers it with a
// 5xx or drops the connection (DropNext for short), the lost answer that
// azcore's retry policy resends;
// SetLatency delays calls; Hold parks a call until the test releases it,
// so that tests can act while a request is in flight without sleeping.
// Calls counts authenticated calls per operation.
package azfake
