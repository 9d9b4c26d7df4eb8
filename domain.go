package isa

import (
	"fmt"
	"slices"
	"time"
)

// Lang is one of the three languages of the alliance.
type Lang string

const (
	DE Lang = "de"
	ZH Lang = "zh"
	EN Lang = "en"
)

// Langs lists the languages in the order the interface offers them.
var Langs = []Lang{DE, ZH, EN}

// Valid reports whether l is one of de, zh, en.
func (l Lang) Valid() bool { return l == DE || l == ZH || l == EN }

// Text is a text in several languages, keyed by language code.
type Text map[Lang]string

// In returns the text in l, falling back to English, German, Chinese and
// then to whatever language is present.
func (t Text) In(l Lang) string {
	if s := t[l]; s != "" {
		return s
	}
	for _, f := range []Lang{EN, DE, ZH} {
		if s := t[f]; s != "" {
			return s
		}
	}
	return ""
}

// Country codes of the member cities.
const (
	Germany = "DE"
	China   = "CN"
)

// Date is a calendar day in ISO form, YYYY-MM-DD. The zero value means "not set".
type Date string

// ParseDate checks s and returns it as a Date.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date(s), nil
}

// DateOf returns the calendar day of t in UTC.
func DateOf(t time.Time) Date { return Date(t.UTC().Format(time.DateOnly)) }

// Time returns the start of the day in UTC; the zero time for an empty Date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// AddMonths returns the day n months later.
func (d Date) AddMonths(n int) Date { return DateOf(d.Time().AddDate(0, n, 0)) }

// Before reports whether d is strictly before e (both set).
func (d Date) Before(e Date) bool { return d < e }

// City is a member city (or district or region) of the alliance.
type City struct {
	Slug        string       `json:"slug"`
	Country     string       `json:"country"` // DE or CN
	Names       Text         `json:"names"`   // de, en, zh
	Region      Text         `json:"region"`  // federal state or province
	Profile     Text         `json:"profile,omitempty"`
	Office      Office       `json:"office"`
	Memberships []Membership `json:"memberships"`
}

// Member reports whether the city is a member on day d.
func (c City) Member(d Date) bool {
	for _, m := range c.Memberships {
		if (m.Joined == "" || m.Joined <= d) && (m.Left == "" || d < m.Left) {
			return true
		}
	}
	return false
}

// Office is a city's economic-development office, the local organiser.
// Fields are empty where not known.
type Office struct {
	Name    Text   `json:"name,omitempty"`
	Website string `json:"website,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

// Membership is one period of membership; a city may leave and rejoin.
type Membership struct {
	Joined Date   `json:"joined,omitempty"` // empty when the day is not recorded
	Event  string `json:"event,omitempty"`  // where it joined, e.g. "Hannover Messe 2019"
	Left   Date   `json:"left,omitempty"`
	Note   string `json:"note,omitempty"`
}

// OrgKind is the kind of an organisation.
type OrgKind string

const (
	Company     OrgKind = "company"
	Research    OrgKind = "research"
	Agency      OrgKind = "agency"
	Association OrgKind = "association"
)

// OrgKinds lists the valid kinds.
var OrgKinds = []OrgKind{Company, Research, Agency, Association}

// SizeClass follows the EU SME definition by staff head count.
type SizeClass string

const (
	Micro  SizeClass = "micro"  // fewer than 10
	Small  SizeClass = "small"  // fewer than 50
	Medium SizeClass = "medium" // fewer than 250
	Large  SizeClass = "large"
)

// SizeClasses lists the valid size classes.
var SizeClasses = []SizeClass{Micro, Small, Medium, Large}

// VerificationState says whether the city office vouches for an organisation.
type VerificationState string

const (
	Unverified VerificationState = "unverified"
	Verified   VerificationState = "verified"
)

// Verification records who vouched for an organisation, when and how.
type Verification struct {
	State  VerificationState `json:"state"`
	By     string            `json:"by,omitempty"`     // who verified (officer, office)
	At     time.Time         `json:"at,omitzero"`      // when
	Method string            `json:"method,omitempty"` // how: visit, register extract, trade fair, ...
}

// Organisation is a company, research institute, agency or association of a
// member city. Its contact persons are kept apart (ContactPerson).
type Organisation struct {
	ID           int64        `json:"-"`
	Ref          string       `json:"ref"`
	Name         string       `json:"name"`
	Names        Text         `json:"names,omitempty"`
	Kind         OrgKind      `json:"kind"`
	City         string       `json:"city"` // slug
	Size         SizeClass    `json:"size,omitempty"`
	Founded      int          `json:"founded,omitempty"`
	Website      string       `json:"website,omitempty"`
	Industries   []string     `json:"industries,omitempty"` // NACE codes
	About        Text         `json:"about,omitempty"`
	Verification Verification `json:"verification"`
	CreatedAt    time.Time    `json:"created_at,omitzero"`
	UpdatedAt    time.Time    `json:"updated_at,omitzero"`
}

// ContactPerson is personal data: stored apart from the organisation, shown
// only to partners whose first contact was accepted, never in public records.
// A contact without a name is the organisation's general address, which may
// still name a person (j.wu@...), so it is treated as personal data too.
type ContactPerson struct {
	ID     int64  `json:"-"`
	OrgID  int64  `json:"-"`
	Name   string `json:"name,omitempty"`
	Role   string `json:"role,omitempty"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Langs  []Lang `json:"langs,omitempty"`
	Public bool   `json:"-"` // reserved: never true for imported data
}

// ListingKind is offer (Angebot, 供应) or request (Gesuch, 需求).
type ListingKind string

const (
	Offer   ListingKind = "offer"
	Request ListingKind = "request"
)

// Opposite returns the kind a listing of kind k is matched against.
func (k ListingKind) Opposite() ListingKind {
	if k == Offer {
		return Request
	}
	return Offer
}

// ListingState is the life-cycle state of a listing.
type ListingState string

const (
	Draft     ListingState = "draft"
	InReview  ListingState = "in_review"
	Published ListingState = "published"
	Expired   ListingState = "expired"
	Withdrawn ListingState = "withdrawn"
)

// ListingStates lists the valid states.
var ListingStates = []ListingState{Draft, InReview, Published, Expired, Withdrawn}

// StatesKeptOnImport are the states an import leaves as they are: the
// owner's withdrawal, a draft and a listing in the officers' review queue
// are decisions the interchange format cannot express (it has no state),
// so a file must not overturn them. Published and expired listings take
// the state the import computes (an expired one with a new expiry ahead is
// published again: renewal by file).
var StatesKeptOnImport = []ListingState{Draft, InReview, Withdrawn}

// KeptOnImport tells whether an import leaves a stored listing in state s.
func (s ListingState) KeptOnImport() bool { return slices.Contains(StatesKeptOnImport, s) }

// Cooperation types a listing may name.
var CooperationTypes = []string{"supply", "distribution", "manufacturing", "joint_venture", "licensing", "research", "investment", "services"}

// Limits of listing fields.
const (
	MaxTitle       = 200
	MaxDescription = 10000
	MaxKeywords    = 50
	MaxKeyword     = 100
)

// Translation is a listing's title and description in another language.
type Translation struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Listing is an offer or a request posted by an organisation.
type Listing struct {
	ID           int64                `json:"-"`
	Ref          string               `json:"ref"`
	OrgID        int64                `json:"-"`
	Org          string               `json:"org"` // organisation ref
	Kind         ListingKind          `json:"kind"`
	Lang         Lang                 `json:"lang"`
	Title        string               `json:"title"`
	Description  string               `json:"description"`
	Translations map[Lang]Translation `json:"translations,omitempty"`
	Cooperation  []string             `json:"cooperation,omitempty"`
	Industries   []string             `json:"industries,omitempty"`
	Keywords     []string             `json:"keywords,omitempty"`
	State        ListingState         `json:"state"`
	Published    Date                 `json:"published,omitempty"`
	Expires      Date                 `json:"expires,omitempty"`
	CreatedAt    time.Time            `json:"created_at,omitzero"`
	UpdatedAt    time.Time            `json:"updated_at,omitzero"`
}

// Live reports whether the listing may be shown in search and matching on day d.
func (l *Listing) Live(d Date) bool {
	return l.State == Published && (l.Expires == "" || !l.Expires.Before(d))
}
