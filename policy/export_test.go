package policy

// Comparable is d as Evaluate and EvaluateTo must agree on it: every field
// that says something, the unexported ones included, but not the strings
// EvaluateTo keeps only to reuse them, and with empty slices as nil (a
// reused decision keeps its arrays).
func Comparable(d Decision) Decision {
	d.built, d.verifyWhy, d.verifyUser = nil, "", ""
	if len(d.Steps) == 0 {
		d.Steps = nil
	}
	if len(d.Findings) == 0 {
		d.Findings = nil
	}
	if len(d.storeErrs) == 0 {
		d.storeErrs = nil
	}
	return d
}

// IdempotencyKey is the key a store write of value for user is made with.
var IdempotencyKey = idempotencyKey
