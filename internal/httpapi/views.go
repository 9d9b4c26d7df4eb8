package httpapi

import (
	"time"

	"github.com/isa-alliance/isa"
)

// The views below are what the API publishes. They are separate from the
// domain types on purpose: a field added to isa.Organisation or isa.Listing
// reaches clients only when it is added here (and to the OpenAPI schema, which
// a test compares), so personal data cannot slip out by accident.

type healthView struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

type cityView struct {
	Slug        string           `json:"slug"`
	Country     string           `json:"country"`
	Names       isa.Text         `json:"names"`
	Region      isa.Text         `json:"region"`
	Profile     isa.Text         `json:"profile,omitempty"`
	Member      bool             `json:"member"`
	Office      officeView       `json:"office"`
	Memberships []membershipView `json:"memberships"`
}

// officeView is the public economic-development office of a city: an
// institution's published address, not a person's.
type officeView struct {
	Name    isa.Text `json:"name,omitempty"`
	Website string   `json:"website,omitempty"`
	Email   string   `json:"email,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Address string   `json:"address,omitempty"`
}

type membershipView struct {
	Joined isa.Date `json:"joined,omitempty"`
	Event  string   `json:"event,omitempty"`
	Left   isa.Date `json:"left,omitempty"`
	Note   string   `json:"note,omitempty"`
}

type cityList struct {
	Items []cityView `json:"items"`
}

func viewCity(c isa.City, today isa.Date) cityView {
	v := cityView{
		Slug: c.Slug, Country: c.Country, Names: c.Names, Region: c.Region, Profile: c.Profile,
		Member: c.Member(today),
		Office: officeView{
			Name: c.Office.Name, Website: c.Office.Website, Email: c.Office.Email,
			Phone: c.Office.Phone, Address: c.Office.Address,
		},
		Memberships: make([]membershipView, 0, len(c.Memberships)),
	}
	for _, m := range c.Memberships {
		v.Memberships = append(v.Memberships, membershipView{Joined: m.Joined, Event: m.Event, Left: m.Left, Note: m.Note})
	}
	return v
}

type orgView struct {
	Ref          string           `json:"ref"`
	Name         string           `json:"name"`
	Names        isa.Text         `json:"names,omitempty"`
	Kind         isa.OrgKind      `json:"kind"`
	City         string           `json:"city"`
	Size         isa.SizeClass    `json:"size,omitempty"`
	Founded      int              `json:"founded,omitempty"`
	Website      string           `json:"website,omitempty"`
	Industries   []string         `json:"industries,omitempty"`
	About        isa.Text         `json:"about,omitempty"`
	Verification verificationView `json:"verification"`
	CreatedAt    time.Time        `json:"created_at,omitzero"`
	UpdatedAt    time.Time        `json:"updated_at,omitzero"`
}

// verificationView leaves out who verified: Verification.By may name the
// officer, a person.
type verificationView struct {
	State  isa.VerificationState `json:"state"`
	At     time.Time             `json:"at,omitzero"`
	Method string                `json:"method,omitempty"`
}

type orgPage struct {
	Items []orgView `json:"items"`
	Next  string    `json:"next,omitempty"`
}

func viewOrg(o *isa.Organisation) orgView {
	state := o.Verification.State
	if state == "" {
		state = isa.Unverified
	}
	return orgView{
		Ref: o.Ref, Name: o.Name, Names: o.Names, Kind: o.Kind, City: o.City, Size: o.Size,
		Founded: o.Founded, Website: o.Website, Industries: o.Industries, About: o.About,
		Verification: verificationView{State: state, At: o.Verification.At, Method: o.Verification.Method},
		CreatedAt:    o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}
}

type listingView struct {
	Ref          string                       `json:"ref"`
	Org          string                       `json:"org"`
	Kind         isa.ListingKind              `json:"kind"`
	Lang         isa.Lang                     `json:"lang"`
	Title        string                       `json:"title"`
	Description  string                       `json:"description"`
	Translations map[isa.Lang]translationView `json:"translations,omitempty"`
	Cooperation  []string                     `json:"cooperation,omitempty"`
	Industries   []string                     `json:"industries,omitempty"`
	Keywords     []string                     `json:"keywords,omitempty"`
	State        isa.ListingState             `json:"state"`
	Published    isa.Date                     `json:"published,omitempty"`
	Expires      isa.Date                     `json:"expires,omitempty"`
	CreatedAt    time.Time                    `json:"created_at,omitzero"`
	UpdatedAt    time.Time                    `json:"updated_at,omitzero"`
}

type translationView struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

type listingPage struct {
	Items []listingView `json:"items"`
	Next  string        `json:"next,omitempty"`
}

func viewListing(l *isa.Listing) listingView {
	v := listingView{
		Ref: l.Ref, Org: l.Org, Kind: l.Kind, Lang: l.Lang, Title: l.Title, Description: l.Description,
		Cooperation: l.Cooperation, Industries: l.Industries, Keywords: l.Keywords, State: l.State,
		Published: l.Published, Expires: l.Expires, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt,
	}
	if len(l.Translations) > 0 {
		v.Translations = make(map[isa.Lang]translationView, len(l.Translations))
		for lang, t := range l.Translations {
			v.Translations[lang] = translationView{Title: t.Title, Description: t.Description}
		}
	}
	return v
}
