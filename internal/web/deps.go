package web

import (
	"context"
	"net/http"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
)

// Searcher is the full-text search the search page needs: the method of
// search.Index it uses, so that any engine serves.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
}

// Reason explains a match: Code names the kind of reason (concept,
// industry, cooperation, cross_border; the page translates
// "reason.<code>"), Detail is the concept, NACE code, cooperation type or
// country it concerns, and Labels names that detail in de, zh and en where
// known. A reason of a kind the page has no text for shows its Detail.
type Reason struct {
	Code   string
	Detail string
	Labels isa.Text
}

// Matcher ranks the partner listings of a listing.
type Matcher interface {
	Matches(ctx context.Context, ref string, limit int) ([]Match, error)
}

// Match is one partner listing with the reasons it was chosen.
type Match struct {
	Ref     string
	Score   float64
	Reasons []Reason
}

// Industries names NACE codes; Label returns "" for a code it does not know.
type Industries interface {
	Label(code string, lang isa.Lang) string
}

// Session is what the layout shows of a visitor's session: who is signed
// in, messages left by the previous request, and the token forms carry.
// Until accounts exist there is no session and the zero value is used.
type Session struct {
	SignedIn  bool
	Name      string // display name of the signed-in user; not logged
	CSRFToken string // empty: forms carry no token field
	Flashes   []Flash
}

// Flash is a one-time message after an action ("Listing saved").
type Flash struct {
	Kind    string // "info", "success" or "error"
	Message string // already translated
}

// SessionFunc reads the session of a request.
type SessionFunc func(w http.ResponseWriter, r *http.Request) Session
