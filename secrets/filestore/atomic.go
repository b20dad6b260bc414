package filestore

import "os"

// writeAtomic puts data in the directory under name so that, whenever the
// process or the machine stops, the name holds either its old contents or
// all of data: data goes to a temporary file that is fsynced, then renamed
// over name (rename is atomic), then the directory is fsynced so that the
// rename itself survives a power loss. stage names the file for the crash
// hooks ("version" or "state").
//
// renamed reports whether the rename happened: if it did, name holds data
// for every reader even when err (from the directory fsync) is not nil,
// and the caller must treat the write as visible.
func (s *secret) writeAtomic(name string, data []byte, stage string) (renamed bool, err error) {
	// A name only filestore makes, so that garbage collection can remove
	// exactly its own leftovers; O_EXCL never opens an existing file or
	// follows a symlink.
	tmpName := tempPrefix + newID()
	f, err := s.openFile(tmpName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, err
	}
	tmp := s.path(tmpName)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		crashPoint(stage + ":temp-synced")
		err = os.Rename(tmp, s.path(name))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return false, err
	}
	crashPoint(stage + ":renamed")
	if err := syncDir(s.dir); err != nil {
		return true, err
	}
	crashPoint(stage + ":dir-synced")
	return true, nil
}

// syncDir fsyncs a directory, making the creation, renaming and removal of
// its entries durable. It is a variable so that tests can make it fail.
var syncDir = fsyncDir

func fsyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
