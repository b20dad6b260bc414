package snowpat_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/policy"
)

var fence = regexp.MustCompile("(?s)```(\\w+)\\n(.*?)```")

// TestREADMECodeBlocks keeps the README honest: every Go block is a whole
// file a user can paste, and compiles (with go vet) in a module of its own
// that requires snowpat as an outside program would; every YAML block is a
// target file the loader accepts.
func TestREADMECodeBlocks(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := fence.FindAllStringSubmatch(string(readme), -1)
	var goBlocks, yamlBlocks int
	for _, m := range blocks {
		lang, body := m[1], m[2]
		switch lang {
		case "go":
			goBlocks++
			t.Run(fmt.Sprintf("go%d", goBlocks), func(t *testing.T) { compileOutside(t, body) })
		case "yaml":
			yamlBlocks++
			if _, err := policy.LoadConfig(strings.NewReader(body), "README.md"); err != nil {
				t.Errorf("a YAML block of the README does not load: %v", err)
			}
		}
	}
	if goBlocks < 3 || yamlBlocks < 1 {
		t.Fatalf("found %d Go and %d YAML blocks; the README lost its examples", goBlocks, yamlBlocks)
	}
}

// compileOutside vets body as the only file of a module that requires
// this one, with no network: the module cache already holds what snowpat
// needs, and go.sum is this module's.
func compileOutside(t *testing.T, body string) {
	if !strings.HasPrefix(strings.TrimSpace(body), "package ") {
		t.Fatalf("a Go block of the README is not a whole file a user can paste:\n%s", body)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := "main.go"
	if strings.Contains(body, "*testing.T") {
		name = "readme_test.go"
	}
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	gomod := fmt.Sprintf("module example.com/readme\n\ngo %s\n\nrequire github.com/snowpat/snowpat v0.0.0-00010101000000-000000000000\n\nreplace github.com/snowpat/snowpat => %s\n",
		strings.TrimPrefix(runtime.Version(), "go"), root)
	for file, data := range map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum, name: []byte(body)} {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("a Go block of the README does not compile as an outside module would:\n%s\n%s", out, body)
	}
}
