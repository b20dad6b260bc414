// Package kubernetes holds deployable manifests for running the rotator
// (examples/rotator) on Kubernetes, and the test that keeps them honest:
// every manifest decodes strictly into the Kubernetes API types, and the
// Role grants exactly what the Lease locker (policy/k8slease) and the
// Secret store (secrets/k8ssecret) use for the targets in the ConfigMap.
// See README.md.
//
//	rbac.yaml        ServiceAccount, Role, RoleBinding
//	config.yaml      ConfigMaps (targets, administrator login), the empty Secrets
//	deployment.yaml  two replicas sharing the targets through Leases
//	cronjob.yaml     one pass an hour with --once
//	Dockerfile       the image they run
package kubernetes
