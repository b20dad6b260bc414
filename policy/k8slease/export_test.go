package k8slease

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/snowpat/snowpat/policy"
)

var (
	metav1UpdateOptions = metav1.UpdateOptions{}
	metav1GetOptions    = metav1.GetOptions{}
)

// kill stops a grant's renewals without releasing its Lease, as the death
// of its process would.
func kill(l policy.Lock) {
	g := l.(*grant)
	g.stop()
	<-g.done
}
