package awssm

import (
	"context"
	"errors"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/internal/canon"
)

// baseEndpoint is the endpoint the client will use: the URL's, or one
// the environment or shared config sets (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_SECRETS_MANAGER, endpoint_url), or "" for AWS's own.
// Building the client reads no network.
func (p *parsedURL) baseEndpoint() string {
	o := secretsmanager.NewFromConfig(p.cfg, p.clientOptions).Options()
	return aws.ToString(o.BaseEndpoint)
}

// checkEndpoint refuses an endpoint that is not an http or https URL with
// a host, and a plain http one to a host that is not loopback unless the
// URL says insecure=true: every request carries a SigV4 signature and,
// with temporary credentials, the session token, and writes carry the
// secret's value, so over http all of it is readable on the way. It
// checks where the client will really go, so an endpoint set in the
// environment is held to the same rule as the URL's.
func (p *parsedURL) checkEndpoint(ctx context.Context) error {
	e := p.baseEndpoint()
	if e == "" {
		return nil
	}
	eu, err := parseEndpoint(e)
	if err != nil || eu.Scheme == "https" {
		return err
	}
	return secrets.Cleartext{
		Scheme:   Scheme,
		Host:     eu.Hostname(),
		Risk:     "the endpoint is plain http: secret values, request signatures and session tokens would cross the network unencrypted",
		Allow:    "use https, or add insecure=true to the URL",
		Insecure: p.insecure,
	}.Check(ctx)
}

func parseEndpoint(e string) (*url.URL, error) {
	u, err := url.Parse(e)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		// The endpoint itself is not repeated: it could carry user info.
		return nil, &secrets.Error{Op: "OpenStore", Kind: secrets.ErrInvalidArgument,
			Err: errors.New("awssm: the endpoint must be an http or https URL with a host and no user info")}
	}
	return u, nil
}

// normalEndpoint spells an endpoint one way, for identities.
func normalEndpoint(e string) (string, error) {
	u, err := parseEndpoint(e)
	if err != nil {
		return "", err
	}
	return canon.BaseURL(u), nil
}
