// Command rotator keeps Snowflake programmatic access tokens fresh: it
// reads targets from YAML, logs in as an administrator by key pair, and
// runs the policy engine — once, or as a long-running loop.
//
//	rotator --config targets.yaml --dry-run   # print the plan, change nothing
//	rotator --config targets.yaml --once      # apply what is due and exit (cron, Kubernetes CronJob)
//	rotator --config targets.yaml             # run until SIGINT/SIGTERM
//
// Stores are given by URL in the targets: awssm://, gcpsm://, azkv://,
// vault://, file://. The administrator logs in with the SNOWFLAKE_*
// environment variables or flags (see -h). Logs are JSON lines on standard
// error and never contain a secret. With --pattest the program runs
// against an embedded emulator, creating the targets' users first, for a
// demonstration or a smoke test.
//
// Exit status: 0 success; 1 at least one target failed (--once) or was
// left blocked; 2 bad flags or configuration; 3 the administrator could
// not log in; 130 interrupted during --once. A loop stopped by SIGINT or
// SIGTERM exits 0.
package main
