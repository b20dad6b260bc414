package pat

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
	"testing"
)

// fakeDB is a database/sql driver that records statements and answers them
// from a script. It lets unit tests see exactly what SQL a Client sends (or
// that it sends nothing) and feed it result sets, including odd ones real
// servers rarely produce. Integration against the real driver is the job
// of the pattest emulator tests.
type fakeDB struct {
	mu      sync.Mutex
	sent    []string
	args    [][]driver.NamedValue
	respond func(query string) fakeResult
}

type fakeResult struct {
	cols []string
	rows [][]driver.Value
	err  error
}

func newFakeDB(t *testing.T, respond func(query string) fakeResult) (*fakeDB, *sql.DB) {
	f := &fakeDB{respond: respond}
	db := sql.OpenDB(fakeConnector{f})
	t.Cleanup(func() { _ = db.Close() })
	return f, db
}

func (f *fakeDB) statements() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

func (f *fakeDB) run(query string, args []driver.NamedValue) fakeResult {
	f.mu.Lock()
	f.sent = append(f.sent, query)
	f.args = append(f.args, args)
	f.mu.Unlock()
	if f.respond == nil {
		return fakeResult{}
	}
	return f.respond(query)
}

type fakeConnector struct{ f *fakeDB }

func (c fakeConnector) Connect(context.Context) (driver.Conn, error) { return fakeConn(c), nil }
func (c fakeConnector) Driver() driver.Driver                        { return fakeDriver{} }

type fakeDriver struct{}

func (fakeDriver) Open(string) (driver.Conn, error) { return nil, errors.New("use the connector") }

type fakeConn struct{ f *fakeDB }

func (c fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not supported") }
func (c fakeConn) Close() error                        { return nil }
func (c fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("not supported") }

func (c fakeConn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	r := c.f.run(query, args)
	if r.err != nil {
		return nil, r.err
	}
	return &fakeRows{cols: r.cols, rows: r.rows}, nil
}

func (c fakeConn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	r := c.f.run(query, args)
	if r.err != nil {
		return nil, r.err
	}
	return driver.RowsAffected(0), nil
}

type fakeRows struct {
	cols []string
	rows [][]driver.Value
	i    int
}

func (r *fakeRows) Columns() []string { return r.cols }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.i >= len(r.rows) {
		return io.EOF
	}
	copy(dest, r.rows[r.i])
	r.i++
	return nil
}
