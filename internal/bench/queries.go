package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
)

// Query is one search of the benchmark: free text and the filters a user
// may set. Every query asks for facet counts, as the search page does.
type Query struct {
	Name        string `json:"name"`
	Text        string `json:"q"`
	Kind        string `json:"kind,omitempty"`
	Country     string `json:"country,omitempty"`
	City        string `json:"city,omitempty"`
	Industry    string `json:"industry,omitempty"`
	Cooperation string `json:"cooperation,omitempty"`
	Lang        string `json:"lang,omitempty"`
	OrgKind     string `json:"org_kind,omitempty"`
}

// Filtered reports whether the query narrows by any filter.
func (q Query) Filtered() bool {
	return q.Kind != "" || q.Country != "" || q.City != "" || q.Industry != "" ||
		q.Cooperation != "" || q.Lang != "" || q.OrgKind != ""
}

// search turns the benchmark query into a search query for the day.
func (q Query) search(today isa.Date) (search.Query, error) {
	sq := search.Query{
		Text: q.Text, Kind: isa.ListingKind(q.Kind), Country: q.Country, City: q.City,
		Industry: q.Industry, Cooperation: q.Cooperation, Lang: isa.Lang(q.Lang),
		OrgKind: isa.OrgKind(q.OrgKind), Viewer: isa.EN, Limit: search.DefaultLimit, Today: today,
	}
	if err := sq.Normalize(today); err != nil {
		return sq, fmt.Errorf("query %s: %w", q.Name, err)
	}
	return sq, nil
}

// DefaultQueries is the fixed mixed set every run measures, so that runs
// compare: German, Chinese and English, one to four words, terms that many
// listings carry and terms that few or none carry, with and without
// filters. The terms come from the industries of the member cities and the
// generic words of listings (partner, supplier), not from any evaluation
// set. Change it only together with docs/benchmarks.md.
var DefaultQueries = []Query{
	// German
	{Name: "de-1-turbine", Text: "Turbine"},
	{Name: "de-1-bearing", Text: "Wälzlager"},
	{Name: "de-1-folded", Text: "Waelzlager"},
	{Name: "de-1-compound", Text: "Spritzgießwerkzeug"},
	{Name: "de-2-common", Text: "Partner China"},
	{Name: "de-2-kind", Text: "Keramik Fertigung", Kind: "offer"},
	{Name: "de-3-country", Text: "Wasserstoff Elektrolyseur Lieferant", Country: "CN"},
	{Name: "de-3-coop", Text: "Medizintechnik Vertrieb Kooperation", Cooperation: "distribution"},
	{Name: "de-2-industry", Text: "Getriebe Pumpe", Industry: "C28"},
	{Name: "de-1-rare", Text: "Quantenkryptographie"},
	{Name: "de-4-common", Text: "Entwicklung und Serienfertigung Partner", Lang: "de"},
	// Chinese
	{Name: "zh-1-moulding", Text: "注塑"},
	{Name: "zh-1-bearing", Text: "轴承"},
	{Name: "zh-1-servo", Text: "伺服电机"},
	{Name: "zh-1-common", Text: "合作伙伴"},
	{Name: "zh-2-kind", Text: "氢能 电解槽", Kind: "request"},
	{Name: "zh-2-country", Text: "医疗器械 代理", Country: "DE"},
	{Name: "zh-3", Text: "家具 陶瓷 玩具"},
	{Name: "zh-4-lang", Text: "锂电池 储能 系统 供应", Lang: "zh"},
	{Name: "zh-1-rare", Text: "量子加密"},
	{Name: "zh-2-orgkind", Text: "纺织 面料", OrgKind: "company"},
	// English
	{Name: "en-2-moulding", Text: "injection molding"},
	{Name: "en-1-bearing", Text: "bearing"},
	{Name: "en-1-common", Text: "supplier"},
	{Name: "en-4", Text: "servo motor supplier China"},
	{Name: "en-2-filters", Text: "wastewater treatment", Kind: "offer", Country: "DE"},
	{Name: "en-2-lang", Text: "LED lighting", Lang: "zh"},
	{Name: "en-3-coop", Text: "CNC machining partner", Cooperation: "manufacturing"},
	{Name: "en-3-industry", Text: "hydrogen fuel cell", Industry: "C27"},
	{Name: "en-2-rare", Text: "blockchain quantum"},
	{Name: "en-1-orgkind", Text: "furniture", OrgKind: "company"},
	// Mixed scripts, as a user in a hurry types them
	{Name: "mix-3", Text: "robot 机器人 Roboter"},
	{Name: "mix-2-city", Text: "Software 软件", Country: "CN"},
}

// ReadQueries reads a query set in JSON Lines, one Query per line; blank
// lines and lines starting with # are skipped.
func ReadQueries(r io.Reader) ([]Query, error) {
	var qs []Query
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		var q Query
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, isa.Invalid("queries", "line %d: %v", line, err)
		}
		if strings.TrimSpace(q.Text) == "" {
			return nil, isa.Invalid("queries", "line %d: the query text (q) is empty", line)
		}
		if q.Name == "" {
			q.Name = fmt.Sprintf("line-%d", line)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read queries: %w", err)
	}
	if len(qs) == 0 {
		return nil, isa.Invalid("queries", "the file holds no queries")
	}
	return qs, nil
}
