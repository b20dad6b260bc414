package k8ssecret

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/internal/k8sfake"
)

// sent counts the requests of verb on Secrets the server has seen.
func sent(srv *k8sfake.Server, verb string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Resource == "secrets" && r.Verb == verb {
			n++
		}
	}
	return n
}

// What client-go v0.37's default REST client resends, as the package doc
// says: a request answered 429 or 5xx with a Retry-After of whole seconds,
// writes included, up to 10 times; nothing without one; a GET whose
// connection broke (and net/http before it, once, on a kept-alive
// connection), never a write.
func TestClientGoRetries(t *testing.T) {
	resend := k8sfake.Applied{RetryAfter: "0"}
	for _, c := range []struct {
		name  string
		verb  string
		a     k8sfake.Applied
		times int
		want  int // requests sent
	}{
		{"500 with Retry-After", "update", resend, 1, 2},
		{"429 with Retry-After", "update", k8sfake.Applied{Code: 429, RetryAfter: "0"}, 1, 2},
		{"503 with Retry-After", "update", k8sfake.Applied{Code: 503, RetryAfter: "0"}, 1, 2},
		{"create, 500 with Retry-After", "create", resend, 1, 2},
		{"three in a row", "update", resend, 3, 4},
		{"at most ten resends", "update", resend, 12, 11},
		{"500 without Retry-After", "update", k8sfake.Applied{}, 1, 1},
		{"504 without Retry-After", "update", k8sfake.Applied{Code: 504}, 1, 1},
		{"Retry-After as a date", "update", k8sfake.Applied{Code: 503, RetryAfter: "Fri, 31 Dec 1999 23:59:59 GMT"}, 1, 1},
		{"update dropped", "update", k8sfake.Applied{Drop: true}, 1, 1},
		{"create dropped", "create", k8sfake.Applied{Drop: true}, 1, 1},
		// net/http itself resends a GET once when a kept-alive connection
		// breaks before the answer; client-go resends one whose
		// connection broke after waiting a second, which the second case
		// takes.
		{"get dropped", "get", k8sfake.Applied{Drop: true}, 1, 2},
		{"get dropped twice", "get", k8sfake.Applied{Drop: true}, 2, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, nil)
			api := f.client.CoreV1().Secrets(testNS)
			obj := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: testName}}
			if c.verb != "create" {
				var err error
				obj, err = api.Create(ctx, obj, metav1.CreateOptions{})
				require.NoError(t, err)
			}
			for range c.times {
				f.srv.FailAfterApply(c.verb, "secrets", testNS, testName, c.a)
			}
			before := sent(f.srv, c.verb)
			var err error
			switch c.verb {
			case "create":
				_, err = api.Create(ctx, obj, metav1.CreateOptions{})
			case "update":
				obj.Data = map[string][]byte{"k": []byte("v")}
				_, err = api.Update(ctx, obj, metav1.UpdateOptions{})
			case "get":
				_, err = api.Get(ctx, testName, metav1.GetOptions{})
			}
			assert.Equal(t, c.want, sent(f.srv, c.verb)-before, "requests sent; the last answer: %v", err)
		})
	}
}
