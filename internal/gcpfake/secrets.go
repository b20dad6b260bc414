package gcpfake

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// lookup returns the secret called name. The caller holds s.mu.
func (s *Server) lookup(name string) (*secret, error) {
	if err := parseSecret(name); err != nil {
		return nil, err
	}
	sec, ok := s.secrets[name]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "Secret [%s] not found or has no versions.", name)
	}
	return sec, nil
}

func (s *Server) CreateSecret(_ context.Context, req *secretmanagerpb.CreateSecretRequest) (*secretmanagerpb.Secret, error) {
	if err := parseParent(req.GetParent()); err != nil {
		return nil, err
	}
	if !validID(req.GetSecretId()) {
		return nil, status.Errorf(codes.InvalidArgument, "invalid secret id %q: 1 to 255 letters, digits, '-' and '_'", req.GetSecretId())
	}
	in := req.GetSecret()
	if in.GetReplication() == nil {
		return nil, status.Error(codes.InvalidArgument, "a secret needs a replication policy")
	}
	if err := checkLabels(in.GetLabels()); err != nil {
		return nil, err
	}
	if err := checkAnnotations(in.GetAnnotations()); err != nil {
		return nil, err
	}
	if len(in.GetVersionAliases()) > 0 {
		return nil, status.Error(codes.InvalidArgument, "a new secret has no versions for aliases to name")
	}
	name := req.GetParent() + "/secrets/" + req.GetSecretId()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.secrets[name]; ok {
		return nil, status.Errorf(codes.AlreadyExists, "Secret [%s] already exists.", name)
	}
	pb := &secretmanagerpb.Secret{
		Name:        name,
		Replication: proto.Clone(in.GetReplication()).(*secretmanagerpb.Replication),
		CreateTime:  timestamppb.New(s.now()),
		Labels:      cloneMap(in.GetLabels()),
		Annotations: cloneMap(in.GetAnnotations()),
		Etag:        s.newEtag(),
	}
	sec := &secret{pb: pb}
	s.secrets[name] = sec
	return sec.toPB(), nil
}

func (s *Server) GetSecret(_ context.Context, req *secretmanagerpb.GetSecretRequest) (*secretmanagerpb.Secret, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.lookup(req.GetName())
	if err != nil {
		return nil, err
	}
	return sec.toPB(), nil
}

// UpdateSecret applies the fields its mask names: labels, annotations and
// version_aliases, each replaced whole. A non-empty etag must match.
func (s *Server) UpdateSecret(_ context.Context, req *secretmanagerpb.UpdateSecretRequest) (*secretmanagerpb.Secret, error) {
	in := req.GetSecret()
	paths := req.GetUpdateMask().GetPaths()
	if len(paths) == 0 {
		return nil, status.Error(codes.InvalidArgument, "an update mask is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.lookup(in.GetName())
	if err != nil {
		return nil, err
	}
	if err := s.checkEtag(in.GetEtag(), sec.pb.Etag); err != nil {
		return nil, err
	}
	next := proto.Clone(sec.pb).(*secretmanagerpb.Secret)
	for _, p := range paths {
		switch p {
		case "labels":
			next.Labels = cloneMap(in.GetLabels())
		case "annotations":
			next.Annotations = cloneMap(in.GetAnnotations())
		case "version_aliases":
			next.VersionAliases = cloneMap(in.GetVersionAliases())
		default:
			return nil, status.Errorf(codes.InvalidArgument, "the fake cannot update field %q", p)
		}
	}
	if err := checkLabels(next.Labels); err != nil {
		return nil, err
	}
	if err := checkAnnotations(next.Annotations); err != nil {
		return nil, err
	}
	if err := sec.checkAliases(next.VersionAliases); err != nil {
		return nil, err
	}
	next.Etag = s.newEtag()
	sec.pb = next
	return sec.toPB(), nil
}

// DeleteSecret deletes the secret and its versions at once; the name is
// free again immediately.
func (s *Server) DeleteSecret(_ context.Context, req *secretmanagerpb.DeleteSecretRequest) (*emptypb.Empty, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.lookup(req.GetName())
	if err != nil {
		return nil, err
	}
	if err := s.checkEtag(req.GetEtag(), sec.pb.Etag); err != nil {
		return nil, err
	}
	delete(s.secrets, req.GetName())
	return &emptypb.Empty{}, nil
}

// ListSecrets pages through a project's secrets in name order. Filters
// are not implemented.
func (s *Server) ListSecrets(_ context.Context, req *secretmanagerpb.ListSecretsRequest) (*secretmanagerpb.ListSecretsResponse, error) {
	if err := parseParent(req.GetParent()); err != nil {
		return nil, err
	}
	if req.GetFilter() != "" {
		return nil, status.Error(codes.InvalidArgument, "the fake does not implement filters")
	}
	start, size, err := page(req.GetPageToken(), req.GetPageSize())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for n := range s.secrets {
		if strings.HasPrefix(n, req.GetParent()+"/secrets/") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	out := &secretmanagerpb.ListSecretsResponse{TotalSize: int32(len(names))}
	for i := start; i < len(names) && i < start+size; i++ {
		out.Secrets = append(out.Secrets, s.secrets[names[i]].toPB())
	}
	if start+size < len(names) {
		out.NextPageToken = strconv.Itoa(start + size)
	}
	return out, nil
}

// page decodes the fake's page tokens (an offset) and page sizes (25000
// at most, 100 when unset).
func page(token string, size int32) (int, int, error) {
	n := int(size)
	if n <= 0 {
		n = 100
	}
	n = min(n, 25000)
	if token == "" {
		return 0, n, nil
	}
	start, err := strconv.Atoi(token)
	if err != nil || start < 0 {
		return 0, 0, status.Error(codes.InvalidArgument, "invalid page token")
	}
	return start, n, nil
}
