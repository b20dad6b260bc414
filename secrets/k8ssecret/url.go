package k8ssecret

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Scheme is the URL scheme k8ssecret registers with package secrets.
const Scheme = "k8s"

// ParamContext names the kubeconfig context a URL uses.
const ParamContext = "context"

func init() { secrets.Register(Scheme, openURL) }

var errBadURL = errors.New(`k8ssecret: want "k8s://<namespace>/<name>" with no user, port or fragment`)

// openURL opens "k8s://<namespace>/<name>[?context=<kubeconfig context>]"
// with the configuration client-go's loading rules find: the files in
// $KUBECONFIG, else ~/.kube/config, with the named context or the current
// one; and with no kubeconfig at all, the pod's own service account
// (in-cluster configuration).
func openURL(_ context.Context, u *url.URL) (driver.Secret, error) {
	if err := secrets.CheckQuery(u, ParamContext); err != nil {
		return nil, err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if u.Opaque != "" || u.User != nil || u.Port() != "" || u.Fragment != "" || u.Host == "" || name == "" || strings.Contains(name, "/") {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: errBadURL}
	}
	client, closeIdle, err := clientFor(u.Query().Get(ParamContext))
	if err != nil {
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument, Err: err}
	}
	s, err := newSecret(client, u.Host, name)
	if err != nil {
		closeIdle()
		return nil, err
	}
	s.onClose = closeIdle
	return s, nil
}

// clientFor makes a clientset as kubectl would find its configuration,
// and a function that closes its idle connections.
func clientFor(kubeContext string) (kubernetes.Interface, func(), error) {
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		clientcmd.NewDefaultClientConfigLoadingRules(),
		&clientcmd.ConfigOverrides{CurrentContext: kubeContext},
	).ClientConfig()
	if err != nil {
		return nil, nil, err
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, nil, err
	}
	cs, err := kubernetes.NewForConfigAndClient(cfg, hc)
	if err != nil {
		return nil, nil, err
	}
	return cs, hc.CloseIdleConnections, nil
}
