// Command rotator keeps Snowflake programmatic access tokens fresh: it
// reads targets from YAML, logs in as an administrator by key pair, and
// runs the policy engine — once, or as a long-running loop.
//
//	rotator --config targets.yaml --dry-run   # print the plan, change nothing
//	rotator --config targets.yaml --once      # apply what is due and exit (cron, Kubernetes CronJob)
//	rotator --config targets.yaml             # run until SIGINT/SIGTERM
//
// Stores are given by URL in the targets: awssm://, gcpsm://, azkv://,
// vault://, file://, k8s:// (a Kubernetes Secret). The administrator logs in with the SNOWFLAKE_*
// environment variables or flags (see -h). Logs are JSON lines on standard
// error and never contain a secret. With --pattest the program runs
// against an embedded emulator, creating the targets' users first, for a
// demonstration or a smoke test.
//
// On Kubernetes (see examples/kubernetes), replicas share the targets
// through one Lease per target, and the program serves probes and metrics:
//
//	rotator --config targets.yaml --locker k8s-lease --listen :8080
//
// --locker k8s-lease finds the cluster as kubectl does (--kubeconfig,
// else $KUBECONFIG or ~/.kube/config, with --kube-context or the current
// context; with no kubeconfig, the pod's service account), so the same
// command runs from a laptop against a cluster:
//
//	go run ./examples/rotator --config targets.yaml --once \
//	    --locker k8s-lease --kube-context my-cluster --lease-namespace snowpat
//
// The Leases live in --lease-namespace (default the context's namespace,
// or the pod's), are named --lease-prefix plus the target's name, and name
// their holder by --identity (default $POD_NAME, else the host name).
// --listen serves /healthz (liveness), /readyz (ready once the
// administrator has logged in; not while shutting down) and /metrics (the
// engine's OpenTelemetry metrics through the Prometheus exporter).
//
// Exit status: 0 success; 1 at least one target failed (--once) or was
// left blocked; 2 bad flags or configuration; 3 the administrator could
// not log in; 130 interrupted during --once. A loop stopped by SIGINT or
// SIGTERM exits 0.
package main
