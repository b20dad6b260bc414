package storetest

import (
	"bytes"
	"testing"

	"github.com/snowpat/snowpat/secrets"
)

// testNames writes, reads and deletes a secret under each of the harness's
// unusual names, then checks that all of them, written side by side, keep
// apart: an escaping bug that maps two names onto one key shows here.
func testNames(t *testing.T, h *Harness) {
	if len(h.Names) == 0 {
		t.Skip("the harness lists no unusual names")
	}
	for _, nc := range h.Names {
		t.Run(nc.Label, func(t *testing.T) {
			e := newEnvNamed(t, h, nc.Name+"-"+randomHex(4))
			v := e.value(nc.Label)
			id := e.mustPut(v, nil)
			e.expect(stages{id: secrets.StageCurrent})
			if err := e.seen(e.s.Delete(e.ctx)); err != nil {
				e.fatalf("Delete: %v", err)
			}
			e.expect(stages{})
		})
	}
	t.Run("kept-apart", func(t *testing.T) {
		suffix := "-" + randomHex(4)
		envs := make([]*env, len(h.Names))
		vals := make([][]byte, len(h.Names))
		for i, nc := range h.Names {
			envs[i] = newEnvNamed(t, h, nc.Name+suffix)
			vals[i] = envs[i].value(nc.Label)
			envs[i].mustPut(vals[i], nil)
		}
		for i, e := range envs {
			vs := e.list()
			if len(vs) != 1 {
				t.Errorf("name %q: %d versions, want 1: another name shares its storage", h.Names[i].Name, len(vs))
				continue
			}
			cur, err := e.s.Current(e.ctx)
			if err != nil {
				t.Fatalf("name %q: Current: %v", h.Names[i].Name, e.seen(err))
			}
			if !bytes.Equal(cur.Value(), vals[i]) {
				t.Errorf("name %q reads another name's value", h.Names[i].Name)
			}
		}
	})
}

func newEnvNamed(t *testing.T, h *Harness, name string) *env {
	e := &env{t: t, h: h, ctx: t.Context(), name: name, values: map[string][]byte{}}
	e.s = e.open(name)
	t.Cleanup(e.scanErrors)
	return e
}
