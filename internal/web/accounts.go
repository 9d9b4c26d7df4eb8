package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
)

// The pages of accounts: sign-in and sign-out, registration of a company
// with e-mail confirmation, password reset, the account page with API
// tokens, the city officer's review queue and the secretariat's users.
// Who may open which page is decided by package authz (its guard runs
// before these handlers); the handlers act only for the signed-in user of
// the request.

// registerAccounts mounts the account pages of language l.
func (w *Web) registerAccounts(handle func(string, http.Handler), l isa.Lang) {
	if w.accounts == nil {
		return
	}
	p := "/" + string(l)
	handle("GET "+p+"/login", w.page(l, w.loginPage))
	handle("POST "+p+"/login", w.wrap(w.form(l, w.login)))
	handle("POST "+p+"/logout", w.wrap(w.form(l, w.logout)))
	handle("GET "+p+"/register", w.page(l, w.registerPage))
	handle("POST "+p+"/register", w.wrap(w.form(l, w.register)))
	handle("GET "+p+"/confirm", w.page(l, w.confirm))
	handle("GET "+p+"/reset", w.page(l, w.resetPage))
	handle("POST "+p+"/reset", w.wrap(w.form(l, w.requestReset)))
	handle("GET "+p+"/reset/confirm", w.page(l, w.resetConfirmPage))
	handle("POST "+p+"/reset/confirm", w.wrap(w.form(l, w.resetConfirm)))
	handle("GET "+p+"/account", w.page(l, w.accountPage))
	handle("POST "+p+"/account/tokens", w.wrap(w.form(l, w.createToken)))
	handle("POST "+p+"/account/tokens/{id}/revoke", w.wrap(w.form(l, w.byID("/account", w.revokeToken))))
	handle("GET "+p+"/review", w.page(l, w.reviewPage))
	handle("POST "+p+"/review/organisations/{ref}/verify", w.wrap(w.form(l, w.verifyOrg)))
	handle("POST "+p+"/review/organisations/{ref}/return", w.wrap(w.form(l, w.returnOrg)))
	handle("POST "+p+"/review/listings/{ref}/publish", w.wrap(w.form(l, w.publishListing)))
	handle("POST "+p+"/review/listings/{ref}/return", w.wrap(w.form(l, w.returnListing)))
	handle("GET "+p+"/admin/users", w.page(l, w.usersPage))
	handle("POST "+p+"/admin/users/{id}/disable", w.wrap(w.form(l, w.byID("/admin/users", w.disableUser))))
	handle("POST "+p+"/admin/users/{id}/role", w.wrap(w.form(l, w.byID("/admin/users", w.setRole))))
	handle("GET "+p+"/admin/cities", w.page(l, w.citiesAdminPage))
	handle("POST "+p+"/admin/cities", w.wrap(w.form(l, w.admitCity)))
}

// formFunc handles a posted form: it redirects or renders and returns
// nil, or returns an error for the error page.
type formFunc func(rw http.ResponseWriter, r *http.Request, l isa.Lang) error

// maxForm bounds a form body; the largest form (registration) is far
// smaller.
const maxForm = 64 << 10

func (w *Web) form(l isa.Lang, h formFunc) http.HandlerFunc {
	return w.formWithin(l, maxForm, h)
}

// formWithin reads a form of at most limit bytes and runs h on it; a form
// that cannot be read is a translated 400, an error of h the error page.
func (w *Web) formWithin(l isa.Lang, limit int64, h formFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if r.Form == nil {
			r.Body = http.MaxBytesReader(rw, r.Body, limit)
		}
		if err := r.ParseForm(); err != nil {
			w.renderError(rw, r, l, &isa.Error{Code: isa.CodeInvalid, Key: "account.error.form", Message: "the form could not be read", Err: err})
			return
		}
		if err := h(rw, r, l); err != nil {
			w.renderError(rw, r, l, err)
		}
	}
}

// accountSession is the layout's view of the request's session.
func (w *Web) accountSession(_ http.ResponseWriter, r *http.Request) Session {
	s := Session{CSRFToken: accounts.CSRFTokenOf(r)}
	if u := accounts.UserFrom(r.Context()); u != nil {
		s.SignedIn, s.Name = true, u.Name
	}
	return s
}

// formData is what every account form template gets: the values typed so
// far, and the error to show with the field it concerns.
type formData struct {
	Values  map[string]string
	Error   string
	Field   string
	Done    bool   // the action succeeded; the page says so
	Next    string // sign-in: where to go afterwards
	Token   string // reset: the token from the link
	Cities  []isa.City
	Kinds   []isa.OrgKind
	Sizes   []isa.SizeClass
	Message string
}

func values(r *http.Request, keys ...string) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = r.PostFormValue(k)
	}
	return m
}

// formError renders the form page again with the translated message of
// err; errors that are not the visitor's go to the error page.
func (w *Web) formError(rw http.ResponseWriter, r *http.Request, l isa.Lang, name, title string, d *formData, err error) error {
	return w.formErrorData(rw, r, l, name, title, d, d, err)
}

// formErrorData is formError for a page whose data embeds its formData.
func (w *Web) formErrorData(rw http.ResponseWriter, r *http.Request, l isa.Lang, name, title string, data any, d *formData, err error) error {
	var e *isa.Error
	if !errors.As(err, &e) || e.Code == isa.CodeInternal {
		return err
	}
	loc := w.cat.Locale(l)
	d.Error = w.errorText(l, e)
	if e.Field != "" && w.cat.Has("account.field."+e.Field) {
		d.Field = e.Field
		d.Error = loc.T("account.field."+e.Field) + ": " + d.Error
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusBadRequest
	}
	w.render(rw, r, l, &view{name: name, title: loc.T(title), nav: "account", status: status, data: data})
	return nil
}

// localNext accepts only a path on this site as the place to go after
// signing in, so that the form cannot be used to send people elsewhere.
func localNext(l isa.Lang, next string) string {
	// Browsers drop tabs and line breaks from a URL and read a backslash
	// as a slash, so "/\t/evil.example" would leave the site: a target
	// with any of them, or any other control or space character, is not
	// taken.
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) }) {
		return "/" + string(l) + "/account"
	}
	return next
}

func seeOther(rw http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

func (w *Web) loginPage(r *http.Request, l isa.Lang) (*view, error) {
	d := &formData{Values: map[string]string{}, Next: r.URL.Query().Get("next")}
	return &view{name: "account_login", title: w.cat.Locale(l).T("account.login.title"), nav: "account", data: d}, nil
}

func (w *Web) login(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	d := &formData{Values: values(r, "email"), Next: r.PostFormValue("next")}
	token, _, err := w.accounts.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), w.accounts.ClientAddr(r))
	if err != nil {
		return w.formError(rw, r, l, "account_login", "account.login.title", d, err)
	}
	// A new token at every sign-in: a session fixed before (a planted
	// cookie) never becomes a signed-in one.
	if old := accounts.SessionTokenOf(r); old != "" {
		if err := w.accounts.Logout(r.Context(), old); err != nil {
			return err
		}
	}
	w.accounts.SetSession(rw, r, token)
	seeOther(rw, r, localNext(l, d.Next))
	return nil
}

func (w *Web) logout(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	if err := w.accounts.Logout(r.Context(), accounts.SessionTokenOf(r)); err != nil {
		return err
	}
	w.accounts.ClearSession(rw, r)
	seeOther(rw, r, "/"+string(l)+"/")
	return nil
}

func (w *Web) registerData(r *http.Request, l isa.Lang) (*formData, error) {
	cs, err := w.memberCities(r, l)
	if err != nil {
		return nil, err
	}
	return &formData{Values: map[string]string{}, Cities: cs, Kinds: isa.OrgKinds, Sizes: isa.SizeClasses}, nil
}

// memberCities are today's member cities for a choice in a form, the
// German ones first, each group in the order of l.
func (w *Web) memberCities(r *http.Request, l isa.Lang) ([]isa.City, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	cs, err := w.allCities(ctx)
	if err != nil {
		return nil, err
	}
	de, cn, _ := members(cs, w.today(), l, w.cat.Locale(l).Compare())
	return append(de, cn...), nil
}

func (w *Web) registerPage(r *http.Request, l isa.Lang) (*view, error) {
	d, err := w.registerData(r, l)
	if err != nil {
		return nil, err
	}
	return &view{name: "account_register", title: w.cat.Locale(l).T("account.register.title"), nav: "account", data: d}, nil
}

func (w *Web) register(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	d, err := w.registerData(r, l)
	if err != nil {
		return err
	}
	d.Values = values(r, "email", "name", "org_name", "kind", "city", "size", "about")
	err = w.accounts.Register(r.Context(), accounts.RegisterInput{
		Email: d.Values["email"], Password: r.PostFormValue("password"), Name: d.Values["name"], Lang: l,
		OrgName: d.Values["org_name"], Kind: isa.OrgKind(d.Values["kind"]), City: d.Values["city"],
		Size: isa.SizeClass(d.Values["size"]), About: d.Values["about"],
	})
	if err != nil {
		return w.formError(rw, r, l, "account_register", "account.register.title", d, err)
	}
	d.Done = true
	w.render(rw, r, l, &view{name: "account_register", title: w.cat.Locale(l).T("account.register.title"), nav: "account", data: d})
	return nil
}

func (w *Web) confirm(r *http.Request, l isa.Lang) (*view, error) {
	if _, err := w.accounts.Confirm(r.Context(), r.URL.Query().Get("token")); err != nil {
		return nil, err
	}
	d := &formData{Done: true, Message: w.cat.Locale(l).T("account.confirm.done")}
	return &view{name: "account_message", title: w.cat.Locale(l).T("account.confirm.title"), nav: "account", data: d}, nil
}

func (w *Web) resetPage(r *http.Request, l isa.Lang) (*view, error) {
	return &view{name: "account_reset", title: w.cat.Locale(l).T("account.reset.title"), nav: "account", data: &formData{Values: map[string]string{}}}, nil
}

func (w *Web) requestReset(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	d := &formData{Values: values(r, "email")}
	if err := w.accounts.RequestReset(r.Context(), d.Values["email"]); err != nil {
		return w.formError(rw, r, l, "account_reset", "account.reset.title", d, err)
	}
	d.Done = true
	w.render(rw, r, l, &view{name: "account_reset", title: w.cat.Locale(l).T("account.reset.title"), nav: "account", data: d})
	return nil
}

func (w *Web) resetConfirmPage(r *http.Request, l isa.Lang) (*view, error) {
	d := &formData{Values: map[string]string{}, Token: r.URL.Query().Get("token")}
	return &view{name: "account_newpassword", title: w.cat.Locale(l).T("account.newpassword.title"), nav: "account", data: d}, nil
}

func (w *Web) resetConfirm(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	d := &formData{Values: map[string]string{}, Token: r.PostFormValue("token")}
	if _, err := w.accounts.ResetPassword(r.Context(), d.Token, r.PostFormValue("password")); err != nil {
		return w.formError(rw, r, l, "account_newpassword", "account.newpassword.title", d, err)
	}
	// Every session of the account ended, this browser's too.
	w.accounts.ClearSession(rw, r)
	d.Done = true
	w.render(rw, r, l, &view{name: "account_newpassword", title: w.cat.Locale(l).T("account.newpassword.title"), nav: "account", data: d})
	return nil
}

// accountData is the account page.
type accountData struct {
	User     *accounts.User
	Org      *isa.Organisation
	Reviews  []accounts.Review
	Tokens   []accounts.APIToken
	NewToken string // shown once, right after creation
	formData
}

// signedIn returns the request's user or an unauthenticated error: the
// guard has checked already, this keeps a handler safe on its own.
func signedIn(r *http.Request) (*accounts.User, error) {
	u := accounts.UserFrom(r.Context())
	if u == nil {
		return nil, &isa.Error{Code: isa.CodeUnauth, Key: "authz.unauthenticated", Message: "please sign in first"}
	}
	return u, nil
}

func (w *Web) accountView(r *http.Request, l isa.Lang, u *accounts.User) (*view, *accountData, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	st := w.accounts.Store()
	d := &accountData{User: u, formData: formData{Values: map[string]string{}}}
	if u.Org != "" {
		o, err := st.Organisation(ctx, u.Org)
		if err != nil {
			return nil, nil, err
		}
		d.Org = o
		if d.Reviews, err = st.LatestReviews(ctx, o.ID); err != nil {
			return nil, nil, err
		}
	}
	var err error
	if d.Tokens, err = st.APITokens(ctx, u.ID); err != nil {
		return nil, nil, err
	}
	return &view{name: "account", title: w.cat.Locale(l).T("account.title"), nav: "account", data: d}, d, nil
}

func (w *Web) accountPage(r *http.Request, l isa.Lang) (*view, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	v, _, err := w.accountView(r, l, u)
	return v, err
}

func (w *Web) createToken(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	secret, _, cerr := w.accounts.CreateAPIToken(r.Context(), u, r.PostFormValue("name"))
	v, d, err := w.accountView(r, l, u)
	if err != nil {
		return err
	}
	if cerr != nil {
		d.Values = values(r, "name")
		return w.formErrorData(rw, r, l, "account", "account.title", d, &d.formData, cerr)
	}
	d.NewToken = secret
	// The secret is on this page only: no cache may keep it.
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, l, v)
	return nil
}

// pathID reads a numeric id from the path; anything else names nothing.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, isa.NotFound("id", "")
	}
	return id, nil
}

// byID runs act on the {id} of the path for the signed-in user and
// returns to the page at path (without language).
func (w *Web) byID(path string, act func(r *http.Request, u *accounts.User, id int64) error) formFunc {
	return func(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
		u, err := signedIn(r)
		if err != nil {
			return err
		}
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := act(r, u, id); err != nil {
			return err
		}
		seeOther(rw, r, "/"+string(l)+path)
		return nil
	}
}

func (w *Web) revokeToken(r *http.Request, u *accounts.User, id int64) error {
	return w.accounts.RevokeAPIToken(r.Context(), u, id)
}

func (w *Web) reviewPage(r *http.Request, l isa.Lang) (*view, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	q, err := w.accounts.ReviewQueue(r.Context(), u)
	if err != nil {
		return nil, err
	}
	return &view{name: "account_review", title: w.cat.Locale(l).T("review.title"), nav: "account", data: q}, nil
}

// review runs an officer's decision and returns to the queue.
func (w *Web) review(rw http.ResponseWriter, r *http.Request, l isa.Lang, act func(u *accounts.User, ref string) error) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := act(u, r.PathValue("ref")); err != nil {
		return err
	}
	seeOther(rw, r, "/"+string(l)+"/review")
	return nil
}

func (w *Web) verifyOrg(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	return w.review(rw, r, l, func(u *accounts.User, ref string) error {
		return w.accounts.VerifyOrg(r.Context(), u, ref, reviewMethod(r.PostFormValue("method")))
	})
}

// reviewMethods are how an office may have checked an organisation.
var reviewMethods = []string{"register_extract", "visit", "trade_fair", "known_partner"}

func reviewMethod(s string) string {
	for _, m := range reviewMethods {
		if s == m {
			return m
		}
	}
	return ""
}

func (w *Web) returnOrg(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	return w.review(rw, r, l, func(u *accounts.User, ref string) error {
		return w.accounts.ReturnOrg(r.Context(), u, ref, r.PostFormValue("reason"))
	})
}

func (w *Web) publishListing(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	return w.review(rw, r, l, func(u *accounts.User, ref string) error {
		return w.accounts.PublishListing(r.Context(), u, ref)
	})
}

func (w *Web) returnListing(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	return w.review(rw, r, l, func(u *accounts.User, ref string) error {
		return w.accounts.ReturnListing(r.Context(), u, ref, r.PostFormValue("reason"))
	})
}

type usersData struct {
	Users  []accounts.User
	Me     int64
	Cities []isa.City
	Roles  []accounts.Role
	Next   string
}

func (w *Web) usersPage(r *http.Request, l isa.Lang) (*view, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	const limit = 100
	us, err := w.accounts.Users(r.Context(), u, after, limit)
	if err != nil {
		return nil, err
	}
	cs, err := w.memberCities(r, l)
	if err != nil {
		return nil, err
	}
	d := usersData{Users: us, Me: u.ID, Cities: cs, Roles: accounts.Roles}
	if len(us) == limit {
		d.Next = "?" + url.Values{"after": {strconv.FormatInt(us[len(us)-1].ID, 10)}}.Encode()
	}
	return &view{name: "account_users", title: w.cat.Locale(l).T("users.title"), nav: "account", data: d}, nil
}

func (w *Web) disableUser(r *http.Request, u *accounts.User, id int64) error {
	return w.accounts.Disable(r.Context(), u, id)
}

func (w *Web) setRole(r *http.Request, u *accounts.User, id int64) error {
	return w.accounts.SetRole(r.Context(), u, id, accounts.Role(r.PostFormValue("role")), r.PostFormValue("city"))
}

func (w *Web) citiesAdminPage(r *http.Request, l isa.Lang) (*view, error) {
	if _, err := signedIn(r); err != nil {
		return nil, err
	}
	d := &formData{Values: map[string]string{"joined": string(w.today())}}
	return &view{name: "account_cities", title: w.cat.Locale(l).T("cityadmin.title"), nav: "account", data: d}, nil
}

func (w *Web) admitCity(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	d := &formData{Values: values(r, "slug", "country", "name_de", "name_zh", "name_en", "joined", "event")}
	c, err := w.accounts.AdmitCity(r.Context(), u, accounts.CityInput{
		Slug: d.Values["slug"], Country: d.Values["country"], Joined: d.Values["joined"], Event: d.Values["event"],
		Names: isa.Text{isa.DE: d.Values["name_de"], isa.ZH: d.Values["name_zh"], isa.EN: d.Values["name_en"]},
	})
	if err != nil {
		return w.formError(rw, r, l, "account_cities", "cityadmin.title", d, err)
	}
	seeOther(rw, r, "/"+string(l)+"/cities/"+url.PathEscape(c.Slug))
	return nil
}

// Deny answers a request that authentication, CSRF checks or the authz
// guard refused: JSON under /api/, otherwise the translated error page,
// and for a page that needs signing in, the sign-in form.
func (w *Web) Deny(rw http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.denyJSON(rw, r, err)
		return
	}
	l := langOfPath(r.URL.Path)
	if isa.ErrorCode(err) == isa.CodeUnauth && r.Method == http.MethodGet && r.Header.Get("Authorization") == "" {
		seeOther(rw, r, "/"+string(l)+"/login?"+url.Values{"next": {r.URL.RequestURI()}}.Encode())
		return
	}
	w.wrap(func(rw http.ResponseWriter, r *http.Request) { w.renderError(rw, r, l, err) }).ServeHTTP(rw, r)
}

// denyJSON answers an API request in the API's error format, with the
// message in the language the client asks for. Anything but a refusal of
// the vocabulary is an internal error, shown by its generic text only.
func (w *Web) denyJSON(rw http.ResponseWriter, r *http.Request, err error) {
	l := w.cat.Negotiate(r.Header.Get("Accept-Language"))
	loc := w.cat.Locale(l)
	status := accounts.StatusOf(err)
	code := isa.CodeInternal
	var e *isa.Error
	if errors.As(err, &e) && status < 500 {
		code = e.Code
	} else {
		w.log.Error("web: API request refused", "path", r.URL.Path, "err", err)
		status = http.StatusInternalServerError
	}
	msg := loc.T("error." + string(code) + ".text")
	if code != isa.CodeInternal && e.Key != "" && w.cat.Has(e.Key) {
		msg = loc.T(e.Key)
	}
	hd := rw.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Content-Language", string(l))
	hd.Set("Cache-Control", "no-store")
	hd.Add("Vary", "Accept-Language")
	rw.WriteHeader(status)
	json.NewEncoder(rw).Encode(map[string]any{"error": map[string]string{"code": string(code), "message": msg}})
}

// Routes returns the patterns Register mounted, for the authorisation
// test that checks every route against the rules.
func (w *Web) Routes() []string { return append([]string(nil), w.routes...) }
