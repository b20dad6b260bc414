package storetest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/snowpat/snowpat/secrets"
)

// encodings returns the forms in which a leaked value is likely to show.
func encodings(v []byte) []string {
	return []string{
		string(v),
		hex.EncodeToString(v),
		strings.ToUpper(hex.EncodeToString(v)),
		base64.StdEncoding.EncodeToString(v),
		base64.RawStdEncoding.EncodeToString(v),
		base64.URLEncoding.EncodeToString(v),
		base64.RawURLEncoding.EncodeToString(v),
	}
}

// put writes v as current through the case's Store.
func (e *env) put(v []byte, o *secrets.PutOptions) (string, error) {
	e.remember(v)
	id, err := e.s.Put(e.ctx, v, o)
	if err == nil {
		e.recordVersion(id, v)
	}
	return id, e.seen(err)
}

func (e *env) mustPut(v []byte, o *secrets.PutOptions) string {
	e.t.Helper()
	id, err := e.put(v, o)
	if err != nil {
		e.fatalf("Put: %v", err)
	}
	if id == "" {
		e.fatalf("Put returned an empty id")
	}
	return id
}

func (e *env) putPending(v []byte, o *secrets.PutOptions) (string, error) {
	e.remember(v)
	id, err := e.s.PutPending(e.ctx, v, o)
	if err == nil {
		e.recordVersion(id, v)
	}
	return id, e.seen(err)
}

func (e *env) mustPutPending(v []byte, o *secrets.PutOptions) string {
	e.t.Helper()
	id, err := e.putPending(v, o)
	if err != nil {
		e.fatalf("PutPending: %v", err)
	}
	return id
}

func (e *env) mustPromote(id string) {
	e.t.Helper()
	if err := e.seen(e.s.Promote(e.ctx, id)); err != nil {
		e.fatalf("Promote(%s): %v", id, err)
	}
}

func (e *env) mustRetire(id string) {
	e.t.Helper()
	if err := e.seen(e.s.Retire(e.ctx, id)); err != nil {
		e.fatalf("Retire(%s): %v", id, err)
	}
}

// wantKind fails unless err matches kind and no other code.
func (e *env) wantKind(what string, err error, kind error) {
	e.t.Helper()
	e.seen(err)
	if err == nil {
		e.t.Fatalf("%s: got no error, want %v", what, kind)
	}
	if !errors.Is(err, kind) {
		e.t.Fatalf("%s: got %v, want an error matching %v", what, err, kind)
	}
	for _, other := range allKinds {
		if other != kind && errors.Is(err, other) {
			e.t.Fatalf("%s: %v matches %v as well as %v", what, err, other, kind)
		}
	}
}

var allKinds = []error{
	secrets.ErrNotFound, secrets.ErrAlreadyExists, secrets.ErrConflict, secrets.ErrPermissionDenied,
	secrets.ErrUnavailable, secrets.ErrInvalidArgument, secrets.ErrUnsupported,
}

// list returns the secret's versions, or nil when it does not exist.
func (e *env) list() []secrets.VersionInfo {
	e.t.Helper()
	vs, err := e.s.List(e.ctx)
	if errors.Is(err, secrets.ErrNotFound) {
		e.seen(err)
		return nil
	}
	if err != nil {
		e.fatalf("List: %v", e.seen(err))
	}
	return vs
}

// expect checks the whole secret against want, which gives the stage of
// every version that must exist (and no other may): List, the reads of
// each stage, and the read of each version by id.
func (e *env) expect(want map[string]secrets.Stage) {
	e.t.Helper()
	vs := e.list()
	got := make(map[string]secrets.Stage, len(vs))
	for _, v := range vs {
		if _, dup := got[v.ID]; dup {
			e.fatalf("List reports version %s twice", v.ID)
		}
		got[v.ID] = v.Stage
		if v.Created.IsZero() {
			e.t.Errorf("List: version %s has a zero Created time", v.ID)
		}
	}
	if !maps.Equal(got, want) {
		e.fatalf("versions and stages: got %v, want %v", got, want)
	}
	for i := 1; i < len(vs); i++ {
		if vs[i].Created.Before(vs[i-1].Created) {
			e.t.Errorf("List is not oldest first: %s (%s) before %s (%s)", vs[i-1].ID, vs[i-1].Created, vs[i].ID, vs[i].Created)
		}
	}
	byStage := map[secrets.Stage]*secrets.Version{}
	for _, st := range threeStages {
		holder := ""
		for id, s := range want {
			if s == st {
				holder = id
			}
		}
		v, err := e.s.ByStage(e.ctx, st)
		if holder == "" {
			e.wantKind("ByStage("+st.String()+")", err, secrets.ErrNotFound)
			continue
		}
		if err != nil {
			e.fatalf("ByStage(%s): %v", st, e.seen(err))
		}
		e.checkVersion("ByStage("+st.String()+")", v, holder, st)
		byStage[st] = v
	}
	e.checkStages(byStage)
	if cur, ok := holderOf(want, secrets.StageCurrent); ok {
		v, err := e.s.Current(e.ctx)
		if err != nil {
			e.fatalf("Current: %v", e.seen(err))
		}
		e.checkVersion("Current", v, cur, secrets.StageCurrent)
	} else {
		_, err := e.s.Current(e.ctx)
		e.wantKind("Current", err, secrets.ErrNotFound)
	}
	for _, info := range vs {
		v, err := e.s.ByID(e.ctx, info.ID)
		if !info.Enabled {
			e.wantKind("ByID of disabled version "+info.ID, err, secrets.ErrNotFound)
			continue
		}
		if err != nil {
			e.fatalf("ByID(%s): %v", info.ID, e.seen(err))
		}
		e.checkVersion("ByID", v, info.ID, info.Stage)
		if !maps.Equal(v.Metadata, info.Metadata) {
			e.t.Errorf("ByID(%s) metadata %v, List says %v", info.ID, v.Metadata, info.Metadata)
		}
	}
}

// threeStages are the stages a version can be read by.
var threeStages = []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious}

// checkStages reads Stages and checks it against byStage, what the three
// ByStage reads of a quiescent secret just returned (no entry for a stage
// they did not find): the same versions, field for field and value for
// value, or ErrNotFound with no versions when none was found.
func (e *env) checkStages(byStage map[secrets.Stage]*secrets.Version) {
	e.t.Helper()
	got, err := e.s.Stages(e.ctx)
	if len(byStage) == 0 {
		e.wantKind("Stages with no stage held", err, secrets.ErrNotFound)
		if got != (secrets.Stages{}) {
			e.t.Errorf("Stages returned versions with its error")
		}
		return
	}
	if err != nil {
		e.fatalf("Stages: %v", e.seen(err))
	}
	for _, st := range threeStages {
		want, have := byStage[st], got.ByStage(st)
		what := "Stages." + st.String()
		switch {
		case want == nil && have != nil:
			e.fatalf("%s: got version %s, ByStage found none", what, have.ID)
		case want != nil && have == nil:
			e.fatalf("%s: got none, ByStage found version %s", what, want.ID)
		case want != nil:
			e.sameVersion(what, have, want)
		}
	}
}

// sameVersion fails unless got and want agree in every field and in
// value. Only the infos are printed, never the values.
func (e *env) sameVersion(what string, got, want *secrets.Version) {
	e.t.Helper()
	g, w := got.VersionInfo, want.VersionInfo
	if g.ID != w.ID || g.Stage != w.Stage || g.Enabled != w.Enabled || !g.Created.Equal(w.Created) || !maps.Equal(g.Metadata, w.Metadata) {
		e.fatalf("%s: got %+v, ByStage read %+v", what, g, w)
	}
	if !bytes.Equal(got.Value(), want.Value()) {
		e.fatalf("%s: version %s has another value than ByStage read (%d bytes, want %d)", what, g.ID, len(got.Value()), len(want.Value()))
	}
}

func holderOf(want map[string]secrets.Stage, st secrets.Stage) (string, bool) {
	for id, s := range want {
		if s == st {
			return id, true
		}
	}
	return "", false
}

// checkVersion checks a read version's id, stage and value.
func (e *env) checkVersion(what string, v *secrets.Version, id string, st secrets.Stage) {
	e.t.Helper()
	if v.ID != id || v.Stage != st {
		e.fatalf("%s: got version %s at stage %s, want %s at %s", what, v.ID, v.Stage, id, st)
	}
	if !v.Enabled {
		e.t.Errorf("%s: read version %s reports Enabled=false", what, id)
	}
	e.mu.Lock()
	want, known := e.values[id]
	e.mu.Unlock()
	if known && !bytes.Equal(v.Value(), want) {
		e.fatalf("%s: version %s has a different value from the one written (%d bytes, want %d)", what, id, len(v.Value()), len(want))
	}
}

// stateOf returns the ids of a List result, for comparing before and after
// a call that must change nothing.
func stateOf(vs []secrets.VersionInfo) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID + "/" + v.Stage.String() + "/" + map[bool]string{true: "enabled", false: "disabled"}[v.Enabled]
	}
	return out
}

// unchanged fails unless the secret is as before.
func (e *env) unchanged(what string, before []secrets.VersionInfo) {
	e.t.Helper()
	if after := e.list(); !slices.Equal(stateOf(before), stateOf(after)) {
		e.fatalf("%s changed the secret: before %v, after %v", what, stateOf(before), stateOf(after))
	}
}
