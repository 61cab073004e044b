//go:build !unix

package store

// privateFiles has nothing to do where there is no umask (Windows files
// carry ACLs inherited from the case directory).
func privateFiles(string) error { return nil }
