// Package plazabin builds the real plaza binary for tests that must run it
// (crash tests killing it with SIGKILL, commands run as a child process).
// It is built at most once per test process, whatever number of tests ask,
// into a directory that Main removes when the package's tests end.
package plazabin

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	once  sync.Once
	dir   string
	bin   string
	built error
)

// Path returns the path of a plaza binary built from this checkout, building
// it on the first call of the process. A failed build fails the calling
// test (and every later caller, without building again).
func Path(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { bin, built = build() })
	if built != nil {
		tb.Fatalf("build plaza: %v", built)
	}
	return bin
}

// Main runs the package's tests and then removes the built binary. Call it
// from TestMain: func TestMain(m *testing.M) { plazabin.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
	os.Exit(code)
}

func build() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err = os.MkdirTemp("", "plazabin-")
	if err != nil {
		return "", fmt.Errorf("temp dir: %w", err)
	}
	out := filepath.Join(dir, "plaza")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, b)
	}
	return out, nil
}

// moduleRoot walks up from the working directory (a package's directory
// under go test) to the go.mod of the plaza module.
func moduleRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("no go.mod above the working directory")
		}
		d = parent
	}
}
