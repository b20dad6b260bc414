package snowpat_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/policy"
)

var fence = regexp.MustCompile("(?s)```(\\w+)\\n(.*?)```")

// TestREADMECodeBlocks keeps the README honest: every Go block is a
// verbatim copy of part of an Example function (which compiles, and runs
// where it has an Output comment), and every YAML block is a target file
// the loader accepts.
func TestREADMECodeBlocks(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, "example_test.go") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			examples = append(examples, normalize(string(b)))
		}
		return err
	})
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
			found := false
			for _, ex := range examples {
				if strings.Contains(ex, normalize(body)) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("this Go block of the README is not a copy of an Example function:\n%s", body)
			}
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

// normalize drops indentation and blank lines, so a block indented as a
// function body matches the function.
func normalize(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
