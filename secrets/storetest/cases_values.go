package storetest

import (
	"crypto/rand"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

var valueCases = []testCase{
	{"value-sizes", anyBackend, testValueSizes},
	{"binary-values", anyBackend, testBinaryValues},
	{"values-are-copied", anyBackend, testValuesCopied},
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// One byte and exactly MaxValueSize round-trip; empty and one byte more
// are refused before the backend sees them.
func testValueSizes(e *env) {
	one := e.mustPut([]byte{'x'}, nil)
	biggest := randomBytes(secrets.MaxValueSize)
	big := e.mustPut(biggest, nil)
	pend := e.mustPutPending(randomBytes(secrets.MaxValueSize), nil)
	e.expect(stages{one: secrets.StagePrevious, big: secrets.StageCurrent, pend: secrets.StagePending})
	before := e.list()
	tooBig := randomBytes(secrets.MaxValueSize + 1)
	for what, v := range map[string][]byte{"empty": {}, "nil": nil, "MaxValueSize+1": tooBig} {
		_, err := e.put(v, nil)
		e.wantKind("Put("+what+")", err, secrets.ErrInvalidArgument)
		_, err = e.putPending(v, nil)
		e.wantKind("PutPending("+what+")", err, secrets.ErrInvalidArgument)
		if e.s.SupportsCompareAndSwap() {
			_, err = e.casPut(v, secrets.IfCurrent(big), nil)
			e.wantKind("PutIf("+what+")", err, secrets.ErrInvalidArgument)
		}
	}
	e.unchanged("refused values", before)
}

// Values are bytes, not text: invalid UTF-8, NULs, line ends and
// surrounding blanks round-trip exactly.
func testBinaryValues(e *env) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	values := [][]byte{
		all,
		{0xff, 0xfe, 0xfd},               // invalid UTF-8
		{0xc3},                           // truncated UTF-8 sequence
		{0x00},                           // a lone NUL
		{0x00, 'a', 0x00, 0x00},          // NULs inside and at the end
		[]byte("  padded\r\n\t"),         // blanks a text codec might trim
		[]byte("\xef\xbb\xbfbom"),        // a byte-order mark a codec might strip
		[]byte(`{"json":"like"}` + "\n"), // looks like a structured value
	}
	want := stages{}
	var ids []string
	for _, v := range values {
		id := e.mustPut(v, nil)
		ids = append(ids, id)
		want[id] = secrets.StageNone
		got, err := e.s.ByID(e.ctx, id)
		if err != nil {
			e.fatalf("ByID: %v", e.seen(err))
		}
		e.checkVersion("ByID", got, id, secrets.StageCurrent)
	}
	want[ids[len(ids)-1]] = secrets.StageCurrent
	want[ids[len(ids)-2]] = secrets.StagePrevious
	e.expect(want)
}

// Neither the caller's slice nor a returned one aliases what is stored.
func testValuesCopied(e *env) {
	v := e.value("v")
	in := append([]byte(nil), v...)
	id := e.mustPut(in, nil)
	in[0] ^= 0xff
	got, err := e.s.ByID(e.ctx, id)
	if err != nil {
		e.fatalf("ByID: %v", e.seen(err))
	}
	e.checkVersion("ByID after changing the written slice", got, id, secrets.StageCurrent)
	out := got.Value()
	out[0] ^= 0xff
	e.checkVersion("the same Version after changing a returned slice", got, id, secrets.StageCurrent)
	again, err := e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current: %v", e.seen(err))
	}
	e.checkVersion("Current after changing a returned slice", again, id, secrets.StageCurrent)

	// The Store copies too, which would hide a driver that does not: the
	// driver contract lets callers keep and change what Get returns.
	dv, err := e.driver().Get(e.ctx, driver.Selector{ID: id})
	if err != nil {
		e.fatalf("driver Get: %v", e.seen(err))
	}
	dv.Value[0] ^= 0xff
	again, err = e.s.Current(e.ctx)
	if err != nil {
		e.fatalf("Current: %v", e.seen(err))
	}
	e.checkVersion("Current after changing a slice the driver returned", again, id, secrets.StageCurrent)
}
