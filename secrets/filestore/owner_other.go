//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package filestore

import "io/fs"

const oNoFollow = 0

func fileOwner(fs.FileInfo) (int, error) { return 0, errNoPlatform }
