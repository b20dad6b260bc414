package memstore

import "errors"

var errBadURL = errors.New(`memstore: want "mem://name" with a non-empty name and nothing else`)
