package httpapi

import (
	"log/slog"
	"net/http"
	"time"
)

// maxBody bounds request bodies on API routes. The API reads none yet; the
// bound is there before the write side arrives, not after.
const maxBody = 1 << 20

// setAPIHeaders sets the headers every API response carries: JSON is never
// to be sniffed as HTML, framed or allowed to load anything, and the API
// does not answer cross-origin browser requests (no CORS headers are sent,
// so browsers keep other sites' scripts from reading responses).
func setAPIHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// LogRequests returns middleware that logs one line per request with slog:
// method, the matched route pattern, status, response size and duration.
// It logs the pattern rather than the path and never the query string, so
// search words, references of the future account pages and anything else a
// visitor typed stay out of the logs. Requests no route matched are logged
// with an empty pattern. It also bounds request bodies (1 MiB); a route that
// needs more sets its own limit.
func LogRequests(logger *slog.Logger, next http.Handler) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		// ServeMux records the matched pattern on the request it was given,
		// which is this r.
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("pattern", r.Pattern),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

// statusWriter remembers the status and size of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flush,
// deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
