package messages

import (
	"context"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/mail"
)

// State is where a contact stands.
type State string

const (
	Pending  State = "pending"
	Accepted State = "accepted"
	Declined State = "declined"
)

// Party is one side of a thread: an organisation as the thread shows it.
type Party struct {
	ID   int64  `json:"-"`
	Ref  string `json:"ref"`
	Name string `json:"name"`
	City string `json:"city"`
}

// Thread is a first contact and the conversation that follows it.
type Thread struct {
	ID           int64     `json:"id"`
	From         Party     `json:"from"` // who made the first contact
	To           Party     `json:"to"`   // whose listing it concerns
	ListingID    int64     `json:"-"`
	Listing      string    `json:"listing,omitempty"` // ref; empty when the listing is gone
	ListingTitle string    `json:"listing_title,omitempty"`
	State        State     `json:"state"`
	CreatedBy    int64     `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	DecidedAt    time.Time `json:"decided_at,omitzero"`
	UpdatedAt    time.Time `json:"updated_at"`
	Messages     []Message `json:"messages,omitempty"` // oldest first; filled by Thread only
}

// Message is one text in a thread.
type Message struct {
	ID        int64     `json:"id"`
	ThreadID  int64     `json:"-"`
	FromOrgID int64     `json:"-"`
	From      string    `json:"from"` // organisation ref
	AuthorID  int64     `json:"-"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Recipient is a member who gets an organisation's mail. Personal data.
type Recipient struct {
	UserID int64
	Email  string
	Name   string
	Lang   isa.Lang
}

// ThreadStore keeps threads and messages; storage implements it on its
// database and on its transactions.
type ThreadStore interface {
	// CreateThread inserts t with its first message and sets their IDs.
	CreateThread(ctx context.Context, t *Thread, first *Message) error
	// Thread returns the thread with its messages; NotFound if none.
	Thread(ctx context.Context, id int64) (*Thread, error)
	// Threads returns the threads the organisation sent or received, the
	// most recently active first, at most limit.
	Threads(ctx context.Context, orgID int64, limit int) ([]Thread, error)
	// OpenThread returns the id of a pending or accepted thread from one
	// organisation about a listing, 0 when there is none.
	OpenThread(ctx context.Context, fromOrgID, listingID int64) (int64, error)
	// AddMessage appends m to its thread and marks the thread active.
	AddMessage(ctx context.Context, m *Message) error
	// DecideThread moves a pending thread to state; false when it was not
	// pending (decided already, or by someone else meanwhile).
	DecideThread(ctx context.Context, id int64, state State, by int64, at time.Time) (bool, error)
	// CountFirstContact counts one more first contact of the organisation
	// on day and returns the count including it.
	CountFirstContact(ctx context.Context, orgID int64, day isa.Date) (int, error)
	// Recipients returns the active members of an organisation.
	Recipients(ctx context.Context, orgID int64) ([]Recipient, error)
}

// Store is what the contact service needs: the domain, the threads and the
// mail outbox, with transactions that cover all three, so that a contact
// and the mails it causes commit together.
type Store interface {
	isa.Store
	ThreadStore
	mail.Outbox
	MessagesTx(ctx context.Context, fn func(tx Store) error) error
}
