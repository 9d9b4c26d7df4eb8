package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/nace"
)

// The posting pages: a form to create or edit an offer or request with a
// preview before publishing, renewing and withdrawing, and the NACE search
// behind the form's type-ahead (a page of its own without JavaScript). The
// rules live in package listings; these handlers only read forms and show
// its answers, with each validation message next to its field.

// registerPosting mounts the posting and contact pages of language l when
// their services are configured. The authz guard needs a rule for each:
// EditListing on OwnOrg for /listings/mine and /listings/new, EditListing
// on ListingRef for /listings/{ref}/edit, renew and withdraw, ContactOrg
// on ListingRef for /listings/{ref}/contact, EditOrg on OrgRef for
// /organisations/{ref}/edit, ReadMessages on OwnOrg for
// /inbox and /inbox/{id}/…, and ViewPublic for /nace. The services check
// the same rules again on the objects themselves.
func (w *Web) registerPosting(handle func(string, http.Handler), l isa.Lang) {
	p := "/" + string(l)
	if w.posting != nil {
		handle("GET "+p+"/listings/mine", w.page(l, w.myListingsPage))
		handle("GET "+p+"/listings/new", w.page(l, w.newListingPage))
		handle("POST "+p+"/listings/new", w.wrap(w.bigForm(l, w.postNewListing)))
		handle("GET "+p+"/listings/{ref}/edit", w.page(l, w.editListingPage))
		handle("POST "+p+"/listings/{ref}/edit", w.wrap(w.bigForm(l, w.postEditListing)))
		handle("POST "+p+"/listings/{ref}/renew", w.wrap(w.bigForm(l, w.renewListing)))
		handle("POST "+p+"/listings/{ref}/withdraw", w.wrap(w.bigForm(l, w.withdrawListing)))
		handle("GET "+p+"/nace", w.wrap(w.naceSearch(l)))
		handle("GET "+p+"/organisations/{ref}/edit", w.page(l, w.editOrgPage))
		handle("POST "+p+"/organisations/{ref}/edit", w.wrap(w.bigForm(l, w.postEditOrg)))
	}
	if w.contacts != nil {
		w.registerContact(handle, l)
	}
}

// maxListingForm bounds a posted listing: a description of 10,000 Chinese
// characters is 30 KB of UTF-8 and up to 90 KB form-encoded, and there may
// be three of them.
const maxListingForm = 1 << 20

// bigForm is form with room for a listing or an organisation's profile
// (three descriptions of up to 5,000 Chinese characters, contact persons).
func (w *Web) bigForm(l isa.Lang, h formFunc) http.HandlerFunc {
	return w.formWithin(l, maxListingForm, h)
}

// listingForm is the data of the listing form page.
type listingForm struct {
	Action     string // where the form posts
	Editing    *isa.Listing
	In         listings.Input
	Industries string // as typed: codes separated by commas
	Keywords   string
	Errors     map[string]string // field → translated message
	Summary    []fieldMessage    // the same, in form order, for the summary
	Preview    *isa.Listing
	Notice     string // translated: saved, renewed, withdrawn
	CoopTypes  []string
	Langs      []isa.Lang
}

type fieldMessage struct {
	Field, ID, Message string
}

// formFields are the form's fields in the order they appear, for the
// error summary.
var formFields = []string{"kind", "lang", "title", "description",
	"translations.de.title", "translations.de.description", "translations.zh.title", "translations.zh.description",
	"translations.en.title", "translations.en.description", "translations", "cooperation", "industries", "keywords"}

// fieldID is the id of a field's input element in the template.
func fieldID(f string) string { return "f-" + strings.ReplaceAll(f, ".", "-") }

func newListingForm(action string) *listingForm {
	return &listingForm{Action: action, CoopTypes: isa.CooperationTypes, Langs: isa.Langs, Errors: map[string]string{}}
}

// splitList splits what people type between list items: commas, also
// Chinese ones, semicolons and line breaks.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r' || r == '，' || r == '、' || r == '；'
	})
}

// readListingForm reads the posted fields into f.
func readListingForm(r *http.Request, f *listingForm) {
	in := listings.Input{
		Kind:        isa.ListingKind(r.PostFormValue("kind")),
		Lang:        isa.Lang(r.PostFormValue("lang")),
		Title:       r.PostFormValue("title"),
		Description: r.PostFormValue("description"),
		Cooperation: r.PostForm["cooperation"],
	}
	for _, l := range isa.Langs {
		t, d := r.PostFormValue("tr_"+string(l)+"_title"), r.PostFormValue("tr_"+string(l)+"_description")
		if t != "" || d != "" {
			if in.Translations == nil {
				in.Translations = map[isa.Lang]isa.Translation{}
			}
			in.Translations[l] = isa.Translation{Title: t, Description: d}
		}
	}
	f.Industries, f.Keywords = r.PostFormValue("industries"), r.PostFormValue("keywords")
	in.Industries, in.Keywords = splitList(f.Industries), splitList(f.Keywords)
	f.In = in
}

// fillFromListing puts a stored listing into the form.
func fillFromListing(f *listingForm, li *isa.Listing) {
	f.In = listings.Input{Kind: li.Kind, Lang: li.Lang, Title: li.Title, Description: li.Description,
		Translations: li.Translations, Cooperation: li.Cooperation, Industries: li.Industries, Keywords: li.Keywords}
	f.Industries = strings.Join(li.Industries, ", ")
	f.Keywords = strings.Join(li.Keywords, ", ")
}

// showErrors translates err's field errors into f; false when err is not
// the visitor's mistake (it goes to the error page then).
func (w *Web) showErrors(l isa.Lang, f *listingForm, err error) bool {
	es := listings.AsErrors(err)
	if es == nil {
		return false
	}
	for _, e := range es {
		f.Errors[e.Field] = w.errorText(l, e)
	}
	for _, name := range formFields {
		if m, ok := f.Errors[name]; ok {
			f.Summary = append(f.Summary, fieldMessage{Field: name, ID: fieldID(name), Message: m})
		}
	}
	return true
}

func (w *Web) listingFormView(l isa.Lang, f *listingForm, status int) *view {
	title := "posting.new.title"
	if f.Editing != nil {
		title = "posting.edit.title"
	}
	return &view{name: "listing_form", title: w.cat.Locale(l).T(title), nav: "post", status: status, data: f}
}

func (w *Web) newListingPage(r *http.Request, l isa.Lang) (*view, error) {
	who := accounts.SubjectOf(r)
	if !who.SignedIn() {
		return nil, &isa.Error{Code: isa.CodeUnauth, Key: "authz.unauthenticated", Message: "please sign in first"}
	}
	f := newListingForm("/" + string(l) + "/listings/new")
	f.In.Lang, f.In.Kind = l, isa.Offer
	return w.listingFormView(l, f, 0), nil
}

// postListing handles both buttons of the form: preview shows the listing
// as it would appear, publish (or save) stores it.
func (w *Web) postListing(rw http.ResponseWriter, r *http.Request, l isa.Lang, f *listingForm, save func(listings.Input) (*isa.Listing, error)) error {
	readListingForm(r, f)
	ctx := r.Context()
	if r.PostFormValue("action") == "preview" {
		p, err := w.posting.Preview(ctx, accounts.SubjectOf(r), f.In)
		if err != nil {
			if !w.showErrors(l, f, err) {
				return err
			}
			w.render(rw, r, l, w.listingFormView(l, f, http.StatusBadRequest))
			return nil
		}
		if f.Editing != nil {
			p.Ref, p.State, p.Published, p.Expires = f.Editing.Ref, f.Editing.State, f.Editing.Published, f.Editing.Expires
		}
		f.Preview = p
		w.render(rw, r, l, w.listingFormView(l, f, 0))
		return nil
	}
	li, err := save(f.In)
	if err != nil {
		if !w.showErrors(l, f, err) {
			return err
		}
		w.render(rw, r, l, w.listingFormView(l, f, http.StatusBadRequest))
		return nil
	}
	seeOther(rw, r, "/"+string(l)+"/listings/"+url.PathEscape(li.Ref)+"/edit?saved=1")
	return nil
}

func (w *Web) postNewListing(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	f := newListingForm("/" + string(l) + "/listings/new")
	return w.postListing(rw, r, l, f, func(in listings.Input) (*isa.Listing, error) {
		return w.posting.Create(r.Context(), accounts.SubjectOf(r), in)
	})
}

func (w *Web) editable(r *http.Request, l isa.Lang) (*listingForm, error) {
	ref := r.PathValue("ref")
	li, err := w.posting.Editable(r.Context(), accounts.SubjectOf(r), ref)
	if err != nil {
		return nil, err
	}
	f := newListingForm("/" + string(l) + "/listings/" + url.PathEscape(ref) + "/edit")
	f.Editing = li
	return f, nil
}

func (w *Web) editListingPage(r *http.Request, l isa.Lang) (*view, error) {
	f, err := w.editable(r, l)
	if err != nil {
		return nil, err
	}
	fillFromListing(f, f.Editing)
	q := r.URL.Query()
	for _, n := range []string{"saved", "renewed", "withdrawn"} {
		if q.Get(n) != "" {
			f.Notice = w.cat.Locale(l).T("posting.notice." + n)
		}
	}
	return w.listingFormView(l, f, 0), nil
}

func (w *Web) postEditListing(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	f, err := w.editable(r, l)
	if err != nil {
		return err
	}
	return w.postListing(rw, r, l, f, func(in listings.Input) (*isa.Listing, error) {
		return w.posting.Update(r.Context(), accounts.SubjectOf(r), f.Editing.Ref, in)
	})
}

func (w *Web) renewListing(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	li, err := w.posting.Renew(r.Context(), accounts.SubjectOf(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	seeOther(rw, r, "/"+string(l)+"/listings/"+url.PathEscape(li.Ref)+"/edit?renewed=1")
	return nil
}

func (w *Web) withdrawListing(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	li, err := w.posting.Withdraw(r.Context(), accounts.SubjectOf(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	seeOther(rw, r, "/"+string(l)+"/listings/"+url.PathEscape(li.Ref)+"/edit?withdrawn=1")
	return nil
}

// myListings is the data of the own listings page.
type myListings struct {
	Org   string // ref of the own organisation
	Items []*isa.Listing
}

// myListingsPage lists the listings of the member's organisation in every
// state, the way to edit those that wait in review.
func (w *Web) myListingsPage(r *http.Request, l isa.Lang) (*view, error) {
	who := accounts.SubjectOf(r)
	if !who.SignedIn() {
		return nil, &isa.Error{Code: isa.CodeUnauth, Key: "authz.unauthenticated", Message: "please sign in first"}
	}
	var items []*isa.Listing
	if who.Org != "" {
		ctx, cancel := ctxTimeout(r)
		defer cancel()
		page, err := w.store.Listings(ctx, isa.ListingFilter{Org: who.Org, Limit: 500})
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			items = append(items, &page.Items[i])
		}
	}
	return &view{name: "listings_mine", title: w.cat.Locale(l).T("posting.mine.title"), nav: "post", data: myListings{Org: who.Org, Items: items}}, nil
}

// naceHit is one suggestion of the NACE type-ahead.
type naceHit struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// naceData is the NACE search page for visitors without JavaScript.
type naceData struct {
	Query string
	Hits  []naceHit
}

// naceSearch answers the form's type-ahead with JSON (format=json) and
// everyone else with a page listing the matching codes, so that the
// picker works without JavaScript too. It matches codes and labels in all
// three languages.
func (w *Web) naceSearch(l isa.Lang) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		if len(q) > 100 {
			q = q[:100]
		}
		limit := 50
		asJSON := r.URL.Query().Get("format") == "json"
		if asJSON {
			limit = 12
		}
		hits := []naceHit{}
		if q != "" {
			for _, e := range nace.Default().Search(q, l, limit) {
				hits = append(hits, naceHit{Code: e.Code, Label: e.Label.In(l)})
			}
		}
		if asJSON {
			rw.Header().Set("Content-Type", "application/json; charset=utf-8")
			rw.Header().Set("Cache-Control", "public, max-age=3600")
			_ = json.NewEncoder(rw).Encode(hits)
			return
		}
		w.render(rw, r, l, &view{name: "nace", title: w.cat.Locale(l).T("posting.nace.title"), nav: "post", data: naceData{Query: q, Hits: hits}})
	}
}

// Coop reports whether cooperation type c is chosen, for the checkboxes.
func (f *listingForm) Coop(c string) bool { return slices.Contains(f.In.Cooperation, c) }

// Tr returns the translation into l as typed.
func (f *listingForm) Tr(l isa.Lang) isa.Translation { return f.In.Translations[l] }

// Err returns the message of field name, "" when it is fine.
func (f *listingForm) Err(name string) string { return f.Errors[name] }

// ID is the id of field name's input.
func (f *listingForm) ID(name string) string { return fieldID(name) }
