package push

import (
	"net"
	"strings"
)

// The domains Snowflake serves accounts under: the commercial regions and
// the China region.
var snowflakeDomains = []string{".snowflakecomputing.com", ".snowflakecomputing.cn"}

// MatchAccount reports whether server, a Snowflake server address as a BI
// tool stores it, is the address of account, a Snowflake account
// identifier. The rule:
//
//   - Both sides are compared without regard to case, with '_' read as
//     '-' (Snowflake accepts either in host names, and URLs for account
//     names with underscores use hyphens).
//   - server may carry a scheme ("https://"), a port and a trailing dot;
//     they are dropped. What remains must end in .snowflakecomputing.com
//     or .snowflakecomputing.cn, and the rest, with a ".privatelink"
//     suffix dropped, must equal the account.
//   - The account is written as for Snowflake's drivers: the preferred
//     form "<org>-<account>", or an account locator with its region and
//     cloud where the region needs them ("xy12345",
//     "xy12345.us-east-2.aws"), optionally ending in ".privatelink"
//     (dropped too). An account given as a full host name is accepted.
//
// So "myorg-my_account" matches myorg-my-account.snowflakecomputing.com
// and myorg-my-account.privatelink.snowflakecomputing.com, and
// "xy12345.us-east-2.aws" matches xy12345.us-east-2.aws.snowflakecomputing.com.
// A locator without its region does not match a host with one, nor the
// reverse: locators are unique only within a region, so the two may be
// different accounts. Hosts that are not account hosts (a client-redirect
// connection URL, a custom DNS name, an IP address) never match: a push
// refuses them rather than guess.
func MatchAccount(account, server string) bool {
	a, ok := accountKey(account)
	if !ok {
		return false
	}
	s, ok := serverKey(server)
	return ok && s == a
}

// accountKey is the comparable form of an account identifier.
func accountKey(account string) (string, bool) {
	a := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(account)), "_", "-")
	for _, d := range snowflakeDomains {
		a = strings.TrimSuffix(a, d)
	}
	a = strings.TrimSuffix(a, ".privatelink")
	if a == "" || !validAccountChars(a) {
		return "", false
	}
	return a, true
}

// serverKey is the comparable form of a server address: the account part
// of a Snowflake host, or false when server is not one.
func serverKey(server string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(server))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		s = h
	}
	s = strings.ReplaceAll(strings.TrimSuffix(s, "."), "_", "-")
	for _, d := range snowflakeDomains {
		if rest, ok := strings.CutSuffix(s, d); ok {
			rest = strings.TrimSuffix(rest, ".privatelink")
			if rest == "" || !validAccountChars(rest) {
				return "", false
			}
			return rest, true
		}
	}
	return "", false
}

// validAccountChars holds for letters, digits, '-' and '.', without an
// empty label: what account identifiers and their host names are made of.
func validAccountChars(s string) bool {
	if strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '.' {
			return false
		}
	}
	return true
}
