package policy

import (
	"context"
	"errors"
	"fmt"

	"github.com/snowpat/snowpat/pat"
	"github.com/snowpat/snowpat/secrets"
)

// Observe gathers what Evaluate needs for one target: the user, its tokens
// and what every store holds, each stored secret identified by
// SYSTEM$DECODE_PAT. Failures are recorded in the result, not returned:
// a target that cannot be observed is planned as blocked.
func (e *Engine) Observe(ctx context.Context, t Target) Observed {
	var o Observed
	if u, err := e.admin.DescribeUser(ctx, t.User); err != nil {
		o.UserErr = err
	} else {
		o.User = &u
	}
	if o.UserErr == nil {
		o.Tokens, o.TokensErr = e.admin.List(ctx, t.User)
		if pp, err := e.admin.PATPolicy(ctx, t.User); err == nil {
			o.PATPolicy = &pp
		} else {
			o.PATPolicyErr = err
		}
		if roles, err := e.admin.GrantedRoles(ctx, t.User); err == nil {
			o.GrantedRoles, o.RolesKnown = roles, true
		}
	}
	dec := decodeCache{e: e}
	for _, url := range t.Stores {
		o.Stores = append(o.Stores, e.observeStore(ctx, url, &dec))
	}
	if len(t.Push) > 0 {
		recs, _ := e.records.read(ctx, t.ID()) // unreadable: push again, which is harmless
		for _, url := range t.Push {
			r := recs[url]
			o.Pushes = append(o.Pushes, PushState{URL: url, Fingerprint: r.received(), Token: r.Token, At: r.At})
		}
	}
	return o
}

func (e *Engine) observeStore(ctx context.Context, url string, dec *decodeCache) StoreState {
	st := StoreState{URL: url}
	s, err := e.store(ctx, url)
	if err != nil {
		st.Err = err
		return st
	}
	for _, slot := range []struct {
		stage secrets.Stage
		dst   **StoredVersion
	}{{secrets.StageCurrent, &st.Current}, {secrets.StagePending, &st.Pending}, {secrets.StagePrevious, &st.Previous}} {
		v, err := s.ByStage(ctx, slot.stage)
		if errors.Is(err, secrets.ErrNotFound) {
			continue
		}
		if err != nil {
			st.Err = err
			return st
		}
		sv := &StoredVersion{ID: v.ID, Created: v.Created, Metadata: v.Metadata}
		sv.Token, sv.DecodeErr = pat.DecodeStored(v.Value())
		if sv.DecodeErr == nil {
			if err := dec.decode(ctx, sv); err != nil {
				st.Err = err
				return st
			}
		}
		*slot.dst = sv
	}
	return st
}

// decodeCache asks Snowflake about each distinct secret once per
// observation: the same secret normally sits in every store.
type decodeCache struct {
	e       *Engine
	entries []decodeEntry
}

type decodeEntry struct {
	secret pat.Secret
	tok    *pat.DecodedToken
	err    error
}

// decode fills sv.Snowflake or sv.SnowflakeErr. It returns an error only
// when Snowflake could not be asked (a transport or permission failure),
// which must block the target rather than be taken for a dead secret.
func (c *decodeCache) decode(ctx context.Context, sv *StoredVersion) error {
	for _, en := range c.entries {
		if en.secret.Equal(sv.Token.Token) {
			sv.Snowflake, sv.SnowflakeErr = en.tok, en.err
			return nil
		}
	}
	d, err := c.e.admin.Decode(ctx, sv.Token.Token)
	en := decodeEntry{secret: sv.Token.Token}
	switch {
	case err == nil:
		en.tok = &d
	case errors.Is(err, pat.ErrInvalidToken) || errors.Is(err, pat.ErrInvalidArgument):
		en.err = err
	default:
		return fmt.Errorf("decoding a stored secret: %w", err)
	}
	c.entries = append(c.entries, en)
	sv.Snowflake, sv.SnowflakeErr = en.tok, en.err
	return nil
}
