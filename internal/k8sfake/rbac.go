package k8sfake

import (
	"fmt"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Authorize makes the server check every request against rules, as the
// RBAC authorizer checks the rules of the Roles bound to user (named in
// the refusals, as "system:serviceaccount:<ns>:<name>" for a service
// account); nil rules allow nothing. Rules apply in every namespace, as a
// Role's do in its own: tests use one namespace.
func (s *Server) Authorize(user string, rules []rbacv1.PolicyRule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authz, s.user, s.rules = true, user, slices.Clone(rules)
}

// authorize refuses a request no rule allows, with the Forbidden error the
// API server sends.
func (s *Server) authorize(req Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authz {
		return nil
	}
	for _, r := range s.rules {
		if ruleAllows(r, req) {
			return nil
		}
	}
	//lint:ignore ST1005 the RBAC authorizer's own words, capital letter included
	why := fmt.Errorf("User %q cannot %s resource %q in API group %q in the namespace %q", s.user, req.Verb, req.Resource, req.Group, req.Namespace)
	return apierrors.NewForbidden(schema.GroupResource{Group: req.Group, Resource: req.Resource}, req.Name, why)
}

// ruleAllows is RBAC's rule match: the verb, the group and the resource
// must each be listed (or "*"), and a rule with resourceNames matches only
// requests that name one of them, so never a create or a list.
func ruleAllows(r rbacv1.PolicyRule, req Request) bool {
	has := func(list []string, v string) bool {
		return slices.Contains(list, v) || slices.Contains(list, "*")
	}
	if !has(r.Verbs, req.Verb) || !has(r.APIGroups, req.Group) || !has(r.Resources, req.Resource) {
		return false
	}
	return len(r.ResourceNames) == 0 || (req.Name != "" && slices.Contains(r.ResourceNames, req.Name))
}
