package pat

// Classify turns an error from gosnowflake (a *gosnowflake.SnowflakeError,
// possibly wrapped) into this package's classified *Error, so that
// errors.Is works with the sentinels, and scrubs secrets — the ones given
// and anything token-shaped — from its text. Other errors are returned
// unchanged. It is for code that talks to Snowflake through its own
// connections (a connector, a login check) and wants the same errors as
// the Client.
func Classify(err error, secrets ...Secret) error { return mapError(err, secrets...) }
