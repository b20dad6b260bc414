package k8ssecret

import (
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
)

// Rules returns the RBAC rules a Store needs on the named Secrets of its
// namespace: get and update, limited to those names. These are the only
// verbs the Store sends for a Secret that exists, Delete included (it
// empties the Secret rather than deleting the object).
func Rules(names ...string) []rbacv1.PolicyRule {
	return []rbacv1.PolicyRule{{
		APIGroups:     []string{""},
		Resources:     []string{"secrets"},
		Verbs:         []string{"get", "update"},
		ResourceNames: slices.Clone(names),
	}}
}

// CreateRule is what a Store needs as well when its Secret does not exist
// yet and the first write must create it. RBAC cannot limit create to
// names, and creating Secrets in a namespace lets one mint tokens for its
// service accounts, so create the Secrets beforehand (empty) instead, as
// the examples under examples/kubernetes do.
func CreateRule() rbacv1.PolicyRule {
	return rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"create"}}
}
