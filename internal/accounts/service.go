// Package accounts is who uses the ISA Partner Database: users with their
// roles (company member, city officer, secretariat), company registration
// with e-mail confirmation, passwords (argon2id), server-side sessions,
// CSRF tokens, login rate limits, password reset, API tokens, and the city
// officers' verification of organisations and listings. What each role may
// do is decided in package authz; this package establishes who is asking.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/i18n"
	"github.com/isa-alliance/isa/internal/mail"
)

// Mail is a message to one address, already written in its reader's
// language.
type Mail struct {
	To   string
	Lang isa.Lang
	Kind string // confirm, reset, registered: for logs without personal data
	// Key names the mail's event for the outbox's de-duplication.
	Key     string
	Subject string
	Body    string
}

// Mailer sends mail through an outbox written in the same transaction as
// the event, so that a rolled-back registration sends nothing.
type Mailer interface {
	Enqueue(ctx context.Context, tx Store, m Mail) error
}

// Texts writes the mails of the accounts in a language; the web package's
// locale catalogue implements it.
type Texts interface {
	T(l isa.Lang, key string, args ...any) string
}

// CatalogTexts writes mails from the locale catalogue.
type CatalogTexts struct{ Catalog *i18n.Catalog }

func (c CatalogTexts) T(l isa.Lang, key string, args ...any) string {
	return c.Catalog.Locale(l).T(key, args...)
}

// Config is what the service needs. Store is required.
type Config struct {
	Store Store
	// Mailer enqueues mails; nil uses the mail outbox of the store when it
	// has one (OutboxMailer), else mails are dropped with a warning.
	Mailer Mailer
	Texts  Texts // nil: the embedded locale catalogue
	Logger *slog.Logger
	Now    func() time.Time
	// BaseURL is the site's address for links in mails, without trailing
	// slash, e.g. https://partner.isa-alliance.org.
	BaseURL string
	// HTTPS says the site is served over HTTPS by a proxy in front, so
	// that cookies are Secure and __Host- prefixed even though the
	// requests reach the server in plain HTTP.
	HTTPS bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client for the sign-in limits; the zero value trusts none.
	TrustedProxies TrustedProxies
	Hash           HashParams
	// SessionTTL is how long a session lives without use; 0 is 14 days.
	SessionTTL time.Duration
	// Limits of failed logins within LoginWindow; 0 uses 5, 20, 15 min.
	MaxFailuresAccount int
	MaxFailuresAddress int
	LoginWindow        time.Duration
}

// Service implements the accounts.
type Service struct {
	store   Store
	mailer  Mailer
	texts   Texts
	log     *slog.Logger
	now     func() time.Time
	baseURL string
	hash    *hasher
	ttl     time.Duration
	maxAcct int
	maxAddr int
	window  time.Duration
	https   bool
	proxies TrustedProxies
}

// Lifetimes of e-mail tokens.
const (
	confirmTTL = 72 * time.Hour
	resetTTL   = time.Hour
	// touchEvery bounds how often a session's last use is written.
	touchEvery = time.Minute
)

// New checks cfg and returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("accounts: Config.Store is required")
	}
	s := &Service{
		store: cfg.Store, mailer: cfg.Mailer, texts: cfg.Texts, log: cfg.Logger, now: cfg.Now,
		baseURL: strings.TrimSuffix(cfg.BaseURL, "/"), hash: newHasher(cfg.Hash),
		ttl: cfg.SessionTTL, https: cfg.HTTPS, proxies: cfg.TrustedProxies, maxAcct: cfg.MaxFailuresAccount, maxAddr: cfg.MaxFailuresAddress, window: cfg.LoginWindow,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.mailer == nil {
		if _, ok := cfg.Store.(mail.Outbox); ok {
			s.mailer = OutboxMailer{}
		}
	}
	if s.texts == nil {
		cat, err := i18n.Load()
		if err != nil {
			return nil, fmt.Errorf("accounts: %w", err)
		}
		s.texts = CatalogTexts{cat}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl == 0 {
		s.ttl = 14 * 24 * time.Hour
	}
	if s.maxAcct == 0 {
		s.maxAcct = 5
	}
	if s.maxAddr == 0 {
		s.maxAddr = 20
	}
	if s.window == 0 {
		s.window = 15 * time.Minute
	}
	return s, nil
}

// Store returns the store the service works on.
func (s *Service) Store() Store { return s.store }

// newToken returns a random 32-byte token, URL-safe, and its hash for the
// store.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func invalid(field, key, msg string) *isa.Error {
	return &isa.Error{Code: isa.CodeInvalid, Field: field, Key: key, Message: msg}
}

// NormalizeEmail lower-cases and checks an e-mail address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", invalid("email", "account.error.email_missing", "an e-mail address is needed")
	}
	if len(s) > 254 {
		return "", invalid("email", "account.error.email_invalid", "not an e-mail address")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", invalid("email", "account.error.email_invalid", "not an e-mail address")
	}
	return s, nil
}

// cleanText trims s and checks that it is plain text of at most max
// characters: no control characters and no markup, which would only ever
// be an attempt at injection in a name.
func cleanText(field, s string, required bool, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		return "", invalid(field, "account.error.required", "required")
	case !utf8.ValidString(s):
		return "", invalid(field, "account.error.text_invalid", "not valid text")
	case utf8.RuneCountInString(s) > max:
		return "", invalid(field, "account.error.too_long", "too long")
	case strings.ContainsAny(s, "<>"):
		return "", invalid(field, "account.error.markup", "no markup allowed")
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "", invalid(field, "account.error.text_invalid", "not valid text")
		}
	}
	return s, nil
}

// Subject returns the authz subject of a user; the zero Subject for nil.
func (u *User) Subject() authz.Subject {
	if u == nil || u.State != Active {
		return authz.Subject{}
	}
	return authz.Subject{UserID: u.ID, Role: authz.Role(u.Role), Org: u.Org, City: u.City}
}

// AddUserInput is an account made by the command line or an admin.
type AddUserInput struct {
	Email, Name, Password string
	Lang                  isa.Lang
	Role                  Role
	City                  string // officers
	Org                   string // members: organisation ref
}

// AddUser creates an active account without e-mail confirmation: the
// operator vouches for the address.
func (s *Service) AddUser(ctx context.Context, in AddUserInput) (*User, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	name, err := cleanText("name", in.Name, false, 100)
	if err != nil {
		return nil, err
	}
	if !in.Role.Valid() {
		return nil, invalid("role", "account.error.role", "unknown role")
	}
	if in.Lang == "" {
		in.Lang = isa.EN
	}
	if !in.Lang.Valid() {
		return nil, invalid("lang", "account.error.lang", "unknown language")
	}
	if err := s.hash.check(in.Password); err != nil {
		return nil, err
	}
	u := &User{Email: email, Name: name, Lang: in.Lang, Role: in.Role, State: Active}
	switch in.Role {
	case Officer:
		if in.City == "" {
			return nil, invalid("city", "account.error.city_missing", "an officer needs a city")
		}
		if _, err := s.store.City(ctx, in.City); err != nil {
			return nil, err
		}
		u.City = in.City
	case Member:
		if in.Org == "" {
			return nil, invalid("org", "account.error.org_missing", "a member needs an organisation")
		}
		o, err := s.store.Organisation(ctx, in.Org)
		if err != nil {
			return nil, err
		}
		u.OrgID, u.Org = o.ID, o.Ref
	}
	if u.PasswordHash, err = s.hash.hash(ctx, in.Password); err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, conflictEmail(err)
	}
	s.log.InfoContext(ctx, "accounts: user added", "user", u.ID, "role", u.Role)
	return u, nil
}

func conflictEmail(err error) error {
	if isa.ErrorCode(err) == isa.CodeConflict {
		return &isa.Error{Code: isa.CodeConflict, Field: "email", Key: "account.error.email_taken", Message: "this e-mail address has an account", Err: err}
	}
	return err
}

// RegisterInput is a company's registration.
type RegisterInput struct {
	Email, Password, Name string
	Lang                  isa.Lang
	OrgName               string
	Kind                  isa.OrgKind
	City                  string
	Size                  isa.SizeClass
	About                 string
}

// Register creates the organisation (unverified) and its first member
// (pending until the e-mail is confirmed), and sends the confirmation mail,
// all in one transaction.
//
// An address that has an account already gets no second one and no error:
// that account is sent a mail saying that someone tried to register with
// its address, with links to sign in and to reset the password, and the
// caller answers as for a new address. A form that said "taken" would tell
// anyone which addresses have accounts. Both ways check the same input,
// hash the password and commit one transaction, so that they also take
// about as long.
func (s *Service) Register(ctx context.Context, in RegisterInput) error {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return err
	}
	if err := s.hash.check(in.Password); err != nil {
		return err
	}
	name, err := cleanText("name", in.Name, true, 100)
	if err != nil {
		return err
	}
	orgName, err := cleanText("org_name", in.OrgName, true, 200)
	if err != nil {
		return err
	}
	about, err := cleanText("about", in.About, false, 2000)
	if err != nil {
		return err
	}
	if !in.Lang.Valid() {
		in.Lang = isa.EN
	}
	if !contains(isa.OrgKinds, in.Kind) {
		return invalid("kind", "account.error.kind", "choose a kind of organisation")
	}
	if in.Size != "" && !contains(isa.SizeClasses, in.Size) {
		return invalid("size", "account.error.size", "choose a size")
	}
	city, err := s.store.City(ctx, in.City)
	if err != nil || in.City == "" {
		return invalid("city", "account.error.city", "choose a member city")
	}
	if !city.Member(isa.DateOf(s.now())) {
		return invalid("city", "account.error.city", "choose a member city")
	}
	// Hashed before the address is looked up, so that a known address
	// costs the argon2 time too.
	hash, err := s.hash.hash(ctx, in.Password)
	if err != nil {
		return err
	}
	switch known, err := s.store.UserByEmail(ctx, email); {
	case err == nil:
		return s.registerKnown(ctx, known)
	case !isa.IsNotFound(err):
		return err
	}
	ref := make([]byte, 8)
	rand.Read(ref)
	org := &isa.Organisation{
		Ref: "reg-" + hex.EncodeToString(ref), Name: orgName, Kind: in.Kind, City: city.Slug, Size: in.Size,
		Verification: isa.Verification{State: isa.Unverified},
	}
	if about != "" {
		org.About = isa.Text{in.Lang: about}
	}
	u := &User{Email: email, Name: name, Lang: in.Lang, Role: Member, State: Pending, PasswordHash: hash}
	token, tokenHash := newToken()
	taken := false
	err = s.store.AccountsTx(ctx, func(tx Store) error {
		if _, err := tx.UpsertOrganisation(ctx, org, nil); err != nil {
			return err
		}
		u.OrgID, u.Org = org.ID, org.Ref
		if err := tx.CreateUser(ctx, u); err != nil {
			taken = isa.ErrorCode(err) == isa.CodeConflict
			return err
		}
		if err := tx.CreateAccountToken(ctx, tokenHash, u.ID, PurposeConfirm, s.now().Add(confirmTTL)); err != nil {
			return err
		}
		return s.send(ctx, tx, u, "confirm", "/confirm?token="+token)
	})
	if taken {
		// Another registration of the address committed in between: the
		// organisation is rolled back, and the address is a known one.
		known, err := s.store.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		return s.registerKnown(ctx, known)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "accounts: company registered", "user", u.ID, "org", org.Ref, "city", org.City)
	return nil
}

// registerKnown answers a registration with the address of an existing
// account u: a mail to u, at most maxResetMails per login window so that
// the form cannot flood someone's mailbox, and none to a disabled
// account, which can neither sign in nor reset its password. The attempt
// is counted in a transaction even when no mail goes out, so that every
// way through commits once.
func (s *Service) registerKnown(ctx context.Context, u *User) error {
	var mailTo func(tx Store) error
	if u.State != Disabled {
		mailTo = func(tx Store) error { return s.sendRegistered(ctx, tx, u) }
	}
	sent, err := s.limitedMail(ctx, registeredKey(u.Email), mailTo)
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "accounts: registration with the address of an account", "user", u.ID, "mailed", sent)
	return nil
}

// limitedMail counts a request under key and, while fewer than
// maxResetMails were counted within the login window, runs mailTo (nil:
// no mail) in the same transaction. It reports whether mailTo ran.
func (s *Service) limitedMail(ctx context.Context, key string, mailTo func(tx Store) error) (bool, error) {
	now := s.now()
	n, err := s.store.LoginFailures(ctx, key, now.Add(-s.window))
	if err != nil {
		return false, err
	}
	run := mailTo != nil && n < maxResetMails
	err = s.store.AccountsTx(ctx, func(tx Store) error {
		if err := tx.AddLoginFailure(ctx, key, now); err != nil {
			return err
		}
		if run {
			return mailTo(tx)
		}
		return nil
	})
	return run && err == nil, err
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// send writes a mail with a link into the outbox of tx.
func (s *Service) send(ctx context.Context, tx Store, u *User, kind, path string) error {
	// The key is unique per link: the hash of its token, never the token.
	return s.mail(ctx, tx, u, kind, hashToken(path), "link", s.link(u, path))
}

// sendRegistered writes the mail to an account whose address someone
// tried to register with: links to sign in and to reset the password.
func (s *Service) sendRegistered(ctx context.Context, tx Store, u *User) error {
	// Every attempt is an event of its own (the limit bounds them), so
	// the outbox must not fold two into one.
	nonce, _ := newToken()
	return s.mail(ctx, tx, u, "registered", hashToken(nonce), "login", s.link(u, "/login"), "reset", s.link(u, "/reset"))
}

// link is the address of a page in the language of u.
func (s *Service) link(u *User, path string) string {
	return s.baseURL + "/" + string(u.Lang) + path
}

// mail writes the mail of kind to u, in u's language, into the outbox of
// tx; args fill the placeholders of the body besides {name}.
func (s *Service) mail(ctx context.Context, tx Store, u *User, kind, key string, args ...any) error {
	m := Mail{To: u.Email, Lang: u.Lang, Kind: kind, Key: "account:" + kind + ":" + key}
	// New always sets texts.
	m.Subject = s.texts.T(u.Lang, "mail."+kind+".subject")
	m.Body = s.texts.T(u.Lang, "mail."+kind+".body", append([]any{"name", u.Name}, args...)...)
	if s.mailer == nil {
		// Links are credentials and the address personal data: neither
		// goes into the log.
		s.log.WarnContext(ctx, "accounts: no mailer configured; mail dropped", "kind", kind, "user", u.ID)
		return nil
	}
	return s.mailer.Enqueue(ctx, tx, m)
}

// OutboxMailer writes the accounts' mails into the mail outbox of the
// transaction (package mail delivers them).
type OutboxMailer struct{}

func (OutboxMailer) Enqueue(ctx context.Context, tx Store, m Mail) error {
	ob, ok := tx.(mail.Outbox)
	if !ok {
		return fmt.Errorf("accounts: the store has no mail outbox")
	}
	return mail.Enqueue(ctx, ob, mail.Mail{To: m.To, Subject: m.Subject, Text: m.Body, Lang: m.Lang, DedupeKey: m.Key})
}

// Confirm activates the account of a confirmation token.
func (s *Service) Confirm(ctx context.Context, token string) (*User, error) {
	var u *User
	err := s.store.AccountsTx(ctx, func(tx Store) error {
		id, err := tx.UseAccountToken(ctx, hashToken(token), PurposeConfirm, s.now())
		if err != nil {
			return badToken(err)
		}
		if u, err = tx.UserByID(ctx, id); err != nil {
			return err
		}
		if u.State == Pending {
			u.State = Active
			return tx.UpdateUser(ctx, u)
		}
		return nil
	})
	return u, err
}

func badToken(err error) error {
	if isa.IsNotFound(err) {
		return &isa.Error{Code: isa.CodeInvalid, Field: "token", Key: "account.error.token", Message: "the link is invalid, used or expired", Err: err}
	}
	return err
}
