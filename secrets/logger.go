package secrets

import (
	"context"
	"log/slog"
)

type loggerKey struct{}

// WithLogger returns a context that carries l. Openers log on it what an
// operator must hear about while a store is opened, such as a connection
// allowed to go unencrypted (see [Cleartext]); OpenStore with a context
// that carries no logger logs on slog.Default(). A nil l is the default.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// Logger returns the logger ctx carries (see WithLogger), or
// slog.Default(). It is for adapters' openers.
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}
