package matching

import (
	"fmt"
	"sort"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

// Reason texts per language. Every text the reader sees exists in de, zh
// and en.
var templates = map[string]map[isa.Lang]string{
	"concept":      {isa.DE: "Gemeinsames Thema: %s", isa.ZH: "共同主题：%s", isa.EN: "Shared topic: %s"},
	"industry":     {isa.DE: "Gleiche Branche: %s", isa.ZH: "相同行业：%s", isa.EN: "Same industry: %s"},
	"cooperation":  {isa.DE: "Passende Kooperationsform: %s", isa.ZH: "合作方式相符：%s", isa.EN: "Fitting type of cooperation: %s"},
	"cross_border": {isa.DE: "Partner auf der anderen Seite: %s", isa.ZH: "跨境合作伙伴：%s", isa.EN: "Partner across the border: %s"},
}

// CooperationLabels names the cooperation types in the three languages.
var CooperationLabels = map[string]isa.Text{
	"supply":        {isa.DE: "Lieferung", isa.ZH: "供货", isa.EN: "supply"},
	"distribution":  {isa.DE: "Vertrieb", isa.ZH: "分销", isa.EN: "distribution"},
	"manufacturing": {isa.DE: "Fertigung", isa.ZH: "生产制造", isa.EN: "manufacturing"},
	"joint_venture": {isa.DE: "Joint Venture", isa.ZH: "合资", isa.EN: "joint venture"},
	"licensing":     {isa.DE: "Lizenzierung", isa.ZH: "技术许可", isa.EN: "licensing"},
	"research":      {isa.DE: "Forschung", isa.ZH: "研发合作", isa.EN: "research"},
	"investment":    {isa.DE: "Investition", isa.ZH: "投资", isa.EN: "investment"},
	"services":      {isa.DE: "Dienstleistungen", isa.ZH: "服务", isa.EN: "services"},
}

// countryLabels names the two countries of the alliance.
var countryLabels = map[string]isa.Text{
	isa.Germany: {isa.DE: "Deutschland", isa.ZH: "德国", isa.EN: "Germany"},
	isa.China:   {isa.DE: "China", isa.ZH: "中国", isa.EN: "China"},
}

const maxConceptReasons = 5

// reasons explains a candidate: the concepts both listings name (labelled
// in the reader's language and in the partner's), the most specific shared
// NACE codes, fitting cooperation types and the border it crosses.
func (m *Matcher) reasons(l *isa.Listing, country string, c search.Candidate, viewer isa.Lang, weight map[string]float64) []Reason {
	var out []Reason
	concepts := m.an.Concepts()
	var conceptReasons []Reason
	var shared []string
	// The concepts the listing stresses most come first.
	matched := append([]string(nil), c.Matched...)
	sort.SliceStable(matched, func(i, j int) bool { return weight[matched[i]] > weight[matched[j]] })
	for _, t := range matched {
		switch {
		case strings.HasPrefix(t, textanalysis.ConceptPrefix):
			id := strings.TrimPrefix(t, textanalysis.ConceptPrefix)
			ci, ok := m.an.ConceptIndex(id)
			if !ok {
				continue
			}
			labels := isa.Text{}
			for _, lang := range isa.Langs {
				if ts := concepts[ci].Terms[lang]; len(ts) > 0 {
					labels[lang] = ts[0]
				}
			}
			conceptReasons = append(conceptReasons, Reason{
				Kind: "concept", Concept: id, Labels: labels,
				Text: render("concept", viewer, pair(labels, viewer, c.Lang, l.Lang)),
			})
		case strings.HasPrefix(t, textanalysis.NACEPrefix):
			shared = append(shared, strings.TrimPrefix(t, textanalysis.NACEPrefix))
		}
	}
	if len(conceptReasons) > maxConceptReasons {
		conceptReasons = conceptReasons[:maxConceptReasons]
	}
	out = append(out, conceptReasons...)
	for _, code := range mostSpecific(shared) {
		labels := isa.Text{}
		for _, lang := range isa.Langs {
			if m.nace != nil {
				if s := m.nace.Label(code, lang); s != "" {
					labels[lang] = s
				}
			}
		}
		name := code
		if s := labels.In(viewer); s != "" {
			name = code + " " + s
		}
		out = append(out, Reason{Kind: "industry", Code: code, Labels: labels, Text: render("industry", viewer, name)})
	}
	seen := map[string]bool{}
	for _, a := range l.Cooperation {
		for _, b := range c.Cooperation {
			if (a == b || fitsType(a, b) || fitsType(b, a)) && !seen[b] {
				seen[b] = true
				labels := CooperationLabels[b]
				out = append(out, Reason{Kind: "cooperation", Code: b, Labels: labels, Text: render("cooperation", viewer, labels.In(viewer))})
			}
		}
	}
	if country != "" && c.Country != "" && c.Country != country {
		labels := countryLabels[c.Country]
		out = append(out, Reason{Kind: "cross_border", Code: c.Country, Labels: labels, Text: render("cross_border", viewer, labels.In(viewer))})
	}
	return out
}

// pair labels a concept in the reader's language and, when different, in
// the partner's (or the listing's own): "Wärmepumpe / 热泵".
func pair(labels isa.Text, viewer isa.Lang, others ...isa.Lang) string {
	first := labels.In(viewer)
	for _, o := range others {
		if s := labels[o]; s != "" && s != first {
			return first + " / " + s
		}
	}
	return first
}

func render(kind string, lang isa.Lang, arg string) string {
	t := templates[kind][lang]
	if t == "" {
		t = templates[kind][isa.EN]
	}
	return fmt.Sprintf(t, arg)
}

// mostSpecific keeps the NACE codes that no other shared code refines:
// sharing C28.15 implies sharing C and C28, which need no mention.
func mostSpecific(codes []string) []string {
	sort.Strings(codes)
	var out []string
	for i, c := range codes {
		refined := false
		for j, d := range codes {
			if i != j && len(d) > len(c) && strings.HasPrefix(d, c) {
				refined = true
				break
			}
		}
		if !refined {
			out = append(out, c)
		}
	}
	return out
}
