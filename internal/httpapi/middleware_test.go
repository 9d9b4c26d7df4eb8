package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLogRequestsLogsPatternStatusAndDurationButNoQueryOrPath(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/things/{ref}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("short and stout"))
	})
	tests := []struct {
		target      string
		wantPattern string
		wantStatus  int
	}{
		{"/api/v1/things/anna.schmidt?q=anna.schmidt%40example.de", "GET /api/v1/things/{ref}", http.StatusTeapot},
		{"/nowhere/anna.schmidt?email=anna.schmidt%40example.de", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		h := LogRequests(slog.New(slog.NewJSONHandler(&logs, nil)), mux)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", tt.target, nil))
		var line map[string]any
		if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
			t.Fatalf("%s: log line %q: %v", tt.target, logs.String(), err)
		}
		if line["pattern"] != tt.wantPattern || line["status"] != float64(tt.wantStatus) || line["method"] != "GET" {
			t.Errorf("%s: logged %v", tt.target, line)
		}
		if _, ok := line["duration"]; !ok {
			t.Errorf("%s: no duration in %v", tt.target, line)
		}
		if strings.Contains(logs.String(), "anna") {
			t.Errorf("%s: personal data in the log: %s", tt.target, logs.String())
		}
	}
}

func TestLogRequestsBoundsRequestBodies(t *testing.T) {
	var readErr error
	h := LogRequests(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, readErr = r.Body.Read(make([]byte, maxBody+10))
		buf := make([]byte, 64<<10)
		for readErr == nil {
			_, readErr = r.Body.Read(buf)
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", bytes.NewReader(make([]byte, maxBody+1))))
	var tooLarge *http.MaxBytesError
	if !errors.As(readErr, &tooLarge) {
		t.Errorf("reading an oversized body: %v, want MaxBytesError", readErr)
	}
}

func TestAPIResponsesCarrySecurityHeadersAndNoCORS(t *testing.T) {
	_, mux, _ := servedOpenAPI(t)
	for _, target := range []string{"/api/v1/openapi.json", "/api/v1/no-such-thing"} {
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("Origin", "https://elsewhere.example")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		h := w.Header()
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", target)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if v := h.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s: CORS header %q", target, v)
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", target, ct)
		}
	}
}

func TestUnknownAPIPathsAndMethodsAnswerInTheErrorFormat(t *testing.T) {
	_, mux, _ := servedOpenAPI(t)
	tests := []struct {
		method, target string
		wantStatus     int
		wantCode       string
	}{
		{"GET", "/api/v1/no-such-thing", 404, "not_found"},
		{"GET", "/api/v1/cities/hamburg/extra", 404, "not_found"},
		{"POST", "/api/v1/cities", 405, "method_not_allowed"},
		{"DELETE", "/api/v1/listings/x1", 405, "method_not_allowed"},
		{"POST", "/api/v1/nothing-here", 404, "not_found"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(tt.method, tt.target, nil))
		var body errorBody
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != tt.wantStatus || body.Error.Code != tt.wantCode {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.target, w.Code, body.Error.Code, tt.wantStatus, tt.wantCode)
		}
		if tt.wantStatus == 405 && w.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tt.method, tt.target)
		}
	}
}
