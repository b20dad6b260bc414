package kubernetes

import (
	"context"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/k8slease"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/k8ssecret"
)

const (
	serviceAccount = "snowpat-rotator"
	saUser         = "system:serviceaccount:" + namespace + ":" + serviceAccount
)

// pod is one way the manifests run the rotator.
type pod struct {
	where string
	spec  corev1.PodSpec
	flags map[string]string
}

func pods(t *testing.T, m *manifests) []pod {
	t.Helper()
	var out []pod
	for name, d := range m.deployments {
		out = append(out, pod{where: "Deployment " + name, spec: d.Spec.Template.Spec})
	}
	for name, c := range m.cronJobs {
		out = append(out, pod{where: "CronJob " + name, spec: c.Spec.JobTemplate.Spec.Template.Spec})
	}
	for i := range out {
		require.Len(t, out[i].spec.Containers, 1, out[i].where)
		out[i].flags = parseFlags(out[i].spec.Containers[0].Args)
	}
	return out
}

// parseFlags reads "--name=value", "--name value" and "--name" (true).
func parseFlags(args []string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(args); i++ {
		name, ok := strings.CutPrefix(strings.TrimPrefix(args[i], "-"), "-")
		if !ok {
			name = strings.TrimPrefix(args[i], "-")
		}
		if k, v, eq := strings.Cut(name, "="); eq {
			out[k] = v
		} else if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out[k] = args[i+1]
			i++
		} else {
			out[k] = "true"
		}
	}
	return out
}

// targets loads the targets the ConfigMap holds, as the rotator would.
func targets(t *testing.T, m *manifests) *policy.Config {
	t.Helper()
	cm := m.configMaps["snowpat-targets"]
	require.NotNil(t, cm)
	cfg, err := policy.LoadConfig(strings.NewReader(cm.Data["targets.yaml"]), "config.yaml: snowpat-targets")
	require.NoError(t, err)
	require.NotEmpty(t, cfg.Targets)
	return cfg
}

// secretNames are the Secrets the targets store to, all k8s:// URLs in
// the example's namespace.
func secretNames(t *testing.T, cfg *policy.Config) []string {
	t.Helper()
	var out []string
	for _, tg := range cfg.Targets {
		for _, s := range tg.Stores {
			u, err := url.Parse(s)
			require.NoError(t, err)
			require.Equal(t, k8ssecret.Scheme, u.Scheme, "%s: the example keeps tokens in Kubernetes Secrets", tg.ID())
			require.Equal(t, namespace, u.Host, "%s: a Secret in the rotator's namespace", tg.ID())
			out = append(out, strings.TrimPrefix(u.Path, "/"))
		}
	}
	return out
}

// codeRules is what the code uses for these targets: the Lease locker's
// rules and the Secret store's, from the packages themselves.
func codeRules(t *testing.T, m *manifests, prefix string) []rbacv1.PolicyRule {
	cfg := targets(t, m)
	var keys []string
	for _, tg := range cfg.Targets {
		keys = append(keys, tg.ID())
	}
	return append(k8slease.Rules(prefix, keys...), k8ssecret.Rules(secretNames(t, cfg)...)...)
}

// grants expands rules into one "group/resource verb name" string per
// permission ("*" for any name), so that two rule lists compare by what
// they allow, not by how they are written.
func grants(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, r := range rules {
		names := r.ResourceNames
		if len(names) == 0 {
			names = []string{"*"}
		}
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					for _, n := range names {
						out = append(out, g+"/"+res+" "+v+" "+n)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestManifestsDecodeStrictly(t *testing.T) {
	m := load(t)
	assert.Len(t, m.serviceAccounts, 1)
	assert.Len(t, m.roles, 1)
	assert.Len(t, m.roleBindings, 1)
	assert.Len(t, m.deployments, 1)
	assert.Len(t, m.cronJobs, 1)
	assert.Contains(t, m.configMaps, "snowpat-admin")

	for _, bad := range []string{
		"apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringdata: {}\n",        // wrong case
		"apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  namespaces: snowpat\n", // unknown field
		"apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  name: y\n",             // repeated field
	} {
		assert.Error(t, strict([]byte(bad), &corev1.Secret{}), bad)
	}
}

// The Role grants exactly what the code uses, for exactly the targets
// the ConfigMap holds: the Lease locker's verbs on the targets' Leases
// (named with the prefix the pods run with) and the store's verbs on the
// targets' Secrets, by name; nothing more, nothing less. The Secrets are
// created by the manifests, since the Role does not let the store create
// them.
func TestRoleGrantsExactlyWhatTheCodeUses(t *testing.T) {
	m := load(t)
	role := m.roles[serviceAccount]
	require.NotNil(t, role)
	for _, p := range pods(t, m) {
		assert.Equal(t, serviceAccount, p.spec.ServiceAccountName, p.where)
		assert.Equal(t, "k8s-lease", p.flags["locker"], p.where)
		prefix, ok := p.flags["lease-prefix"]
		if !ok {
			prefix = k8slease.DefaultPrefix
		}
		assert.Empty(t, p.flags["lease-namespace"], "%s: the Leases are in the pod's own namespace, which the Role covers", p.where)
		assert.Equal(t, grants(codeRules(t, m, prefix)), grants(role.Rules), p.where)
	}
	rb := m.roleBindings[serviceAccount]
	require.NotNil(t, rb)
	assert.Equal(t, rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role.Name}, rb.RoleRef)
	assert.Equal(t, []rbacv1.Subject{{Kind: "ServiceAccount", Name: serviceAccount, Namespace: namespace}}, rb.Subjects)
	for _, name := range secretNames(t, targets(t, m)) {
		assert.Contains(t, m.secrets, name, "Secret %s is created by the manifests", name)
	}
}

// The pods run what the README says: the Deployment two or more replicas
// with probes on the port it listens on, the CronJob single passes; both
// read the targets from the ConfigMap and the key from its Secret.
func TestPodsRunTheRotator(t *testing.T) {
	m := load(t)
	for _, d := range m.deployments {
		require.GreaterOrEqual(t, *d.Spec.Replicas, int32(2))
		c := d.Spec.Template.Spec.Containers[0]
		listen := parseFlags(c.Args)["listen"]
		require.NotEmpty(t, listen, "the Deployment serves probes")
		_, port, _ := strings.Cut(listen, ":")
		require.Len(t, c.Ports, 1)
		assert.Equal(t, port, formatPort(c.Ports[0].ContainerPort))
		assert.Equal(t, "/healthz", c.LivenessProbe.HTTPGet.Path)
		assert.Equal(t, "/readyz", c.ReadinessProbe.HTTPGet.Path)
		assert.Equal(t, c.Ports[0].Name, c.LivenessProbe.HTTPGet.Port.StrVal)
		assert.Equal(t, c.Ports[0].Name, c.ReadinessProbe.HTTPGet.Port.StrVal)
		assert.Empty(t, parseFlags(c.Args)["once"])
	}
	for _, cj := range m.cronJobs {
		assert.Equal(t, "true", parseFlags(cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args)["once"])
		assert.Equal(t, "Forbid", string(cj.Spec.ConcurrencyPolicy))
	}
	for _, p := range pods(t, m) {
		c := p.spec.Containers[0]
		mounts := map[string]string{}
		for _, vm := range c.VolumeMounts {
			mounts[vm.Name] = vm.MountPath
		}
		sources := map[string]string{}
		for _, v := range p.spec.Volumes {
			switch {
			case v.ConfigMap != nil:
				sources[v.ConfigMap.Name] = mounts[v.Name]
			case v.Secret != nil:
				sources[v.Secret.SecretName] = mounts[v.Name]
			}
		}
		assert.Equal(t, sources["snowpat-targets"], path.Dir(p.flags["config"]), "%s: --config is in the mounted ConfigMap", p.where)
		keyPath := ""
		for _, e := range c.Env {
			if e.Name == "SNOWFLAKE_PRIVATE_KEY_PATH" {
				keyPath = e.Value
			}
		}
		assert.Equal(t, sources["snowpat-admin-key"], path.Dir(keyPath), "%s: the key is in the mounted Secret", p.where)
	}
}

// Against the API server enforcing the Role as RBAC would, for the
// ServiceAccount: the Lease locker takes, renews, releases and takes back
// every target's Lease, and the store runs a whole rotation on every
// target's Secret. Anything else is refused, so the test would notice a
// Role that allowed too much of what matters.
func TestRoleSufficesAgainstTheAPI(t *testing.T) {
	ctx := context.Background()
	m := load(t)
	srv := k8sfake.New()
	link := srv.Link()
	defer link.Close()
	client := link.Clientset()
	for _, s := range m.secrets { // kubectl apply, as the cluster admin
		_, err := client.CoreV1().Secrets(namespace).Create(ctx, s, metav1.CreateOptions{})
		require.NoError(t, err)
	}
	srv.Authorize(saUser, m.roles[serviceAccount].Rules)

	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	locker, err := k8slease.New(client, k8slease.Options{Namespace: namespace, Identity: "snowpat-rotator-0", Clock: clk})
	require.NoError(t, err)
	cfg := targets(t, m)
	for _, tg := range cfg.Targets {
		l, err := locker.Lock(ctx, tg.ID())
		require.NoError(t, err, tg.ID())
		require.NoError(t, l.Unlock(ctx))
		l, err = locker.Lock(ctx, tg.ID()) // a released Lease: get and update
		require.NoError(t, err, tg.ID())
		require.NoError(t, l.Check(ctx))
		require.NoError(t, l.Unlock(ctx))
	}
	for _, name := range secretNames(t, cfg) {
		s, err := k8ssecret.New(client, namespace, name)
		require.NoError(t, err)
		first, err := s.PutIf(ctx, []byte("pat-1"), secrets.IfAbsent(), nil)
		require.NoError(t, err, name)
		next, err := s.PutPendingIf(ctx, []byte("pat-2"), secrets.IfCurrent(first), &secrets.PutOptions{IdempotencyKey: "k"})
		require.NoError(t, err)
		require.NoError(t, s.PromoteIf(ctx, next, secrets.IfCurrent(first)))
		require.NoError(t, s.Retire(ctx, first))
		_, err = s.List(ctx)
		require.NoError(t, err)
		cur, err := s.Current(ctx)
		require.NoError(t, err)
		assert.Equal(t, "pat-2", string(cur.Value()))
	}

	other, err := k8ssecret.New(client, namespace, "someone-elses-secret")
	require.NoError(t, err)
	_, err = other.Current(ctx)
	require.ErrorIs(t, err, secrets.ErrPermissionDenied, "the Role reaches no other Secret")
	_, err = locker.Lock(ctx, "not-a-target")
	require.Error(t, err, "nor another target's Lease")
	require.NotErrorIs(t, err, policy.ErrLocked)
}
