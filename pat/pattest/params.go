package pattest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // TIMEZONE values are checked the same on every machine
)

// defaultSessionParams is what a fresh session reports in the "parameters"
// array of its login and query responses. The names, types and values are
// those of a live response recorded in gosnowflake's wiremock fixture
// test_data/wiremock/mappings/select1.json, except TIMEZONE, which is the
// documented account default (America/Los_Angeles) and happens to agree.
// Drivers format timestamps from these (the Node driver reads
// TIMESTAMP_*_OUTPUT_FORMAT, gosnowflake reads TIMEZONE), and start a
// heartbeat when CLIENT_SESSION_KEEP_ALIVE is true.
var defaultSessionParams = map[string]any{
	"AUTOCOMMIT":                                    true,
	"BINARY_OUTPUT_FORMAT":                          "HEX",
	"CLIENT_DISABLE_INCIDENTS":                      true,
	"CLIENT_ENABLE_LOG_INFO_STATEMENT_PARAMETERS":   false,
	"CLIENT_HONOR_CLIENT_TZ_FOR_TIMESTAMP_NTZ":      true,
	"CLIENT_MEMORY_LIMIT":                           int64(1536),
	"CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX":    false,
	"CLIENT_METADATA_USE_SESSION_DATABASE":          false,
	"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED":          false,
	"CLIENT_PREFETCH_THREADS":                       int64(4),
	"CLIENT_RESULT_CHUNK_SIZE":                      int64(16),
	"CLIENT_RESULT_COLUMN_CASE_INSENSITIVE":         false,
	"CLIENT_RESULT_PREFETCH_SLOTS":                  int64(2),
	"CLIENT_RESULT_PREFETCH_THREADS":                int64(1),
	"CLIENT_SESSION_CLONE":                          false,
	"CLIENT_SESSION_KEEP_ALIVE":                     false,
	"CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY": int64(3600),
	"CLIENT_STAGE_ARRAY_BINDING_THRESHOLD":          int64(65280),
	"CLIENT_TELEMETRY_ENABLED":                      true,
	"CLIENT_TELEMETRY_SESSIONLESS_ENABLED":          true,
	"CLIENT_TIMESTAMP_TYPE_MAPPING":                 "TIMESTAMP_LTZ",
	"CLIENT_USE_V1_QUERY_API":                       true,
	"CSV_TIMESTAMP_FORMAT":                          "",
	"DATE_OUTPUT_FORMAT":                            "YYYY-MM-DD",
	"QUERY_CONTEXT_CACHE_SIZE":                      int64(5),
	"SERVICE_NAME":                                  "",
	"TIME_OUTPUT_FORMAT":                            "HH24:MI:SS",
	"TIMESTAMP_LTZ_OUTPUT_FORMAT":                   "",
	"TIMESTAMP_NTZ_OUTPUT_FORMAT":                   "YYYY-MM-DD HH24:MI:SS.FF3",
	"TIMESTAMP_OUTPUT_FORMAT":                       "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM",
	"TIMESTAMP_TZ_OUTPUT_FORMAT":                    "",
	"TIMEZONE":                                      "America/Los_Angeles",
}

// sessionParams is one session's parameters: the defaults overridden by
// what the client sent at login and by ALTER SESSION.
type sessionParams map[string]any

func newSessionParams() sessionParams {
	p := make(sessionParams, len(defaultSessionParams))
	for k, v := range defaultSessionParams {
		p[k] = v
	}
	return p
}

// set parses raw for parameter name and stores it. The value must have the
// type of the parameter's default.
func (p sessionParams) set(name string, raw any) *Error {
	name = strings.ToUpper(name)
	def, ok := defaultSessionParams[name]
	if !ok {
		// Assumed message: Snowflake refuses unknown session parameters, but
		// we found no recorded text.
		return &Error{CodeInvalidValue, "22023", fmt.Sprintf("SQL compilation error:\ninvalid parameter '%s'", name)}
	}
	v, ok := coerceParam(def, raw)
	if !ok {
		return errInvalidValue(name, fmt.Sprint(raw))
	}
	if name == "TIMEZONE" {
		if _, err := time.LoadLocation(v.(string)); err != nil {
			return errInvalidValue(name, v.(string))
		}
	}
	p[name] = v
	return nil
}

// unset restores a parameter's default.
func (p sessionParams) unset(name string) *Error {
	name = strings.ToUpper(name)
	def, ok := defaultSessionParams[name]
	if !ok {
		return &Error{CodeInvalidValue, "22023", fmt.Sprintf("SQL compilation error:\ninvalid parameter '%s'", name)}
	}
	p[name] = def
	return nil
}

// coerceParam converts a SQL literal or a login request's JSON value to
// the type of def.
func coerceParam(def, raw any) (any, bool) {
	s := fmt.Sprint(raw)
	switch def.(type) {
	case bool:
		switch x := raw.(type) {
		case bool:
			return x, true
		}
		b, err := strconv.ParseBool(s)
		return b, err == nil
	case int64:
		switch x := raw.(type) {
		case float64:
			if x == float64(int64(x)) {
				return int64(x), true
			}
			return nil, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	default:
		if _, isStr := raw.(string); !isStr {
			return nil, false
		}
		return s, true
	}
}

// applyLogin applies the SESSION_PARAMETERS a driver sends in its login
// request (gosnowflake sends its Config.Params there, the Node driver
// CLIENT_SESSION_KEEP_ALIVE and QUERY_TAG). Parameters the emulator does not
// model are ignored rather than refused, so that a driver's newer client
// parameters never break a login.
func (p sessionParams) applyLogin(in map[string]any) {
	for k, v := range in {
		if _, known := defaultSessionParams[strings.ToUpper(k)]; known {
			_ = p.set(k, v)
		}
	}
}

// list renders the parameters the way responses carry them: an array of
// {"name","value"} objects, sorted by name so that responses are stable.
func (p sessionParams) list() []map[string]any {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]map[string]any, len(names))
	for i, n := range names {
		out[i] = map[string]any{"name": n, "value": p[n]}
	}
	return out
}
