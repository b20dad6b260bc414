package k8slease

import (
	rbacv1 "k8s.io/api/rbac/v1"
)

// Group and Resource are the API group and resource of the Leases.
const (
	Group    = "coordination.k8s.io"
	Resource = "leases"
)

// Rules returns the RBAC rules a Locker with the given prefix needs to
// guard keys: create on leases (RBAC cannot limit create by name; a Lease
// is created the first time its key is locked), and get and update on the
// keys' Leases, by name. With no keys the second rule is not limited by
// name. These are the only verbs the Locker sends.
func Rules(prefix string, keys ...string) []rbacv1.PolicyRule {
	var names []string
	for _, k := range keys {
		names = append(names, LeaseName(prefix, k))
	}
	return []rbacv1.PolicyRule{
		{APIGroups: []string{Group}, Resources: []string{Resource}, Verbs: []string{"create"}},
		{APIGroups: []string{Group}, Resources: []string{Resource}, Verbs: []string{"get", "update"}, ResourceNames: names},
	}
}
