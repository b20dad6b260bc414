// Command diagnose is the guide's troubleshooting as a program: given a
// user and a token — from a secret store, or pasted on standard input — it
// says whether the token logs in and, if not, why and what to do.
//
//	diagnose --user POWERBI_SERVICE --from awssm://prod/powerbi?region=eu-west-1
//	pbpaste | diagnose --user POWERBI_SERVICE
//
// The administrator logs in with a key pair from the SNOWFLAKE_*
// environment variables or flags (see -h). With --pattest it runs against
// an embedded emulator instead, on a token broken as --break says, for a
// demonstration or a smoke test.
//
// Exit status: 0 the token works, 1 it does not (the cause is printed),
// 2 the diagnosis itself failed.
package main
