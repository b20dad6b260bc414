// Package cachebench compares the cost of reading a token from snowpat's
// cached reader (patconn.Reader over the awssm adapter) with
// aws-secretsmanager-caching-go's GetSecretString, both against the same
// in-process Secrets Manager fake. It is a module of its own so that the
// library never depends on the older aws-sdk-go the caching client needs.
package cachebench
