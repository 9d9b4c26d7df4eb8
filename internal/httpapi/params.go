package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// param describes one query parameter: the handler reads it, the OpenAPI
// document shows it, and a request naming any other parameter is refused,
// so that a mistyped filter (?kinds=offer) is an error rather than a
// silently unfiltered list.
type param struct {
	name   string
	desc   string
	schema map[string]any // JSON Schema of the value
}

const maxLimit = 500

var (
	pCountry = param{"country", "Country of the member city: DE or CN.",
		map[string]any{"type": "string", "enum": []string{isa.Germany, isa.China}}}
	pCity = param{"city", "Slug of a member city, e.g. hamburg or foshan.",
		map[string]any{"type": "string", "pattern": slugPattern}}
	pOrgKind = param{"kind", "Kind of organisation.",
		map[string]any{"type": "string", "enum": stringsOf(isa.OrgKinds)}}
	pListingKind = param{"kind", "offer (Angebot, 供应) or request (Gesuch, 需求).",
		map[string]any{"type": "string", "enum": []string{string(isa.Offer), string(isa.Request)}}}
	pCooperation = param{"cooperation", "Cooperation type the listing names.",
		map[string]any{"type": "string", "enum": isa.CooperationTypes}}
	pIndustry = param{"industry", "NACE Rev. 2 code at any level (C, C22, C22.2, C22.29); matches the code and everything below it.",
		map[string]any{"type": "string", "pattern": nacePattern}}
	pLang = param{"lang", "Language the listing is written in.",
		map[string]any{"type": "string", "enum": stringsOf(isa.Langs)}}
	pState = param{"state", "Life-cycle state. Only published is public; any other value is refused with 403 until accounts exist.",
		map[string]any{"type": "string", "enum": stringsOf(isa.ListingStates), "default": string(isa.Published)}}
	pOrg = param{"org", "Reference of the organisation that posted the listing.",
		map[string]any{"type": "string", "maxLength": maxRef}}
	pAfter = param{"after", "Cursor: the value of next from the previous page.",
		map[string]any{"type": "string", "maxLength": maxCursor}}
	pLimit = param{"limit", "Page size.",
		map[string]any{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": 50}}
	pMatchLimit = param{"limit", "Number of matches.",
		map[string]any{"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}
)

const (
	slugPattern = `^[a-z0-9]+(-[a-z0-9]+)*$`
	nacePattern = `^[A-U]([0-9]{2}(\.[0-9]{1,2})?)?$`
	maxRef      = 200
	maxCursor   = 512
)

var (
	slugRE = regexp.MustCompile(slugPattern)
)

func stringsOf[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// query holds the single values of a request's query parameters.
type query map[string]string

// parseQuery reads the query string and refuses parameters the route does
// not declare, repeated ones and undecodable ones (bad escapes, bytes that
// are not UTF-8), so that handlers and engines only ever see clean text.
func parseQuery(r *http.Request, allowed []param) (query, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &isa.Error{Code: isa.CodeInvalid, Key: keyBadParam, Message: "query string cannot be decoded", Err: err}
	}
	q := make(query, len(values))
	// Sorted so that the error names the same parameter every time.
	for _, name := range slices.Sorted(mapsKeys(values)) {
		if !slices.ContainsFunc(allowed, func(p param) bool { return p.name == name }) {
			return nil, &isa.Error{Code: isa.CodeInvalid, Field: name, Key: keyUnknownParam, Message: "unknown query parameter"}
		}
		if len(values[name]) > 1 {
			return nil, &isa.Error{Code: isa.CodeInvalid, Field: name, Key: keyRepeatedParam, Message: "query parameter given more than once"}
		}
		if !utf8.ValidString(values[name][0]) {
			return nil, &isa.Error{Code: isa.CodeInvalid, Field: name, Key: keyBadParam, Message: "not valid UTF-8"}
		}
		q[name] = values[name][0]
	}
	return q, nil
}

func mapsKeys(v url.Values) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range v {
			if !yield(k) {
				return
			}
		}
	}
}

func invalid(field, key, msg string) *isa.Error {
	return &isa.Error{Code: isa.CodeInvalid, Field: field, Key: key, Message: msg}
}

// limit returns the page size, 0 (the store's default) when absent.
func (q query) limit(max int) (int, error) {
	s, ok := q["limit"]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		e := invalid("limit", keyBadLimit, "must be a whole number from 1 to "+strconv.Itoa(max))
		if max != maxLimit {
			e.Key = keyBadParam
		}
		return 0, e
	}
	return n, nil
}

// after returns the cursor. Its content is the store's business; here only
// its size and alphabet are checked so that junk never reaches SQL.
func (q query) after() (string, error) {
	s := q["after"]
	if len(s) > maxCursor || strings.IndexFunc(s, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return "", invalid("after", keyBadCursor, "not a cursor returned by this API")
	}
	return s, nil
}

func (q query) country() (string, error) {
	s, ok := q["country"]
	if !ok {
		return "", nil
	}
	c := strings.ToUpper(s)
	if c != isa.Germany && c != isa.China {
		return "", invalid("country", keyBadCountry, "must be DE or CN")
	}
	return c, nil
}

// city checks that the slug names a member city, so that a typo answers 400
// rather than an empty list that looks like "no organisations there".
func (q query) city(ctx context.Context, cs isa.CityStore) (string, error) {
	s, ok := q["city"]
	if !ok {
		return "", nil
	}
	s = strings.ToLower(s)
	if !slugRE.MatchString(s) || len(s) > 64 {
		return "", invalid("city", keyBadCity, "not a member city slug")
	}
	if _, err := cs.City(ctx, s); err != nil {
		if isa.IsNotFound(err) {
			return "", invalid("city", keyBadCity, "not a member city slug")
		}
		return "", err
	}
	return s, nil
}

func (q query) orgKind() (isa.OrgKind, error) {
	s, ok := q["kind"]
	if !ok {
		return "", nil
	}
	if !slices.Contains(isa.OrgKinds, isa.OrgKind(s)) {
		return "", invalid("kind", keyBadOrgKind, "must be company, research, agency or association")
	}
	return isa.OrgKind(s), nil
}

func (q query) listingKind() (isa.ListingKind, error) {
	s, ok := q["kind"]
	if !ok {
		return "", nil
	}
	if k := isa.ListingKind(s); k != isa.Offer && k != isa.Request {
		return "", invalid("kind", keyBadListingKind, "must be offer or request")
	}
	return isa.ListingKind(s), nil
}

func (q query) cooperation() (string, error) {
	s, ok := q["cooperation"]
	if !ok {
		return "", nil
	}
	if !slices.Contains(isa.CooperationTypes, s) {
		return "", invalid("cooperation", keyBadCooperation, "unknown cooperation type")
	}
	return s, nil
}

func (q query) industry() (string, error) {
	s, ok := q["industry"]
	if !ok {
		return "", nil
	}
	n, ok := normalNACE(s)
	if !ok {
		return "", invalid("industry", keyBadIndustry, "not a NACE Rev. 2 code")
	}
	return n, nil
}

func (q query) lang() (isa.Lang, error) {
	s, ok := q["lang"]
	if !ok {
		return "", nil
	}
	if l := isa.Lang(strings.ToLower(s)); l.Valid() {
		return l, nil
	}
	return "", invalid("lang", keyBadLang, "must be de, zh or en")
}

// state returns the listing state to show: published, the only public one.
// Other valid states are forbidden until accounts can authorise them.
func (q query) state() (isa.ListingState, error) {
	s, ok := q["state"]
	if !ok {
		return isa.Published, nil
	}
	st := isa.ListingState(s)
	if !slices.Contains(isa.ListingStates, st) {
		return "", invalid("state", keyBadState, "unknown listing state")
	}
	if st != isa.Published {
		return "", &isa.Error{Code: isa.CodeForbidden, Field: "state", Key: keyStateForbidden, Message: "only published listings are public"}
	}
	return st, nil
}

// ref checks a path reference; a malformed one cannot exist, so it is
// answered like a missing one without asking the store.
func validRef(s string) bool {
	return s != "" && len(s) <= maxRef && strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0
}
