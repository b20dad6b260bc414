package azkv

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/azsecrets"
	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

// Options are the optional settings of a Store. The zero value is ready to
// use.
type Options struct {
	// ContentType is the media type written for a version whose metadata
	// has no "content_type" entry, such as "application/json". Empty means
	// "text/plain" for a text value and "application/octet-stream" for a
	// binary one.
	ContentType string
}

// secret is the driver for one Key Vault secret. It keeps no state of its
// own between calls: every call reads what it needs from the vault, so
// that several drivers, in several processes, can share a secret.
type secret struct {
	c    *azsecrets.Client
	name string
	opts Options
	// sleep waits between the adapter's own attempts of a SetSecret;
	// tests replace it.
	sleep func(context.Context, time.Duration) error
}

var _ driver.Secret = (*secret)(nil)

// New returns a Store over the secret called name in the vault client
// talks to. name is what Key Vault accepts: 1 to 127 ASCII letters,
// digits and '-' (compared without regard to case). The client keeps its
// own credentials, retries and transport.
func New(client *azsecrets.Client, name string, opts *Options) (*secrets.Store, error) {
	d, err := newSecret(client, name, opts)
	if err != nil {
		return nil, err
	}
	return secrets.NewStore(d), nil
}

func newSecret(client *azsecrets.Client, name string, opts *Options) (*secret, error) {
	if client == nil {
		return nil, invalidArg(errors.New("azkv: nil client"))
	}
	if err := checkName(name); err != nil {
		return nil, invalidArg(err)
	}
	s := &secret{c: client, name: name, sleep: sleepCtx}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.ContentType != "" {
		if _, _, err := mime.ParseMediaType(s.opts.ContentType); err != nil {
			return nil, invalidArg(fmt.Errorf("azkv: Options.ContentType %q is not a media type", s.opts.ContentType))
		}
	}
	return s, nil
}

// invalidArg wraps a constructor's refusal for callers that test it with
// errors.Is(err, secrets.ErrInvalidArgument).
func invalidArg(err error) error {
	return &secrets.Error{Op: "azkv.New", Kind: secrets.ErrInvalidArgument, Err: err}
}

// checkName applies Key Vault's rule for object names.
func checkName(name string) error {
	if len(name) == 0 || len(name) > 127 {
		return fmt.Errorf("azkv: secret name is %d bytes; want 1 to 127", len(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '-' {
			return fmt.Errorf("azkv: secret name %q: byte %d is not an ASCII letter, digit or '-'", name, i)
		}
	}
	return nil
}

// As reaches the *azsecrets.Client: pass a **azsecrets.Client.
func (s *secret) As(i any) bool {
	p, ok := i.(**azsecrets.Client)
	if ok {
		*p = s.c
	}
	return ok
}

// Close does nothing: the client belongs to the caller.
func (s *secret) Close() error { return nil }
