package interchange

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/isa-alliance/isa"
)

// meter shows the progress of an import: on a terminal one line redrawn in
// place with a bar (when the input size is known), elsewhere (a log file, a
// CI job) a plain line every interval so that the output stays readable.
// Problem lines go through it too, so that they never land in the middle of
// a half-drawn bar.
type meter struct {
	w        io.Writer // nil: no progress shown
	report   io.Writer // problem lines; nil: none
	tty      bool
	lang     isa.Lang
	now      func() time.Time
	interval time.Duration
	total    int64         // bytes of all inputs; 0 when unknown
	read     *atomic.Int64 // bytes consumed so far
	start    time.Time
	last     time.Time
	n        int
	drawn    bool // a bar is on the terminal line
}

func newMeter(progress, report io.Writer, lang isa.Lang, now func() time.Time) *meter {
	m := &meter{w: progress, report: report, lang: lang, now: now, read: new(atomic.Int64)}
	m.tty = isTerminal(progress)
	m.interval = 10 * time.Second
	if m.tty {
		m.interval = 200 * time.Millisecond
	}
	m.start = now()
	m.last = m.start
	return m
}

// isTerminal reports whether w is a character device such as a terminal;
// the standard library tells this without a dependency.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// tick counts one record and redraws when the interval has passed. The
// clock is read only every 64 records: at a hundred thousand records a
// second it would otherwise show in the profile.
func (m *meter) tick() {
	m.n++
	if m.w == nil || m.n%64 != 0 {
		return
	}
	if t := m.now(); t.Sub(m.last) >= m.interval {
		m.last = t
		m.draw(t)
	}
}

func (m *meter) rate(t time.Time) float64 {
	el := t.Sub(m.start).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(m.n) / el
}

func (m *meter) draw(t time.Time) {
	line := msg(m.lang, "progress", m.n, m.rate(t))
	if m.total > 0 {
		frac := float64(m.read.Load()) / float64(m.total)
		frac = min(max(frac, 0), 1)
		const width = 30
		done := int(frac * width)
		line = fmt.Sprintf("[%s%s] %3.0f%%  %s", strings.Repeat("#", done), strings.Repeat("-", width-done), frac*100, line)
	}
	if m.tty {
		// \r returns to the line start, \033[K clears the rest of a longer
		// previous line.
		fmt.Fprint(m.w, "\r"+line+"\033[K")
		m.drawn = true
		return
	}
	fmt.Fprintln(m.w, line)
}

// println writes a problem line, clearing a bar first and redrawing after.
func (m *meter) println(s string) {
	if m.report == nil {
		return
	}
	if m.drawn {
		fmt.Fprint(m.w, "\r\033[K")
	}
	fmt.Fprintln(m.report, s)
	if m.drawn {
		m.draw(m.now())
	}
}

// finish ends the bar's line so that the summary starts on a fresh one.
func (m *meter) finish() {
	if m.w == nil {
		return
	}
	if m.drawn {
		fmt.Fprint(m.w, "\r\033[K")
		m.drawn = false
	}
}

// countingReader adds the bytes read to the meter's count.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
