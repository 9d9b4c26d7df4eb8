package interchange

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// goroutinesSettle waits until no more goroutines run than before, and
// fails the test if that does not happen within a second.
func goroutinesSettle(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before the import:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestParserStopsWithTheImport stops imports early in the ways an import
// can stop while the parser is ahead of the writer (database down,
// cancellation) and checks that the parser goroutine ends with it.
func TestParserStopsWithTheImport(t *testing.T) {
	data := generated("p", 20, 8000) // far more than parseAhead chunks
	tests := []struct {
		name string
		run  func(st isa.Store) (Summary, error)
		want func(Summary, error) bool
	}{
		{"database down", func(st isa.Store) (Summary, error) {
			down := failingStore{st, func(string) bool { return true }}
			return Import(context.Background(), down, Options{Today: today, BatchSize: 50}, Source{Name: "big.jsonl", R: strings.NewReader(data)})
		}, func(s Summary, err error) bool { return err != nil && s.ExitCode() == 2 && s.Records < 8020 }},
		{"cancelled", func(st isa.Store) (Summary, error) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := &cancellingReader{r: strings.NewReader(data), after: len(data) / 3, cancel: cancel}
			return Import(ctx, st, Options{Today: today, BatchSize: 100}, Source{Name: "big.jsonl", R: r})
		}, func(s Summary, err error) bool {
			return errors.Is(err, context.Canceled) && s.ExitCode() == 2 && s.Records < 8020
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := storagetest.OpenSQLite(t)
			before := runtime.NumGoroutine()
			sum, err := tc.run(st)
			if !tc.want(sum, err) {
				t.Errorf("summary %s, err %v", sum, err)
			}
			goroutinesSettle(t, before)
		})
	}
}

// brokenReader delivers its data and then fails, as a disk or a network
// share might in the middle of a file.
type brokenReader struct{ r io.Reader }

func (b *brokenReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, errors.New("input/output error")
	}
	return n, err
}

// TestFileBreakingOffKeepsWhatWasRead checks that a file that breaks off
// behind the parser keeps every record read before the break, and that the
// import goes on with the next file.
func TestFileBreakingOffKeepsWhatWasRead(t *testing.T) {
	st := storagetest.OpenSQLite(t)
	whole := generated("w", 10, 3000)
	// Cut in the middle of a line: that line is lost with the break.
	cut := whole[:strings.LastIndex(whole[:len(whole)/2], "\n")+1] + `{"type":"listing","ref":`
	kept := strings.Count(cut, "\n")
	sum, err := Import(context.Background(), st, Options{Today: today},
		Source{Name: "broken.jsonl", R: &brokenReader{strings.NewReader(cut)}},
		Source{Name: "more.jsonl", R: strings.NewReader(generated("m", 1, 5))})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != kept+6 || len(sum.Unreadable) != 1 || sum.Unreadable[0] != "broken.jsonl" {
		t.Errorf("summary %s, unreadable %v; want %d created and broken.jsonl unreadable", sum, sum.Unreadable, kept+6)
	}
}
