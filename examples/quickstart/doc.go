// Command quickstart walks the guide end to end on an embedded Snowflake
// emulator and a file-backed secret store in a temporary directory: create
// a service user, issue a role-restricted token and store it, show how
// Power BI, Tableau and Excel are configured with it, check its status,
// let the policy engine keep it fresh through a simulated year while a
// consumer keeps querying, and diagnose three broken tokens.
//
// It needs no network and no credentials:
//
//	go run ./examples/quickstart
package main
