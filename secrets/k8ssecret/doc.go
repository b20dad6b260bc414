// Package k8ssecret keeps a secret in a Kubernetes Secret behind the
// portable secrets.Store, through client-go, so that pods in the cluster
// get the PAT: a Go service through patconn, or any pod that mounts the
// Secret or reads it into an environment variable.
//
// # Overview
//
//	store, err := k8ssecret.New(clientset, "snowpat", "powerbi-pat")
//
// or, with the configuration kubectl would use, by URL:
//
//	import _ "github.com/snowpat/snowpat/secrets/k8ssecret"
//	store, err := secrets.OpenStore(ctx, "k8s://snowpat/powerbi-pat")
//
// # Layout
//
// One Secret holds the whole secret, so that every change is one update
// of one object, which Kubernetes applies atomically:
//
//	data.token                 the current version's value, byte for byte:
//	                           what consumers read (TokenKey)
//	data.snowpat.v<id>         the value of each readable version (current,
//	                           pending, previous, and older ones not yet
//	                           retired)
//	annotations.snowpat.io/versions
//	                           JSON: every version's id, stage, creation
//	                           time, enabled flag, metadata, and for writes
//	                           with an idempotency key two MACs keyed with it
//	                           (one to find the key, one of the value); no
//	                           value, and nothing to test guesses of one;
//	                           and the random marks of the latest 16
//	                           writes (see Retries)
//	labels.app.kubernetes.io/managed-by: snowpat
//
// Version ids are decimal ("1", "2", ...), counted in the annotation and
// never reused, also after Delete. Created is the writer's clock (UTC):
// Kubernetes keeps no time per data key. Metadata lives in the
// annotation's JSON, not in labels, so any string is kept as given, the
// empty one included (a label value could not hold most of them). Every other key, label and
// annotation of the Secret is left as it was, so the Secret may be
// created beforehand (empty), which is how RBAC can do without granting
// create; a Secret that already has a "token" or "snowpat.v…" key that
// snowpat did not write is refused with secrets.ErrInvalidArgument rather
// than overwritten.
//
// Reads are one GET of the Secret, and Store.Stages is one too: every
// stage, with its value, from one resourceVersion of the object.
//
// Retire disables a version and erases its value from the Secret (nothing
// may read a disabled version, and a leaked token should not linger);
// its record stays for List and idempotency. Destroy forgets the version
// altogether. Delete empties the Secret of snowpat's keys and versions
// but leaves the object, so that no delete permission is needed; the
// store then reports the secret as not found.
//
// Kubernetes limits a Secret's data to 1 MiB and its annotations to
// 256 KiB. A write that would pass 1 MiB of readable values is refused with
// secrets.ErrInvalidArgument (retire or destroy old versions); when the
// records outgrow the annotations, those of the oldest retired versions
// are dropped, with their idempotency marks, as a destroyed version's are.
//
// # Consumers
//
// A pod reads the current token under the fixed key "token". Mount it
// with items, so that only that key becomes a file:
//
//	volumes:
//	- name: snowflake-pat
//	  secret:
//	    secretName: powerbi-pat
//	    items: [{key: token, path: token}]
//
// A mounted Secret follows rotations: the kubelet refreshes the file
// (within its sync period, about a minute, plus its cache's TTL), so a
// consumer that rereads the file picks up the new token, and the grace
// period of the old one covers the delay. (A volume mounted with subPath
// is not refreshed.) An environment variable (env valueFrom secretKeyRef
// key token) is read once, when the container starts, and never follows a
// rotation: the pod keeps the old token until it restarts, and fails once
// that token is retired or expires. Do not use envFrom on the whole
// Secret, which would also export the other versions.
//
// # Compare-and-swap
//
// Supported, through resourceVersion. Every write reads the Secret,
// decides (the idempotency key, the precondition, the stage moves) on
// what it read, and updates it with that read's resourceVersion; if
// anyone changed the Secret in between, the API server refuses with 409
// Conflict, and the write starts again from a fresh read, up to 64 times
// before it reports secrets.ErrConflict. A precondition therefore holds
// at the instant of the write, and two writers never lose each other's
// versions. The first write creates the Secret; two racing creates are
// settled the same way by 409 AlreadyExists.
//
// # Retries
//
// client-go (v0.37, k8s.io/client-go/rest) resends a request by itself,
// whatever the client's configuration, in two cases:
//
//   - An answer 429 or 5xx that carries a Retry-After header in whole
//     seconds, writes included: it waits that long and sends the same
//     request again, up to 10 times (rest.Request's default MaxRetries,
//     which the typed clientset does not change; with
//     KUBE_CLIENT_BACKOFF_BASE and KUBE_CLIENT_BACKOFF_DURATION set it
//     may wait longer). The API server sends Retry-After with 429
//     (priority and fairness) and with 500 ServerTimeout, which is its
//     answer when etcd timed out on a create or update, one that may
//     well have committed (Retry-After: 2). A 5xx without Retry-After
//     (500 InternalError, 504 from the server's request timeout, a
//     proxy's 502 or 503) is not resent, nor is one whose Retry-After is
//     a date.
//   - A GET whose connection broke (reset, EOF, HTTP/2 connection lost),
//     after a second; never a create or update. (net/http also resends a
//     GET once by itself when a kept-alive connection breaks before the
//     answer.)
//
// A resent update carries the resourceVersion it was built on. If the
// server had carried out the first attempt, that version is gone and the
// resend is refused 409 Conflict (a resent create, 409 AlreadyExists),
// which looks exactly like another writer having got there first; and a
// write answered with a 5xx or a broken connection may or may not have
// been carried out. So every update the adapter sends carries a random
// mark of its own in the versions annotation, which keeps the marks of
// the latest 16 writes. After a 409 the write reads the Secret again, as
// it always did, and if the Secret carries the mark of one of its own
// updates, that update is the write's outcome: a Put or PutPending
// returns the version that update added, current or pending as asked,
// and a Destroy or Delete does not report its own work as not found,
// instead of deciding again on top of it. After any other server error
// or a broken connection it reads the Secret once more: if its mark is
// there the write succeeded; if not, the error is secrets.ErrUnavailable
// (a request the server is still processing, after a 504, may yet land).
// Retry such a write with the same idempotency key: that returns the
// version if it landed, and otherwise writes it once, since an update on
// a resourceVersion that another has moved past is refused. A write
// without a key never leaves two versions for one call; only the caller
// repeating it can.
//
// # Errors
//
// Errors are classified by the API server's Status reason: NotFound
// secrets.ErrNotFound, Conflict (after the retries) secrets.ErrConflict,
// Forbidden and Unauthorized secrets.ErrPermissionDenied, Invalid and
// BadRequest secrets.ErrInvalidArgument, server errors, timeouts,
// throttling and network failures secrets.ErrUnavailable. errors.As and
// Store.ErrorAs reach client-go's *apierrors.StatusError. Store.As reaches
// *kubernetes.Interface and *corev1client.SecretInterface. A Secret whose
// annotation was damaged by hand gives an error with no code.
//
// # URLs
//
// Importing k8ssecret registers the "k8s" scheme:
// "k8s://<namespace>/<name>", with an optional context=<name> naming a
// kubeconfig context. The configuration is what client-go's loading rules
// find, as kubectl does: the files in $KUBECONFIG, else ~/.kube/config,
// with the named or the current context; when there is no kubeconfig at
// all, the pod's service account (in-cluster configuration). Nothing else
// is accepted.
//
// # Permissions
//
// get and update on the Secret, which RBAC can limit by resourceNames
// (Rules); create on secrets as well if the Secret does not exist yet
// (CreateRule), which RBAC cannot limit by name.
package k8ssecret
