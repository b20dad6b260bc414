package k8ssecret

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/snowpat/snowpat/secrets/internal/versionset"
)

// The Secret's layout; see the package documentation.
const (
	// TokenKey is the data key that always holds the current version's
	// value: what a consumer pod mounts or reads into an environment
	// variable.
	TokenKey = "token"
	// VersionsAnnotation holds the version records as JSON.
	VersionsAnnotation = "snowpat.io/versions"
	// versionKeyPrefix starts the data key of each readable version's value.
	versionKeyPrefix = "snowpat.v"
	// managedByLabel marks Secrets snowpat writes, for kubectl selectors.
	managedByLabel = "app.kubernetes.io/managed-by"
	managedBy      = "snowpat"
	// stateFormat is the version of the annotation's layout. A reader
	// refuses any other, so that an older snowpat cannot misread a newer
	// layout.
	stateFormat = 1
	// markSize is the length of the idempotency marks, in bytes.
	markSize = 16
)

// state is the JSON in the versions annotation: every version but the
// values, which are data keys.
type state struct {
	Format   int      `json:"format"`
	Last     uint64   `json:"last"` // the last version id handed out
	Versions []record `json:"versions"`
	// Writes are the marks of the latest writes, oldest first: see
	// writeMarks.
	Writes []string `json:"writes,omitempty"`
}

type record struct {
	ID       string            `json:"id"`
	Created  time.Time         `json:"created"`
	Stage    string            `json:"stage,omitempty"` // current, pending, previous or absent
	Enabled  bool              `json:"enabled"`
	Lookup   string            `json:"idempotency_lookup,omitempty"` // MAC of the idempotency key
	Sum      string            `json:"value_mac,omitempty"`          // MAC of the value under the key
	Metadata map[string]string `json:"metadata,omitempty"`
}

var stagesByName = map[string]driver.Stage{
	"":         driver.StageNone,
	"current":  driver.StageCurrent,
	"pending":  driver.StagePending,
	"previous": driver.StagePrevious,
}

// snapshot is the Secret as read, and the change a write makes to it.
type snapshot struct {
	obj    *corev1.Secret // nil when the Secret does not exist
	set    versionset.Set
	sums   map[string]string // value MACs by version id
	last   uint64
	values map[string][]byte // values of versions added by this write
	dirty  bool              // the write changed something
	writes []string          // the marks of the latest writes, as read
	mark   string            // this write's mark, added to writes by render
}

func versionKey(id string) string { return versionKeyPrefix + id }

// parse reads the snowpat state of obj (nil: no Secret).
func parse(obj *corev1.Secret) (*snapshot, error) {
	sn := &snapshot{obj: obj, sums: map[string]string{}, values: map[string][]byte{}}
	if obj == nil {
		return sn, nil
	}
	raw, ok := obj.Annotations[VersionsAnnotation]
	if !ok {
		// A Secret snowpat never wrote: empty, as one made beforehand so
		// that RBAC need not allow create. Keys that look like snowpat's
		// would be overwritten, so such a Secret is refused.
		for k := range obj.Data {
			if k == TokenKey || strings.HasPrefix(k, versionKeyPrefix) {
				return nil, decided(driver.CodeInvalidArgument, "Secret %s/%s has a %q key that snowpat did not write; remove it or name another Secret",
					obj.Namespace, obj.Name, k)
			}
		}
		return sn, nil
	}
	var st state
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return nil, corrupt(obj, "its %s annotation is not valid JSON: %v", VersionsAnnotation, err)
	}
	if st.Format != stateFormat {
		return nil, corrupt(obj, "its %s annotation has format %d, this snowpat reads %d", VersionsAnnotation, st.Format, stateFormat)
	}
	sn.last, sn.writes = st.Last, st.Writes
	held := map[driver.Stage]bool{}
	for _, r := range st.Versions {
		stage, ok := stagesByName[r.Stage]
		n, err := strconv.ParseUint(r.ID, 10, 64)
		switch {
		case !ok:
			return nil, corrupt(obj, "version %q has unknown stage %q", r.ID, r.Stage)
		case err != nil || n == 0 || n > st.Last || hasID(sn.set, r.ID):
			return nil, corrupt(obj, "bad or repeated version id %q", r.ID)
		case stage != driver.StageNone && held[stage]:
			return nil, corrupt(obj, "two versions are %s", stage)
		case r.Enabled && obj.Data[versionKey(r.ID)] == nil:
			return nil, corrupt(obj, "version %q has no value", r.ID)
		}
		held[stage] = true
		sn.sums[r.ID] = r.Sum
		sn.set.Records = append(sn.set.Records, versionset.Record{
			ID: r.ID, Created: r.Created, Stage: stage, Enabled: r.Enabled, Key: r.Lookup, Metadata: r.Metadata,
		})
	}
	return sn, nil
}

func hasID(set versionset.Set, id string) bool {
	_, err := set.Find(id)
	return err == nil
}

func corrupt(obj *corev1.Secret, format string, args ...any) error {
	return decided(driver.CodeUnknown, "Secret "+obj.Namespace+"/"+obj.Name+" is damaged: "+format, args...)
}

// value returns version id's value, from this write or from the Secret.
func (sn *snapshot) value(id string) []byte {
	if v, ok := sn.values[id]; ok {
		return v
	}
	if sn.obj == nil {
		return nil
	}
	return sn.obj.Data[versionKey(id)]
}

// render returns the Secret to write: the snowpat keys replaced, every
// other key, label and annotation as it was.
func (sn *snapshot) render(namespace, name string) *corev1.Secret {
	out := &corev1.Secret{}
	if sn.obj != nil {
		out = sn.obj.DeepCopy()
	}
	out.Namespace, out.Name = namespace, name
	data := map[string][]byte{}
	for k, v := range out.Data {
		if k != TokenKey && !strings.HasPrefix(k, versionKeyPrefix) {
			data[k] = v
		}
	}
	st := state{Format: stateFormat, Last: sn.last, Versions: make([]record, 0, len(sn.set.Records)), Writes: sn.nextWrites()}
	for _, r := range sn.set.Records {
		stage := ""
		if r.Stage != driver.StageNone {
			stage = r.Stage.String()
		}
		st.Versions = append(st.Versions, record{
			ID: r.ID, Created: r.Created, Stage: stage, Enabled: r.Enabled, Lookup: r.Key, Sum: sn.sums[r.ID], Metadata: r.Metadata,
		})
		if r.Enabled {
			data[versionKey(r.ID)] = sn.value(r.ID)
		}
		if r.Stage == driver.StageCurrent {
			data[TokenKey] = sn.value(r.ID)
		}
	}
	out.Data = data
	b, _ := json.Marshal(st)
	if out.Annotations == nil {
		out.Annotations = map[string]string{}
	}
	out.Annotations[VersionsAnnotation] = string(b)
	if out.Labels == nil {
		out.Labels = map[string]string{}
	}
	out.Labels[managedByLabel] = managedBy
	return out
}
