package awssm

import (
	"context"
	"net/url"
	"strings"
)

// identity is "awssm://<region>/<name>", with "?endpoint=<base URL>" when
// an endpoint other than AWS's own is set (by the URL or the
// environment, as the opener takes it). The region is the URL's, or the
// one the SDK's configuration gives (AWS_REGION, the profile's region),
// read offline as the opener reads it. A name given as a secret ARN
// ("awssm:///arn:aws:secretsmanager:eu-west-1:123456789012:secret:bi/p-AbCdEf")
// counts as its region and friendly name: the ARN's six-character suffix
// is dropped.
//
// What it cannot see, each time erring towards "same": the account (the
// profile and the credentials decide it, and only AWS can say which), so
// two URLs that differ only in profile are one secret; and a partial ARN
// whose name happens to end in '-' and six letters or digits loses them
// as a full ARN's suffix. One case errs the other way: the same secret
// reached through AWS's default endpoint and through an explicit one
// (a VPC endpoint, say) has two identities.
func identity(u *url.URL) (string, error) {
	p, err := parseURL(context.Background(), u)
	if err != nil {
		return "", err
	}
	region, name := p.cfg.Region, p.name
	if r, n, ok := splitARN(name); ok {
		region, name = r, n
	}
	out := url.URL{Scheme: Scheme, Host: region, Path: "/" + name}
	if e := p.baseEndpoint(); e != "" {
		n, err := normalEndpoint(e)
		if err != nil {
			return "", err
		}
		out.RawQuery = url.Values{"endpoint": {n}}.Encode()
	}
	return out.String(), nil
}

// splitARN returns the region and the friendly name of a secret ARN,
// arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6>.
func splitARN(s string) (region, name string, ok bool) {
	f := strings.SplitN(s, ":", 7)
	if len(f) != 7 || f[0] != "arn" || f[2] != "secretsmanager" || f[5] != "secret" || f[3] == "" || f[6] == "" {
		return "", "", false
	}
	name = f[6]
	if n := len(name); n > 7 && name[n-7] == '-' && alnum(name[n-6:]) {
		name = name[:n-7]
	}
	return f[3], name, true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
