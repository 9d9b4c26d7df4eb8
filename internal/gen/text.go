package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/isa-alliance/isa"
)

// sector groups concepts by NACE code so that company names, profiles and
// extra concepts of one organisation belong together.
type sector struct {
	prefixes []string  // NACE prefixes; the longest match wins
	name     [3]string // as part of a company name
	about    [3]string // as object of "specialised in ..."
}

// Sectors referred to by index elsewhere.
const (
	sectorLogistics  = 9
	sectorSoftware   = 15
	sectorConsulting = 17
)

var sectors = []sector{
	{[]string{"C28"}, [3]string{"Maschinenbau", "机械", "Machinery"}, [3]string{"Maschinen- und Anlagenbau", "机械装备", "machinery and equipment"}},
	{[]string{"C29", "C30"}, [3]string{"Fahrzeugtechnik", "汽车零部件", "Auto Parts"}, [3]string{"Fahrzeugtechnik und Zulieferteile", "汽车零部件", "automotive parts"}},
	{[]string{"C22"}, [3]string{"Kunststofftechnik", "塑胶", "Plastics"}, [3]string{"Kunststoffverarbeitung", "塑料制品", "plastic products"}},
	{[]string{"C24", "C25", "C33"}, [3]string{"Metallbearbeitung", "五金", "Metal Products"}, [3]string{"Metallbearbeitung", "金属加工", "metal processing"}},
	{[]string{"C20", "C21", "C19"}, [3]string{"Chemie", "化工", "Chemicals"}, [3]string{"Chemie und Werkstoffe", "化工材料", "chemicals and materials"}},
	{[]string{"C26", "C27"}, [3]string{"Elektronik", "电子", "Electronics"}, [3]string{"Elektronik und Elektrotechnik", "电子电气", "electronics and electrical products"}},
	{[]string{"D", "C27.1", "C28.11"}, [3]string{"Energietechnik", "新能源", "Energy"}, [3]string{"Energietechnik", "新能源", "energy technology"}},
	{[]string{"E"}, [3]string{"Umwelttechnik", "环保", "Environmental"}, [3]string{"Umwelttechnik", "环保技术", "environmental technology"}},
	{[]string{"C32.5", "C26.6", "Q"}, [3]string{"Medizintechnik", "医疗器械", "Medical"}, [3]string{"Medizintechnik", "医疗器械", "medical technology"}},
	{[]string{"H"}, [3]string{"Logistik", "物流", "Logistics"}, [3]string{"Logistik", "物流服务", "logistics"}},
	{[]string{"C10", "C11", "A"}, [3]string{"Lebensmittel", "食品", "Food"}, [3]string{"Lebensmittelherstellung", "食品加工", "food processing"}},
	{[]string{"C31", "C16"}, [3]string{"Möbelwerk", "家具", "Furniture"}, [3]string{"Möbel und Holzverarbeitung", "家具制造", "furniture"}},
	{[]string{"C23"}, [3]string{"Keramik", "陶瓷", "Ceramics"}, [3]string{"Keramik und Glas", "陶瓷建材", "ceramics"}},
	{[]string{"C13", "C14", "C15"}, [3]string{"Textil", "纺织", "Textiles"}, [3]string{"Textilien", "纺织服装", "textiles"}},
	{[]string{"C32.4"}, [3]string{"Spielwaren", "玩具", "Toys"}, [3]string{"Spielwaren", "玩具", "toys"}},
	{[]string{"J"}, [3]string{"Software", "软件", "Software"}, [3]string{"Software und IT", "软件与信息技术", "software and IT"}},
	{[]string{"M72"}, [3]string{"Forschung", "科技", "Research"}, [3]string{"angewandte Forschung", "应用研究", "applied research"}},
	{[]string{"M", "N", "K"}, [3]string{"Consulting", "咨询", "Consulting"}, [3]string{"Beratung", "咨询服务", "consulting"}},
	{nil, [3]string{"Industrietechnik", "实业", "Industrial"}, [3]string{"Industrietechnik", "工业产品", "industrial products"}},
}

func sectorOf(nace []string) int {
	best, bestLen := len(sectors)-1, 0
	for _, code := range nace {
		for i, s := range sectors {
			for _, p := range s.prefixes {
				if len(p) > bestLen && strings.HasPrefix(code, p) {
					best, bestLen = i, len(p)
				}
			}
		}
	}
	return best
}

// Invented name parts: combined they give fictitious names; none is meant
// to be a real company.
var (
	stemHeads = []string{"Ahl", "Bern", "Dreh", "Eber", "Fahr", "Gell", "Hau", "Iser", "Kalt", "Lind",
		"Mohr", "Nord", "Ost", "Pfeff", "Rein", "Sand", "Tann", "Ulm", "Wies", "Zell"}
	stemTails  = []string{"bach", "berger", "dorf", "felder", "hagen", "heimer", "mann", "rieder", "stedt", "walder", "brink", "kamp"}
	legalForms = []string{"GmbH", "GmbH & Co. KG", "AG", "KG", "GmbH"}
	brands     = [][2]string{{"华锐", "Huarui"}, {"恒通", "Hengtong"}, {"金达", "Jinda"}, {"宏远", "Hongyuan"},
		{"新创", "Xinchuang"}, {"鼎盛", "Dingsheng"}, {"瑞丰", "Ruifeng"}, {"精诚", "Jingcheng"}, {"永泰", "Yongtai"},
		{"博远", "Boyuan"}, {"嘉信", "Jiaxin"}, {"德泰", "Detai"}, {"天成", "Tiancheng"}, {"立信", "Lixin"},
		{"明轩", "Mingxuan"}, {"海润", "Hairun"}, {"盛达", "Shengda"}, {"凯越", "Kaiyue"}, {"联创", "Lianchuang"},
		{"志远", "Zhiyuan"}, {"安泰", "Antai"}, {"长盈", "Changying"}, {"锦华", "Jinhua"}, {"正和", "Zhenghe"},
		{"益丰", "Yifeng"}, {"旭升", "Xusheng"}, {"峰源", "Fengyuan"}, {"泓润", "Hongrun"}}
)

func (g *generator) orgName(o *org, r *rand.Rand) {
	s := &sectors[g.concepts[o.concept].sector]
	idx := strconv.Itoa(o.idx + 1)
	if o.city.country == isa.Germany {
		stem := stemHeads[r.IntN(len(stemHeads))] + stemTails[r.IntN(len(stemTails))]
		o.domain = strings.ToLower(stem) + "-" + idx + ".example.com"
		switch o.kind {
		case isa.Research:
			o.name[iDE] = stem + "-Institut für " + s.about[iDE]
			o.name[iEN] = stem + " Institute for " + s.about[iEN]
		case isa.Agency:
			o.name[iDE] = "Standortagentur " + stem
			o.name[iEN] = stem + " Business Location Agency"
		case isa.Association:
			o.name[iDE] = "Netzwerk " + s.name[iDE] + " " + stem + " e.V."
			o.name[iEN] = stem + " " + s.name[iEN] + " Network"
		default:
			o.name[iDE] = stem + " " + s.name[iDE] + " " + legalForms[r.IntN(len(legalForms))]
			o.name[iEN] = stem + " " + s.name[iEN] + " GmbH"
		}
		if o.lang == iEN || r.IntN(4) != 0 {
			// Most German firms have no Chinese name; those writing in
			// English go by their German one.
			if o.lang == iEN {
				o.name[iEN], o.name[iDE] = o.name[iDE], ""
			} else {
				o.name[iEN] = ""
			}
			return
		}
		o.name[iZH] = brands[r.IntN(len(brands))][0] + s.name[iZH] + "（德国）有限公司"
		return
	}
	b := brands[r.IntN(len(brands))]
	cityZH := strings.TrimSuffix(o.city.names[iZH], "区")
	cityEN := strings.ToUpper(o.city.slug[:1]) + o.city.slug[1:]
	o.domain = strings.ToLower(b[1]) + "-" + idx + ".example.cn"
	switch o.kind {
	case isa.Research:
		o.name[iZH] = cityZH + b[0] + s.name[iZH] + "研究院"
		o.name[iEN] = cityEN + " " + b[1] + " " + s.name[iEN] + " Research Institute"
	case isa.Agency:
		o.name[iZH] = cityZH + b[0] + "产业服务中心"
		o.name[iEN] = cityEN + " " + b[1] + " Industry Service Center"
	case isa.Association:
		o.name[iZH] = cityZH + b[0] + s.name[iZH] + "产业联盟"
		o.name[iEN] = cityEN + " " + b[1] + " " + s.name[iEN] + " Industry Alliance"
	default:
		o.name[iZH] = cityZH + b[0] + s.name[iZH] + "有限公司"
		o.name[iEN] = cityEN + " " + b[1] + " " + s.name[iEN] + " Co., Ltd."
	}
	if o.kind == isa.Company && r.IntN(8) == 0 {
		o.name[iDE] = b[1] + " " + s.name[iDE] + " (Deutschland) GmbH"
	}
}

// text renders the texts of one listing from templates. Placeholders:
// {P} the concept term, {Q} another term of it, {C} the organisation's
// city, {X} the country on the other side, {Y} the founding year, {S} the
// sector, all in the language being written.
type text struct {
	g    *generator
	o    *org
	c    *concept
	r    *rand.Rand
	kind isa.ListingKind
	term string
}

// service reports whether the concept belongs to a service sector, which
// has its own templates.
func (t *text) service() bool {
	switch t.c.sector {
	case sectorLogistics, sectorSoftware, sectorConsulting:
		return true
	}
	return false
}

func (t *text) pickTerm(lang int) string {
	ts := t.c.terms[lang]
	// The preferred term most of the time, a synonym otherwise, as real
	// posters do.
	if len(ts) > 1 && t.r.IntN(3) == 0 {
		return ts[1+t.r.IntN(len(ts)-1)]
	}
	return ts[0]
}

func kindIndex(k isa.ListingKind) int {
	if k == isa.Request {
		return 1
	}
	return 0
}

func (t *text) appendTitle(b []byte, lang int) []byte {
	pool := titles[lang][kindIndex(t.kind)]
	if t.service() {
		pool = servTitles[lang][kindIndex(t.kind)]
	}
	b = append(b, '"')
	start := len(b)
	b = t.render(b, pool[t.r.IntN(len(pool))], lang)
	if lang == iEN && len(b) > start && b[start] >= 'a' && b[start] <= 'z' {
		b[start] -= 'a' - 'A' // titles start with a capital, as people write them
	}
	return append(b, '"')
}

func (t *text) appendDescription(b []byte, lang int) []byte {
	k := kindIndex(t.kind)
	parts := [5][]string{opening[lang][k], middle[lang][k], middle[lang][k], coopText[lang][k], closing[lang]}
	if t.service() {
		parts = [5][]string{servOpening[lang][k], servMiddle[lang][k], servMiddle[lang][k], servCoop[lang][k], servClosing[lang]}
	}
	b = append(b, '"')
	prev := ""
	for i, pool := range parts {
		if i == 2 && t.r.IntN(2) == 0 {
			continue
		}
		s := pool[t.r.IntN(len(pool))]
		if s == prev {
			continue
		}
		prev = s
		if i > 0 && lang != iZH {
			b = append(b, ' ')
		}
		b = t.render(b, s, lang)
	}
	return append(b, '"')
}

// render appends the template with its placeholders filled in, escaped for
// a JSON string; it writes into the output buffer directly because this is
// the hot path of a million-listing run.
func (t *text) render(b []byte, tmpl string, lang int) []byte {
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 || i+2 >= len(tmpl) {
			return appendEscaped(b, tmpl)
		}
		b = appendEscaped(b, tmpl[:i])
		switch tmpl[i+1] {
		case 'P':
			b = appendEscaped(b, t.term)
		case 'Q':
			ts := t.c.terms[lang]
			b = appendEscaped(b, ts[t.r.IntN(len(ts))])
		case 'C':
			b = appendEscaped(b, t.o.city.names[lang])
		case 'X':
			b = appendEscaped(b, otherSide[lang][boolIndex(t.o.city.country == isa.Germany)])
		case 'Y':
			b = strconv.AppendInt(b, int64(t.o.founded), 10)
		case 'S':
			b = appendEscaped(b, sectors[t.c.sector].about[lang])
		}
		tmpl = tmpl[i+3:]
	}
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// otherSide names the partner country: index 0 is what a Chinese poster
// looks for, 1 what a German poster looks for.
var otherSide = [3][2]string{
	{"Deutschland", "China"},
	{"德国", "中国"},
	{"Germany", "China"},
}

var coopOffer = []string{"supply", "manufacturing", "distribution", "licensing", "joint_venture", "services"}
var coopRequest = []string{"supply", "distribution", "research", "investment", "joint_venture", "licensing", "manufacturing"}

func (t *text) appendCooperation(b []byte) []byte {
	pool := coopOffer
	if t.kind == isa.Request {
		pool = coopRequest
	}
	var chosen [3]string
	n := 0
	switch {
	case t.o.kind == isa.Research:
		chosen[0], n = "research", 1
	case t.service():
		chosen[0], n = "services", 1
	}
	want := 1 + t.r.IntN(3)
	for tries := 0; n < want && tries < 6; tries++ {
		c := pool[t.r.IntN(len(pool))]
		dup := false
		for _, x := range chosen[:n] {
			dup = dup || x == c
		}
		if !dup {
			chosen[n] = c
			n++
		}
	}
	for i, c := range chosen[:n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c)
	}
	return b
}

func (t *text) appendKeywords(b []byte, lang int) []byte {
	var kw [5]string
	n := 0
	add := func(s string) {
		for _, x := range kw[:n] {
			if x == s {
				return
			}
		}
		if n < len(kw) {
			kw[n] = s
			n++
		}
	}
	ts := t.c.terms[lang]
	for range 1 + t.r.IntN(3) {
		add(ts[t.r.IntN(len(ts))])
	}
	// Posters often add the English or the other side's word to be found
	// across the language barrier.
	if lang != iEN && t.r.IntN(2) == 0 {
		add(t.c.terms[iEN][0])
	}
	if t.r.IntN(4) == 0 {
		other := iZH
		if lang == iZH {
			other = iDE
		}
		add(t.c.terms[other][0])
	}
	for i, k := range kw[:n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
	}
	return b
}

func (g *generator) appendAbout(b []byte, o *org, lang int, r *rand.Rand) []byte {
	t := text{g: g, o: o, c: &g.concepts[o.concept], r: r}
	t.term = t.pickTerm(lang)
	var pool []string
	switch o.kind {
	case isa.Research:
		pool = aboutResearch[lang]
	case isa.Agency, isa.Association:
		pool = aboutNetwork[lang]
	default:
		pool = aboutCompany[lang]
	}
	b = append(b, '"')
	b = t.render(b, pool[r.IntN(len(pool))], lang)
	return append(b, '"')
}

// appendString appends s as a JSON string. Generated text is valid UTF-8,
// so only quotes, backslashes and control characters need escaping.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends s escaped for the inside of a JSON string.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	return append(b, s[start:]...)
}

const hexDigits = "0123456789abcdef"

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
