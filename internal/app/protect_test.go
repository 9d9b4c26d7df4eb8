package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/isa-alliance/isa/internal/storage/storagetest"
	"github.com/isa-alliance/isa/internal/web"
)

func TestCrossOriginRefusalsAreTranslatedPages(t *testing.T) {
	pages, err := web.New(web.Deps{Store: storagetest.OpenSQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	reached := false
	h := protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }), pages.Deny)
	tests := []struct {
		name, method, path, site string
		status                   int
		want                     string
	}{
		{"foreign form post to a page", "POST", "/de/login", "cross-site", 403, "von einer anderen Website"},
		{"foreign post to the API", "POST", "/api/v1/listings", "cross-site", 403, `"code":"forbidden"`},
		{"own form post", "POST", "/de/login", "same-origin", 200, ""},
		{"foreign link", "GET", "/de/", "cross-site", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached = false
			req := httptest.NewRequest(tt.method, tt.path, nil)
			req.Header.Set("Sec-Fetch-Site", tt.site)
			req.Header.Set("Accept-Language", "de")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("status %d, want %d with %q", rec.Code, tt.status, tt.want)
			}
			if reached != (tt.status == 200) {
				t.Errorf("handler reached: %v", reached)
			}
		})
	}
}
