package awssm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// indexSuffix names the companion secret that holds each version's
// metadata: "team/powerbi" keeps its metadata in
// "team/powerbi.snowpat-metadata".
const indexSuffix = ".snowpat-metadata"

// maxNameLen is AWS's limit on secret names less the suffix, so that the
// companion's name is valid whenever the secret's is.
const maxNameLen = 512 - len(indexSuffix)

// Option configures New.
type Option func(*options)

type options struct {
	recoveryDays int64 // 0: AWS's default (30 days)
	force        bool
}

// WithRecoveryWindow makes Delete schedule the secret's deletion after
// days (7 to 30) instead of AWS's default 30. Until then the name stays
// reserved and Put returns secrets.ErrAlreadyExists; RestoreSecret brings
// the secret back.
func WithRecoveryWindow(days int) Option {
	return func(o *options) { o.recoveryDays, o.force = int64(days), false }
}

// WithForceDelete makes Delete remove the secret at once, without a
// recovery window, so that its name is free again (AWS completes the
// deletion asynchronously, so a Put right after may still be refused for
// a moment). Use it for secrets that are cheap to lose, such as those of
// tests.
func WithForceDelete() Option {
	return func(o *options) { o.force, o.recoveryDays = true, 0 }
}

// New returns a Store over the secret called name (a name, not an ARN)
// through client, which the caller configured (region, credentials,
// endpoint) and keeps: closing the Store does not close it.
func New(client *secretsmanager.Client, name string, opts ...Option) (*secrets.Store, error) {
	d, err := newSecret(client, name, opts...)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(d), nil
}

// secret is the driver.
type secret struct {
	c       *secretsmanager.Client
	name    string
	index   string
	opts    options
	onClose func() // releases what the URL opener created, or nil
}

var _ driver.Secret = (*secret)(nil)

func newSecret(client *secretsmanager.Client, name string, opts ...Option) (*secret, error) {
	if client == nil {
		return nil, invalidArg("a nil *secretsmanager.Client")
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	s := &secret{c: client, name: name, index: name + indexSuffix}
	for _, o := range opts {
		o(&s.opts)
	}
	if d := s.opts.recoveryDays; d != 0 && (d < 7 || d > 30) {
		return nil, invalidArg(fmt.Sprintf("a recovery window of %d days; AWS allows 7 to 30", d))
	}
	return s, nil
}

// checkName applies AWS's rules for secret names, so that a bad name fails
// at construction rather than at the first write. ARNs are refused: the
// companion secret is found by name, next to the secret.
func checkName(name string) error {
	if strings.HasPrefix(name, "arn:") {
		return invalidArg("an ARN; give the secret's name, so that its metadata companion can be named after it")
	}
	if name == "" || len(name) > maxNameLen {
		return invalidArg(fmt.Sprintf("a secret name of %d bytes; want 1 to %d", len(name), maxNameLen))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && !strings.ContainsRune("/_+=.@-", rune(c)) {
			return invalidArg(fmt.Sprintf("byte %d of the secret name is not a letter, digit or one of /_+=.@-", i))
		}
	}
	return nil
}

func invalidArg(what string) error {
	return &secrets.Error{Op: "awssm.New", Kind: secrets.ErrInvalidArgument, Err: errors.New("awssm: " + what)}
}

func (s *secret) ErrorCode(err error) driver.ErrorCode { return errorCode(err) }

// As supports **secretsmanager.Client.
func (s *secret) As(i any) bool {
	p, ok := i.(**secretsmanager.Client)
	if ok {
		*p = s.c
	}
	return ok
}

// ErrorAs is errors.As: the native errors are in the chain as they are.
func (s *secret) ErrorAs(err error, i any) bool { return errors.As(err, i) }

// Close releases what the URL opener made; a client passed to New is the
// caller's.
func (s *secret) Close() error {
	if s.onClose != nil {
		s.onClose()
	}
	return nil
}
