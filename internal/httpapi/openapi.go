package httpapi

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
)

// The OpenAPI document is built from the route table and the schemas below
// when the API is created. Paths, methods and query parameters come from
// the table that Register mounts, so they cannot disagree; the schemas are
// written by hand and a test compares them field by field with the view
// types that the handlers encode.

type schema = map[string]any

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }
func str(desc string) schema {
	s := schema{"type": "string"}
	if desc != "" {
		s["description"] = desc
	}
	return s
}
func enum(vals []string) schema  { return schema{"type": "string", "enum": vals} }
func arr(items schema) schema    { return schema{"type": "array", "items": items} }
func date() schema               { return schema{"type": "string", "format": "date"} }
func dateTime() schema           { return schema{"type": "string", "format": "date-time"} }
func integer(desc string) schema { return schema{"type": "integer", "description": desc} }
func object(required []string, props schema) schema {
	s := schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// schemas are the components of the document, one per view type.
func schemas() schema {
	s := readSchemas()
	maps.Copy(s, writeSchemas())
	return s
}

func readSchemas() schema {
	naceList := arr(schema{"type": "string", "pattern": nacePattern, "description": "NACE Rev. 2 code"})
	return schema{
		"Text": object(nil, schema{
			"de": str("German"), "zh": str("Chinese (Simplified)"), "en": str("English"),
		}),
		"Health": object([]string{"status", "checks"}, schema{
			"status": enum([]string{"ok", "unavailable"}),
			"checks": schema{"type": "object", "additionalProperties": enum([]string{"ok", "unavailable"})},
		}),
		"Error": object([]string{"error"}, schema{"error": ref("ErrorDetail")}),
		"ErrorDetail": object([]string{"code", "message"}, schema{
			"code": enum([]string{
				string(isa.CodeInvalid), string(isa.CodeUnauth), string(isa.CodeForbidden),
				string(isa.CodeNotFound), string(codeMethodNotAllowed), string(isa.CodeConflict),
				string(isa.CodeRateLimit), string(isa.CodeInternal), string(codeUnavailable),
			}),
			"message": str("Human-readable message in the language of Accept-Language (de, zh, en)."),
			"field":   str("The query parameter or field the error concerns."),
		}),
		"Office": object(nil, schema{
			"name": ref("Text"), "website": str(""), "email": str("Published address of the office (an institution, not a person)."),
			"phone": str(""), "address": str(""),
		}),
		"Membership": object(nil, schema{
			"joined": date(), "event": str("Where the city joined, e.g. Hannover Messe 2019."),
			"left": date(), "note": str(""),
		}),
		"City": object([]string{"slug", "country", "names", "region", "member", "office", "memberships"}, schema{
			"slug":        schema{"type": "string", "pattern": slugPattern},
			"country":     enum([]string{isa.Germany, isa.China}),
			"names":       ref("Text"),
			"region":      ref("Text"),
			"profile":     ref("Text"),
			"member":      schema{"type": "boolean", "description": "Whether the city is a member today."},
			"office":      ref("Office"),
			"memberships": arr(ref("Membership")),
		}),
		"CityList": object([]string{"items"}, schema{"items": arr(ref("City"))}),
		"Verification": object([]string{"state"}, schema{
			"state":  enum([]string{string(isa.Unverified), string(isa.Verified)}),
			"at":     dateTime(),
			"method": str("How the city office verified the organisation."),
		}),
		"Organisation": object([]string{"ref", "name", "kind", "city", "verification"}, schema{
			"ref":          str("External identifier."),
			"name":         str("Name in its own language."),
			"names":        ref("Text"),
			"kind":         enum(stringsOf(isa.OrgKinds)),
			"city":         str("Slug of the member city."),
			"size":         enum(stringsOf(isa.SizeClasses)),
			"founded":      integer("Year of foundation."),
			"website":      str(""),
			"industries":   naceList,
			"about":        ref("Text"),
			"verification": ref("Verification"),
			"created_at":   dateTime(),
			"updated_at":   dateTime(),
		}),
		"OrganisationPage": object([]string{"items"}, schema{
			"items": arr(ref("Organisation")),
			"next":  str("Cursor of the next page; absent on the last page."),
		}),
		"Translation": object([]string{"title", "description"}, schema{"title": str(""), "description": str("")}),
		"Listing": object([]string{"ref", "org", "kind", "lang", "title", "description", "state"}, schema{
			"ref":         str("External identifier."),
			"org":         str("Reference of the organisation that posted it."),
			"kind":        enum([]string{string(isa.Offer), string(isa.Request)}),
			"lang":        enum(stringsOf(isa.Langs)),
			"title":       schema{"type": "string", "maxLength": isa.MaxTitle},
			"description": schema{"type": "string", "maxLength": isa.MaxDescription},
			"translations": schema{
				"type":                 "object",
				"propertyNames":        enum(stringsOf(isa.Langs)),
				"additionalProperties": ref("Translation"),
			},
			"cooperation": arr(enum(isa.CooperationTypes)),
			"industries":  naceList,
			"keywords":    arr(str("")),
			"state":       enum(stringsOf(isa.ListingStates)),
			"published":   date(),
			"expires":     date(),
			"created_at":  dateTime(),
			"updated_at":  dateTime(),
		}),
		"ListingPage": object([]string{"items"}, schema{
			"items": arr(ref("Listing")),
			"next":  str("Cursor of the next page; absent on the last page."),
		}),
		"Fragment": object([]string{"text"}, schema{
			"text": str("Plain text; escape it like any other text."),
			"hit":  schema{"type": "boolean", "description": "The words matched the query."},
		}),
		"FacetCount": object([]string{"value", "count"}, schema{"value": str(""), "count": integer("")}),
		"SearchHit": object([]string{"ref", "score", "title", "lang", "kind", "org", "city", "country"}, schema{
			"ref": str(""), "score": schema{"type": "number"},
			"title": str("Title in the language it was written in."),
			"lang":  enum(stringsOf(isa.Langs)), "kind": enum([]string{string(isa.Offer), string(isa.Request)}),
			"org": str("Reference of the organisation."), "city": str("Slug of the member city."),
			"country": enum([]string{isa.Germany, isa.China}), "published": date(),
			"snippet": arr(ref("Fragment")),
		}),
		"SearchResult": object([]string{"total", "hits"}, schema{
			"total": integer("Number of hits in all."),
			"hits":  arr(ref("SearchHit")),
			"facets": schema{
				"type":        "object",
				"description": "Counts per value over all hits, by facet: kind, country, city, section (NACE), cooperation, lang, org_kind.",
				"propertyNames": enum([]string{search.FacetKind, search.FacetCountry, search.FacetCity, search.FacetSection,
					search.FacetCooperation, search.FacetLang, search.FacetOrgKind}),
				"additionalProperties": arr(ref("FacetCount")),
			},
		}),
		"Reason": object([]string{"kind", "text"}, schema{
			"kind":    enum([]string{"concept", "industry", "cooperation", "cross_border"}),
			"concept": str("Identifier of the vocabulary concept both listings share."),
			"code":    str("NACE code or cooperation type concerned."),
			"labels":  ref("Text"),
			"text":    str("The reason in the reader's language (Accept-Language)."),
		}),
		"Match": object([]string{"ref", "score", "title", "kind", "lang", "org", "city", "country", "reasons"}, schema{
			"ref": str(""), "score": schema{"type": "number"}, "title": str(""),
			"kind": enum([]string{string(isa.Offer), string(isa.Request)}), "lang": enum(stringsOf(isa.Langs)),
			"org": str(""), "city": str(""), "country": enum([]string{isa.Germany, isa.China}),
			"reasons": arr(ref("Reason")),
		}),
		"Matches": object([]string{"ref", "matches"}, schema{"ref": str("The listing matched."), "matches": arr(ref("Match"))}),
	}
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// buildOpenAPI returns the document for routes.
func buildOpenAPI(routes []route) ([]byte, error) {
	paths := schema{}
	var tags []string
	for _, rt := range routes {
		params := []any{schema{"$ref": "#/components/parameters/AcceptLanguage"}}
		for _, m := range pathParamRE.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, schema{"name": m[1], "in": "path", "required": true, "schema": schema{"type": "string"}})
		}
		for _, p := range rt.params {
			params = append(params, schema{"name": p.name, "in": "query", "required": false, "description": p.desc, "schema": p.schema})
		}
		ok := schema{"type": "object", "description": "An OpenAPI 3.1 document."}
		if rt.response != "" {
			ok = ref(rt.response)
		}
		success := "200"
		if rt.status != 0 {
			success = strconv.Itoa(rt.status)
		}
		responses := schema{
			success: schema{"description": http.StatusText(max(rt.status, 200)), "content": schema{"application/json": schema{"schema": ok}}},
			"500":   errorResponse(http.StatusInternalServerError),
		}
		for _, code := range rt.errors {
			responses[strconv.Itoa(code)] = errorResponse(code)
		}
		if rt.op == "health" {
			responses["503"] = schema{"description": "The database does not answer.", "content": schema{"application/json": schema{"schema": ref("Health")}}}
		}
		op := schema{
			"operationId": rt.op,
			"summary":     rt.summary,
			"tags":        []string{rt.tag},
			"parameters":  params,
			"responses":   responses,
		}
		if rt.request != "" {
			op["requestBody"] = schema{"required": true, "content": schema{"application/json": schema{"schema": ref(rt.request)}}}
		}
		if rt.auth {
			op["security"] = []schema{{"bearer": []string{}}}
		}
		item, _ := paths[rt.path].(schema)
		if item == nil {
			item = schema{}
			paths[rt.path] = item
		}
		item[strings.ToLower(rt.method)] = op
		if !slices.Contains(tags, rt.tag) {
			tags = append(tags, rt.tag)
		}
	}
	tagObjs := make([]schema, 0, len(tags))
	for _, t := range tags {
		tagObjs = append(tagObjs, schema{"name": t})
	}
	doc := schema{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": schema{
			"title":   "ISA Partner Database API",
			"version": "1",
			"description": "Read API of the Chinese-German Industrial Cities Alliance (ISA) partner database: member cities, " +
				"organisations and their published offers and requests in German, Chinese and English. " +
				"Lists are paged by cursor: pass the value of next as after to get the following page. " +
				"Contact persons are never part of any response. Only published listings are public; " +
				"a state filter other than published is refused with 403 until accounts exist. " +
				"Error messages follow Accept-Language (de, zh, en).",
			"license": schema{"name": "Apache-2.0", "identifier": "Apache-2.0"},
		},
		"servers": []schema{{"url": "/"}},
		"tags":    tagObjs,
		"paths":   paths,
		"components": schema{
			"schemas": schemas(),
			"securitySchemes": schema{
				"bearer": schema{"type": "http", "scheme": "bearer", "description": "An API token created on the account page."},
			},
			"parameters": schema{
				"AcceptLanguage": schema{
					"name": "Accept-Language", "in": "header", "required": false,
					"description": "Language of error messages and of reasons: de, zh or en (default en).",
					"schema":      schema{"type": "string"},
				},
			},
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func errorResponse(status int) schema {
	return schema{
		"description": http.StatusText(status),
		"content":     schema{"application/json": schema{"schema": ref("Error")}},
	}
}
