package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"

	"github.com/snowpat/snowpat/internal/k8sfake"
	"github.com/snowpat/snowpat/policy/k8slease"
)

// kubeArgs runs the rotator against the embedded emulator with the Lease
// locker on a fake cluster, found through a kubeconfig as on a laptop. The
// targets are pattest.yaml's with stores of the test's own, since mem://
// stores outlive a run and other tests expect them empty.
func kubeArgs(t *testing.T, link *k8sfake.Link, more ...string) []string {
	t.Helper()
	dir := t.TempDir()
	kc, err := k8sfake.WriteKubeconfig(dir, map[string]*k8sfake.Link{"fake": link}, "fake")
	require.NoError(t, err)
	b, err := os.ReadFile(config)
	require.NoError(t, err)
	targets := filepath.Join(dir, "targets.yaml")
	require.NoError(t, os.WriteFile(targets, []byte(strings.ReplaceAll(string(b), "mem://rotator/", "mem://"+t.Name()+"/")), 0o600))
	return append([]string{"--pattest", "--config", targets, "--locker", "k8s-lease", "--kubeconfig", kc,
		"--lease-namespace", "snowpat", "--identity", "rotator-0"}, more...)
}

func storedLease(t *testing.T, srv *k8sfake.Server, name string) *coordinationv1.Lease {
	t.Helper()
	b := srv.Object("coordination.k8s.io", "leases", "snowpat", name)
	require.NotNil(t, b, "lease %s", name)
	var l coordinationv1.Lease
	require.NoError(t, json.Unmarshal(b, &l))
	return &l
}

// The long-running rotator with the Lease locker: every target is applied
// under its own Lease, released when done; the probes answer and the
// engine's metrics are served to Prometheus while it runs.
func TestLeaseLockerAndProbes(t *testing.T) {
	srv := k8sfake.New()
	link := srv.Link()
	defer link.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, kubeArgs(t, link, "--listen", "127.0.0.1:0"), io.Discard, pw)
		_ = pw.Close()
	}()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	get := func(base, path string) (int, string) {
		resp, err := hc.Get(base + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var base string
	promoted := 0
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		var rec struct{ Msg, Addr, Event string }
		_ = json.Unmarshal([]byte(line), &rec)
		switch {
		case rec.Msg == "serving":
			base = "http://" + rec.Addr
			code, _ := get(base, "/healthz")
			assert.Equal(t, http.StatusOK, code)
		case rec.Event == "promoted":
			promoted++
			if promoted < 2 {
				continue
			}
			code, _ := get(base, "/readyz")
			assert.Equal(t, http.StatusOK, code)
			code, metrics := get(base, "/metrics")
			assert.Equal(t, http.StatusOK, code)
			assert.Contains(t, metrics, `snowpat_events_total{kind="promoted",`)
			assert.Contains(t, metrics, `target="powerbi"`)
			cancel()
		}
	}
	require.Equal(t, exitOK, <-done)
	require.Equal(t, 2, promoted, "both targets were rotated")
	for _, target := range []string{"powerbi", "tableau"} {
		l := storedLease(t, srv, "snowpat-"+target)
		assert.Equal(t, target, l.Annotations[k8slease.KeyAnnotation])
		assert.NotNil(t, l.Spec.AcquireTime, "the rotator held it")
		assert.Nil(t, l.Spec.HolderIdentity, "and released it")
	}
}

// Two replicas: while another replica holds one target's Lease, a pass
// rotates the other target and skips the held one without failing.
func TestTargetHeldByAnotherReplicaIsSkipped(t *testing.T) {
	srv := k8sfake.New()
	link, other := srv.Link(), srv.Link()
	defer link.Close()
	defer other.Close()
	l, err := k8slease.New(other.Clientset(), k8slease.Options{Namespace: "snowpat", Identity: "rotator-1"})
	require.NoError(t, err)
	held, err := l.Lock(context.Background(), "powerbi")
	require.NoError(t, err)
	defer func() { require.NoError(t, held.Unlock(context.Background())) }()

	var logs strings.Builder
	code := run(context.Background(), kubeArgs(t, link, "--once"), io.Discard, &logs)
	require.Equal(t, exitOK, code, logs.String())
	assert.Contains(t, logs.String(), `"target":"tableau"`)
	assert.Contains(t, logs.String(), `"event":"promoted"`)
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"target":"powerbi"`) {
			assert.NotContains(t, line, `"event":"created"`, "powerbi is the other replica's")
		}
	}
	require.NoError(t, held.Check(context.Background()), "the other replica still holds powerbi")
}

func TestLockerFlagsRefused(t *testing.T) {
	t.Setenv("KUBECONFIG", "/nonexistent/kubeconfig")
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	for _, args := range [][]string{
		{"--pattest", "--config", config, "--once", "--locker", "zookeeper"},
		{"--pattest", "--config", config, "--once", "--locker", "k8s-lease"}, // no cluster to be found
		{"--pattest", "--config", config, "--once", "--locker", "k8s-lease", "--kubeconfig", "/nonexistent", "--lease-namespace", "x"},
		{"--pattest", "--config", config, "--once", "--listen", "no-such-host-or-port"},
	} {
		assert.Equal(t, exitUsage, run(context.Background(), args, io.Discard, io.Discard), "%v", args)
	}
}
