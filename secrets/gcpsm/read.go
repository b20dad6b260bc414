package gcpsm

import (
	"cmp"
	"context"
	"hash/crc32"
	"maps"
	"slices"
	"strings"
	"time"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/api/iterator"
	"google.golang.org/grpc/codes"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// load reads the secret's snapshot. A missing secret is not found.
func (s *secret) load(ctx context.Context) (*snapshot, error) {
	sec, err := s.c.GetSecret(ctx, &secretmanagerpb.GetSecretRequest{Name: s.name})
	if err != nil {
		if codeOf(err) == codes.NotFound {
			return nil, coded(driver.CodeNotFound, err, "the secret does not exist")
		}
		return nil, err
	}
	return parseSnapshot(sec)
}

// versionNumber takes the number from a version's resource name. Only the
// last segment is read: GCP answers with the project's number where the
// request named the project by id.
func versionNumber(name string) (int64, bool) {
	return parseID(name[strings.LastIndex(name, "/")+1:])
}

// visible reports whether readers may see version n, created at created:
// not the leftover of a failed write, and either committed by snowpat
// (recorded, or pruned for space), staged, or old enough not to be a
// write still in flight.
func (s *secret) visible(sn *snapshot, n int64, created time.Time) bool {
	if sn.aborted.has(n) {
		return false
	}
	return sn.records[n] != nil || sn.pruned.has(n) || sn.staged(n) || s.now().Sub(created) >= s.window
}

// getVersion returns version n's metadata, or not-found.
func (s *secret) getVersion(ctx context.Context, n int64) (*secretmanagerpb.SecretVersion, error) {
	v, err := s.c.GetSecretVersion(ctx, &secretmanagerpb.GetSecretVersionRequest{Name: s.versionName(n)})
	if err != nil {
		if codeOf(err) == codes.NotFound {
			return nil, coded(driver.CodeNotFound, err, "no version %d", n)
		}
		return nil, err
	}
	return v, nil
}

func (s *secret) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := s.get(ctx, sel)
	if err != nil {
		return nil, fail(ctx, err)
	}
	return v, nil
}

// get resolves the version from one snapshot, then reads it by number, so
// that the stage and metadata reported are those of the version read.
func (s *secret) get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	sn, err := s.load(ctx)
	if errorCode(err) == driver.CodePermissionDenied {
		return s.getDirect(ctx, sel)
	}
	if err != nil {
		return nil, err
	}
	var n int64
	if sel.ID != "" {
		var ok bool
		if n, ok = parseID(sel.ID); !ok || sn.aborted.has(n) || sn.retired.has(n) {
			return nil, coded(driver.CodeNotFound, nil, "no readable version %q", sel.ID)
		}
	} else {
		var ok bool
		if n, ok = sn.holder(sel.Stage); !ok {
			return nil, coded(driver.CodeNotFound, nil, "no version is %s", sel.Stage)
		}
	}
	var created time.Time
	if r := sn.records[n]; r != nil {
		created = r.Created
	} else {
		v, err := s.getVersion(ctx, n)
		if err != nil {
			return nil, err
		}
		if !s.visible(sn, n, v.GetCreateTime().AsTime()) {
			return nil, coded(driver.CodeNotFound, nil, "no version %d", n)
		}
		created = v.GetCreateTime().AsTime()
	}
	_, data, err := s.access(ctx, s.versionName(n))
	if err != nil {
		return nil, err
	}
	var md map[string]string
	if r := sn.records[n]; r != nil && len(r.Meta) > 0 {
		md = maps.Clone(r.Meta)
	}
	return &driver.Version{
		VersionInfo: driver.VersionInfo{ID: formatID(n), Stage: sn.stageOf(n), Created: created, Enabled: true, Metadata: md},
		Value:       data,
	}, nil
}

// access reads a version's payload, checks its checksum, and returns it
// with the version number GCP resolved the name to.
func (s *secret) access(ctx context.Context, name string) (int64, []byte, error) {
	resp, err := s.c.AccessSecretVersion(ctx, &secretmanagerpb.AccessSecretVersionRequest{Name: name})
	switch codeOf(err) {
	case codes.OK:
	case codes.NotFound:
		return 0, nil, coded(driver.CodeNotFound, err, "no version %s", name)
	case codes.FailedPrecondition:
		return 0, nil, coded(driver.CodeNotFound, err, "version %s is disabled or destroyed", name)
	default:
		return 0, nil, err
	}
	data := resp.GetPayload().GetData()
	if c := resp.GetPayload().DataCrc32C; c != nil && uint32(*c) != crc32.Checksum(data, castagnoli) {
		return 0, nil, coded(driver.CodeUnavailable, nil, "version %s arrived corrupted (checksum mismatch); retry", name)
	}
	n, ok := versionNumber(resp.GetName())
	if !ok {
		return 0, nil, coded(driver.CodeUnknown, nil, "GCP returned a version name without a number")
	}
	return n, data, nil
}

// getDirect reads with access to versions alone (secretAccessor, the
// usual role of a consumer), when the secret itself may not be read: GCP
// resolves the stage's alias, and the version comes back without
// metadata or creation time, and read by id without a stage.
func (s *secret) getDirect(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	name := s.name + "/versions/" + aliasFor(sel.Stage)
	if sel.ID != "" {
		n, ok := parseID(sel.ID)
		if !ok {
			return nil, coded(driver.CodeNotFound, nil, "no version %q", sel.ID)
		}
		name = s.versionName(n)
	}
	n, data, err := s.access(ctx, name)
	if err != nil {
		return nil, err
	}
	return &driver.Version{VersionInfo: driver.VersionInfo{ID: formatID(n), Stage: sel.Stage, Enabled: true}, Value: data}, nil
}

func (s *secret) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	_, infos, err := s.list(ctx)
	if err != nil {
		return nil, fail(ctx, err)
	}
	return infos, nil
}

// list returns the snapshot and the visible versions, oldest first; no
// visible version means no secret.
func (s *secret) list(ctx context.Context) (*snapshot, []*driver.VersionInfo, error) {
	sn, err := s.load(ctx)
	if err != nil {
		return nil, nil, err
	}
	type row struct {
		n    int64
		info *driver.VersionInfo
	}
	var rows []row
	it := s.c.ListSecretVersions(ctx, &secretmanagerpb.ListSecretVersionsRequest{Parent: s.name, PageSize: 250})
	for {
		v, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			if codeOf(err) == codes.NotFound {
				return nil, nil, coded(driver.CodeNotFound, err, "the secret does not exist")
			}
			return nil, nil, err
		}
		n, ok := versionNumber(v.GetName())
		created := v.GetCreateTime().AsTime()
		if !ok || !s.visible(sn, n, created) {
			continue
		}
		var md map[string]string
		if r := sn.records[n]; r != nil && len(r.Meta) > 0 {
			md = maps.Clone(r.Meta)
		}
		rows = append(rows, row{n, &driver.VersionInfo{
			ID: formatID(n), Stage: sn.stageOf(n), Created: created,
			Enabled:  v.GetState() == secretmanagerpb.SecretVersion_ENABLED && !sn.retired.has(n),
			Metadata: md,
		}})
	}
	if len(rows) == 0 {
		return nil, nil, coded(driver.CodeNotFound, nil, "the secret has no versions")
	}
	// Version numbers break ties between versions created in the same
	// instant: they count up in the order of writing.
	slices.SortFunc(rows, func(a, b row) int {
		if c := a.info.Created.Compare(b.info.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.n, b.n)
	})
	out := make([]*driver.VersionInfo, len(rows))
	for i, r := range rows {
		out[i] = r.info
	}
	return sn, out, nil
}
