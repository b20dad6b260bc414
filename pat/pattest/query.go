package pattest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
)

// queryRequest is the part of gosnowflake's query body the emulator reads.
type queryRequest struct {
	SQLText  string `json:"sqlText"`
	Bindings map[string]struct {
		Type  string `json:"type"`
		Value any    `json:"value"`
	} `json:"bindings"`
}

// binds returns positional bind values in order ("1", "2", …).
func (q queryRequest) binds() []*string {
	keys := make([]int, 0, len(q.Bindings))
	for k := range q.Bindings {
		if n, err := strconv.Atoi(k); err == nil {
			keys = append(keys, n)
		}
	}
	sort.Ints(keys)
	out := make([]*string, 0, len(keys))
	for _, k := range keys {
		switch v := q.Bindings[strconv.Itoa(k)].Value.(type) {
		case string:
			out = append(out, &v)
		case nil:
			out = append(out, nil)
		default:
			b, _ := json.Marshal(v)
			s := string(b)
			out = append(out, &s)
		}
	}
	return out
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	var req queryRequest
	raw, err := readBody(r)
	if err == nil {
		err = json.Unmarshal(raw, &req)
	}
	if err != nil {
		http.Error(w, "bad query request", http.StatusBadRequest)
		return
	}
	requestID := r.URL.Query().Get("requestId")
	s.mu.Lock()
	ss, ok := s.sessions[sessionToken(r)]
	if !ok {
		_, renewed := s.superseded[sessionToken(r)]
		s.mu.Unlock()
		if renewed {
			writeFailure(w, errSessionExpired, "")
		} else {
			writeFailure(w, errSessionGone, "")
		}
		return
	}
	if !s.clock.Now().Before(ss.expires) {
		s.mu.Unlock()
		writeFailure(w, errSessionExpired, "")
		return
	}
	if rep, seen := ss.replies.get(requestID); seen {
		s.mu.Unlock()
		s.counts.replayed.Add(1)
		writeRaw(w, rep.body)
		return
	}
	queryID := s.newQueryID()
	fault := s.takeFault(req.SQLText)
	if fault != nil && fault.Err != nil {
		s.mu.Unlock()
		writeFailure(w, fault.Err, queryID)
		return
	}
	var answer map[string]any
	if fault != nil && fault.Rows != nil {
		answer = fault.Rows.result().response(queryID, ss)
	} else {
		res, e := s.execute(ss, req.SQLText, req.binds())
		if e != nil {
			answer = failure(e, queryID)
		} else {
			answer = res.response(queryID, ss)
		}
	}
	body, _ := json.Marshal(answer)
	ss.replies.put(requestID, reply{body: body})
	s.mu.Unlock()
	if fault != nil && fault.LoseResponse {
		// The statement ran; the client must not learn how it went.
		status := fault.LoseStatus
		if status == 0 {
			// A 4xx is not retried by the driver, so the loss is seen
			// exactly once.
			status = http.StatusBadRequest
		}
		http.Error(w, "response lost", status)
		return
	}
	writeRaw(w, body)
}

// column describes one result column in Snowflake's lower-case type names.
type column struct {
	name     string
	typ      string // text, fixed, boolean, timestamp_ltz
	nullable bool
}

// result is a statement's answer: a row set, possibly of one status row.
type result struct {
	cols     []column
	rows     [][]*string
	stmtType int64
}

const (
	stmtTypeSelect = 0x1000
	stmtTypeDDL    = 0x6000
	stmtTypeShow   = 0x7000
)

func (r *result) response(queryID string, ss *session) map[string]any {
	rowtype := make([]map[string]any, len(r.cols))
	for i, c := range r.cols {
		m := map[string]any{"name": c.name, "type": c.typ, "nullable": c.nullable,
			"database": "", "schema": "", "table": "", "byteLength": nil, "length": nil, "scale": nil, "precision": nil}
		switch c.typ {
		case "text":
			m["byteLength"], m["length"] = 16777216, 16777216
		case "fixed":
			m["scale"], m["precision"] = 0, 38
		case "timestamp_ltz":
			m["scale"], m["precision"] = 9, 0
		}
		rowtype[i] = m
	}
	rows := r.rows
	if rows == nil {
		rows = [][]*string{}
	}
	return map[string]any{"success": true, "code": nil, "message": nil, "data": map[string]any{
		"parameters":         ss.params.list(),
		"rowtype":            rowtype,
		"rowset":             rows,
		"total":              len(rows),
		"returned":           len(rows),
		"queryId":            queryID,
		"queryResultFormat":  "json",
		"statementTypeId":    r.stmtType,
		"finalRoleName":      ss.role,
		"finalWarehouseName": ss.warehouse,
		"version":            1,
	}}
}

func statusResult(msg string) *result {
	return &result{cols: []column{{name: "status", typ: "text"}}, rows: [][]*string{{&msg}}, stmtType: stmtTypeDDL}
}

func strp(s string) *string { return &s }

func (r *Rows) result() *result {
	res := &result{stmtType: stmtTypeShow, rows: r.Values}
	for i, name := range r.Columns {
		typ := "text"
		if i < len(r.Types) && r.Types[i] != "" {
			typ = r.Types[i]
		}
		res.cols = append(res.cols, column{name: name, typ: typ, nullable: true})
	}
	return res
}
