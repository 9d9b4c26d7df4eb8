package accounts

import (
	"context"
	"time"

	"github.com/isa-alliance/isa"
)

// Role is what a user may do in the alliance.
type Role string

const (
	// Member is staff of a company or institute: acts for its organisation.
	Member Role = "member"
	// Officer is staff of one member city's economic-development office:
	// verifies that city's organisations and listings.
	Officer Role = "officer"
	// Admin is the alliance secretariat: manages users and cities.
	Admin Role = "admin"
)

// Roles lists the valid roles.
var Roles = []Role{Member, Officer, Admin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Member || r == Officer || r == Admin }

// State is where an account stands.
type State string

const (
	Pending  State = "pending" // e-mail address not yet confirmed
	Active   State = "active"
	Disabled State = "disabled"
)

// User is an account. Email, Name and PasswordHash are personal data:
// never logged.
type User struct {
	ID           int64
	Email        string // lower-cased
	Name         string
	Lang         isa.Lang
	Role         Role
	OrgID        int64  // members: their organisation; 0 for none
	Org          string // the organisation's ref, read-only (joined)
	City         string // officers: their city's slug
	State        State
	PasswordHash string
	CreatedAt    time.Time
	LastLogin    time.Time // zero: never
}

// Session is a signed-in browser. The token itself is only in the cookie;
// the store knows its hash.
type Session struct {
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	LastSeen  time.Time
	Expires   time.Time
}

// APIToken is a user's credential for the JSON API. The secret is shown
// once at creation; the store keeps its hash.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string
	CreatedAt time.Time
	LastUsed  time.Time // zero: never
}

// Purposes of single-use e-mail tokens.
const (
	PurposeConfirm = "confirm"
	PurposeReset   = "reset"
)

// Review subjects and outcomes.
const (
	SubjectOrganisation = "organisation"
	SubjectListing      = "listing"
	OutcomeVerified     = "verified"
	OutcomeReturned     = "returned"
)

// Review is a city officer's decision on an organisation or a listing.
type Review struct {
	ID         int64
	Subject    string // SubjectOrganisation or SubjectListing
	Ref        string
	OrgID      int64
	Outcome    string // OutcomeVerified or OutcomeReturned
	Reason     string // shown to the organisation when returned
	ReviewerID int64
	At         time.Time
}

// AccountStore keeps users, sessions, tokens, login failures and reviews.
// Lookups of missing rows return an isa NotFound error.
type AccountStore interface {
	// CreateUser inserts u (Email already normalised) and sets u.ID and
	// u.CreatedAt; a Conflict error when the e-mail is taken.
	CreateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	// Users lists accounts by id, at most limit after the id after.
	Users(ctx context.Context, after int64, limit int) ([]User, error)
	// UpdateUser writes name, language, role, organisation, city, state
	// and password hash of u.ID.
	UpdateUser(ctx context.Context, u *User) error
	TouchLogin(ctx context.Context, userID int64, at time.Time) error

	CreateSession(ctx context.Context, tokenHash string, s Session) error
	// SessionByHash returns the session whatever its expiry; the caller
	// decides.
	SessionByHash(ctx context.Context, tokenHash string) (*Session, error)
	TouchSession(ctx context.Context, tokenHash string, lastSeen, expires time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error)

	CreateAPIToken(ctx context.Context, tokenHash string, t *APIToken) error
	APITokenByHash(ctx context.Context, tokenHash string) (*APIToken, error)
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	// DeleteAPIToken revokes token id of userID; NotFound when the user
	// has no such token (someone else's id included).
	DeleteAPIToken(ctx context.Context, userID, id int64) error
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error

	CreateAccountToken(ctx context.Context, tokenHash string, userID int64, purpose string, expires time.Time) error
	// UseAccountToken marks the token used and returns its user; NotFound
	// when it does not exist, has another purpose, was used or expired.
	UseAccountToken(ctx context.Context, tokenHash, purpose string, now time.Time) (int64, error)

	AddLoginFailure(ctx context.Context, key string, at time.Time) error
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error

	AddReview(ctx context.Context, r *Review) error
	// LatestReviews returns the latest review of each subject of the
	// organisation.
	LatestReviews(ctx context.Context, orgID int64) ([]Review, error)
	// UnverifiedOrganisations returns the refs of the city's unverified
	// organisations, newest first, at most limit.
	UnverifiedOrganisations(ctx context.Context, city string, limit int) ([]string, error)

	// AddCity admits a member city; Conflict when the slug is taken.
	AddCity(ctx context.Context, city isa.City) error
}

// Store is the domain store with the accounts beside it. AccountsTx runs fn
// in one transaction covering both, so that registering a company (an
// organisation, a user, a token and a mail) is all or nothing.
type Store interface {
	isa.Store
	AccountStore
	AccountsTx(ctx context.Context, fn func(tx Store) error) error
}
