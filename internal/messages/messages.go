// Package messages is the contact between organisations: a member sends a
// first contact about a listing ("Contact this company"), the receiving
// organisation's members find it in their inbox and by e-mail and accept or
// decline it; only after acceptance do both sides see each other's contact
// persons and write back and forth. First contacts are limited per
// organisation and day. Mails go through the outbox in the same
// transaction as the event.
package messages

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/i18n"
	"github.com/isa-alliance/isa/internal/mail"
)

// MaxBody is the longest message in characters.
const MaxBody = 5000

// DefaultPerDay is how many first contacts an organisation may send a day.
const DefaultPerDay = 10

// Locale keys of the messages this package returns.
const (
	KeyBodyRequired = "contact.error.body_required"
	KeyBodyTooLong  = "contact.error.body_too_long"
	KeyBodyControl  = "contact.error.body_control"
	KeyRateLimited  = "contact.error.rate_limited"
	KeyExists       = "contact.error.exists"
	KeyNotPending   = "contact.error.not_pending"
	KeyNotAccepted  = "contact.error.not_accepted"
	KeyNotLive      = "contact.error.listing_not_live"
	KeyNoOrg        = "contact.error.no_org"
)

// Options tune the service; zero values are the defaults.
type Options struct {
	PerDay  int              // first contacts per organisation and day; 0: DefaultPerDay
	BaseURL string           // public URL of the site, for links in mails
	Now     func() time.Time // nil: time.Now
	Catalog *i18n.Catalog    // mail texts; nil loads the embedded catalogue
}

// Service sends, lists and answers contacts.
type Service struct {
	store   Store
	perDay  int
	baseURL string
	now     func() time.Time
	cat     *i18n.Catalog
}

// New returns the contact service on store.
func New(store Store, opts Options) (*Service, error) {
	s := &Service{store: store, perDay: opts.PerDay, baseURL: strings.TrimRight(opts.BaseURL, "/"), now: opts.Now, cat: opts.Catalog}
	if s.perDay <= 0 {
		s.perDay = DefaultPerDay
	}
	if s.baseURL == "" {
		s.baseURL = "http://localhost:8080"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.cat == nil {
		cat, err := i18n.Load()
		if err != nil {
			return nil, fmt.Errorf("messages: %w", err)
		}
		s.cat = cat
	}
	return s, nil
}

// CheckBody trims a message text and checks it.
func CheckBody(body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if body == "" {
		return "", &isa.Error{Code: isa.CodeInvalid, Field: "body", Key: KeyBodyRequired, Message: "write a message"}
	}
	if n := utf8.RuneCountInString(body); n > MaxBody || !utf8.ValidString(body) {
		return "", &isa.Error{Code: isa.CodeInvalid, Field: "body", Key: KeyBodyTooLong, Message: fmt.Sprintf("at most %d characters", MaxBody)}
	}
	for _, r := range body {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", &isa.Error{Code: isa.CodeInvalid, Field: "body", Key: KeyBodyControl, Message: "contains control characters"}
		}
	}
	return body, nil
}

// Contact sends the first contact of who's organisation about listing ref.
func (s *Service) Contact(ctx context.Context, who authz.Subject, listingRef, body string) (*Thread, error) {
	if !who.SignedIn() {
		return nil, authz.Can(who, authz.ContactOrg, authz.Object{})
	}
	if who.Role == authz.Member && who.Org == "" {
		return nil, &isa.Error{Code: isa.CodeForbidden, Key: KeyNoOrg, Message: "your account belongs to no organisation"}
	}
	body, err := CheckBody(body)
	if err != nil {
		return nil, err
	}
	at := s.now().UTC()
	var out *Thread
	err = s.store.MessagesTx(ctx, func(tx Store) error {
		l, err := tx.Listing(ctx, listingRef)
		if err != nil {
			return err
		}
		if !l.Live(isa.DateOf(at)) {
			// Drafts and listings in review are nobody else's business.
			return &isa.Error{Code: isa.CodeNotFound, Key: KeyNotLive, Message: "no such published listing"}
		}
		to, err := tx.Organisation(ctx, l.Org)
		if err != nil {
			return fmt.Errorf("messages: organisation of %s: %w", listingRef, err)
		}
		if err := authz.Can(who, authz.ContactOrg, authz.Object{Org: to.Ref, City: to.City, Public: true}); err != nil {
			return err
		}
		from, err := tx.Organisation(ctx, who.Org)
		if err != nil {
			return fmt.Errorf("messages: organisation of the member: %w", err)
		}
		if id, err := tx.OpenThread(ctx, from.ID, l.ID); err != nil {
			return err
		} else if id != 0 {
			return &isa.Error{Code: isa.CodeConflict, Key: KeyExists, Message: "your organisation is in contact about this listing already"}
		}
		n, err := tx.CountFirstContact(ctx, from.ID, isa.DateOf(at))
		if err != nil {
			return err
		}
		if n > s.perDay {
			// The transaction rolls back, the count included.
			return &isa.Error{Code: isa.CodeRateLimit, Key: KeyRateLimited,
				Message: fmt.Sprintf("your organisation has sent %d first contacts today, the most allowed; please try again tomorrow", s.perDay)}
		}
		t := &Thread{
			From:      Party{ID: from.ID, Ref: from.Ref, Name: from.Name, City: from.City},
			To:        Party{ID: to.ID, Ref: to.Ref, Name: to.Name, City: to.City},
			ListingID: l.ID, Listing: l.Ref, ListingTitle: l.Title,
			State: Pending, CreatedBy: who.UserID, CreatedAt: at,
		}
		first := &Message{AuthorID: who.UserID, From: from.Ref, Body: body, CreatedAt: at}
		if err := tx.CreateThread(ctx, t, first); err != nil {
			if isa.ErrorCode(err) == isa.CodeConflict {
				// Another member of the organisation was quicker.
				return &isa.Error{Code: isa.CodeConflict, Key: KeyExists, Message: "your organisation is in contact about this listing already", Err: err}
			}
			return err
		}
		t.Messages = []Message{*first}
		if err := s.notify(ctx, tx, to.ID, "contact", "contact:"+strconv.FormatInt(t.ID, 10), t.ID,
			"org", from.Name, "listing", l.Title); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// View is a thread as one side sees it.
type View struct {
	Thread    *Thread
	Mine      Party // the viewer's organisation
	Partner   Party // the other side
	Incoming  bool  // the viewer's organisation received the first contact
	CanDecide bool  // pending and incoming
	CanReply  bool  // accepted
	// Contacts of the partner and of the own organisation (as the partner
	// sees them): personal data, present only once accepted.
	PartnerContacts []isa.ContactPerson
	OwnContacts     []isa.ContactPerson
}

// Inbox returns the threads of who's organisation, newest activity first.
func (s *Service) Inbox(ctx context.Context, who authz.Subject, limit int) ([]Thread, error) {
	if err := authz.Can(who, authz.ReadMessages, authz.Object{Org: who.Org}); err != nil {
		return nil, err
	}
	org, err := s.store.Organisation(ctx, who.Org)
	if err != nil {
		return nil, fmt.Errorf("messages: organisation of the member: %w", err)
	}
	return s.store.Threads(ctx, org.ID, limit)
}

// Thread returns thread id as who's organisation sees it. A thread of
// other organisations is reported as not found, whatever it is.
func (s *Service) Thread(ctx context.Context, who authz.Subject, id int64) (*View, error) {
	return s.view(ctx, s.store, who, id)
}

func (s *Service) view(ctx context.Context, st Store, who authz.Subject, id int64) (*View, error) {
	if !who.SignedIn() {
		return nil, authz.Can(who, authz.ReadMessages, authz.Object{})
	}
	t, err := st.Thread(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &View{Thread: t}
	switch who.Org {
	case "":
		return nil, isa.NotFound("thread", strconv.FormatInt(id, 10))
	case t.From.Ref:
		v.Mine, v.Partner = t.From, t.To
	case t.To.Ref:
		v.Mine, v.Partner, v.Incoming = t.To, t.From, true
	default:
		return nil, isa.NotFound("thread", strconv.FormatInt(id, 10))
	}
	if err := authz.Can(who, authz.ReadMessages, authz.Object{Org: v.Mine.Ref, City: v.Mine.City}); err != nil {
		return nil, err
	}
	v.CanDecide = t.State == Pending && v.Incoming
	v.CanReply = t.State == Accepted
	if t.State == Accepted {
		if v.PartnerContacts, err = contactsOf(ctx, st, v.Partner.ID); err != nil {
			return nil, err
		}
		if v.OwnContacts, err = contactsOf(ctx, st, v.Mine.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// contactsOf returns an organisation's contact persons; an organisation
// that has entered none (a company that just registered) is reached
// through its members, whose names and addresses stand in for them.
func contactsOf(ctx context.Context, st Store, orgID int64) ([]isa.ContactPerson, error) {
	cs, err := st.Contacts(ctx, orgID)
	if err != nil || len(cs) > 0 {
		return cs, err
	}
	rs, err := st.Recipients(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		cs = append(cs, isa.ContactPerson{OrgID: orgID, Name: r.Name, Email: r.Email, Langs: []isa.Lang{r.Lang}})
	}
	return cs, nil
}

// Accept accepts an incoming first contact: both sides see each other's
// contact persons from now on.
func (s *Service) Accept(ctx context.Context, who authz.Subject, id int64) (*View, error) {
	return s.decide(ctx, who, id, Accepted)
}

// Decline declines an incoming first contact.
func (s *Service) Decline(ctx context.Context, who authz.Subject, id int64) (*View, error) {
	return s.decide(ctx, who, id, Declined)
}

func (s *Service) decide(ctx context.Context, who authz.Subject, id int64, state State) (*View, error) {
	var out *View
	err := s.store.MessagesTx(ctx, func(tx Store) error {
		v, err := s.view(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if !v.Incoming {
			return &isa.Error{Code: isa.CodeForbidden, Key: authz.KeyForbidden, Message: "only the receiving organisation decides"}
		}
		ok, err := tx.DecideThread(ctx, id, state, who.UserID, s.now())
		if err != nil {
			return err
		}
		if !ok {
			return &isa.Error{Code: isa.CodeConflict, Key: KeyNotPending, Message: "this contact has been answered already"}
		}
		key := "decision:" + strconv.FormatInt(id, 10)
		if err := s.notify(ctx, tx, v.Partner.ID, string(state), key, id, "org", v.Mine.Name, "listing", v.Thread.ListingTitle); err != nil {
			return err
		}
		out, err = s.view(ctx, tx, who, id)
		return err
	})
	return out, err
}

// Reply adds a message to an accepted thread.
func (s *Service) Reply(ctx context.Context, who authz.Subject, id int64, body string) (*Message, error) {
	body, err := CheckBody(body)
	if err != nil {
		return nil, err
	}
	var out *Message
	err = s.store.MessagesTx(ctx, func(tx Store) error {
		v, err := s.view(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if !v.CanReply {
			return &isa.Error{Code: isa.CodeConflict, Key: KeyNotAccepted, Message: "replies are possible once the contact is accepted"}
		}
		m := &Message{ThreadID: id, FromOrgID: v.Mine.ID, From: v.Mine.Ref, AuthorID: who.UserID, Body: body, CreatedAt: s.now().UTC()}
		if err := tx.AddMessage(ctx, m); err != nil {
			return err
		}
		key := "message:" + strconv.FormatInt(m.ID, 10)
		if err := s.notify(ctx, tx, v.Partner.ID, "reply", key, id, "org", v.Mine.Name, "listing", v.Thread.ListingTitle); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

// notify enqueues mail kind (contact, accepted, declined, reply) to every
// active member of the organisation, each in their language, in tx.
func (s *Service) notify(ctx context.Context, tx Store, orgID int64, kind, key string, threadID int64, args ...any) error {
	rs, err := tx.Recipients(ctx, orgID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		lang := r.Lang
		if !lang.Valid() {
			lang = isa.EN
		}
		loc := s.cat.Locale(lang)
		link := fmt.Sprintf("%s/%s/inbox/%d", s.baseURL, lang, threadID)
		a := append([]any{"name", r.Name, "link", link}, args...)
		m := mail.Mail{
			To: r.Email,
			// Names come from other people's input: keep the subject one line.
			Subject:   strings.Join(strings.Fields(loc.T("mail."+kind+".subject", a...)), " "),
			Text:      loc.T("mail."+kind+".body", a...),
			Lang:      lang,
			DedupeKey: key + ":user:" + strconv.FormatInt(r.UserID, 10),
		}
		if err := mail.Enqueue(ctx, tx, m); err != nil {
			return fmt.Errorf("messages: mail to member %d: %w", r.UserID, err)
		}
	}
	return nil
}
