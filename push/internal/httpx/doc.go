// Package httpx is the HTTP plumbing the BI adapters share: the rule for
// which endpoints may receive a credential, a client that never follows
// redirects, and the retry loop with capped exponential backoff, jitter
// and Retry-After, driven by an injected clock and random source so that
// tests never sleep.
package httpx
