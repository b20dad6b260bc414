package pat

import "context"

// modify validates the target, builds one MODIFY statement and runs it.
// check validates the operation's own argument before anything is sent.
func (c *Client) modify(ctx context.Context, verb, user, name string, check func() error, build func(user, tok string) (string, error)) error {
	tok, err := checkTarget(user, name)
	op := tokenOp(verb, user, orName(tok, name))
	if err == nil && check != nil {
		err = check()
	}
	if err != nil {
		return withOp(op, err)
	}
	query, err := build(user, tok)
	if err != nil {
		return withOp(op, err)
	}
	return withOp(op, c.exec(ctx, query))
}

// Disable stops the token from logging in until Enable. Disabling is how to
// react to a suspected leak while keeping the token's record.
func (c *Client) Disable(ctx context.Context, user, name string) error {
	return c.modify(ctx, "disable", user, name, nil, func(u, t string) (string, error) {
		return setDisabledSQL(u, t, true)
	})
}

// Enable re-enables a disabled token. Tokens disabled because their user
// was disabled stay disabled after the user is re-enabled until this is
// called.
func (c *Client) Enable(ctx context.Context, user, name string) error {
	return c.modify(ctx, "enable", user, name, nil, func(u, t string) (string, error) {
		return setDisabledSQL(u, t, false)
	})
}

// SetComment replaces the token's comment.
func (c *Client) SetComment(ctx context.Context, user, name, comment string) error {
	return c.modify(ctx, "set comment of", user, name,
		func() error { return validateText("COMMENT", comment) },
		func(u, t string) (string, error) { return setCommentSQL(u, t, comment) })
}

// UnsetComment removes the token's comment.
func (c *Client) UnsetComment(ctx context.Context, user, name string) error {
	return c.modify(ctx, "unset comment of", user, name, nil, unsetCommentSQL)
}

// SetNetworkPolicyBypass lets the token be used without a network policy
// for minutes (1–1440) from now.
func (c *Client) SetNetworkPolicyBypass(ctx context.Context, user, name string, minutes int) error {
	return c.modify(ctx, "set network policy bypass of", user, name,
		func() error { return validateBypass(minutes) },
		func(u, t string) (string, error) { return setBypassSQL(u, t, minutes) })
}

// UnsetNetworkPolicyBypass ends a network policy bypass early.
func (c *Client) UnsetNetworkPolicyBypass(ctx context.Context, user, name string) error {
	return c.modify(ctx, "unset network policy bypass of", user, name, nil, unsetBypassSQL)
}

// Rename gives the token a new name; its secret keeps working.
func (c *Client) Rename(ctx context.Context, user, name, newName string) error {
	var newTok string
	return c.modify(ctx, "rename", user, name,
		func() (err error) {
			newTok, err = TokenNameOf(newName)
			return err
		},
		func(u, t string) (string, error) { return renameTokenSQL(u, t, newTok) })
}
