package web

import (
	"errors"
	"net/http"

	"github.com/isa-alliance/isa"
)

// statusOf is the one mapping from the error vocabulary to HTTP status for
// the pages.
var statusOf = map[isa.Code]int{
	isa.CodeNotFound:  http.StatusNotFound,
	isa.CodeInvalid:   http.StatusBadRequest,
	isa.CodeForbidden: http.StatusForbidden,
	isa.CodeConflict:  http.StatusConflict,
	isa.CodeUnauth:    http.StatusUnauthorized,
	isa.CodeRateLimit: http.StatusTooManyRequests,
	isa.CodeInternal:  http.StatusInternalServerError,
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Code    isa.Code
	Heading string
	Message string
}

// errorText is the visitor's text for a refusal: the text of its key in
// the catalogue, else the generic text of its code, never the domain's
// English message.
func (w *Web) errorText(l isa.Lang, e *isa.Error) string {
	loc := w.cat.Locale(l)
	if e.Key != "" && w.cat.Has(e.Key) {
		return loc.T(e.Key)
	}
	return loc.T("error." + string(e.Code) + ".text")
}

// renderError shows err as the translated error page. Only *isa.Error
// messages reach the visitor, and only through their locale key or the
// generic text of their code; anything else is logged and shown as an
// internal error, so that driver or template details never leak.
func (w *Web) renderError(rw http.ResponseWriter, r *http.Request, l isa.Lang, err error) {
	code := isa.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		code, status = isa.CodeInternal, http.StatusInternalServerError
	}
	loc := w.cat.Locale(l)
	ev := errorView{
		Status:  status,
		Code:    code,
		Heading: loc.T("error." + string(code) + ".title"),
		Message: loc.T("error." + string(code) + ".text"),
	}
	var e *isa.Error
	if errors.As(err, &e) && e.Key != "" && w.cat.Has(e.Key) {
		ev.Message = loc.T(e.Key)
	}
	if status >= 500 {
		// The path names only public objects (cities, refs), never a person.
		w.log.Error("web: page failed", "path", r.URL.Path, "status", status, "err", err)
	} else {
		w.log.Debug("web: page refused", "path", r.URL.Path, "status", status, "code", code)
	}
	w.render(rw, r, l, &view{name: "error", title: ev.Heading, status: status, data: ev})
}
