// Command trivy-fixture-db loads Trivy's own test advisories (the YAML fixtures of its integration tests,
// aquasecurity/trivy integration/testdata/fixtures/db, Apache-2.0) into a Trivy vulnerability DB in a cache directory,
// the way Trivy's integration tests do (internal/dbtest.InitDB). The real DB comes from ghcr.io, which is not reachable
// here; with this one `trivy --cache-dir DIR fs --skip-db-update --offline-scan` runs a real vulnerability scan.
//
//	trivy-fixture-db <cache-dir> <fixture.yaml>...
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	fixtures "github.com/aquasecurity/bolt-fixtures"
	"github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
)

func run(cacheDir string, files []string) error {
	dbDir := filepath.Join(cacheDir, "db")
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		return err
	}
	loader, err := fixtures.New(db.Path(dbDir), files)
	if err != nil {
		return fmt.Errorf("open %s: %w", db.Path(dbDir), err)
	}
	if err := loader.Load(); err != nil {
		return fmt.Errorf("load fixtures: %w", err)
	}
	if err := loader.Close(); err != nil {
		return err
	}
	now := time.Now().UTC()
	return metadata.NewClient(dbDir).Update(metadata.Metadata{
		Version:      db.SchemaVersion,
		NextUpdate:   now.Add(100 * 365 * 24 * time.Hour),
		UpdatedAt:    now,
		DownloadedAt: now,
	})
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: trivy-fixture-db <cache-dir> <fixture.yaml>...")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "trivy-fixture-db:", err)
		os.Exit(1)
	}
}
