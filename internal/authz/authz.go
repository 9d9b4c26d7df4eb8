// Package authz is the one place where the rules of who may do what live:
// Can decides an action of a subject (anonymous, company member, city
// officer, secretariat) on an object (something of an organisation in a
// city), and the route table says which action every HTTP route performs,
// so that a guard in front of the router checks every request and a test
// can prove that no route is left without a rule.
package authz

import (
	"github.com/isa-alliance/isa"
)

// Role of a subject. The zero value is anonymous.
type Role string

const (
	Anonymous Role = ""
	Member    Role = "member"
	Officer   Role = "officer"
	Admin     Role = "admin"
)

// Subject is who acts: the signed-in user as far as the rules need it.
type Subject struct {
	UserID int64
	Role   Role
	Org    string // members: ref of their organisation
	City   string // officers: slug of their city
}

// SignedIn reports whether the subject is a signed-in user.
func (s Subject) SignedIn() bool { return s.UserID != 0 && s.Role != Anonymous }

// Object is what an action concerns. Zero fields mean "none" (an action on
// nothing in particular, such as listing users).
type Object struct {
	Org  string // ref of the organisation the object belongs to
	City string // slug of the city the object belongs to
	// Public is true for objects anyone may see (a published listing, a
	// verified or unverified organisation's public page).
	Public bool
}

// Action is something a subject does.
type Action string

const (
	// ViewPublic is reading public pages and API resources.
	ViewPublic Action = "view_public"
	// UseAnonymousForm is the sign-in, registration, confirmation and
	// reset forms: open to everyone, signed in or not.
	UseAnonymousForm Action = "use_anonymous_form"
	// ManageOwnAccount is the account page, sign-out and the own API tokens.
	ManageOwnAccount Action = "manage_own_account"
	// ViewListingDraft is reading a listing that is not published.
	ViewListingDraft Action = "view_listing_draft"
	// EditListing is creating, editing, renewing or withdrawing a listing.
	EditListing Action = "edit_listing"
	// EditOrg is changing an organisation's description and contacts.
	EditOrg Action = "edit_org"
	// ContactOrg is sending a first contact to another organisation.
	ContactOrg Action = "contact_org"
	// ReadMessages is an organisation's inbox and threads, and answering.
	ReadMessages Action = "read_messages"
	// ViewReviewQueue is a city officer's queue.
	ViewReviewQueue Action = "view_review_queue"
	// VerifyOrg is verifying or returning an organisation.
	VerifyOrg Action = "verify_org"
	// ReviewListing is publishing or returning a listing in review.
	ReviewListing Action = "review_listing"
	// ManageUsers is listing and disabling users and making officers.
	ManageUsers Action = "manage_users"
	// ManageCities is admitting a member city.
	ManageCities Action = "manage_cities"
)

// Actions lists every action, for tests and documentation.
var Actions = []Action{ViewPublic, UseAnonymousForm, ManageOwnAccount, ViewListingDraft, EditListing, EditOrg,
	ContactOrg, ReadMessages, ViewReviewQueue, VerifyOrg, ReviewListing, ManageUsers, ManageCities}

// Locale keys of the refusals, translated at the edge.
const (
	KeyUnauthenticated = "authz.unauthenticated"
	KeyForbidden       = "authz.forbidden"
	KeyOtherCity       = "authz.other_city"
	KeyOtherOrg        = "authz.other_org"
)

func unauthenticated() error {
	return &isa.Error{Code: isa.CodeUnauth, Key: KeyUnauthenticated, Message: "please sign in first"}
}

func forbidden(key, msg string) error {
	return &isa.Error{Code: isa.CodeForbidden, Key: key, Message: msg}
}

// Can returns nil when s may do a on o, and otherwise an *isa.Error:
// unauthenticated when signing in could help, forbidden when it could not.
func Can(s Subject, a Action, o Object) error {
	switch a {
	case ViewPublic, UseAnonymousForm:
		return nil
	case ViewListingDraft:
		if o.Public {
			return nil
		}
	}
	if !s.SignedIn() {
		return unauthenticated()
	}
	switch a {
	case ManageOwnAccount:
		return nil
	case ViewListingDraft:
		switch s.Role {
		case Admin:
			return nil
		case Officer:
			return sameCity(s, o)
		case Member:
			return sameOrg(s, o)
		}
	case EditListing, EditOrg, ReadMessages:
		if s.Role == Member {
			return sameOrg(s, o)
		}
	case ContactOrg:
		if s.Role == Member && s.Org != "" {
			if o.Org != "" && o.Org == s.Org {
				return forbidden(KeyOtherOrg, "an organisation cannot contact itself")
			}
			return nil
		}
	case ViewReviewQueue:
		if s.Role == Officer && s.City != "" {
			return nil
		}
	case VerifyOrg, ReviewListing:
		if s.Role == Officer {
			return sameCity(s, o)
		}
	case ManageUsers, ManageCities:
		if s.Role == Admin {
			return nil
		}
	}
	return forbidden(KeyForbidden, "not allowed")
}

func sameOrg(s Subject, o Object) error {
	if s.Org == "" || o.Org == "" || s.Org != o.Org {
		return forbidden(KeyOtherOrg, "this belongs to another organisation")
	}
	return nil
}

func sameCity(s Subject, o Object) error {
	if s.City == "" || o.City == "" || s.City != o.City {
		return forbidden(KeyOtherCity, "this belongs to another city")
	}
	return nil
}
