package memstore

import "github.com/snowpat/snowpat/secrets/driver"

// Option configures a Store made by OpenStore or NewStore.
type Option func(*options)

type options struct {
	faults *Faults
}

// WithFaults attaches f to the Store: f counts the Store's calls and its
// armed faults apply to them. One Faults may serve many Stores; Match.Store
// tells them apart by the name each was opened with. A nil f attaches
// nothing.
func WithFaults(f *Faults) Option {
	return func(o *options) { o.faults = f }
}

// withOptions returns the driver a Store made with opts uses over s.
func withOptions(s *secret, name string, opts []Option) driver.Secret {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.faults == nil {
		return s
	}
	return &faulty{s: s, name: name, faults: o.faults}
}
