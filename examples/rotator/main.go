package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/snowflakedb/gosnowflake"

	"github.com/snowpat/snowpat/internal/cli"
	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/pat/pattest"
	"github.com/snowpat/snowpat/policy"
	_ "github.com/snowpat/snowpat/push/powerbi"
	_ "github.com/snowpat/snowpat/push/tableau"
	"github.com/snowpat/snowpat/secrets"
	_ "github.com/snowpat/snowpat/secrets/awssm"
	_ "github.com/snowpat/snowpat/secrets/azkv"
	_ "github.com/snowpat/snowpat/secrets/filestore"
	_ "github.com/snowpat/snowpat/secrets/gcpsm"
	"github.com/snowpat/snowpat/secrets/memstore"
	_ "github.com/snowpat/snowpat/secrets/vault"
)

// Exit statuses a scheduler can act on.
const (
	exitOK          = 0
	exitTargetsFail = 1
	exitUsage       = 2
	exitLogin       = 3
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rotator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var admin cli.Admin
	admin.Register(fs)
	var kube kubeFlags
	kube.register(fs)
	var serve serveFlags
	serve.register(fs)
	configPath := fs.String("config", "", "YAML file of targets (required)")
	dryRun := fs.Bool("dry-run", false, "print the plan and change nothing")
	planJSON := fs.Bool("json", false, "with --dry-run: print the plan as JSON")
	once := fs.Bool("once", false, "apply what is due once and exit")
	parallelism := fs.Int("parallelism", 4, "targets applied at once")
	maxWait := fs.Duration("max-wait", time.Hour, "longest wait between passes")
	emulate := fs.Bool("pattest", false, "run against an embedded emulator (demonstration and smoke test); only mem:// stores, which it creates itself")
	insecureHTTP := fs.Bool("insecure-http", false, "allow --protocol http to a host that is not loopback: the administrator's key-pair JWT, the new secrets and the tokens being verified then travel in clear (logged at every login)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if *configPath == "" {
		log.Error("--config is required")
		return exitUsage
	}
	cfg, err := policy.LoadConfigFile(*configPath)
	if err != nil {
		log.Error("loading the configuration", slog.String("error", err.Error()))
		return exitUsage
	}
	_ = gosnowflake.GetLogger().SetLogLevel("error")
	srv, err := serve.start(log)
	if err != nil {
		log.Error("serving probes and metrics", slog.String("error", err.Error()))
		return exitUsage
	}
	defer srv.stop()
	locker, closeLocker, err := kube.newLocker()
	if err != nil {
		log.Error("the locker", slog.String("error", err.Error()))
		return exitUsage
	}
	defer closeLocker()

	var adminCfg, base gosnowflake.Config
	openStore, storeIdentity := secrets.OpenStore, secrets.Identity
	if *emulate {
		// A demonstration must never write a real store: the configuration
		// may well be production's. Only memory stores, which this process
		// creates, are allowed, and only their opener is known to the engine.
		if err := onlyMemoryStores(cfg.Targets); err != nil {
			log.Error("--pattest", slog.String("error", err.Error()))
			return exitUsage
		}
		var mux secrets.URLMux
		mux.Register(memstore.Scheme, memstore.OpenURL)
		mux.RegisterIdentity(memstore.Scheme, memstore.IdentityURL)
		openStore, storeIdentity = mux.OpenStore, mux.Identity
		srv, err := emulator(ctx, cfg.Targets)
		if err != nil {
			log.Error("starting the emulator", slog.String("error", err.Error()))
			return exitLogin
		}
		defer srv.Close()
		adminCfg, base = *srv.AdminConfig(), *srv.Config("", pattest.PAT(""))
		for i := range cfg.Targets {
			cfg.Targets[i].Account = srv.Account()
		}
	} else {
		if adminCfg, err = admin.Config(); err != nil {
			log.Error("administrator login", slog.String("error", err.Error()))
			return exitUsage
		}
		base = admin.Base()
	}
	login := pat.LoginOptions{InsecureHTTP: *insecureHTTP, Logger: log}
	if err := pat.CheckTransport(adminCfg, login); err != nil {
		log.Error("administrator login", slog.String("error", err.Error()))
		return exitUsage
	}
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, adminCfg))
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		log.Error("administrator login failed", slog.String("error", pat.Classify(err).Error()))
		return exitLogin
	}
	var records *secrets.Store
	if cfg.Records != "" {
		if records, err = openStore(ctx, cfg.Records); err != nil {
			log.Error("opening the push records", slog.String("error", err.Error()))
			return exitUsage
		}
		defer records.Close()
	}
	engine, err := policy.New(policy.Options{Admin: pat.NewClient(db), Verify: pat.VerifierWith(base, login), Logger: log,
		Locker: locker, MeterProvider: srv.meterProvider(), OpenStore: openStore, StoreIdentity: storeIdentity, Records: records})
	if err != nil {
		log.Error("starting the engine", slog.String("error", err.Error()))
		return exitUsage
	}
	defer engine.Close()
	srv.setReady(true)

	if *dryRun {
		plan := engine.Plan(ctx, cfg.Targets)
		if *planJSON {
			b, err := plan.JSON()
			if err != nil {
				return exitUsage
			}
			fmt.Fprintln(stdout, string(b))
		} else {
			fmt.Fprint(stdout, plan.Table())
		}
		return exitOK
	}
	runner := &policy.Runner{Engine: engine, Targets: cfg.Targets, Parallelism: *parallelism, MaxWait: *maxWait}
	if *once {
		plan, failed := runner.RunOnce(ctx)
		if ctx.Err() != nil {
			return exitInterrupted
		}
		for id, err := range failed {
			log.Error("target failed", slog.String("target", id), slog.String("error", err.Error()))
		}
		log.Info("pass done", slog.Int("targets", len(plan.Decisions)), slog.Int("due", len(plan.Due())), slog.Int("failed", len(failed)))
		if len(failed) > 0 {
			return exitTargetsFail
		}
		return exitOK
	}
	log.Info("running", slog.Int("targets", len(cfg.Targets)))
	if err := runner.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Error("run loop", slog.String("error", err.Error()))
		return exitTargetsFail
	}
	log.Info("stopped")
	return exitOK // a requested shutdown is a clean one
}

// onlyMemoryStores refuses a target whose stores are not mem://, the only
// ones the demonstration mode may write, and any push destination: a
// demonstration must not write a real BI tool either.
func onlyMemoryStores(targets []policy.Target) error {
	for _, t := range targets {
		if len(t.Push) > 0 {
			return fmt.Errorf("target %s pushes to BI destinations: --pattest writes nothing outside this process", t.ID())
		}
		for _, raw := range t.Stores {
			u, err := url.Parse(raw)
			if err != nil || u.Scheme != memstore.Scheme {
				return fmt.Errorf("target %s names a store that is not mem://: --pattest writes only to memory stores it creates, never to a real one", t.ID())
			}
		}
	}
	return nil
}

// emulator starts an embedded Snowflake account with the users the
// targets name, each a SERVICE user with a network policy admitting
// loopback and its policy's restricted role granted.
func emulator(ctx context.Context, targets []policy.Target) (*pattest.Server, error) {
	srv := pattest.NewServer()
	db := sql.OpenDB(gosnowflake.NewConnector(gosnowflake.SnowflakeDriver{}, *srv.AdminConfig()))
	defer db.Close()
	stmts := []string{"CREATE NETWORK POLICY IF NOT EXISTS loopback ALLOWED_IP_LIST = ('127.0.0.1', '::1')"}
	for _, t := range targets {
		u, err := pat.QuoteIdent(t.User)
		if err != nil {
			srv.Close()
			return nil, err
		}
		stmts = append(stmts, "CREATE USER IF NOT EXISTS "+u+" TYPE = SERVICE NETWORK_POLICY = loopback")
		if r := t.Policy.RoleRestriction; r != "" {
			qr, err := pat.QuoteIdent(r)
			if err != nil {
				srv.Close()
				return nil, err
			}
			stmts = append(stmts, "CREATE ROLE IF NOT EXISTS "+qr, "GRANT ROLE "+qr+" TO USER "+u)
		}
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			srv.Close()
			return nil, err
		}
	}
	return srv, nil
}
