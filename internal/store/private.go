package store

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// createPrivate makes a new database file readable by its owner only; SQLite gives -wal and -shm
// the main file's mode, so they follow. An existing file keeps the mode its owner gave it.
func createPrivate(path string) error {
	path = strings.TrimPrefix(path, "file:")
	path, _, _ = strings.Cut(path, "?")
	if path == "" || path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
