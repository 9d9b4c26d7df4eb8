package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/i18n"
	"github.com/isa-alliance/isa/internal/listings"
	"github.com/isa-alliance/isa/internal/messages"
)

// The write side of the API: a member's own organisation, listings and
// messages. Every rule lives in the services (package listings and
// messages), which the pages share; these handlers only decode, call and
// encode. Who acts comes from the accounts middleware in front of the API
// (a bearer token or a session).

// Locale keys of the write side's own messages, in the UI catalogue.
const (
	keyBadBody     = "api.error.bad_body"
	keyContentType = "api.error.content_type"
	keyNoService   = "api.error.no_service"
)

// maxBody bounds a request body: a listing at its longest with three
// translations is about 130 KB of UTF-8.
const maxWriteBody = 512 << 10

func (a *API) writeRoutes() []route {
	return []route{
		{
			method: "PUT", path: Prefix + "/organisations/{ref}", op: "updateOrganisation", tag: "organisations", auth: true,
			summary: "Replace the own organisation's description, web site, size, year, industries and (when contacts is given) contact persons; name, kind and city stay as verified. Members of the organisation only.",
			request: "OrganisationInput", response: "Organisation", errors: []int{400, 401, 403, 404},
			handle: a.updateOrganisation,
		},
		{
			method: "POST", path: Prefix + "/listings", op: "createListing", tag: "listings", auth: true, status: http.StatusCreated,
			summary: "Post an offer or request of the own organisation: published at once when it is verified, in review otherwise.",
			request: "ListingInput", response: "Listing", errors: []int{400, 401, 403},
			handle: a.createListing,
		},
		{
			method: "PUT", path: Prefix + "/listings/{ref}", op: "updateListing", tag: "listings", auth: true,
			summary: "Replace the content of an own listing.",
			request: "ListingInput", response: "Listing", errors: []int{400, 401, 403, 404, 409},
			handle: a.updateListing,
		},
		{
			method: "POST", path: Prefix + "/listings/{ref}/renew", op: "renewListing", tag: "listings", auth: true,
			summary:  "Extend an own listing to 12 months from today; an expired one is published again.",
			response: "Listing", errors: []int{401, 403, 404, 409},
			handle: a.renewListing,
		},
		{
			method: "POST", path: Prefix + "/listings/{ref}/withdraw", op: "withdrawListing", tag: "listings", auth: true,
			summary:  "Withdraw an own listing from search and matching for good.",
			response: "Listing", errors: []int{401, 403, 404},
			handle: a.withdrawListing,
		},
		{
			method: "POST", path: Prefix + "/listings/{ref}/contact", op: "contactListing", tag: "messages", auth: true, status: http.StatusCreated,
			summary: "Send a first contact to the organisation of a published listing. Limited per organisation and day (429).",
			request: "MessageInput", response: "ThreadDetail", errors: []int{400, 401, 403, 404, 409, 429},
			handle: a.contactListing,
		},
		{
			method: "GET", path: Prefix + "/messages", op: "listThreads", tag: "messages", auth: true,
			summary:  "The own organisation's contacts, sent and received, most recently active first.",
			response: "ThreadList", errors: []int{401, 403},
			handle: a.listThreads,
		},
		{
			method: "GET", path: Prefix + "/messages/{id}", op: "getThread", tag: "messages", auth: true,
			summary:  "One contact with its messages; both sides' contact persons once it is accepted.",
			response: "ThreadDetail", errors: []int{401, 404},
			handle: a.getThread,
		},
		{
			method: "POST", path: Prefix + "/messages/{id}/accept", op: "acceptThread", tag: "messages", auth: true,
			summary:  "Accept a received first contact: both sides see each other's contact persons.",
			response: "ThreadDetail", errors: []int{401, 403, 404, 409},
			handle: a.acceptThread,
		},
		{
			method: "POST", path: Prefix + "/messages/{id}/decline", op: "declineThread", tag: "messages", auth: true,
			summary:  "Decline a received first contact.",
			response: "ThreadDetail", errors: []int{401, 403, 404, 409},
			handle: a.declineThread,
		},
		{
			method: "POST", path: Prefix + "/messages/{id}/replies", op: "replyThread", tag: "messages", auth: true, status: http.StatusCreated,
			summary: "Write in an accepted contact.",
			request: "MessageInput", response: "Message", errors: []int{400, 401, 404, 409},
			handle: a.replyThread,
		},
	}
}

// Views of the write side.

type partyView struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
	City string `json:"city"`
}

type threadView struct {
	ID           int64      `json:"id"`
	From         partyView  `json:"from"`
	To           partyView  `json:"to"`
	Listing      string     `json:"listing,omitempty"`
	ListingTitle string     `json:"listing_title,omitempty"`
	State        string     `json:"state"`
	CreatedAt    time.Time  `json:"created_at"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

type threadList struct {
	Items []threadView `json:"items"`
}

type messageView struct {
	ID        int64     `json:"id"`
	From      string    `json:"from"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// contactView is personal data: only in an accepted thread's detail.
type contactView struct {
	Name  string     `json:"name,omitempty"`
	Role  string     `json:"role,omitempty"`
	Email string     `json:"email,omitempty"`
	Phone string     `json:"phone,omitempty"`
	Langs []isa.Lang `json:"langs,omitempty"`
}

type threadDetail struct {
	Thread          threadView    `json:"thread"`
	Incoming        bool          `json:"incoming"`
	CanDecide       bool          `json:"can_decide"`
	CanReply        bool          `json:"can_reply"`
	Messages        []messageView `json:"messages"`
	PartnerContacts []contactView `json:"partner_contacts,omitempty"`
	OwnContacts     []contactView `json:"own_contacts,omitempty"`
}

type messageInput struct {
	Message string `json:"message"`
}

func viewThread(t *messages.Thread) threadView {
	v := threadView{
		ID: t.ID, From: partyView{t.From.Ref, t.From.Name, t.From.City}, To: partyView{t.To.Ref, t.To.Name, t.To.City},
		Listing: t.Listing, ListingTitle: t.ListingTitle, State: string(t.State), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
	if !t.DecidedAt.IsZero() {
		d := t.DecidedAt
		v.DecidedAt = &d
	}
	return v
}

func viewMessage(m messages.Message) messageView {
	return messageView{ID: m.ID, From: m.From, Body: m.Body, CreatedAt: m.CreatedAt}
}

func viewContacts(ps []isa.ContactPerson) []contactView {
	var out []contactView
	for _, p := range ps {
		out = append(out, contactView{Name: p.Name, Role: p.Role, Email: p.Email, Phone: p.Phone, Langs: p.Langs})
	}
	return out
}

func viewDetail(v *messages.View) threadDetail {
	d := threadDetail{
		Thread: viewThread(v.Thread), Incoming: v.Incoming, CanDecide: v.CanDecide, CanReply: v.CanReply,
		Messages:        []messageView{},
		PartnerContacts: viewContacts(v.PartnerContacts), OwnContacts: viewContacts(v.OwnContacts),
	}
	for _, m := range v.Thread.Messages {
		d.Messages = append(d.Messages, viewMessage(m))
	}
	return d
}

// decodeBody reads a JSON body into v, refusing other media types, unknown
// fields, wrong types and trailing data with a 400 that names the problem.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return &isa.Error{Code: isa.CodeInvalid, Key: keyContentType, Message: "send the body as application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxWriteBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		return &isa.Error{Code: isa.CodeInvalid, Field: field, Key: keyBadBody, Message: "the body is not the JSON this route takes", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &isa.Error{Code: isa.CodeInvalid, Key: keyBadBody, Message: "the body holds more than one JSON value"}
	}
	return nil
}

func (a *API) posting() (*listings.Service, error) {
	if a.post == nil {
		return nil, &isa.Error{Code: codeUnavailable, Key: keyNoService, Message: "posting is not available"}
	}
	return a.post, nil
}

func (a *API) contacting() (*messages.Service, error) {
	if a.contacts == nil {
		return nil, &isa.Error{Code: codeUnavailable, Key: keyNoService, Message: "messages are not available"}
	}
	return a.contacts, nil
}

func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

func (a *API) updateOrganisation(w http.ResponseWriter, r *http.Request, _ query) error {
	svc, err := a.posting()
	if err != nil {
		return err
	}
	var in listings.OrgInput
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	o, err := svc.UpdateOrganisation(r.Context(), accounts.SubjectOf(r), r.PathValue("ref"), in)
	if err != nil {
		return err
	}
	noStore(w)
	return writeJSON(w, http.StatusOK, viewOrg(o))
}

// listingAction runs act with the posting service, after decoding the
// body into in when the route takes one, and answers with the listing.
// act reads in when it runs, so that it sees the decoded body.
func (a *API) listingAction(w http.ResponseWriter, r *http.Request, in *listings.Input, status int, act func(*listings.Service) (*isa.Listing, error)) error {
	svc, err := a.posting()
	if err != nil {
		return err
	}
	if in != nil {
		if err := decodeBody(w, r, in); err != nil {
			return err
		}
	}
	l, err := act(svc)
	if err != nil {
		return err
	}
	noStore(w)
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/listings/"+l.Ref)
	}
	return writeJSON(w, status, viewListing(l))
}

func (a *API) createListing(w http.ResponseWriter, r *http.Request, _ query) error {
	var in listings.Input
	return a.listingAction(w, r, &in, http.StatusCreated, func(svc *listings.Service) (*isa.Listing, error) {
		return svc.Create(r.Context(), accounts.SubjectOf(r), in)
	})
}

func (a *API) updateListing(w http.ResponseWriter, r *http.Request, _ query) error {
	var in listings.Input
	return a.listingAction(w, r, &in, http.StatusOK, func(svc *listings.Service) (*isa.Listing, error) {
		return svc.Update(r.Context(), accounts.SubjectOf(r), r.PathValue("ref"), in)
	})
}

func (a *API) renewListing(w http.ResponseWriter, r *http.Request, _ query) error {
	return a.listingAction(w, r, nil, http.StatusOK, func(svc *listings.Service) (*isa.Listing, error) {
		return svc.Renew(r.Context(), accounts.SubjectOf(r), r.PathValue("ref"))
	})
}

func (a *API) withdrawListing(w http.ResponseWriter, r *http.Request, _ query) error {
	return a.listingAction(w, r, nil, http.StatusOK, func(svc *listings.Service) (*isa.Listing, error) {
		return svc.Withdraw(r.Context(), accounts.SubjectOf(r), r.PathValue("ref"))
	})
}

func (a *API) contactListing(w http.ResponseWriter, r *http.Request, _ query) error {
	svc, err := a.contacting()
	if err != nil {
		return err
	}
	var in messageInput
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	who := accounts.SubjectOf(r)
	t, err := svc.Contact(r.Context(), who, r.PathValue("ref"), in.Message)
	if err != nil {
		return err
	}
	v, err := svc.Thread(r.Context(), who, t.ID)
	if err != nil {
		return err
	}
	noStore(w)
	w.Header().Set("Location", Prefix+"/messages/"+strconv.FormatInt(t.ID, 10))
	return writeJSON(w, http.StatusCreated, viewDetail(v))
}

func (a *API) listThreads(w http.ResponseWriter, r *http.Request, _ query) error {
	svc, err := a.contacting()
	if err != nil {
		return err
	}
	ts, err := svc.Inbox(r.Context(), accounts.SubjectOf(r), 200)
	if err != nil {
		return err
	}
	out := threadList{Items: []threadView{}}
	for i := range ts {
		out.Items = append(out.Items, viewThread(&ts[i]))
	}
	noStore(w)
	return writeJSON(w, http.StatusOK, out)
}

// threadID reads {id}; anything but a positive number names no thread.
func threadID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, isa.NotFound("thread", "")
	}
	return id, nil
}

func (a *API) threadAction(w http.ResponseWriter, r *http.Request, act func(*messages.Service, int64) (*messages.View, error)) error {
	svc, err := a.contacting()
	if err != nil {
		return err
	}
	id, err := threadID(r)
	if err != nil {
		return err
	}
	v, err := act(svc, id)
	if err != nil {
		return err
	}
	noStore(w)
	return writeJSON(w, http.StatusOK, viewDetail(v))
}

func (a *API) getThread(w http.ResponseWriter, r *http.Request, _ query) error {
	return a.threadAction(w, r, func(s *messages.Service, id int64) (*messages.View, error) {
		return s.Thread(r.Context(), accounts.SubjectOf(r), id)
	})
}

func (a *API) acceptThread(w http.ResponseWriter, r *http.Request, _ query) error {
	return a.threadAction(w, r, func(s *messages.Service, id int64) (*messages.View, error) {
		return s.Accept(r.Context(), accounts.SubjectOf(r), id)
	})
}

func (a *API) declineThread(w http.ResponseWriter, r *http.Request, _ query) error {
	return a.threadAction(w, r, func(s *messages.Service, id int64) (*messages.View, error) {
		return s.Decline(r.Context(), accounts.SubjectOf(r), id)
	})
}

func (a *API) replyThread(w http.ResponseWriter, r *http.Request, _ query) error {
	svc, err := a.contacting()
	if err != nil {
		return err
	}
	id, err := threadID(r)
	if err != nil {
		return err
	}
	var in messageInput
	if err := decodeBody(w, r, &in); err != nil {
		return err
	}
	m, err := svc.Reply(r.Context(), accounts.SubjectOf(r), id, in.Message)
	if err != nil {
		return err
	}
	noStore(w)
	return writeJSON(w, http.StatusCreated, viewMessage(*m))
}

// writeSchemas are the components of the write side.
func writeSchemas() schema {
	party := object([]string{"ref", "name", "city"}, schema{"ref": str(""), "name": str(""), "city": str("City slug.")})
	naceList := arr(schema{"type": "string", "description": "NACE Rev. 2 code, any level"})
	text := func(desc string) schema { return schema{"type": "string", "description": desc} }
	return schema{
		"Party": party,
		"Thread": object([]string{"id", "from", "to", "state", "created_at", "updated_at"}, schema{
			"id": integer("Thread id."), "from": ref("Party"), "to": ref("Party"),
			"listing": str("Ref of the listing the contact is about."), "listing_title": str(""),
			"state":      enum([]string{string(messages.Pending), string(messages.Accepted), string(messages.Declined)}),
			"created_at": dateTime(), "decided_at": dateTime(), "updated_at": dateTime(),
		}),
		"ThreadList": object([]string{"items"}, schema{"items": arr(ref("Thread"))}),
		"Message": object([]string{"id", "from", "body", "created_at"}, schema{
			"id": integer(""), "from": str("Ref of the writing organisation."), "body": str(""), "created_at": dateTime(),
		}),
		"ContactPerson": object(nil, schema{
			"name": str(""), "role": str(""), "email": str(""), "phone": str(""), "langs": arr(enum([]string{"de", "zh", "en"})),
		}),
		"ThreadDetail": object([]string{"thread", "incoming", "can_decide", "can_reply", "messages"}, schema{
			"thread": ref("Thread"), "incoming": schema{"type": "boolean"}, "can_decide": schema{"type": "boolean"},
			"can_reply": schema{"type": "boolean"}, "messages": arr(ref("Message")),
			"partner_contacts": schema{"type": "array", "items": ref("ContactPerson"), "description": "Personal data; present once accepted."},
			"own_contacts":     arr(ref("ContactPerson")),
		}),
		"MessageInput": object([]string{"message"}, schema{"message": text("Plain text, at most 5000 characters.")}),
		"ListingInput": object([]string{"kind", "lang", "title", "description"}, schema{
			"kind": enum([]string{string(isa.Offer), string(isa.Request)}), "lang": enum([]string{"de", "zh", "en"}),
			"title": text("At most 200 characters, one line."), "description": text("At most 10,000 characters."),
			"translations": schema{"type": "object", "additionalProperties": ref("Translation")},
			"cooperation":  arr(enum(isa.CooperationTypes)), "industries": naceList,
			"keywords": arr(str("")),
		}),
		"OrganisationInput": object(nil, schema{
			"names": ref("Text"), "size": enum([]string{"micro", "small", "medium", "large"}), "founded": integer("Year."),
			"website": str("https://…"), "industries": naceList, "about": ref("Text"),
			"contacts": schema{"type": "array", "items": ref("ContactInput"), "description": "Replaces the contact persons when present."},
		}),
		"ContactInput": object([]string{"name"}, schema{
			"name": str(""), "role": str(""), "email": str(""), "phone": str(""), "langs": arr(enum([]string{"de", "zh", "en"})),
		}),
	}
}

// uiCatalogue holds the texts of the services' error keys (posting.*,
// contact.*), which live in the UI catalogue beside the pages' texts.
var uiCatalogue = sync.OnceValue(func() *i18n.Catalog {
	cat, err := i18n.Load()
	if err != nil {
		return nil
	}
	return cat
})

// uiMessage returns the UI catalogue's text of key in lang.
func uiMessage(key string, lang isa.Lang) (string, bool) {
	cat := uiCatalogue()
	if cat == nil || key == "" || !cat.Has(key) {
		return "", false
	}
	return cat.Locale(lang).T(key), true
}
