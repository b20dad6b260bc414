package gcpfake

import (
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// validID follows the rule for secret ids: 1 to 255 ASCII letters,
// digits, '-' and '_'.
func validID(id string) bool {
	if id == "" || len(id) > 255 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// validAlias follows the rule for version aliases: a letter, then up to
// 62 letters, digits, '-' and '_'; "latest" and "NEW" are reserved.
func validAlias(a string) bool {
	if a == "" || len(a) > 63 || a == "latest" || a == "NEW" {
		return false
	}
	c := a[0]
	if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
		return false
	}
	return validID(a)
}

// parseParent checks "projects/{p}".
func parseParent(p string) error {
	parts := strings.Split(p, "/")
	if len(parts) != 2 || parts[0] != "projects" || parts[1] == "" {
		return status.Errorf(codes.InvalidArgument, "invalid parent %q; want projects/{project}", p)
	}
	return nil
}

// parseSecret checks "projects/{p}/secrets/{id}".
func parseSecret(name string) error {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "projects" || parts[1] == "" || parts[2] != "secrets" || !validID(parts[3]) {
		return status.Errorf(codes.InvalidArgument, "invalid secret name %q; want projects/{project}/secrets/{secret}", name)
	}
	return nil
}

// parseVersion splits "projects/{p}/secrets/{id}/versions/{v}" into the
// secret's name and the version part: a number, "latest" or an alias.
func parseVersion(name string) (secretName, v string, err error) {
	i := strings.LastIndex(name, "/versions/")
	if i < 0 {
		return "", "", status.Errorf(codes.InvalidArgument, "invalid version name %q", name)
	}
	secretName, v = name[:i], name[i+len("/versions/"):]
	if err := parseSecret(secretName); err != nil {
		return "", "", err
	}
	if v == "" || strings.Contains(v, "/") {
		return "", "", status.Errorf(codes.InvalidArgument, "invalid version name %q", name)
	}
	return secretName, v, nil
}

func versionName(secretName string, n int64) string {
	return secretName + "/versions/" + strconv.FormatInt(n, 10)
}
