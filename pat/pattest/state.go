package pattest

import (
	"net/netip"
	"strings"
	"time"
)

// Limits and defaults from Snowflake's documentation of PATs.
const (
	maxTokensPerUser       = 15
	defaultExpiryDays      = 15
	maxExpiryDays          = 365
	defaultRotatedGraceHrs = 24
	expiredVisibleFor      = 30 * 24 * time.Hour
	maxBypassMinutes       = 1440
)

// Built-in roles and the part of Snowflake's system role hierarchy that
// user and PAT administration depends on.
var systemRoleChildren = map[string][]string{
	"ACCOUNTADMIN":  {"SECURITYADMIN", "SYSADMIN"},
	"SECURITYADMIN": {"USERADMIN"},
}

const (
	typePerson        = "PERSON"
	typeService       = "SERVICE"
	typeLegacyService = "LEGACY_SERVICE"
)

type user struct {
	name             string
	typ              string // "" means PERSON, as in Snowflake where TYPE is NULL by default
	defaultRole      string
	defaultWarehouse string
	comment          string
	rsaKeys          [2]string // base64 DER of the public keys, as set
	networkPolicy    string
	authPolicy       string
	disabled         bool
	password         string
	owner            string
	createdOn        time.Time
	roles            map[string]bool
	grants           map[string]grantRecord // when and by whom each role in roles was granted
	tokens           []*patRecord           // in creation order
}

// grantRecord is what SHOW GRANTS TO USER reports about a role grant.
type grantRecord struct {
	on time.Time
	by string
}

// hasRole reports whether u holds role. PUBLIC is granted to every user
// (the Terraform provider's live test restricts a token of a user with no
// grants to PUBLIC).
func (u *user) hasRole(role string) bool { return role == "PUBLIC" || u.roles[role] }

func (u *user) userType() string {
	if u.typ == "" {
		return typePerson
	}
	return u.typ
}

func (u *user) isService() bool {
	t := u.userType()
	return t == typeService || t == typeLegacyService
}

type patRecord struct {
	name            string
	user            *user
	roleRestriction string
	createdOn       time.Time
	expiresAt       time.Time
	disabled        bool
	comment         *string
	createdBy       string
	bypassMins      *int64
	bypassUntil     time.Time
	rotatedTo       string
	removed         bool
}

func (t *patRecord) status(now time.Time) string {
	switch {
	case !now.Before(t.expiresAt):
		return "EXPIRED"
	case t.disabled:
		return "DISABLED"
	default:
		return "ACTIVE"
	}
}

type role struct {
	name      string
	owner     string
	createdOn time.Time
}

type networkPolicy struct {
	name       string
	allowed    []netip.Prefix
	blocked    []netip.Prefix
	allowedRaw []string
	blockedRaw []string
	comment    string
}

// allows reports whether addr may connect under this policy: blocked entries
// win, and an empty allowed list admits every address not blocked.
func (n *networkPolicy) allows(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range n.blocked {
		if p.Contains(addr) {
			return false
		}
	}
	if len(n.allowed) == 0 {
		return true
	}
	for _, p := range n.allowed {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// patPolicy is an authentication policy's PAT_POLICY. The defaults are
// what DESCRIBE AUTHENTICATION POLICY shows for a policy created without
// one in the Terraform provider's live integration tests:
// {DEFAULT_EXPIRY_IN_DAYS=15, MAX_EXPIRY_IN_DAYS=365,
// NETWORK_POLICY_EVALUATION=ENFORCED_REQUIRED,
// REQUIRE_ROLE_RESTRICTION_FOR_SERVICE_USERS=true,
// REQUIRE_ROLE_RESTRICTION_FOR_PERSON_USERS=false, BLOCKED_ROLES_LIST=[]}.
type patPolicy struct {
	defaultExpiryDays     int64
	maxExpiryDays         int64
	networkEvaluation     string // ENFORCED_REQUIRED, ENFORCED_NOT_REQUIRED, NOT_ENFORCED
	requireRoleForService bool   // SERVICE and LEGACY_SERVICE users (release note 2025-11-19)
	requireRoleForPerson  bool   // PERSON users (release 10.15)
	blockedRoles          []string
}

func defaultPATPolicy() patPolicy {
	return patPolicy{defaultExpiryDays, maxExpiryDays, "ENFORCED_REQUIRED", true, false, nil}
}

// requiresRole reports whether a token of u must name a ROLE_RESTRICTION.
func (p patPolicy) requiresRole(u *user) bool {
	if u.isService() {
		return p.requireRoleForService
	}
	return p.requireRoleForPerson
}

// blocks reports whether role is in BLOCKED_ROLES_LIST.
func (p patPolicy) blocks(role string) bool {
	for _, r := range p.blockedRoles {
		if r == role {
			return true
		}
	}
	return false
}

type authPolicy struct {
	name      string
	methods   []string // nil: all methods allowed
	pat       patPolicy
	owner     string
	comment   string
	createdOn time.Time
}

func (a *authPolicy) allowsMethod(m string) bool {
	if a == nil || a.methods == nil {
		return true
	}
	for _, x := range a.methods {
		if strings.EqualFold(x, m) || strings.EqualFold(x, "ALL") {
			return true
		}
	}
	return false
}

// account is the whole emulated Snowflake account. It is guarded by
// Server.mu; nothing here locks.
type account struct {
	name              string
	users             map[string]*user
	roles             map[string]*role
	netPolicies       map[string]*networkPolicy
	authPolicies      map[string]*authPolicy
	accountNetPolicy  string
	accountAuthPolicy string
	// pamGrants[user][role]: MODIFY PROGRAMMATIC AUTHENTICATION METHODS.
	pamGrants map[string]map[string]bool
	// secrets maps every secret ever issued to its token, removed ones
	// included, so SYSTEM$DECODE_PAT can say what became of it.
	secrets map[string]*patRecord
}

func newAccount(name string, now time.Time) *account {
	a := &account{
		name:         name,
		users:        map[string]*user{},
		roles:        map[string]*role{},
		netPolicies:  map[string]*networkPolicy{},
		authPolicies: map[string]*authPolicy{},
		pamGrants:    map[string]map[string]bool{},
		secrets:      map[string]*patRecord{},
	}
	for _, r := range []string{"ACCOUNTADMIN", "SECURITYADMIN", "USERADMIN", "SYSADMIN", "PUBLIC"} {
		a.roles[r] = &role{name: r, owner: "ACCOUNTADMIN", createdOn: now}
	}
	return a
}

// effectiveRoles is the current role plus every role it inherits.
func effectiveRoles(current string) map[string]bool {
	out := map[string]bool{"PUBLIC": true}
	var walk func(r string)
	walk = func(r string) {
		if out[r] && r != "PUBLIC" {
			return
		}
		out[r] = true
		for _, c := range systemRoleChildren[r] {
			walk(c)
		}
	}
	walk(current)
	return out
}

// lookupUserForLogin finds a user by login name; Snowflake compares login
// names case-insensitively.
func (a *account) lookupUserForLogin(login string) *user {
	if u, ok := a.users[login]; ok {
		return u
	}
	if u, ok := a.users[strings.ToUpper(login)]; ok {
		return u
	}
	for name, u := range a.users {
		if strings.EqualFold(name, login) {
			return u
		}
	}
	return nil
}

// effectivePATPolicy is the user's authentication policy if set, else the
// account's, else Snowflake's defaults.
func (a *account) effectiveAuthPolicy(u *user) *authPolicy {
	if u != nil && u.authPolicy != "" {
		if p, ok := a.authPolicies[u.authPolicy]; ok {
			return p
		}
	}
	if p, ok := a.authPolicies[a.accountAuthPolicy]; ok {
		return p
	}
	return nil
}

func (a *account) patPolicyFor(u *user) patPolicy {
	if p := a.effectiveAuthPolicy(u); p != nil {
		return p.pat
	}
	return defaultPATPolicy()
}

// networkPolicyFor is the policy the user is subject to: its own, else the
// account's. nil means none.
func (a *account) networkPolicyFor(u *user) *networkPolicy {
	if u.networkPolicy != "" {
		if p, ok := a.netPolicies[u.networkPolicy]; ok {
			return p
		}
	}
	if p, ok := a.netPolicies[a.accountNetPolicy]; ok {
		return p
	}
	return nil
}

// purgeExpired drops tokens that expired more than the visibility window
// ago, as Snowflake stops listing them.
func (u *user) purgeExpired(now time.Time) {
	kept := u.tokens[:0]
	for _, t := range u.tokens {
		if now.Sub(t.expiresAt) >= expiredVisibleFor {
			t.removed = true
			continue
		}
		kept = append(kept, t)
	}
	for i := len(kept); i < len(u.tokens); i++ {
		u.tokens[i] = nil
	}
	u.tokens = kept
}

func (u *user) token(name string) *patRecord {
	for _, t := range u.tokens {
		if t.name == name {
			return t
		}
	}
	return nil
}

// countingTokens counts what the 15-token limit counts: everything listed
// except expired tokens.
func (u *user) countingTokens(now time.Time) int {
	n := 0
	for _, t := range u.tokens {
		if now.Before(t.expiresAt) {
			n++
		}
	}
	return n
}
