// Package fakefault is the fault injection that the in-process protocol
// fakes (awsfake, gcpfake and azfake) share, so that the three behave
// alike and a fix to one reaches them all.
//
// # Overview
//
// An Injector holds, per operation name, a queue of injected failures, a
// latency, a queue of holds and a call counter. A fake calls Intercept
// once per request, after it has worked out the operation's name and
// before it does the operation; the fake's tests arrange faults through
// the fake's own methods, which forward to the Injector.
//
// The failure type is a type parameter because each fake answers in its
// own protocol: an AWS error document, a gRPC status, a Key Vault error
// or a dropped response. The Injector only queues and hands them back;
// turning one into a response stays in the fake.
//
// # Applied, then failed
//
// FailAfterApply queues the one fault that makes a client's retries
// dangerous: the call is carried out and then answered with a server
// error, or its connection is dropped (Applied). An SDK that retries
// server errors sends the write again; a write that is not idempotent
// then happens twice. A fake takes such a fault with TakeApplied after
// doing the operation, then answers in its protocol: HTTP fakes with an
// error status or HangUp, gcpfake with a gRPC status or by dropping the
// call's connection through Conns.
//
// # Waiting without sleeping
//
// A held call closes its Gate's Arrived channel and waits for Release, so
// that a test can act while a call is in flight (cancel its context, say)
// without guessing how long to sleep. Both a hold and a latency end early
// when the request's context ends, as a real server stops caring about a
// client that went away; Close releases every gate, so that shutting a
// fake down never waits on a call a test forgot to release.
package fakefault
