package k8ssecret

import (
	"encoding/json"

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
				return nil, decided(driver.CodeInvalidArgument,
					"Secret %s/%s would hold %d bytes, over Kubernetes' limit of %d; retire or destroy old versions",
					namespace, name, total, corev1.MaxSecretSize)
			}
			return out, nil
		}
		if !sn.dropOldestRetired(size - apivalidation.TotalAnnotationSizeLimitB) {
			return nil, decided(driver.CodeInvalidArgument,
				"the annotations of Secret %s/%s would take %d bytes, over Kubernetes' limit of %d", namespace, name, size,
				apivalidation.TotalAnnotationSizeLimitB)
		}
	}
}

// dropOldestRetired forgets the records of the oldest retired versions
// until about excess bytes are freed, and reports whether it dropped any.
// Records are measured one by one, so that a large history is trimmed in
// one pass rather than one render per record.
func (sn *snapshot) dropOldestRetired(excess int) bool {
	keep := sn.set.Records[:0]
	dropped := false
	for _, r := range sn.set.Records {
		if excess > 0 && !r.Enabled && r.Stage == driver.StageNone {
			b, _ := json.Marshal(record{ID: r.ID, Created: r.Created, Lookup: r.Key, Sum: sn.sums[r.ID], Metadata: r.Metadata})
			excess -= len(b) + 1
			delete(sn.sums, r.ID)
			dropped = true
			continue
		}
		keep = append(keep, r)
	}
	sn.set.Records = keep
	return dropped
}
