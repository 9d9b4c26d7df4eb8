package accounts

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
)

// Cookie names. Over HTTPS the __Host- prefix makes the browser insist on
// Secure, Path=/ and no Domain, so that no sibling host can set or shadow
// the cookie.
const (
	cookieSession       = "isa_session"
	cookieSessionSecure = "__Host-isa_session"
	cookieCSRF          = "isa_csrf"
	cookieCSRFSecure    = "__Host-isa_csrf"
	// CSRFField is the form field and CSRFHeader the header that carry
	// the token on state-changing requests.
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
	// maxFormBytes bounds a form body read to check its token.
	maxFormBytes = 1 << 20
)

// DenyFunc answers a refused request with err (an *isa.Error).
type DenyFunc func(w http.ResponseWriter, r *http.Request, err error)

type ctxKey struct{}

// auth is what the middleware learned about a request.
type auth struct {
	user         *User
	session      *Session
	sessionToken string
	bearer       bool
	csrf         string // the token forms of this request must carry
}

func authOf(ctx context.Context) *auth {
	a, _ := ctx.Value(ctxKey{}).(*auth)
	if a == nil {
		return &auth{}
	}
	return a
}

// UserFrom returns the signed-in user of the request context, nil for
// anonymous visitors.
func UserFrom(ctx context.Context) *User { return authOf(ctx).user }

// SubjectOf returns the authz subject of a request.
func SubjectOf(r *http.Request) authz.Subject { return authOf(r.Context()).user.Subject() }

// CSRFTokenOf returns the token the forms of this request's page carry.
func CSRFTokenOf(r *http.Request) string { return authOf(r.Context()).csrf }

// SessionTokenOf returns the session token of the request's cookie, if it
// names a live session.
func SessionTokenOf(r *http.Request) string { return authOf(r.Context()).sessionToken }

// secure reports whether the request came over HTTPS: directly, or
// through a proxy that the configuration says terminates TLS.
func (s *Service) secure(r *http.Request) bool {
	return r.TLS != nil || s.https
}

func (s *Service) sessionCookieName(r *http.Request) string {
	if s.secure(r) {
		return cookieSessionSecure
	}
	return cookieSession
}

func (s *Service) csrfCookieName(r *http.Request) string {
	if s.secure(r) {
		return cookieCSRFSecure
	}
	return cookieCSRF
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

func (s *Service) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: s.secure(r), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// SetSession sets the cookie of a new session token (after login).
func (s *Service) SetSession(w http.ResponseWriter, r *http.Request, token string) {
	s.setCookie(w, r, s.sessionCookieName(r), token, int(s.ttl.Seconds()))
}

// ClearSession removes the session cookie (after logout).
func (s *Service) ClearSession(w http.ResponseWriter, r *http.Request) {
	s.setCookie(w, r, s.sessionCookieName(r), "", -1)
}

// ClientAddr is the address the per-address sign-in limit counts: the
// peer of the connection, or behind a trusted proxy the client it names
// (see TrustedProxies.ClientAddr).
func (s *Service) ClientAddr(r *http.Request) string {
	return s.proxies.ClientAddr(r)
}

// Authenticate puts the user of the request (session cookie or API
// bearer token) into its context and checks the CSRF token of every
// state-changing request that is not authenticated by a bearer token.
// Refusals are answered in the API's JSON or as plain text; Protect lets
// the caller choose.
func (s *Service) Authenticate(next http.Handler) http.Handler {
	return s.authenticate(next, DefaultDeny)
}

// Protect wraps mux with authentication, CSRF checks and the authz guard,
// which checks every request against the rule of its route.
func (s *Service) Protect(mux *http.ServeMux, deny DenyFunc) http.Handler {
	if deny == nil {
		deny = DefaultDeny
	}
	g := &authz.Guard{Mux: mux, Resolver: authz.StoreResolver{Store: s.store}, Subject: SubjectOf, Deny: deny, Logger: s.log}
	return s.authenticate(g, deny)
}

func (s *Service) authenticate(next http.Handler, deny DenyFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := &auth{}
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			u, err := s.TokenUser(ctx, strings.TrimSpace(secret))
			if !ok || err != nil {
				if err != nil && !isa.IsNotFound(err) {
					s.log.ErrorContext(ctx, "accounts: checking API token", "err", err)
				}
				w.Header().Set("WWW-Authenticate", `Bearer realm="isa"`)
				deny(w, r, &isa.Error{Code: isa.CodeUnauth, Key: "account.error.token_invalid", Message: "invalid API token"})
				return
			}
			a.user, a.bearer = u, true
		} else if tok := cookieValue(r, s.sessionCookieName(r)); tok != "" {
			u, sess, err := s.SessionUser(ctx, tok)
			switch {
			case err == nil:
				a.user, a.session, a.sessionToken, a.csrf = u, sess, tok, sess.CSRFToken
			case isa.IsNotFound(err):
				// A stale cookie: forget it, the visitor is anonymous.
				s.ClearSession(w, r)
			default:
				s.log.ErrorContext(ctx, "accounts: reading session", "err", err)
				deny(w, r, err)
				return
			}
		}
		if a.session == nil && !a.bearer {
			// Anonymous forms (sign-in, registration) carry a token from a
			// cookie of their own: a double submit that a foreign site
			// can neither read nor set.
			a.csrf = cookieValue(r, s.csrfCookieName(r))
			if a.csrf == "" && !strings.HasPrefix(r.URL.Path, "/api/") {
				a.csrf = NewCSRFToken()
				s.setCookie(w, r, s.csrfCookieName(r), a.csrf, 0)
			}
		}
		r = r.WithContext(context.WithValue(ctx, ctxKey{}, a))
		// API requests without a session carry no ambient credential a
		// foreign site could ride on: the guard answers them (401), and
		// API clients get that rather than a form error.
		anonymousAPI := a.session == nil && strings.HasPrefix(r.URL.Path, "/api/")
		if !a.bearer && !anonymousAPI && !safeMethod(r.Method) {
			if err := checkCSRF(w, r, a.csrf); err != nil {
				deny(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func errCSRF() error {
	return &isa.Error{Code: isa.CodeForbidden, Key: "account.error.csrf", Message: "the form has expired; please reload the page and try again"}
}

// checkCSRF compares the request's token (header, else form field) with
// the expected one in constant time.
func checkCSRF(w http.ResponseWriter, r *http.Request, want string) error {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if ct == "multipart/form-data" {
				if err := r.ParseMultipartForm(maxFormBytes); err != nil {
					return errCSRF()
				}
			} else if err := r.ParseForm(); err != nil {
				return errCSRF()
			}
			got = r.PostFormValue(CSRFField)
		}
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF()
	}
	return nil
}

// StatusOf maps the error vocabulary to HTTP status.
func StatusOf(err error) int {
	switch isa.ErrorCode(err) {
	case isa.CodeNotFound:
		return http.StatusNotFound
	case isa.CodeInvalid:
		return http.StatusBadRequest
	case isa.CodeForbidden:
		return http.StatusForbidden
	case isa.CodeConflict:
		return http.StatusConflict
	case isa.CodeUnauth:
		return http.StatusUnauthorized
	case isa.CodeRateLimit:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// DefaultDeny answers with a JSON error under /api/ and plain text
// elsewhere; only the user-safe message of an *isa.Error is shown.
func DefaultDeny(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	msg := "internal error"
	code := isa.CodeInternal
	var e *isa.Error
	if errors.As(err, &e) && status < 500 {
		msg, code = e.Message, e.Code
	}
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": string(code), "message": msg}})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}
