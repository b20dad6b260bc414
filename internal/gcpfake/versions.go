package gcpfake

import (
	"bytes"
	"context"
	"hash/crc32"
	"strconv"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func (s *Server) AddSecretVersion(_ context.Context, req *secretmanagerpb.AddSecretVersionRequest) (*secretmanagerpb.SecretVersion, error) {
	data := req.GetPayload().GetData()
	if len(data) > maxPayload {
		return nil, status.Errorf(codes.InvalidArgument, "the payload is %d bytes; the limit is 64 KiB", len(data))
	}
	crc := req.GetPayload().DataCrc32C
	if crc != nil && uint32(*crc) != crc32.Checksum(data, castagnoli) {
		return nil, status.Error(codes.InvalidArgument, "the payload's data_crc32c does not match its data")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.lookup(req.GetParent())
	if err != nil {
		return nil, err
	}
	sec.next++
	v := &version{
		num:      sec.next,
		state:    secretmanagerpb.SecretVersion_ENABLED,
		created:  s.now(),
		data:     bytes.Clone(data),
		checksum: crc != nil,
		etag:     s.newEtag(),
	}
	sec.versions = append(sec.versions, v)
	return sec.versionPB(v), nil
}

// version resolves a version name. The caller holds s.mu.
func (s *Server) version(name string) (*secret, *version, error) {
	secretName, v, err := parseVersion(name)
	if err != nil {
		return nil, nil, err
	}
	sec, err := s.lookup(secretName)
	if err != nil {
		return nil, nil, err
	}
	ver, err := sec.resolve(v)
	if err != nil {
		return nil, nil, err
	}
	return sec, ver, nil
}

func (s *Server) GetSecretVersion(_ context.Context, req *secretmanagerpb.GetSecretVersionRequest) (*secretmanagerpb.SecretVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, v, err := s.version(req.GetName())
	if err != nil {
		return nil, err
	}
	return sec.versionPB(v), nil
}

// AccessSecretVersion returns an enabled version's payload, with the
// resolved version number in its name.
func (s *Server) AccessSecretVersion(_ context.Context, req *secretmanagerpb.AccessSecretVersionRequest) (*secretmanagerpb.AccessSecretVersionResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, v, err := s.version(req.GetName())
	if err != nil {
		return nil, err
	}
	if v.state != secretmanagerpb.SecretVersion_ENABLED {
		return nil, status.Errorf(codes.FailedPrecondition, "Secret Version [%s] is in %s state.", versionName(sec.pb.Name, v.num), v.state)
	}
	crc := int64(crc32.Checksum(v.data, castagnoli))
	return &secretmanagerpb.AccessSecretVersionResponse{
		Name:    versionName(sec.pb.Name, v.num),
		Payload: &secretmanagerpb.SecretPayload{Data: bytes.Clone(v.data), DataCrc32C: &crc},
	}, nil
}

// ListSecretVersions pages through versions newest first, as the service
// does. Filters are not implemented.
func (s *Server) ListSecretVersions(_ context.Context, req *secretmanagerpb.ListSecretVersionsRequest) (*secretmanagerpb.ListSecretVersionsResponse, error) {
	if req.GetFilter() != "" {
		return nil, status.Error(codes.InvalidArgument, "the fake does not implement filters")
	}
	start, size, err := page(req.GetPageToken(), req.GetPageSize())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, err := s.lookup(req.GetParent())
	if err != nil {
		return nil, err
	}
	n := len(sec.versions)
	out := &secretmanagerpb.ListSecretVersionsResponse{TotalSize: int32(n)}
	for i := start; i < n && i < start+size; i++ {
		out.Versions = append(out.Versions, sec.versionPB(sec.versions[n-1-i]))
	}
	if start+size < n {
		out.NextPageToken = strconv.Itoa(start + size)
	}
	return out, nil
}

// setState moves a version to state, checking its etag; a destroyed
// version cannot change state again.
func (s *Server) setState(name, etag string, state secretmanagerpb.SecretVersion_State) (*secretmanagerpb.SecretVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, v, err := s.version(name)
	if err != nil {
		return nil, err
	}
	if err := s.checkEtag(etag, v.etag); err != nil {
		return nil, err
	}
	if v.state == secretmanagerpb.SecretVersion_DESTROYED {
		return nil, status.Errorf(codes.FailedPrecondition, "Secret Version [%s] is destroyed.", versionName(sec.pb.Name, v.num))
	}
	v.state = state
	if state == secretmanagerpb.SecretVersion_DESTROYED {
		v.data = nil
		v.destroyed = s.now()
	}
	v.etag = s.newEtag()
	return proto.Clone(sec.versionPB(v)).(*secretmanagerpb.SecretVersion), nil
}

func (s *Server) DisableSecretVersion(_ context.Context, req *secretmanagerpb.DisableSecretVersionRequest) (*secretmanagerpb.SecretVersion, error) {
	return s.setState(req.GetName(), req.GetEtag(), secretmanagerpb.SecretVersion_DISABLED)
}

func (s *Server) EnableSecretVersion(_ context.Context, req *secretmanagerpb.EnableSecretVersionRequest) (*secretmanagerpb.SecretVersion, error) {
	return s.setState(req.GetName(), req.GetEtag(), secretmanagerpb.SecretVersion_ENABLED)
}

func (s *Server) DestroySecretVersion(_ context.Context, req *secretmanagerpb.DestroySecretVersionRequest) (*secretmanagerpb.SecretVersion, error) {
	return s.setState(req.GetName(), req.GetEtag(), secretmanagerpb.SecretVersion_DESTROYED)
}
