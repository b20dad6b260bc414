package powerbi

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/snowpat/snowpat/push"
	"github.com/snowpat/snowpat/push/driver"
	"github.com/snowpat/snowpat/push/internal/httpx"
)

// Scheme is the URL scheme the adapter registers with package push.
const Scheme = "powerbi"

// The query parameters a powerbi URL may carry.
const (
	// ParamEndpoint replaces https://api.powerbi.com, for a sovereign
	// cloud (https://api.powerbigov.us, https://api.powerbi.cn; set
	// ParamScope to match) or a test server. It must be https, or http to
	// a loopback host, or http anywhere with ParamInsecure.
	ParamEndpoint = "endpoint"
	// ParamScope replaces the token scope DefaultScope, for sovereign
	// clouds.
	ParamScope = "scope"
	// ParamInsecure ("insecure=true") lets ParamEndpoint be plain http
	// to any host, with a warning logged.
	ParamInsecure = "insecure"
	// ParamPrivacyLevel sets the privacy level the credentials are
	// stored with: None, Public, Organizational (the default) or Private.
	ParamPrivacyLevel = "privacyLevel"
)

// DefaultEndpoint and DefaultScope are the Power BI service's (the global
// cloud).
const (
	DefaultEndpoint = "https://api.powerbi.com"
	DefaultScope    = "https://analysis.windows.net/powerbi/api/.default"
)

var privacyLevels = []string{"None", "Public", "Organizational", "Private"}

var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func init() { push.Register(Scheme, NewOpener(nil)) }

// OpenerOptions configure an Opener.
type OpenerOptions struct {
	// Credential gets the Entra ID tokens; nil is azidentity's
	// DefaultAzureCredential (environment service principal, workload
	// identity, managed identity, Azure CLI, …), made when a URL is
	// opened.
	Credential azcore.TokenCredential
}

// NewOpener returns an opener for powerbi URLs, for programs (and tests)
// that register it on their own push.URLMux with their own credential.
// The package registers NewOpener(nil) on the default mux.
func NewOpener(o *OpenerOptions) push.Opener {
	var cred azcore.TokenCredential
	if o != nil {
		cred = o.Credential
	}
	return func(ctx context.Context, u *url.URL, po push.Options) (driver.Destination, error) {
		return openURL(ctx, u, po, cred)
	}
}

// openURL opens "powerbi://groups/<workspace id>/datasets/<dataset id>".
func openURL(_ context.Context, u *url.URL, o push.Options, cred azcore.TokenCredential) (driver.Destination, error) {
	if err := push.CheckQuery(u, ParamEndpoint, ParamScope, ParamInsecure, ParamPrivacyLevel); err != nil {
		return nil, err
	}
	insecure, err := push.QueryBool(u, ParamInsecure)
	if err != nil {
		return nil, err
	}
	ws, ds, err := parsePath(u)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	endpoint := DefaultEndpoint
	if v := q.Get(ParamEndpoint); v != "" {
		endpoint = v
	}
	base, err := httpx.Endpoint(endpoint, insecure, o.Logger)
	if err != nil {
		return nil, push.NewError("Open", push.ErrInvalidArgument, "%v", err)
	}
	scope := DefaultScope
	if v := q.Get(ParamScope); v != "" {
		scope = v
	}
	privacy := "Organizational"
	if v := q.Get(ParamPrivacyLevel); v != "" {
		if !slices.Contains(privacyLevels, v) {
			return nil, push.NewError("Open", push.ErrInvalidArgument, "%s %q is not one of %s", ParamPrivacyLevel, v, strings.Join(privacyLevels, ", "))
		}
		privacy = v
	}
	if cred == nil {
		c, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return nil, push.NewError("Open", push.ErrUnauthenticated, "azidentity's default credential: %v", err)
		}
		cred = c
	}
	c := &client{base: base.String() + "/v1.0/myorg", cred: cred, scope: scope, transport: httpx.NoRedirects(o.HTTPClient),
		allowHTTP: base.Scheme == "http", pol: httpx.NewPolicy(o), log: o.Logger}
	return &dest{c: c, workspace: ws, dataset: ds, privacy: privacy, opts: o,
		identity: Scheme + "://groups/" + ws + "/datasets/" + ds}, nil
}

// parsePath returns the workspace and dataset ids, lowercased: Power BI
// ids are GUIDs, compared without regard to case.
func parsePath(u *url.URL) (ws, ds string, err error) {
	bad := push.NewError("Open", push.ErrInvalidArgument, "want powerbi://groups/<workspace id>/datasets/<dataset id>, ids being GUIDs")
	if u.Opaque != "" || u.Fragment != "" || u.Host != "groups" {
		return "", "", bad
	}
	parts := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	if len(parts) != 3 || parts[1] != "datasets" || !guid.MatchString(parts[0]) || !guid.MatchString(parts[2]) {
		return "", "", bad
	}
	return strings.ToLower(parts[0]), strings.ToLower(parts[2]), nil
}
