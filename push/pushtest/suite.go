package pushtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/push"
)

// Conn describes one connection of content a Harness makes.
type Conn struct {
	// Snowflake makes a Snowflake connection with a user name and
	// password; otherwise the connection is of another type (SQL Server,
	// a published data source, …).
	Snowflake bool
	// Server is the connection's server address; empty is the emulated
	// account's host.
	Server string
}

// Held is what one Snowflake connection holds.
type Held struct{ User, Password string }

// Fixture is content a Harness made, opened as a destination, and the
// ways to look at it through the fake.
type Fixture struct {
	Dest *push.Destination
	// Held returns what each Snowflake connection holds, in order.
	Held func() []Held
	// Updates returns how many credential updates the fake has received
	// for the content.
	Updates func() int
	// Refresh makes the fake refresh the content, logging in with what
	// it holds.
	Refresh func(ctx context.Context) error
}

// Harness is what an adapter gives the suite.
type Harness struct {
	// Snowflake is the emulator the fake's refreshes log in to; the
	// suite rotates its token.
	Snowflake *Snowflake
	// Make publishes content with conns in the adapter's fake and opens
	// it with opts (the harness fills in its own HTTP client and
	// credentials where opts leaves them zero).
	Make func(t *testing.T, opts push.Options, conns ...Conn) Fixture
	// Testable says destinations of Make's content support Test and their
	// content can be refreshed through the API.
	Testable bool
}

// Run runs the conformance suite: the guarantees every destination gives,
// checked the same way for every BI tool.
func Run(t *testing.T, h Harness) {
	secret := h.Snowflake.AddToken(t)
	cred := func(s pat.Secret) push.Credential {
		return push.Credential{Account: h.Snowflake.Account(), User: h.Snowflake.User, Secret: s, Version: "v1"}
	}
	ctx := context.Background()
	sf, other := Conn{Snowflake: true}, Conn{}

	t.Run("WritesEverySnowflakeConnection", func(t *testing.T) {
		f := h.Make(t, push.Options{}, sf, other, sf)
		res, err := f.Dest.Push(ctx, cred(secret))
		must(t, err)
		if len(res.Connections) != 2 || len(res.Content.Connections) != 3 {
			t.Fatalf("wrote %d of %d connections, want 2 of 3", len(res.Connections), len(res.Content.Connections))
		}
		for i, held := range f.Held() {
			if held != (Held{h.Snowflake.User, secret.Reveal()}) {
				t.Fatalf("connection %d holds user %q and a password that is not the secret", i, held.User)
			}
		}
		must(t, f.Refresh(ctx))
	})

	t.Run("Idempotent", func(t *testing.T) {
		f := h.Make(t, push.Options{}, sf)
		for range 2 {
			_, err := f.Dest.Push(ctx, cred(secret))
			must(t, err)
		}
		if got := f.Held(); len(got) != 1 || got[0].Password != secret.Reveal() {
			t.Fatal("a second push of the same credential changed what the connection holds")
		}
		must(t, f.Refresh(ctx))
	})

	t.Run("InspectChangesNothing", func(t *testing.T) {
		f := h.Make(t, push.Options{}, sf, other)
		res, err := f.Dest.Inspect(ctx, h.Snowflake.Account())
		must(t, err)
		if len(res.Connections) != 1 || len(res.Content.Connections) != 2 || f.Updates() != 0 {
			t.Fatalf("Inspect found %d Snowflake connections of %d and made %d updates; want 1 of 2 and none", len(res.Connections), len(res.Content.Connections), f.Updates())
		}
	})

	refusals := []struct {
		name  string
		conns []Conn
		cred  push.Credential
		want  error
	}{
		{"NoSnowflakeConnection", []Conn{other, other}, cred(secret), push.ErrNoSnowflakeConnection},
		{"AnotherAccount", []Conn{sf, {Snowflake: true, Server: "someone-else.snowflakecomputing.com"}}, cred(secret), push.ErrWrongAccount},
		{"NotASnowflakeHost", []Conn{{Snowflake: true, Server: "db.example.com"}}, cred(secret), push.ErrWrongAccount},
		{"EmptySecret", []Conn{sf}, cred(pat.Secret{}), push.ErrInvalidArgument},
		{"BadAccount", []Conn{sf}, push.Credential{Account: "not an account!", User: "U", Secret: secret}, push.ErrInvalidArgument},
		{"BadUser", []Conn{sf}, push.Credential{Account: h.Snowflake.Account(), User: "", Secret: secret}, push.ErrInvalidArgument},
	}
	for _, r := range refusals {
		t.Run("Refuses"+r.name, func(t *testing.T) {
			f := h.Make(t, push.Options{}, r.conns...)
			_, err := f.Dest.Push(ctx, r.cred)
			if !errors.Is(err, r.want) {
				t.Fatalf("Push: %v; want %v", err, r.want)
			}
			if !strings.Contains(err.Error(), f.Dest.Identity()) {
				t.Fatalf("the error %q does not name the destination %s", err, f.Dest.Identity())
			}
			if f.Updates() != 0 {
				t.Fatalf("a refused push made %d updates", f.Updates())
			}
		})
	}

	t.Run("CancelledContextChangesNothing", func(t *testing.T) {
		f := h.Make(t, push.Options{}, sf)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := f.Dest.Push(cctx, cred(secret))
		if !errors.Is(err, context.Canceled) || f.Updates() != 0 {
			t.Fatalf("Push with a cancelled context: %v, %d updates", err, f.Updates())
		}
	})

	t.Run("SecretsNeverShow", func(t *testing.T) {
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		f := h.Make(t, push.Options{Logger: log}, sf)
		c := cred(secret)
		res, err := f.Dest.Push(ctx, c)
		must(t, err)
		_, refused := f.Dest.Push(ctx, push.Credential{Account: "other-account", User: c.User, Secret: secret})
		text := strings.Join([]string{logs.String(), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), fmt.Sprint(res), fmt.Sprint(refused)}, "\n")
		if strings.Contains(text, secret.Reveal()) {
			t.Fatal("the secret shows in a log line, an error or a printed value")
		}
		if !strings.Contains(logs.String(), f.Dest.Identity()) {
			t.Fatal("the push logged nothing naming the destination")
		}
	})

	t.Run("RefreshFollowsTheToken", func(t *testing.T) {
		f := h.Make(t, push.Options{}, sf)
		_, err := f.Dest.Push(ctx, cred(secret))
		must(t, err)
		must(t, f.Refresh(ctx))
		fresh := h.Snowflake.Rotate(t)
		defer func() { secret = fresh }()
		if err := f.Refresh(ctx); err == nil {
			t.Fatal("the content refreshed with a token that no longer works")
		}
		if h.Testable {
			if err := f.Dest.Test(ctx); !errors.Is(err, push.ErrRefreshFailed) {
				t.Fatalf("Test with a dead token: %v; want ErrRefreshFailed", err)
			}
		}
		_, err = f.Dest.Push(ctx, cred(fresh))
		must(t, err)
		must(t, f.Refresh(ctx))
		if h.Testable {
			must(t, f.Dest.Test(ctx))
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
