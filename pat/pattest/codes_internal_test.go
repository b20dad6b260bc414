package pattest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNoInventedCodes: every refusal the emulator can answer with carries
// a code Snowflake itself uses (issue 15 item 11): the former 394401–394408
// are gone.
func TestNoInventedCodes(t *testing.T) {
	generic := map[string]bool{CodeSyntax: true, CodeInvalidValue: true, CodeAlreadyExists: true,
		CodeDoesNotExist: true, CodeInsufficientPrivs: true}
	for _, e := range []*Error{
		errTokenLimit("U"), errNetworkPolicyRequired("U"), errRoleRestrictionRequired("SERVICE"),
		errRoleBlocked("R"), errPATSession(), errRotated("T"), errRoleNotGranted("R", "U"),
		errRoleRestricted("R"), errExpiredToken("T"), errPATNotFound("T"),
	} {
		assert.True(t, generic[e.Code], "%s uses %s", e.Message, e.Code)
	}
	assert.Equal(t, "Programmatic access token T not found", errPATNotFound("T").Message)
}
