// Command modproxy writes one module version into a GOPROXY directory (file:// layout) from a source tree, and prints
// its h1: hash. The engine build uses it for the few modules proxy.golang.org refuses here: the go command then checks
// each zip against the h1: lines of Dagger's go.sum, so a tree that differs from the published module fails the build.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

func main() {
	root := flag.String("root", "", "GOPROXY directory to write into")
	path := flag.String("module", "", "module path, e.g. github.com/vito/dang/v2")
	version := flag.String("version", "", "module version, e.g. v2.1.1")
	dir := flag.String("dir", "", "source tree of that version (the module root)")
	when := flag.String("time", "1970-01-01T00:00:00Z", "commit time for the .info file (RFC 3339)")
	flag.Parse()
	if *root == "" || *path == "" || *version == "" || *dir == "" {
		fmt.Fprintln(os.Stderr, "modproxy: -root, -module, -version and -dir are required")
		os.Exit(2)
	}
	h1, err := write(*root, module.Version{Path: *path, Version: *version}, *dir, *when)
	if err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
	fmt.Printf("%s %s %s\n", *path, *version, h1)
}

func write(root string, mv module.Version, dir, when string) (string, error) {
	escaped, err := module.EscapePath(mv.Path)
	if err != nil {
		return "", err
	}
	out := filepath.Join(root, escaped, "@v")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	base := filepath.Join(out, mv.Version)
	zf, err := os.Create(base + ".zip.tmp")
	if err != nil {
		return "", err
	}
	if err := modzip.CreateFromDir(zf, mv, dir); err != nil {
		zf.Close()
		return "", fmt.Errorf("zip %s: %w", mv, err)
	}
	if err := zf.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(base+".zip.tmp", base+".zip"); err != nil {
		return "", err
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(base+".mod", gomod, 0o644); err != nil {
		return "", err
	}
	info, _ := json.Marshal(map[string]string{"Version": mv.Version, "Time": when})
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return "", err
	}
	return dirhash.HashZip(base+".zip", dirhash.Hash1)
}
