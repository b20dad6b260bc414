package gcpsm

import (
	"errors"
	"strings"
	"time"

	secretmanager "cloud.google.com/go/secretmanager/apiv1"
	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"google.golang.org/protobuf/proto"
)

// inFlightWindow is how long a version that snowpat has no record of, and
// that no stage alias names, stays hidden: a write adds its version first
// and records and stages it a moment later, and until then readers must
// not see it. A version added by another tool shows once this old.
const inFlightWindow = 10 * time.Minute

// Option configures New.
type Option func(*options)

type options struct {
	destroyRetired bool
	replication    *secretmanagerpb.Replication
}

// WithDestroyRetired makes Retire destroy versions (their payload is
// deleted, irreversibly) instead of disabling them.
func WithDestroyRetired() Option { return func(o *options) { o.destroyRetired = true } }

// WithReplication sets the replication policy of secrets that Put
// creates. The default is automatic replication.
func WithReplication(r *secretmanagerpb.Replication) Option {
	return func(o *options) { o.replication = proto.Clone(r).(*secretmanagerpb.Replication) }
}

// New returns a Store over the secret name ("projects/<project>/secrets/<id>")
// through client, which the caller configured and keeps: closing the Store
// does not close it.
func New(client *secretmanager.Client, name string, opts ...Option) (*secrets.Store, error) {
	s, err := newSecret(client, name, opts...)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(s), nil
}

// secret is the driver.
type secret struct {
	c       *secretmanager.Client
	name    string
	parent  string // projects/<project>
	id      string // the secret id
	opts    options
	now     func() time.Time
	window  time.Duration
	onClose func() error // closes a client the URL opener made, or nil
}

var (
	_ driver.Secret            = (*secret)(nil)
	_ driver.CompareAndSwapper = (*secret)(nil)
)

func newSecret(client *secretmanager.Client, name string, opts ...Option) (*secret, error) {
	if client == nil {
		return nil, invalidArg("a nil *secretmanager.Client")
	}
	parent, id, err := splitName(name)
	if err != nil {
		return nil, err
	}
	s := &secret{c: client, name: name, parent: parent, id: id, now: time.Now, window: inFlightWindow}
	for _, o := range opts {
		o(&s.opts)
	}
	if s.opts.replication == nil {
		s.opts.replication = &secretmanagerpb.Replication{
			Replication: &secretmanagerpb.Replication_Automatic_{Automatic: &secretmanagerpb.Replication_Automatic{}},
		}
	}
	return s, nil
}

// splitName checks "projects/<project>/secrets/<id>", with GCP's rule for
// secret ids (1 to 255 letters, digits, '-' and '_'), so that a bad name
// fails at construction rather than at the first write.
func splitName(name string) (parent, id string, err error) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[0] != "projects" || parts[1] == "" || parts[2] != "secrets" {
		return "", "", invalidArg("want a secret name projects/<project>/secrets/<id>")
	}
	id = parts[3]
	if id == "" || len(id) > 255 {
		return "", "", invalidArg("a secret id is 1 to 255 characters")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return "", "", invalidArg("a secret id holds only letters, digits, '-' and '_'")
		}
	}
	return "projects/" + parts[1], id, nil
}

func invalidArg(what string) error {
	return &secrets.Error{Op: "gcpsm.New", Kind: secrets.ErrInvalidArgument, Err: errors.New("gcpsm: " + what)}
}

func (s *secret) versionName(n int64) string { return s.name + "/versions/" + formatID(n) }

func (s *secret) ErrorCode(err error) driver.ErrorCode { return errorCode(err) }

// As supports **secretmanager.Client.
func (s *secret) As(i any) bool {
	p, ok := i.(**secretmanager.Client)
	if ok {
		*p = s.c
	}
	return ok
}

// ErrorAs is errors.As: the client's *apierror.APIError is in the chain as
// it is, and so is the gRPC status, through an interface target (a
// *status.Status is not an error, so it cannot be a target itself).
func (s *secret) ErrorAs(err error, i any) bool { return errors.As(err, i) }

// Close closes the client if the URL opener made it; a client passed to
// New is the caller's.
func (s *secret) Close() error {
	if s.onClose != nil {
		return s.onClose()
	}
	return nil
}
