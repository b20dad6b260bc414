package k8ssecret

import (
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"

	"github.com/snowpat/snowpat/secrets/driver"
)

// fit makes the Secret to write fit Kubernetes' limits, or says why it
// cannot. Records of retired versions (no value, no stage) are history
// only; when the annotations outgrow their 256 KiB the oldest go, with
// their idempotency marks, as a destroyed version's do. Values are never
// dropped: a Secret whose readable versions pass 1 MiB is refused, and
// the caller retires or destroys versions.
func (sn *snapshot) fit(namespace, name string) (*corev1.Secret, error) {
	for {
		out := sn.render(namespace, name)
		size := 0
		for k, v := range out.Annotations {
			size += len(k) + len(v)
		}
		if size <= apivalidation.TotalAnnotationSizeLimitB {
			total := 0
			for _, v := range out.Data {
				total += len(v)
			}
			if total > corev1.MaxSecretSize {
				return nil, coded(driver.CodeInvalidArgument,
					"Secret %s/%s would hold %d bytes, over Kubernetes' limit of %d; retire or destroy old versions",
					namespace, name, total, corev1.MaxSecretSize)
			}
			return out, nil
		}
		if !sn.dropOldestRetired() {
			return nil, coded(driver.CodeInvalidArgument,
				"the annotations of Secret %s/%s would take %d bytes, over Kubernetes' limit of %d", namespace, name, size,
				apivalidation.TotalAnnotationSizeLimitB)
		}
	}
}

// dropOldestRetired forgets the oldest retired version's record and
// reports whether there was one.
func (sn *snapshot) dropOldestRetired() bool {
	for i, r := range sn.set.Records {
		if !r.Enabled && r.Stage == driver.StageNone {
			sn.set.Records = append(sn.set.Records[:i], sn.set.Records[i+1:]...)
			delete(sn.sums, r.ID)
			return true
		}
	}
	return false
}
