package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const config = "pattest.yaml"

func TestDryRunPrintsThePlan(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--pattest", "--config", config, "--dry-run"}, &out, &errs)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	for _, want := range []string{"TARGET", "powerbi  create", "tableau  create"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, out.String())
		}
	}
	code = run(context.Background(), []string{"--pattest", "--config", config, "--dry-run", "--json"}, &out, &errs)
	if code != exitOK || !strings.Contains(out.String(), `"action": "create"`) {
		t.Fatalf("JSON plan: exit %d\n%s", code, out.String())
	}
}

func TestOnceAppliesAndLogsJSON(t *testing.T) {
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--pattest", "--config", config, "--once"}, &out, &errs)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	log := errs.String()
	for _, want := range []string{`"event":"created"`, `"event":"promoted"`, `"msg":"pass done"`, `"failed":0`} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %s:\n%s", want, log)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("targets:\n  - user: U\n    colour: blue\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--no-such-flag"}, exitUsage},
		{[]string{}, exitUsage},
		{[]string{"--config", bad, "--pattest"}, exitUsage},
		{[]string{"--config", config}, exitUsage}, // no administrator login configured
	} {
		t.Setenv("SNOWFLAKE_ACCOUNT", "")
		t.Setenv("SNOWFLAKE_USER", "")
		t.Setenv("SNOWFLAKE_PRIVATE_KEY_PATH", "")
		if got := run(context.Background(), c.args, io.Discard, io.Discard); got != c.want {
			t.Errorf("%v: exit %d, want %d", c.args, got, c.want)
		}
	}
}

// TestGracefulShutdown runs the loop and stops it as SIGTERM would: by
// ending its context once it is running.
func TestGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--pattest", "--config", config}, io.Discard, pw)
		_ = pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	sawStopped := false
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, `"msg":"running"`) {
			cancel()
		}
		if strings.Contains(line, `"msg":"stopped"`) {
			sawStopped = true
		}
	}
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d after a requested shutdown", code)
	}
	if !sawStopped {
		t.Fatal("no stopped line")
	}
}

// The demonstration mode never writes outside the memory stores it
// creates: a production targets file with a file:// store is refused, and
// the file store is left untouched. (Issue 17.3.)
func TestPattestNeverWritesARealStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prod")
	conf := filepath.Join(t.TempDir(), "prod.yaml")
	yaml := "account: xy12345\ntargets:\n  - {user: POWERBI_SERVICE, token: POWERBI, policy: production, roleRestriction: BI_READER, stores: [\"file://" + dir + "\"]}\n"
	if err := os.WriteFile(conf, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	for _, mode := range []string{"--once", "--dry-run"} {
		code := run(context.Background(), []string{"--pattest", "--config", conf, mode}, &out, &errs)
		if code != exitUsage {
			t.Fatalf("%s: exit %d, want %d (usage): %s", mode, code, exitUsage, errs.String())
		}
	}
	if !strings.Contains(errs.String(), "not mem://") {
		t.Errorf("the refusal does not say why:\n%s", errs.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the file store was created or written: %v", err)
	}
}

// The administrator's login over plain HTTP to a host that is not
// loopback is refused unless --insecure-http says otherwise. (Issue 17.4.)
func TestPlainHTTPToARemoteHostRefused(t *testing.T) {
	key := filepath.Join(t.TempDir(), "k.pem")
	b, err := os.ReadFile(filepath.Join("..", "..", "pat", "testdata", "keys", "plain-pkcs8.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--config", config, "--dry-run", "--account", "xy12345", "--admin-user", "ROTATOR",
		"--private-key", key, "--protocol", "http", "--host", "snowflake.example.com"}, &out, &errs)
	if code != exitUsage || !strings.Contains(errs.String(), "in clear") {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
}
