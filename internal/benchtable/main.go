// Command benchtable runs snowpat's benchmarks and prints issue 20's table:
// each measure, what was measured in this run, its goal, and whether the
// goal is met. scripts/bench runs it. Benchmarks report their figures as
// custom metrics; this program only runs them and compares, so every
// number it prints comes from `go test -bench` output it also echoes with
// -v.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// run is one `go test -bench` invocation.
type run struct {
	dir   string // relative to the module root
	bench string
	args  []string
}

// row is one line of the table: a metric of a benchmark against a goal.
type row struct {
	measure string
	bench   string // benchmark name, without the -N suffix
	unit    string
	goal    goal
}

// goal compares a measured value. A zero goal only reports.
type goal struct {
	op    string // "<=", ">=", or "" for none
	value float64
	text  string // how the goal reads, if not op and value
}

func (g goal) met(v float64) string {
	switch g.op {
	case "<=":
		return yesNo(v <= g.value)
	case ">=":
		return yesNo(v >= g.value)
	}
	return "-"
}

func (g goal) String() string {
	if g.text != "" {
		return g.text
	}
	if g.op == "" {
		return "(reported)"
	}
	return fmt.Sprintf("%s %s", g.op, trim(g.value))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

func trim(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

var runs = []run{
	{dir: ".", bench: "^BenchmarkRotationCriticalPath$", args: []string{"-benchtime", "5x", "./policy/"}},
	{dir: ".", bench: "^BenchmarkFleetRotation$", args: []string{"-benchtime", "1x", "-timeout", "60m", "./policy/"}},
	{dir: ".", bench: "^BenchmarkIdleDay$", args: []string{"-benchtime", "1x", "-timeout", "60m", "./policy/"}},
	{dir: ".", bench: "^BenchmarkEvaluate$", args: []string{"-benchtime", "5x", "./policy/"}},
	{dir: ".", bench: "^BenchmarkEvaluateReads$", args: []string{"-benchtime", "2s", "./policy/"}},
	{dir: "internal/cachebench", bench: "^BenchmarkCachedRead$", args: []string{"-benchtime", "3s", "./..."}},
	{dir: ".", bench: "^BenchmarkPATLogin$", args: []string{"-benchtime", "3s", "./pat/pattest/"}},
}

var rows = []row{
	{"rotation, one store, hourly engine: sequential round trips", "BenchmarkRotationCriticalPath/hourly", "roundtrips/rotation", goal{op: "<=", value: 6}},
	{"  the same, as (wall − local work) ÷ 50 ms", "BenchmarkRotationCriticalPath/hourly", "wall-roundtrips/rotation", goal{}},
	{"rotation, one store, hourly engine: requests", "BenchmarkRotationCriticalPath/hourly", "requests/rotation", goal{op: "<=", value: 8}},
	{"rotation right after a restart: sequential round trips", "BenchmarkRotationCriticalPath/after-restart", "roundtrips/rotation", goal{}},
	{"rotation right after a restart: requests", "BenchmarkRotationCriticalPath/after-restart", "requests/rotation", goal{}},
	{"fleet rotation, parallelism 1: requests per rotation", "BenchmarkFleetRotation/parallelism=1", "requests/rotation", goal{op: "<=", value: 8}},
	{"fleet rotation, parallelism 1: wall ÷ bound", "BenchmarkFleetRotation/parallelism=1", "x-bound", goal{op: "<=", value: 1.1}},
	{"fleet rotation, parallelism 8: requests per rotation", "BenchmarkFleetRotation/parallelism=8", "requests/rotation", goal{op: "<=", value: 8}},
	{"fleet rotation, parallelism 8: wall ÷ bound", "BenchmarkFleetRotation/parallelism=8", "x-bound", goal{op: "<=", value: 1.1}},
	{"fleet rotation, parallelism 32: requests per rotation", "BenchmarkFleetRotation/parallelism=32", "requests/rotation", goal{op: "<=", value: 8}},
	{"fleet rotation, parallelism 32: wall ÷ bound", "BenchmarkFleetRotation/parallelism=32", "x-bound", goal{op: "<=", value: 1.1}},
	{"idle pass: requests per target", "BenchmarkIdleDay", "requests/target/pass", goal{text: "measured; floor 2 (SHOW, store)"}},
	{"idle hourly passes: requests per day, 1,000 targets", "BenchmarkIdleDay", "requests/day/1000-targets", goal{}},
	{"Evaluate, nothing due: decisions per CPU-second", "BenchmarkEvaluate", "none-due-decisions/cpu-s", goal{op: ">=", value: 10e6}},
	{"Evaluate, rotation due: decisions per CPU-second", "BenchmarkEvaluate", "rotation-due-decisions/cpu-s", goal{op: ">=", value: 10e6}},
	{"  the memory reads alone, nothing due (floor)", "BenchmarkEvaluateReads", "reads-decisions/s", goal{}},
	{"Evaluate, the fleet's mix: decisions per second", "BenchmarkEvaluate", "decisions/s", goal{}},
	{"Evaluate, nothing due: allocations", "BenchmarkEvaluate", "allocs/none-due", goal{op: "<=", value: 0}},
	{"Evaluate, rotation due: allocations", "BenchmarkEvaluate", "allocs/rotation-due", goal{op: "<=", value: 0}},
	{"Evaluate, the fleet's mix: allocations per decision", "BenchmarkEvaluate", "allocs/decision", goal{}},
	{"cached token read, serial (ns)", "BenchmarkCachedRead/snowpat", "ns/op", goal{op: "<=", value: 14}},
	{"cached token read, 2 readers (ns)", "BenchmarkCachedRead/snowpat-parallel", "ns/op", goal{}},
	{"cached token read: allocations", "BenchmarkCachedRead/snowpat", "allocs/op", goal{op: "<=", value: 0}},
	{"aws-secretsmanager-caching-go, serial (ns)", "BenchmarkCachedRead/aws-secretsmanager-caching-go", "ns/op", goal{}},
	{"aws-secretsmanager-caching-go, 2 readers (ns)", "BenchmarkCachedRead/aws-secretsmanager-caching-go-parallel", "ns/op", goal{}},
	{"emulator PAT logins per second, as pat.Verify logs in", "BenchmarkPATLogin/verify", "logins/s", goal{op: ">=", value: 3500}},
	{"  with the driver's defaults (its telemetry batch too)", "BenchmarkPATLogin/driver-defaults", "logins/s", goal{}},
}

// ratios are goals on the quotient of two measured values.
var ratios = []struct {
	measure  string
	num, den [2]string // bench, unit
	goal     goal
}{
	{"cached read vs the peer, serial (× faster)", [2]string{"BenchmarkCachedRead/aws-secretsmanager-caching-go", "ns/op"}, [2]string{"BenchmarkCachedRead/snowpat", "ns/op"}, goal{op: ">=", value: 10}},
	{"cached read vs the peer, 2 readers (× faster)", [2]string{"BenchmarkCachedRead/aws-secretsmanager-caching-go-parallel", "ns/op"}, [2]string{"BenchmarkCachedRead/snowpat-parallel", "ns/op"}, goal{op: ">=", value: 10}},
}

var line = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

func main() {
	verbose := flag.Bool("v", false, "echo the benchmarks' output")
	only := flag.String("only", "", "run only the benchmarks matching this regular expression")
	flag.Parse()
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	metrics := map[string]map[string]float64{}
	for _, r := range runs {
		if *only != "" && !regexp.MustCompile(*only).MatchString(r.bench) {
			continue
		}
		args := append([]string{"test", "-run", "^$", "-bench", r.bench, "-benchmem"}, r.args...)
		cmd := exec.Command("go", args...)
		cmd.Dir = filepath.Join(root, r.dir)
		cmd.Env = append(os.Environ(), "SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		fmt.Fprintf(os.Stderr, "running %s in %s\n", r.bench, r.dir)
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "%s\n%s failed: %v\n", out.String(), r.bench, err)
			os.Exit(1)
		}
		if *verbose {
			os.Stderr.Write(out.Bytes())
		}
		parse(out.Bytes(), metrics)
	}
	fmt.Printf("| %s | %s | %s | %s |\n", "measure", "this run", "goal", "met")
	fmt.Println("|---|---|---|---|")
	for _, r := range rows {
		v, ok := metrics[r.bench][r.unit]
		if !ok {
			continue
		}
		fmt.Printf("| %s | %s | %s | %s |\n", r.measure, trim(v), r.goal, r.goal.met(v))
	}
	for _, r := range ratios {
		n, ok1 := metrics[r.num[0]][r.num[1]]
		d, ok2 := metrics[r.den[0]][r.den[1]]
		if !ok1 || !ok2 || d == 0 {
			continue
		}
		fmt.Printf("| %s | %s | %s | %s |\n", r.measure, trim(n/d), r.goal, r.goal.met(n/d))
	}
}

// parse reads `go test -bench` lines: a name, an iteration count, then
// value-unit pairs.
func parse(out []byte, into map[string]map[string]float64) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		f := strings.Fields(m[3])
		vals := into[m[1]]
		if vals == nil {
			vals = map[string]float64{}
			into[m[1]] = vals
		}
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				vals[f[i+1]] = v
			}
		}
	}
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("benchtable: run it inside the snowpat module")
	}
	return filepath.Dir(mod), nil
}
