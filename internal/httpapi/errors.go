package httpapi

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/isa-alliance/isa"
)

// codeMethodNotAllowed is HTTP's own error: no domain layer returns it, so it
// lives here rather than in the shared vocabulary.
const codeMethodNotAllowed isa.Code = "method_not_allowed"

// statusOf maps the error vocabulary to HTTP status. It is the only place
// that does.
var statusOf = map[isa.Code]int{
	isa.CodeInvalid:      http.StatusBadRequest,
	isa.CodeUnauth:       http.StatusUnauthorized,
	isa.CodeForbidden:    http.StatusForbidden,
	isa.CodeNotFound:     http.StatusNotFound,
	codeMethodNotAllowed: http.StatusMethodNotAllowed,
	isa.CodeConflict:     http.StatusConflict,
	isa.CodeRateLimit:    http.StatusTooManyRequests,
	isa.CodeInternal:     http.StatusInternalServerError,
	codeUnavailable:      http.StatusServiceUnavailable,
}

// codeUnavailable says a service the route needs (search, matching) is not
// running in this process; like 405 it is HTTP's business only.
const codeUnavailable isa.Code = "unavailable"

// errorBody is the JSON of every error response.
type errorBody struct {
	Error errorView `json:"error"`
}

type errorView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// writeError is the one place where errors become responses. An *isa.Error
// with a known code is shown with its message translated by its key;
// anything else is logged and answered with a generic internal error, so
// driver messages, SQL and stack details never reach a client.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	lang := requestLang(r)
	var e *isa.Error
	status := 0
	if errors.As(err, &e) {
		status = statusOf[e.Code]
	}
	if status == 0 || e.Code == isa.CodeInternal {
		level := slog.LevelError
		if errors.Is(err, context.Canceled) {
			// The client went away; nothing is wrong with the server.
			level = slog.LevelInfo
		}
		a.log.Log(r.Context(), level, "api request failed", "method", r.Method, "pattern", r.Pattern, "err", err)
		e, status = &isa.Error{Code: isa.CodeInternal, Key: keyInternal}, http.StatusInternalServerError
	}
	body := errorBody{Error: errorView{Code: string(e.Code), Message: messageFor(e, lang), Field: e.Field}}
	w.Header().Set("Content-Language", string(lang))
	varyLanguage(w.Header())
	w.Header().Set("Cache-Control", "no-store")
	_ = writeJSON(w, status, body)
}

// messageFor returns e's message in lang: the catalogue's text for its key
// when the catalogue has one, else the domain's English message for English
// readers and the catalogue's generic text for the code for the others.
func messageFor(e *isa.Error, lang isa.Lang) string {
	if e.Key != "" {
		if m, ok := catalogue[lang][e.Key]; ok {
			return m
		}
		if m, ok := uiMessage(e.Key, lang); ok {
			return m
		}
	}
	if lang == isa.EN && e.Message != "" && e.Code != isa.CodeInternal {
		return e.Message
	}
	if m, ok := catalogue[lang]["code."+string(e.Code)]; ok {
		return m
	}
	return catalogue[lang][keyInternal]
}

// writeJSON writes v as the response body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(buf)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(buf, '\n'))
	return nil
}

// Keys of the API's own messages. Every key must exist in every file of
// messages/ (a test checks it).
const (
	keyInternal         = "internal"
	keyNoRoute          = "no_route"
	keyMethodNotAllowed = "method_not_allowed"
	keyUnavailable      = "unavailable"
	keyBadLimit         = "bad_limit"
	keyBadCursor        = "bad_cursor"
	keyBadCountry       = "bad_country"
	keyBadCity          = "bad_city"
	keyBadOrgKind       = "bad_org_kind"
	keyBadListingKind   = "bad_listing_kind"
	keyBadCooperation   = "bad_cooperation"
	keyBadIndustry      = "bad_industry"
	keyBadLang          = "bad_lang"
	keyBadState         = "bad_state"
	keyStateForbidden   = "state_forbidden"
	keyBadRef           = "bad_ref"
	keyUnknownParam     = "unknown_param"
	keyRepeatedParam    = "repeated_param"
	keyBadParam         = "bad_param"
	keyCityNotFound     = "city_not_found"
	keyOrgNotFound      = "organisation_not_found"
	keyListingNotFound  = "listing_not_found"
	keyBadQuery         = "bad_query"
	keyBadSort          = "bad_sort"
)

// messageKeys lists every key the code uses, with the generic texts per
// error code, for the catalogue test.
var messageKeys = []string{
	keyInternal, keyNoRoute, keyMethodNotAllowed, keyUnavailable, keyBadLimit, keyBadCursor,
	keyBadCountry, keyBadCity, keyBadOrgKind, keyBadListingKind, keyBadCooperation,
	keyBadIndustry, keyBadLang, keyBadState, keyStateForbidden, keyBadRef, keyUnknownParam,
	keyRepeatedParam, keyBadParam, keyCityNotFound, keyOrgNotFound, keyListingNotFound,
	keyBadQuery, keyBadSort,
	"code.invalid", "code.unauthenticated", "code.forbidden", "code.not_found",
	"code.conflict", "code.rate_limited", "code.internal", "code.method_not_allowed",
	"code.unavailable",
}

//go:embed messages/*.json
var messageFiles embed.FS

// catalogue holds the API's messages per language. It is read-only data
// decoded from the embedded files, not state that connects to anything.
var catalogue = mustLoadCatalogue()

func mustLoadCatalogue() map[isa.Lang]map[string]string {
	c, err := loadCatalogue()
	if err != nil {
		panic("httpapi: " + err.Error())
	}
	return c
}

func loadCatalogue() (map[isa.Lang]map[string]string, error) {
	c := make(map[isa.Lang]map[string]string, len(isa.Langs))
	for _, l := range isa.Langs {
		buf, err := messageFiles.ReadFile("messages/" + string(l) + ".json")
		if err != nil {
			return nil, fmt.Errorf("reading messages for %s: %w", l, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(buf, &m); err != nil {
			return nil, fmt.Errorf("decoding messages for %s: %w", l, err)
		}
		c[l] = m
	}
	return c, nil
}

// requestLang picks de, zh or en from Accept-Language by quality, ignoring
// region and script (zh-Hans-CN, de-CH count as zh, de); English when
// nothing fits.
func requestLang(r *http.Request) isa.Lang {
	best, bestQ := isa.EN, 0.0
	parts := strings.Split(r.Header.Get("Accept-Language"), ",")
	if len(parts) > 32 {
		parts = parts[:32] // a browser sends a handful; more is noise
	}
	for _, part := range parts {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if l := isa.Lang(primary); l.Valid() && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// varyLanguage tells caches that the response depends on Accept-Language,
// once however often it is called.
func varyLanguage(h http.Header) {
	for _, v := range h.Values("Vary") {
		if strings.EqualFold(v, "Accept-Language") {
			return
		}
	}
	h.Add("Vary", "Accept-Language")
}
