package azkv

import (
	"fmt"
	"maps"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The content type of every version this package writes carries its
// bookkeeping as media type parameters, because the version's 15 tags all
// belong to the caller's metadata. For example
//
//	text/plain; snowpat=1; sp-cur=.; sp-prev=3f0c…; sp-t=sx3k2l0a1bc; sp-w=Qm9yZ2U4Zm9; sp-n=1
//
// Parameter values are version ids, "." for the version itself, numbers,
// or base64url and base36 tokens, all MIME tokens.
const (
	pMarker  = "snowpat" // "1": the version was written by this package
	pCurrent = "sp-cur"  // the stage table after this write: current,
	pPending = "sp-pend" //   pending,
	pPrev    = "sp-prev" //   previous
	pCopyOf  = "sp-of"   // this version is a copy of that version's value
	pKey     = "sp-key"  // lookup id of the idempotency key
	pSum     = "sp-sum"  // MAC of the value under the idempotency key
	pEnc     = "sp-enc"  // "base64": the stored value is base64 of the bytes
	pTime    = "sp-t"    // writer's clock in base36 nanoseconds, to order versions within a second
	pWrite   = "sp-w"    // the write this version's request belongs to, random per write
	pAttempt = "sp-n"    // which attempt of that write the request was, from 1
	self     = "."

	maxContentType = 255 // Key Vault's limit, in characters
)

// mark is a version's parsed content type.
type mark struct {
	ours       bool              // written by this package
	media      string            // the caller's media type, with its own parameters
	userParams map[string]string // those parameters
	st         stages            // as written, with self for the version itself
	copyOf     string
	key, sum   string
	b64        bool
	t          int64
	w          string // write id: one per write, the same on every attempt
	n          int    // attempt number, 1 for the first
}

// stages names the versions holding each stage: ids, self, or "".
type stages struct{ cur, pend, prev string }

// parseMark reads a content type. One that does not parse, or lacks the
// marker, is someone else's: the version is treated as a plain current
// version written outside this package.
func parseMark(ct string) mark {
	media, params, err := mime.ParseMediaType(ct)
	if err != nil || params[pMarker] != "1" {
		return mark{media: ct, st: stages{cur: self}}
	}
	m := mark{ours: true, userParams: map[string]string{}}
	for k, v := range params {
		switch k {
		case pMarker:
		case pCurrent:
			m.st.cur = v
		case pPending:
			m.st.pend = v
		case pPrev:
			m.st.prev = v
		case pCopyOf:
			m.copyOf = v
		case pKey:
			m.key = v
		case pSum:
			m.sum = v
		case pEnc:
			m.b64 = v == "base64"
		case pTime:
			m.t, _ = strconv.ParseInt(v, 36, 64)
		case pWrite:
			m.w = v
		case pAttempt:
			m.n, _ = strconv.Atoi(v)
		default:
			m.userParams[k] = v
		}
	}
	m.media = mime.FormatMediaType(media, m.userParams)
	return m
}

// format renders m as a content type, refusing one Key Vault would refuse.
func (m mark) format() (string, error) {
	base, params, err := mime.ParseMediaType(m.media)
	if err != nil {
		return "", fmt.Errorf("azkv: content type %q is not a media type", m.media)
	}
	out := maps.Clone(params)
	for k := range out {
		if k == pMarker || strings.HasPrefix(k, "sp-") {
			return "", fmt.Errorf("azkv: content type %q uses the reserved parameter %q", m.media, k)
		}
	}
	out[pMarker] = "1"
	set := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	set(pCurrent, m.st.cur)
	set(pPending, m.st.pend)
	set(pPrev, m.st.prev)
	set(pCopyOf, m.copyOf)
	set(pKey, m.key)
	set(pSum, m.sum)
	if m.b64 {
		out[pEnc] = "base64"
	}
	if m.t != 0 {
		out[pTime] = strconv.FormatInt(m.t, 36)
	}
	set(pWrite, m.w)
	if m.n != 0 {
		out[pAttempt] = strconv.Itoa(m.n)
	}
	ct := mime.FormatMediaType(base, out)
	if ct == "" {
		return "", fmt.Errorf("azkv: content type %q cannot carry the stage parameters", m.media)
	}
	if n := utf8.RuneCountInString(ct); n > maxContentType {
		return "", fmt.Errorf("azkv: content type with stage parameters is %d characters; Key Vault takes %d: use a shorter content_type", n, maxContentType)
	}
	return ct, nil
}

// resolve turns the self marker into id, the logical id of the version
// the mark belongs to.
func (st stages) resolve(id string) stages {
	r := func(s string) string {
		if s == self {
			return id
		}
		return s
	}
	return stages{cur: r(st.cur), pend: r(st.pend), prev: r(st.prev)}
}

// relative is resolve's inverse: id becomes self.
func (st stages) relative(id string) stages {
	r := func(s string) string {
		if s == id {
			return self
		}
		return s
	}
	return stages{cur: r(st.cur), pend: r(st.pend), prev: r(st.prev)}
}

// without removes id from every stage.
func (st stages) without(id string) stages {
	r := func(s string) string {
		if s == id {
			return ""
		}
		return s
	}
	return stages{cur: r(st.cur), pend: r(st.pend), prev: r(st.prev)}
}
