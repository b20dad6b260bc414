package policy_test

import (
	"errors"

	"github.com/snowpat/snowpat/secrets/driver"
)

// errInjected is the error the tests' faults inject.
var errInjected = errors.New("injected store fault")

// noCAS hides a driver's compare-and-swap.
type noCAS struct{ driver.Secret }
