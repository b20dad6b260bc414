package policy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"

	"github.com/snowpat/snowpat/pat"
)

// The engine's memory between observations, so that a pass which only
// confirms that nothing changed asks Snowflake two questions per target
// (the user and its token list, at once) and each store one.
//
// Facts — the PAT policy in force, the roles granted — change rarely, and
// Snowflake stays the authority: a decision taken on an outdated fact
// meets Snowflake's refusal (an ADD beyond a new maximum lifetime, a
// restricted role no longer granted, which fails the login), the attempt
// fails, and every failed attempt forgets the user's memory, so the next
// one observes afresh. They are kept for factsMaxAge. The user itself is
// described on every observation: a disabled or dropped user blocks before
// anything is sent.
//
// Decodes: what SYSTEM$DECODE_PAT says of a secret (which token it belongs
// to, in which state) changes only through the token list — a ROTATE
// gives the old secret a new name, a RENAME renames, a REMOVE or an expiry
// changes a status — so an answer is reused only while the user's token
// list, as SHOW returns it, is exactly the one it was given under. The
// memory keys answers by an HMAC of the secret under a key drawn when the
// engine is made, never by the secret, and keeps only the current token
// list's answers.
type memo struct {
	key [32]byte // the HMAC key: a digest reveals nothing without it

	mu    sync.Mutex
	users map[string]*userMemo
}

// factsMaxAge bounds how long facts are reused.
const factsMaxAge = 6 * time.Hour

type userMemo struct {
	facts   *userFacts
	factsAt time.Time
	list    [32]byte // digest of the token list the decodes were given under
	decodes map[[32]byte]decodeResult
}

// userFacts is what the account's rules say of a user's tokens.
type userFacts struct {
	fresh      bool // read in this observation, not recalled
	policy     *pat.PATPolicy
	policyErr  error
	roles      []string
	rolesKnown bool
}

// decodeResult is a decoded secret: its token, or why it is no token.
type decodeResult struct {
	tok *pat.DecodedToken
	err error
}

func newMemo() *memo {
	m := &memo{users: map[string]*userMemo{}}
	_, _ = rand.Read(m.key[:])
	return m
}

// facts returns the user's facts if they are younger than factsMaxAge.
func (m *memo) facts(user string, now time.Time) *userFacts {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.users[user]
	if u == nil || u.facts == nil || now.Sub(u.factsAt) >= factsMaxAge || now.Before(u.factsAt) {
		return nil
	}
	f := *u.facts
	f.fresh = false
	return &f
}

func (m *memo) keepFacts(user string, f *userFacts, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.user(user)
	u.facts, u.factsAt = f, now
}

// forget drops everything known of user: after a failed attempt, or an
// observation that could not complete.
func (m *memo) forget(user string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.users, user)
}

func (m *memo) user(name string) *userMemo {
	u := m.users[name]
	if u == nil {
		u = &userMemo{}
		m.users[name] = u
	}
	return u
}

// fill copies the facts into an observation.
func (f *userFacts) fill(o *Observed) {
	o.PATPolicy, o.PATPolicyErr = f.policy, f.policyErr
	o.GrantedRoles, o.RolesKnown = f.roles, f.rolesKnown
}

// decoder decodes the secrets of one observation, through the memory when
// the token list is known.
type decoder struct {
	e      *Engine
	user   string
	list   [32]byte
	use    bool // the token list is known: answers may be remembered
	recall bool // and recalled
}

func (e *Engine) newDecoder(user string, tokens []pat.Token, known, recall bool) *decoder {
	d := &decoder{e: e, user: user, use: known, recall: known && recall}
	if known {
		d.list = listDigest(tokens)
	}
	return d
}

func (d *decoder) recalled(secret pat.Secret) (decodeResult, bool) {
	if !d.recall {
		return decodeResult{}, false
	}
	m := d.e.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.users[d.user]
	if u == nil || u.list != d.list {
		return decodeResult{}, false
	}
	r, ok := u.decodes[m.mac(secret)]
	return r, ok
}

func (d *decoder) remember(secret pat.Secret, r decodeResult) {
	if !d.use {
		return
	}
	m := d.e.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	u := m.user(d.user)
	if u.list != d.list || u.decodes == nil {
		u.list, u.decodes = d.list, map[[32]byte]decodeResult{}
	}
	u.decodes[m.mac(secret)] = r
}

func (m *memo) mac(secret pat.Secret) [32]byte {
	h := hmac.New(sha256.New, m.key[:])
	h.Write([]byte(secret.Reveal()))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// listDigest identifies a token list exactly: every column of every row,
// in SHOW's order.
func listDigest(tokens []pat.Token) [32]byte {
	h := sha256.New()
	var n [8]byte
	str := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	num := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	num(int64(len(tokens)))
	for _, t := range tokens {
		str(t.Name)
		str(t.UserName)
		str(t.RoleRestriction)
		num(t.ExpiresAt.UnixNano())
		str(string(t.Status))
		str(t.Comment)
		num(t.CreatedOn.UnixNano())
		str(t.CreatedBy)
		num(int64(t.MinsToBypassNetworkPolicy))
		str(t.RotatedTo)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
