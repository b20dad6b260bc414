package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// namespace is where the example deploys.
const namespace = "snowpat"

// manifests are the decoded objects of every manifest, by kind and name.
type manifests struct {
	serviceAccounts map[string]*corev1.ServiceAccount
	roles           map[string]*rbacv1.Role
	roleBindings    map[string]*rbacv1.RoleBinding
	configMaps      map[string]*corev1.ConfigMap
	secrets         map[string]*corev1.Secret
	deployments     map[string]*appsv1.Deployment
	cronJobs        map[string]*batchv1.CronJob
}

// load decodes every document of every *.yaml file here strictly: a
// field the API type does not have (a typo, a wrong indent) fails, as it
// would with kubectl's strict field validation.
func load(t *testing.T) *manifests {
	t.Helper()
	m := &manifests{
		serviceAccounts: map[string]*corev1.ServiceAccount{}, roles: map[string]*rbacv1.Role{},
		roleBindings: map[string]*rbacv1.RoleBinding{}, configMaps: map[string]*corev1.ConfigMap{},
		secrets: map[string]*corev1.Secret{}, deployments: map[string]*appsv1.Deployment{}, cronJobs: map[string]*batchv1.CronJob{},
	}
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, doc := range splitDocuments(b) {
			where := fmt.Sprintf("%s document %d", f, i+1)
			var head struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			require.NoError(t, yaml.Unmarshal(doc, &head), where)
			switch head.APIVersion + " " + head.Kind {
			case "v1 ServiceAccount":
				decode(t, where, doc, m.serviceAccounts, &corev1.ServiceAccount{})
			case "rbac.authorization.k8s.io/v1 Role":
				decode(t, where, doc, m.roles, &rbacv1.Role{})
			case "rbac.authorization.k8s.io/v1 RoleBinding":
				decode(t, where, doc, m.roleBindings, &rbacv1.RoleBinding{})
			case "v1 ConfigMap":
				decode(t, where, doc, m.configMaps, &corev1.ConfigMap{})
			case "v1 Secret":
				decode(t, where, doc, m.secrets, &corev1.Secret{})
			case "apps/v1 Deployment":
				decode(t, where, doc, m.deployments, &appsv1.Deployment{})
			case "batch/v1 CronJob":
				decode(t, where, doc, m.cronJobs, &batchv1.CronJob{})
			default:
				t.Fatalf("%s: no test knows %s %s", where, head.APIVersion, head.Kind)
			}
		}
	}
	return m
}

// decode decodes one document strictly into o and files it by name; every
// object must name the example's namespace.
func decode[T metav1.Object](t *testing.T, where string, doc []byte, into map[string]T, o T) {
	t.Helper()
	require.NoError(t, strict(doc, o), where)
	require.Equal(t, namespace, o.GetNamespace(), "%s: namespace", where)
	require.NotContains(t, into, o.GetName(), "%s: a second %s", where, o.GetName())
	into[o.GetName()] = o
}

// splitDocuments splits a YAML stream at its "---" lines, dropping
// documents that hold only comments.
func splitDocuments(b []byte) [][]byte {
	var out [][]byte
	for _, doc := range bytes.Split(b, []byte("\n---\n")) {
		meaningful := false
		for _, line := range strings.Split(string(doc), "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") && l != "---" {
				meaningful = true
			}
		}
		if meaningful {
			out = append(out, doc)
		}
	}
	return out
}

// strict decodes a YAML document as the API server's strict field
// validation would: field names are case-sensitive, and unknown or
// repeated fields are errors.
func strict(doc []byte, o any) error {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	problems, err := sigsjson.UnmarshalStrict(j, o, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	return errors.Join(append(problems, err)...)
}

func formatPort(p int32) string { return fmt.Sprint(p) }
