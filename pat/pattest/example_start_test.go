package pattest_test

import (
	"context"
	"testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
)

// A test of a program that logs in with a PAT: the emulator, an
// administrator's connection and a service user with its token in three
// lines, all gone when the test ends. (An Example cannot be given a
// *testing.T: this one shows the test, which TestExamples runs.)
func ExampleStart() {
	testLogin := func(t *testing.T) {
		srv := pattest.Start(t)
		svc := srv.NewServiceUser("powerbi_service")

		// The connection your program would make, from its configuration.
		cfg := srv.Config(svc.Name, pattest.PAT(svc.Secret))
		if err := pat.Verify(context.Background(), *cfg, svc.Name, pat.NewSecret(svc.Secret)); err != nil {
			t.Fatalf("the service user cannot log in: %v", err)
		}

		// The administrator sees the token, as SHOW USER PROGRAMMATIC
		// ACCESS TOKENS lists it.
		toks, err := pat.NewClient(srv.Admin()).List(context.Background(), svc.Name)
		if err != nil || len(toks) != 1 || toks[0].Name != svc.Token {
			t.Fatalf("tokens of %s: %v %v", svc.Name, toks, err)
		}
	}
	exampleTests["Start"] = testLogin
}

// exampleTests are the tests the Examples show, by Example.
var exampleTests = map[string]func(*testing.T){}

// The tests the Examples show pass.
func TestExamples(t *testing.T) {
	ExampleStart()
	for name, test := range exampleTests {
		t.Run(name, test)
	}
}
