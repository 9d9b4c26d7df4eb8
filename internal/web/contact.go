package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/messages"
)

// The contact pages: "Contact this company" on a listing, the inbox of
// the own organisation, a thread with accept, decline and reply. Who may
// see and do what is decided by package messages; a thread of other
// organisations is not found, whatever its id.

func (w *Web) registerContact(handle func(string, http.Handler), l isa.Lang) {
	p := "/" + string(l)
	handle("GET "+p+"/listings/{ref}/contact", w.page(l, w.contactPage))
	handle("POST "+p+"/listings/{ref}/contact", w.wrap(w.form(l, w.postContact)))
	handle("GET "+p+"/inbox", w.page(l, w.inboxPage))
	handle("GET "+p+"/inbox/{id}", w.page(l, w.threadPage))
	handle("POST "+p+"/inbox/{id}/accept", w.wrap(w.form(l, w.decideThread(true))))
	handle("POST "+p+"/inbox/{id}/decline", w.wrap(w.form(l, w.decideThread(false))))
	handle("POST "+p+"/inbox/{id}/reply", w.wrap(w.form(l, w.replyThread)))
}

// contactData is the data of the contact form.
type contactData struct {
	Listing *isa.Listing
	Org     *isa.Organisation
	Message string
	Error   string
}

func needSignIn(r *http.Request) error {
	if !accounts.SubjectOf(r).SignedIn() {
		return &isa.Error{Code: isa.CodeUnauth, Key: "authz.unauthenticated", Message: "please sign in first"}
	}
	return nil
}

func (w *Web) contactData(r *http.Request) (*contactData, error) {
	ctx, cancel := ctxTimeout(r)
	defer cancel()
	li, err := w.store.Listing(ctx, r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	if !li.Live(w.today()) {
		return nil, isa.NotFound("listing", li.Ref)
	}
	o, err := w.store.Organisation(ctx, li.Org)
	if err != nil {
		return nil, err
	}
	return &contactData{Listing: li, Org: o}, nil
}

func (w *Web) contactPage(r *http.Request, l isa.Lang) (*view, error) {
	if err := needSignIn(r); err != nil {
		return nil, err
	}
	d, err := w.contactData(r)
	if err != nil {
		return nil, err
	}
	return &view{name: "contact", title: w.cat.Locale(l).T("contact.title"), nav: "inbox", data: d}, nil
}

func (w *Web) postContact(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	d, err := w.contactData(r)
	if err != nil {
		return err
	}
	d.Message = r.PostFormValue("message")
	t, err := w.contacts.Contact(r.Context(), accounts.SubjectOf(r), d.Listing.Ref, d.Message)
	if err != nil {
		var e *isa.Error
		if !errors.As(err, &e) || (e.Code != isa.CodeInvalid && e.Code != isa.CodeRateLimit && e.Code != isa.CodeConflict) {
			return err
		}
		// The visitor's own mistake or limit: the form again, with the
		// message next to the field and the text kept.
		d.Error = w.errorText(l, e)
		w.render(rw, r, l, &view{name: "contact", title: w.cat.Locale(l).T("contact.title"), nav: "inbox", status: statusOf[e.Code], data: d})
		return nil
	}
	seeOther(rw, r, "/"+string(l)+"/inbox/"+strconv.FormatInt(t.ID, 10))
	return nil
}

// inboxData is the data of the inbox page.
type inboxData struct {
	Org     string // the own organisation's ref
	Threads []messages.Thread
}

func (w *Web) inboxPage(r *http.Request, l isa.Lang) (*view, error) {
	who := accounts.SubjectOf(r)
	ts, err := w.contacts.Inbox(r.Context(), who, 200)
	if err != nil {
		return nil, err
	}
	return &view{name: "inbox", title: w.cat.Locale(l).T("inbox.title"), nav: "inbox", data: inboxData{Org: who.Org, Threads: ts}}, nil
}

// threadData is the data of a thread page.
type threadData struct {
	*messages.View
	Error string
	Reply string
}

func threadID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, isa.NotFound("thread", "")
	}
	return id, nil
}

func (w *Web) threadPage(r *http.Request, l isa.Lang) (*view, error) {
	id, err := threadID(r)
	if err != nil {
		return nil, err
	}
	v, err := w.contacts.Thread(r.Context(), accounts.SubjectOf(r), id)
	if err != nil {
		return nil, err
	}
	return w.threadView(l, &threadData{View: v}, 0), nil
}

func (w *Web) threadView(l isa.Lang, d *threadData, status int) *view {
	// Personal data of the contact persons: never cached anywhere.
	return &view{name: "thread", title: w.cat.Locale(l).T("inbox.thread.title"), nav: "inbox", status: status, data: d}
}

func (w *Web) decideThread(accept bool) formFunc {
	return func(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
		id, err := threadID(r)
		if err != nil {
			return err
		}
		who := accounts.SubjectOf(r)
		if accept {
			_, err = w.contacts.Accept(r.Context(), who, id)
		} else {
			_, err = w.contacts.Decline(r.Context(), who, id)
		}
		if err != nil {
			return err
		}
		seeOther(rw, r, "/"+string(l)+"/inbox/"+url.PathEscape(strconv.FormatInt(id, 10)))
		return nil
	}
}

func (w *Web) replyThread(rw http.ResponseWriter, r *http.Request, l isa.Lang) error {
	id, err := threadID(r)
	if err != nil {
		return err
	}
	who := accounts.SubjectOf(r)
	body := r.PostFormValue("message")
	if _, err := w.contacts.Reply(r.Context(), who, id, body); err != nil {
		var e *isa.Error
		if !errors.As(err, &e) || e.Code != isa.CodeInvalid {
			return err
		}
		v, verr := w.contacts.Thread(r.Context(), who, id)
		if verr != nil {
			return verr
		}
		w.render(rw, r, l, w.threadView(l, &threadData{View: v, Error: w.errorText(l, e), Reply: body}, http.StatusBadRequest))
		return nil
	}
	seeOther(rw, r, "/"+string(l)+"/inbox/"+strconv.FormatInt(id, 10)+"#latest")
	return nil
}
