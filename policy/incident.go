package policy

import (
	"strings"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// An incident is acted on exactly once. Declaring one (Target.Compromised
// with CompromisedAt or Incident) revokes every token of the target's
// family and issues a replacement whose comment carries the incident's
// marker; Snowflake keeps a token's comment through ROTATE, and the engine
// writes the marker on every token it adds while the flag is set, so the
// marker follows the replacement through later rotations. A target whose
// active token carries the marker of the declared incident has handled it;
// a new incident has a new identity, so its marker is absent and it acts
// again. Nothing else — a creation time, a partial revocation, a failed or
// lost ADD — counts as handled: until the marked replacement exists, the
// next pass revokes whatever the family holds and adds it again.

const markerPrefix = "[snowpat:incident="

// incidentID identifies the declared incident: Incident when given, else
// CompromisedAt in UTC to the second.
func (t Target) incidentID() string {
	if t.Incident != "" {
		return t.Incident
	}
	if t.CompromisedAt.IsZero() {
		return ""
	}
	return t.CompromisedAt.UTC().Format("20060102T150405Z")
}

// incidentMarker is the comment fragment that records the incident.
func (t Target) incidentMarker() string { return markerPrefix + t.incidentID() + "]" }

// newTokenComment is the comment of a token the engine adds.
func (t Target) newTokenComment() string {
	if !t.Compromised {
		return ""
	}
	return "snowpat: issued after incident " + t.incidentMarker()
}

// incidentHandled reports whether the declared incident has been acted on.
func incidentHandled(t *Target, active *pat.Token) bool {
	return active != nil && active.Status == pat.StatusActive && strings.Contains(active.Comment, t.incidentMarker())
}

// validIncidentID: letters, digits and ._:- , 1 to 64 of them, so the
// marker can sit in a Snowflake comment and a log line without quoting.
func validIncidentID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune("._:-", c):
		default:
			return false
		}
	}
	return true
}

// compromisedAtStamp renders an incident time for messages.
func compromisedAtStamp(t *Target) string {
	if t.CompromisedAt.IsZero() {
		return ""
	}
	return " (compromised at " + t.CompromisedAt.UTC().Format(time.RFC3339) + ")"
}
