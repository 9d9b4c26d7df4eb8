package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs isa in-process with ISA_DATA=dir and returns exit code, stdout
// and stderr.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(t, map[string]string{"ISA_DATA": dir}, args...)
}

// runEnv runs isa in-process with exactly the environment env.
func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Options{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

func TestCommandsHaveHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(t, t.TempDir(), c.name, "--help")
			if code != 0 {
				t.Fatalf("isa %s --help exited %d: %s", c.name, code, stderr)
			}
			if !strings.Contains(stderr, "Usage: isa "+c.name) {
				t.Errorf("isa %s --help printed no usage line:\n%s", c.name, stderr)
			}
		})
	}
}

func TestServeHelpPrintsEveryConfigSetting(t *testing.T) {
	_, _, stderr := run(t, t.TempDir(), "serve", "--help")
	var c Config
	for _, s := range c.settings() {
		if !strings.Contains(stderr, "-"+s.flag) || !strings.Contains(stderr, s.env) {
			t.Errorf("serve --help does not name flag -%s and variable %s", s.flag, s.env)
		}
	}
}

func TestUnknownCommandAndBadFlagsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"cities", "--no-such-flag"}, {"import"}, {"cities", "--lang", "fr"}} {
		if code, _, _ := run(t, t.TempDir(), args...); code != 2 {
			t.Errorf("isa %v exited %d, want 2", args, code)
		}
	}
}

func TestCitiesJSONListsTheFortyMembers(t *testing.T) {
	code, out, stderr := run(t, t.TempDir(), "cities", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cities []struct {
		Slug    string
		Country string
		Names   map[string]string
	}
	if err := json.Unmarshal([]byte(out), &cities); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range cities {
		count[c.Country]++
		for _, l := range []string{"de", "en", "zh"} {
			if c.Names[l] == "" {
				t.Errorf("city %s has no %s name", c.Slug, l)
			}
		}
	}
	if count["DE"] != 19 || count["CN"] != 21 {
		t.Errorf("countries %v, want 19 DE and 21 CN", count)
	}
}

func TestImportTwiceThenExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	// Every field of the format is proved by internal/interchange's round
	// trip; this one proves the command line around it.
	file := writeSample(t)
	code, out, stderr := run(t, dir, "import", "--quiet", file)
	if code != 0 {
		t.Fatalf("import exited %d: %s %s", code, out, stderr)
	}
	code, out, _ = run(t, dir, "import", "--quiet", file)
	if code != 0 || !strings.HasPrefix(out, "imported 0, updated 0, unchanged ") {
		t.Errorf("second import of the same file changed something: exit %d, %s", code, out)
	}
	exported := filepath.Join(t.TempDir(), "export.jsonl")
	if code, _, stderr := run(t, dir, "export", "--out", exported); code != 0 {
		t.Fatalf("export exited %d: %s", code, stderr)
	}
	dir2 := t.TempDir()
	if code, out, stderr := run(t, dir2, "import", "--quiet", exported); code != 0 {
		t.Fatalf("re-import exited %d: %s %s", code, out, stderr)
	}
	_, a, _ := run(t, dir, "export")
	_, b, _ := run(t, dir2, "export")
	if a != b || a == "" {
		t.Errorf("export of the re-imported database differs from the original export")
	}
}

func writeSample(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sample.jsonl")
	data := `{"type":"organisation","ref":"o1","name":"Beispiel GmbH","kind":"company","city":"Solingen","industries":["C25"]}
{"type":"listing","ref":"l1","org":"o1","kind":"offer","lang":"de","title":"Klingen aus Solingen","description":"Wir fertigen Klingen.","published":"2026-01-10","expires":"2027-01-10"}
`
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportRejectsBadRecordsWithExitOne(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(p, []byte(`{"type":"organisation","ref":"o1","name":"X","kind":"company","city":"Atlantis"}`+"\n"), 0o600)
	code, _, stderr := run(t, t.TempDir(), "import", "--quiet", p)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "Atlantis") {
		t.Errorf("the error does not name the unknown city: %s", stderr)
	}
	if code, _, _ := run(t, t.TempDir(), "import", filepath.Join(t.TempDir(), "missing.jsonl")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}

func TestServeAnswersHealthAndAPI(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	env := map[string]string{"ISA_DATA": dir, "ISA_ADDR": "127.0.0.1:0"}
	go func() {
		done <- Run(ctx, []string{"serve", "--demo"}, Options{
			Stdout: io.Discard, Stderr: io.Discard,
			Getenv: func(k string) string { return env[k] },
			Ready:  func(a string) { addrc <- a },
		})
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("serve exited %d before listening", code)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start within 60 s")
	}
	for _, path := range []string{"/healthz", "/api/v1/cities", "/api/v1/listings", "/api/v1/openapi.json", "/api/v1/search?q=Wärmepumpe", "/en/", "/zh/", "/de/"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestDefaultDataFolderIsRelative runs a command the way the README's
// first command does, with the default data folder ./data relative to the
// working directory (the driver's file: URIs once read "data" as a host).
func TestDefaultDataFolderIsRelative(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, stdout, stderr := runEnv(t, map[string]string{}, "migrate")
	if code != 0 {
		t.Fatalf("isa migrate with the default data folder exited %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "schema version") {
		t.Errorf("unexpected output %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "isa.db")); err != nil {
		t.Errorf("no database in ./data: %v", err)
	}
}
