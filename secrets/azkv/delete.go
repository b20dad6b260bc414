package azkv

import "context"

// Delete soft-deletes the secret, as Key Vault always does now that soft
// delete cannot be turned off: every version goes at once, and the name
// stays reserved until the vault's retention period ends or someone with
// the purge permission purges it. Until then Put fails with
// secrets.ErrAlreadyExists (the vault's 409 Conflict).
func (s *secret) Delete(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := s.c.DeleteSecret(ctx, s.name, nil)
	return err
}
