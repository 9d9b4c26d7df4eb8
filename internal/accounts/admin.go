package accounts

import (
	"context"
	"regexp"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
)

// Users lists accounts for the secretariat.
func (s *Service) Users(ctx context.Context, actor *User, after int64, limit int) ([]User, error) {
	if err := authz.Can(actor.Subject(), authz.ManageUsers, authz.Object{}); err != nil {
		return nil, err
	}
	return s.store.Users(ctx, after, limit)
}

// Disable disables an account and ends all its sessions. Secretariat
// members cannot disable themselves, so that one always remains.
func (s *Service) Disable(ctx context.Context, actor *User, userID int64) error {
	if err := authz.Can(actor.Subject(), authz.ManageUsers, authz.Object{}); err != nil {
		return err
	}
	if actor.ID == userID {
		return invalid("user", "account.error.self", "you cannot do this to your own account")
	}
	return s.store.AccountsTx(ctx, func(tx Store) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		return disable(ctx, tx, u)
	})
}

// disable marks u disabled and ends its sessions at once, in tx.
func disable(ctx context.Context, tx Store, u *User) error {
	u.State = Disabled
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	return tx.DeleteUserSessions(ctx, u.ID)
}

// DisableByEmail is Disable for the command line, where the operator is
// the authority.
func (s *Service) DisableByEmail(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	return s.store.AccountsTx(ctx, func(tx Store) error {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		return disable(ctx, tx, u)
	})
}

// SetRole makes a user a member (keeping the organisation), an officer of
// city, or a secretariat member. The user's sessions end, so that the new
// role takes effect on the next sign-in and nothing of the old lingers.
func (s *Service) SetRole(ctx context.Context, actor *User, userID int64, role Role, city string) error {
	if err := authz.Can(actor.Subject(), authz.ManageUsers, authz.Object{}); err != nil {
		return err
	}
	if !role.Valid() {
		return invalid("role", "account.error.role", "unknown role")
	}
	if actor.ID == userID {
		return invalid("user", "account.error.self", "you cannot do this to your own account")
	}
	if role == Officer {
		if city == "" {
			return invalid("city", "account.error.city", "choose a member city")
		}
		if _, err := s.store.City(ctx, city); err != nil {
			return invalid("city", "account.error.city", "choose a member city")
		}
	}
	return s.store.AccountsTx(ctx, func(tx Store) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if role == Member && u.OrgID == 0 {
			return invalid("role", "account.error.org_missing", "a member needs an organisation")
		}
		u.Role, u.City = role, ""
		if role == Officer {
			u.City = city
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return tx.DeleteUserSessions(ctx, u.ID)
	})
}

// Queue is a city officer's work: the city's unverified organisations and
// its listings in review.
type Queue struct {
	Orgs     []isa.Organisation
	Listings []isa.Listing
}

// queueLimit bounds the queue page; an officer works from the top.
const queueLimit = 100

// ReviewQueue returns the queue of the officer's city.
func (s *Service) ReviewQueue(ctx context.Context, officer *User) (*Queue, error) {
	if err := authz.Can(officer.Subject(), authz.ViewReviewQueue, authz.Object{}); err != nil {
		return nil, err
	}
	refs, err := s.store.UnverifiedOrganisations(ctx, officer.City, queueLimit)
	if err != nil {
		return nil, err
	}
	q := &Queue{}
	for _, ref := range refs {
		o, err := s.store.Organisation(ctx, ref)
		if err != nil {
			return nil, err
		}
		q.Orgs = append(q.Orgs, *o)
	}
	page, err := s.store.Listings(ctx, isa.ListingFilter{City: officer.City, State: isa.InReview, Limit: queueLimit})
	if err != nil {
		return nil, err
	}
	q.Listings = page.Items
	return q, nil
}

// VerifyOrg records that the officer vouches for the organisation. Its
// listings waiting in review stay there: the officer publishes them one by
// one, having read them.
func (s *Service) VerifyOrg(ctx context.Context, officer *User, ref, method string) error {
	method, err := cleanText("method", method, true, 200)
	if err != nil {
		return err
	}
	return s.store.AccountsTx(ctx, func(tx Store) error {
		o, err := reviewedOrg(ctx, tx, officer, ref)
		if err != nil {
			return err
		}
		o.Verification = isa.Verification{State: isa.Verified, By: officerLabel(officer), At: s.now().UTC(), Method: method}
		if _, err := tx.UpsertOrganisation(ctx, o, nil); err != nil {
			return err
		}
		return tx.AddReview(ctx, &Review{Subject: SubjectOrganisation, Ref: o.Ref, OrgID: o.ID, Outcome: OutcomeVerified, ReviewerID: officer.ID, At: s.now()})
	})
}

// reviewedOrg reads the organisation an officer decides on, if the
// officer may: only officers of its city.
func reviewedOrg(ctx context.Context, tx Store, officer *User, ref string) (*isa.Organisation, error) {
	o, err := tx.Organisation(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := authz.Can(officer.Subject(), authz.VerifyOrg, authz.Object{Org: o.Ref, City: o.City}); err != nil {
		return nil, err
	}
	return o, nil
}

// officerLabel is what Verification.By records: the office, not the
// person, since verifications are public.
func officerLabel(u *User) string { return "city:" + u.City }

// ReturnOrg sends an organisation back with a reason its members see.
func (s *Service) ReturnOrg(ctx context.Context, officer *User, ref, reason string) error {
	reason, err := cleanText("reason", reason, true, 2000)
	if err != nil {
		return err
	}
	return s.store.AccountsTx(ctx, func(tx Store) error {
		o, err := reviewedOrg(ctx, tx, officer, ref)
		if err != nil {
			return err
		}
		return tx.AddReview(ctx, &Review{Subject: SubjectOrganisation, Ref: o.Ref, OrgID: o.ID, Outcome: OutcomeReturned, Reason: reason, ReviewerID: officer.ID, At: s.now()})
	})
}

// listingLife is how long a published listing runs when its author set
// no expiry.
const listingLife = 6

// PublishListing publishes a listing in review.
func (s *Service) PublishListing(ctx context.Context, officer *User, ref string) error {
	return s.reviewListing(ctx, officer, ref, OutcomeVerified, "")
}

// ReturnListing sends a listing in review back to draft with a reason.
func (s *Service) ReturnListing(ctx context.Context, officer *User, ref, reason string) error {
	reason, err := cleanText("reason", reason, true, 2000)
	if err != nil {
		return err
	}
	return s.reviewListing(ctx, officer, ref, OutcomeReturned, reason)
}

func (s *Service) reviewListing(ctx context.Context, officer *User, ref, outcome, reason string) error {
	return s.store.AccountsTx(ctx, func(tx Store) error {
		l, err := tx.Listing(ctx, ref)
		if err != nil {
			return err
		}
		o, err := tx.Organisation(ctx, l.Org)
		if err != nil {
			return err
		}
		if err := authz.Can(officer.Subject(), authz.ReviewListing, authz.Object{Org: o.Ref, City: o.City}); err != nil {
			return err
		}
		if l.State != isa.InReview {
			return &isa.Error{Code: isa.CodeConflict, Key: "review.error.not_in_review", Message: "the listing is not in review"}
		}
		if outcome == OutcomeVerified {
			if o.Verification.State != isa.Verified {
				// The organisation's listings wait until the office vouches
				// for the organisation itself.
				return &isa.Error{Code: isa.CodeConflict, Key: "review.error.org_unverified", Message: "verify the organisation first"}
			}
			today := isa.DateOf(s.now())
			l.State, l.Published = isa.Published, today
			if l.Expires == "" || l.Expires.Before(today) {
				l.Expires = today.AddMonths(listingLife)
			}
		} else {
			l.State = isa.Draft
		}
		if _, err := tx.UpsertListing(ctx, l); err != nil {
			return err
		}
		return tx.AddReview(ctx, &Review{Subject: SubjectListing, Ref: l.Ref, OrgID: o.ID, Outcome: outcome, Reason: reason, ReviewerID: officer.ID, At: s.now()})
	})
}

// CityInput is a city the secretariat admits to the alliance.
type CityInput struct {
	Slug    string
	Country string // DE or CN
	Names   isa.Text
	Joined  string // YYYY-MM-DD
	Event   string // where it joined, e.g. a trade fair
}

// slugRE is what city slugs look like: they are part of page addresses.
var slugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)

// AdmitCity adds a member city with its names in all three languages and
// the day its membership starts.
func (s *Service) AdmitCity(ctx context.Context, actor *User, in CityInput) (*isa.City, error) {
	if err := authz.Can(actor.Subject(), authz.ManageCities, authz.Object{}); err != nil {
		return nil, err
	}
	slug := strings.TrimSpace(in.Slug)
	if !slugRE.MatchString(slug) {
		return nil, invalid("slug", "cityadmin.error.slug", "a slug is 2 to 40 lower-case letters, digits and hyphens")
	}
	if in.Country != isa.Germany && in.Country != isa.China {
		return nil, invalid("country", "cityadmin.error.country", "choose Germany or China")
	}
	names := isa.Text{}
	for _, l := range isa.Langs {
		n, err := cleanText("name_"+string(l), in.Names[l], true, 100)
		if err != nil {
			return nil, err
		}
		names[l] = n
	}
	joined, err := isa.ParseDate(strings.TrimSpace(in.Joined))
	if err != nil {
		return nil, invalid("joined", "cityadmin.error.joined", "a date of the form YYYY-MM-DD")
	}
	event, err := cleanText("event", in.Event, false, 200)
	if err != nil {
		return nil, err
	}
	c := isa.City{Slug: slug, Country: in.Country, Names: names, Memberships: []isa.Membership{{Joined: joined, Event: event}}}
	if err := s.store.AddCity(ctx, c); err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "accounts: member city admitted", "city", slug, "by", actor.ID)
	return &c, nil
}
