package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/snowpat/snowpat/policy"
	"github.com/snowpat/snowpat/policy/k8slease"
	_ "github.com/snowpat/snowpat/secrets/k8ssecret" // k8s:// store URLs
)

// Lockers --locker accepts.
const (
	lockerLocal = "local"
	lockerLease = "k8s-lease"
)

// kubeFlags choose the Locker and, for Kubernetes Leases, how to reach
// the cluster.
type kubeFlags struct {
	locker      string
	kubeconfig  string
	kubeContext string
	namespace   string
	prefix      string
	identity    string
	duration    time.Duration
}

func (f *kubeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.locker, "locker", lockerLocal, `"local" (one rotator) or "k8s-lease" (replicas coordinated by Kubernetes Leases, one per target)`)
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "kubeconfig file; default $KUBECONFIG, ~/.kube/config, else the pod's service account")
	fs.StringVar(&f.kubeContext, "kube-context", "", "kubeconfig context; default the current one")
	fs.StringVar(&f.namespace, "lease-namespace", "", "namespace of the Leases; default the context's namespace, or the pod's")
	fs.StringVar(&f.prefix, "lease-prefix", k8slease.DefaultPrefix, "start of each Lease's name (the rest is the target's name)")
	fs.StringVar(&f.identity, "identity", os.Getenv("POD_NAME"), "this replica's name in the Leases (POD_NAME); default the host name")
	fs.DurationVar(&f.duration, "lease-duration", time.Minute, "how long a Lease lasts without renewal: the longest a dead replica holds up its targets")
}

// newLocker returns the Locker the flags ask for: nil for the engine's
// in-process default, or a Lease locker, and a function that closes its
// connections.
func (f *kubeFlags) newLocker() (policy.Locker, func(), error) {
	switch f.locker {
	case lockerLocal:
		return nil, func() {}, nil
	case lockerLease:
	default:
		return nil, nil, fmt.Errorf("--locker is %q or %q, not %q", lockerLocal, lockerLease, f.locker)
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = f.kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: f.kubeContext})
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, nil, fmt.Errorf("kubernetes configuration: %w", err)
	}
	ns := f.namespace
	if ns == "" {
		if ns, _, err = cc.Namespace(); err != nil {
			return nil, nil, fmt.Errorf("kubernetes namespace: %w", err)
		}
	}
	identity := f.identity
	if identity == "" {
		if identity, err = os.Hostname(); err != nil {
			return nil, nil, fmt.Errorf("--identity is needed: %w", err)
		}
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, nil, err
	}
	cs, err := kubernetes.NewForConfigAndClient(cfg, hc)
	if err != nil {
		return nil, nil, err
	}
	l, err := k8slease.New(cs, k8slease.Options{
		Namespace: ns, Identity: identity, Prefix: f.prefix, Duration: f.duration,
	})
	if err != nil {
		hc.CloseIdleConnections()
		return nil, nil, err
	}
	return l, hc.CloseIdleConnections, nil
}
