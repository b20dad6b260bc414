package policy

import (
	"fmt"

	"github.com/snowpat/snowpat/secrets"
)

// checkTargets applies the rules every config's targets must follow, for
// both LoadConfig and Config.Validate, so the two cannot drift apart. ref
// names target i in messages (the loader adds its line); report receives
// each problem with the target's index and the field at fault ("" for the
// target as a whole).
func checkTargets(ts []Target, ref func(i int) string, report func(i int, field string, err error)) {
	type tokenKey struct{ account, user, token string }
	ids := map[string]int{}
	tokens := map[tokenKey]int{}
	stores := map[string]int{}
	for i, t := range ts {
		if err := t.Validate(); err != nil {
			report(i, "", err)
		}
		if j, dup := ids[t.ID()]; dup {
			field := ""
			if t.Name != "" {
				field = "name"
			}
			report(i, field, fmt.Errorf("duplicate target %s, first used by %s", quote(t.safeID()), ref(j)))
		} else {
			ids[t.ID()] = i
		}
		// Two targets on one token would each rotate it on their own
		// schedule, and each would invalidate the secret the other stored.
		k := tokenKey{t.Account, t.User, t.Token}
		if j, dup := tokens[k]; dup {
			report(i, "", fmt.Errorf("same account, user and token as %s: two targets would rotate one token", ref(j)))
		} else {
			tokens[k] = i
		}
		// A target owns TOKEN, TOKEN_BLUE and TOKEN_GREEN; another target
		// of the same user named like one of them would have its token
		// retired or revoked as part of the first one's family.
		for j := 0; j < i; j++ {
			o := ts[j]
			if o.Account == t.Account && o.User == t.User && o.Token != t.Token && (isGeneration(&o, t.Token) || isGeneration(&t, o.Token)) {
				report(i, "token", fmt.Errorf("token %s and %s's token %s overlap: a target owns TOKEN, TOKEN_BLUE and TOKEN_GREEN", quote(t.Token), ref(j), quote(o.Token)))
				break
			}
		}
		// A store URL names one secret; two targets writing it would
		// overwrite each other's token. Two spellings of one secret
		// (another case, a default region spelled out, a symlinked
		// directory) are one store.
		for _, s := range t.Stores {
			if j, dup := stores[storeIdentity(nil, s)]; dup && j != i {
				report(i, "stores", &causeError{fmt.Sprintf("store %s is also used by %s: the targets would overwrite each other's secret", quote(s), ref(j)), ErrSharedStore})
				break
			}
		}
		for _, s := range t.Stores {
			if _, dup := stores[storeIdentity(nil, s)]; !dup {
				stores[storeIdentity(nil, s)] = i
			}
		}
	}
}

func targetPath(i int, field string) string {
	p := fmt.Sprintf("targets[%d]", i)
	if field != "" {
		p += "." + field
	}
	return p
}

// storeIdentity is the identity of the secret a store URL names, by
// identify or else secrets.Identity: two URLs naming one secret have one
// identity. A URL whose identity cannot be computed (its adapter is not
// linked in, or it is malformed, which opening it reports) is its own.
func storeIdentity(identify func(string) (string, error), url string) string {
	if identify == nil {
		identify = secrets.Identity
	}
	if id, err := identify(url); err == nil {
		return id
	}
	return url
}
