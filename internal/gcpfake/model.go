package gcpfake

import (
	"fmt"
	"hash/crc32"
	"maps"
	"strconv"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// maxAnnotations is the limit on the total size of a secret's annotation
// keys and values.
const maxAnnotations = 16 << 10

// maxPayload is the largest version payload the service stores.
const maxPayload = 64 << 10

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type version struct {
	num       int64
	state     secretmanagerpb.SecretVersion_State
	created   time.Time
	destroyed time.Time
	data      []byte
	checksum  bool // the writer sent a crc32c
	etag      string
}

type secret struct {
	pb       *secretmanagerpb.Secret // name, replication, labels, annotations, aliases, etag, create time
	versions []*version              // oldest first
	next     int64                   // the last version number handed out
}

// newEtag returns a fresh quoted etag. The caller holds s.mu.
func (s *Server) newEtag() string {
	s.etagSeq++
	return fmt.Sprintf("%q", strconv.FormatUint(uint64(s.now().UnixNano())^s.etagSeq<<40, 36)+"-"+strconv.FormatUint(s.etagSeq, 36))
}

// checkEtag compares a request's etag, when it has one, with the
// resource's. The caller holds s.mu.
func (s *Server) checkEtag(sent, have string) error {
	if sent != "" && sent != have {
		return status.Errorf(s.etagCode, "the etag %s does not match the resource's current etag", sent)
	}
	return nil
}

// resolve finds the version a name's version part names: a number,
// "latest" (the most recently created version) or an alias.
func (sec *secret) resolve(v string) (*version, error) {
	var num int64
	switch {
	case v == "latest":
		if len(sec.versions) == 0 {
			return nil, status.Errorf(codes.NotFound, "secret %s has no versions", sec.pb.Name)
		}
		return sec.versions[len(sec.versions)-1], nil
	case v[0] >= '0' && v[0] <= '9':
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "invalid version %q", v)
		}
		num = n
	default:
		n, ok := sec.pb.VersionAliases[v]
		if !ok {
			return nil, status.Errorf(codes.NotFound, "secret %s has no version alias %q", sec.pb.Name, v)
		}
		num = n
	}
	for _, ver := range sec.versions {
		if ver.num == num {
			return ver, nil
		}
	}
	return nil, status.Errorf(codes.NotFound, "secret version %s/versions/%d not found", sec.pb.Name, num)
}

func (sec *secret) toPB() *secretmanagerpb.Secret {
	return proto.Clone(sec.pb).(*secretmanagerpb.Secret)
}

func (sec *secret) versionPB(v *version) *secretmanagerpb.SecretVersion {
	out := &secretmanagerpb.SecretVersion{
		Name:                           versionName(sec.pb.Name, v.num),
		CreateTime:                     timestamppb.New(v.created),
		State:                          v.state,
		Etag:                           v.etag,
		ClientSpecifiedPayloadChecksum: v.checksum,
	}
	if v.state == secretmanagerpb.SecretVersion_DESTROYED {
		out.DestroyTime = timestamppb.New(v.destroyed)
	}
	return out
}

// checkAnnotations applies the annotation rules: keys of 1 to 63
// characters that start and end with a letter or digit and hold only
// those, '-', '_' and '.', and a total size under 16 KiB.
func checkAnnotations(a map[string]string) error {
	total := 0
	for k, v := range a {
		total += len(k) + len(v)
		if !validAnnotationKey(k) {
			return status.Errorf(codes.InvalidArgument, "invalid annotation key %q", k)
		}
	}
	if total >= maxAnnotations {
		return status.Errorf(codes.InvalidArgument, "the annotations total %d bytes; the limit is 16 KiB", total)
	}
	return nil
}

func validAnnotationKey(k string) bool {
	if k == "" || len(k) > 63 {
		return false
	}
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	if !alnum(k[0]) || !alnum(k[len(k)-1]) {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !alnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// checkLabels applies the label rules: at most 64, keys of 1 to 63 and
// values of up to 63 lowercase letters, digits, '-' and '_', keys
// starting with a letter.
func checkLabels(l map[string]string) error {
	if len(l) > 64 {
		return status.Error(codes.InvalidArgument, "at most 64 labels")
	}
	ok := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
				return false
			}
		}
		return len(s) <= 63
	}
	for k, v := range l {
		if k == "" || k[0] < 'a' || k[0] > 'z' || !ok(k) || !ok(v) {
			return status.Errorf(codes.InvalidArgument, "invalid label %q", k)
		}
	}
	return nil
}

// checkAliases applies the alias rules: at most 50, valid names, each
// naming an existing version that is not destroyed.
func (sec *secret) checkAliases(a map[string]int64) error {
	if len(a) > 50 {
		return status.Error(codes.InvalidArgument, "at most 50 version aliases")
	}
	for name, num := range a {
		if !validAlias(name) {
			return status.Errorf(codes.InvalidArgument, "invalid version alias %q", name)
		}
		v, err := sec.resolve(strconv.FormatInt(num, 10))
		if err != nil {
			return status.Errorf(codes.InvalidArgument, "version alias %q names version %d, which does not exist", name, num)
		}
		if v.state == secretmanagerpb.SecretVersion_DESTROYED {
			return status.Errorf(codes.FailedPrecondition, "version alias %q names destroyed version %d", name, num)
		}
	}
	return nil
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	return maps.Clone(m)
}
