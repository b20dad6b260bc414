// Package k8sfake is an in-process Kubernetes API server for tests: it
// speaks the real REST shapes for the two resources snowpat uses, Secrets
// (core/v1) and Leases (coordination.k8s.io/v1), so that client-go's real
// REST client, and everything built on it, runs end to end against it.
//
// # Overview
//
// A Server holds the objects. Each client gets its own Link, a loopback
// HTTP server onto the shared state, so that a test can cut one replica off
// (Link.Hook) while the others keep talking:
//
//	srv := k8sfake.New()
//	a, b := srv.Link(), srv.Link()
//	defer a.Close(); defer b.Close()
//	clientA, clientB := a.Clientset(), b.Clientset()
//
// # What it does as Kubernetes does
//
//   - get, create and update by name in a namespace, under
//     /api/v1/namespaces/{ns}/secrets and
//     /apis/coordination.k8s.io/v1/namespaces/{ns}/leases.
//   - resourceVersion is one counter for the whole server, as etcd's
//     revision is; every write that changes an object gives it the next
//     one. An update that names a resourceVersion other than the stored one
//     is refused with 409 Conflict ("the object has been modified"); an
//     update that changes nothing keeps the resourceVersion and writes
//     nothing, as the real server does.
//   - Creating an existing name is 409 AlreadyExists; getting or updating a
//     missing one is 404 NotFound; the errors are metav1.Status bodies made
//     with k8s.io/apimachinery's own constructors, so client-go's
//     apierrors.IsConflict and friends see what a real server sends.
//   - Validation the real server applies to these fields: names are DNS-1123
//     subdomains, Secret data keys are [-._a-zA-Z0-9]+, Secret data is at
//     most 1 MiB and annotations at most 256 KiB in all (422 Invalid);
//     stringData is merged into data on every write; an immutable Secret's
//     data and any Secret's type cannot change; a namespace or name in the
//     body that differs from the URL is 400 BadRequest; a lease duration is
//     positive.
//   - RBAC (Server.Authorize): with rules set, every request is checked as
//     the RBAC authorizer checks a Role's rules — verb, API group,
//     resource, and resourceNames, which never match a create — and refused
//     with 403 Forbidden in the real message's words.
//
// # Faults
//
// Link.Hook fails or stalls a request before it reaches the server (a
// partition, a stalled network). Server.FailAfterApply does the one
// fault that makes client retries dangerous: the server carries a
// request out (the Secret really changes, its resourceVersion moves on)
// and then, instead of answering, fails with a server error, with or
// without Retry-After, or drops the connection; once or several times in
// a row, per verb, resource, namespace and name. The error bodies are
// the Statuses the real server sends for each code, and, as the real
// server does, any Status with retryAfterSeconds carries a Retry-After
// header: the header client-go needs before it resends.
//
// # Where it is conservative
//
//   - An update without a resourceVersion is refused with 409 Conflict.
//     Kubernetes accepts such unconditional updates for some resources;
//     nothing snowpat does should rely on them, so the fake refuses.
//   - A resourceVersion given on create is 400 BadRequest.
//   - list, watch, patch, delete and every other resource are answered 405
//     or 404: snowpat uses none of them, so a call to one is a bug to see.
//   - Protobuf (which client-go sends and prefers for built-in types) and
//     JSON are spoken, the response in the first the Accept header lists;
//     a CBOR body is 415 Unsupported Media Type.
//   - managedFields, generation and finalizers are not kept.
package k8sfake
