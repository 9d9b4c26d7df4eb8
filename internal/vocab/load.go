package vocab

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

// LineError is one problem in a vocabulary file, located by file and line so
// that a translator can fix it without reading Go.
type LineError struct {
	File   string
	Line   int
	Reason string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// maxErrors bounds the report: past this many, the file is probably not a
// vocabulary file at all and more lines would only bury the first ones.
const maxErrors = 50

var (
	idPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	nacePattern = regexp.MustCompile(`^[A-U](\d{2}(\.\d{1,2})?)?$`)
)

// tooGeneral lists words that would link unrelated listings if they were
// the term of one concept ("Maschine" appears in every machinery listing).
// They are compared after normalisation (lower case, hyphens as spaces).
var tooGeneral = map[string]bool{
	// de
	"maschine": true, "maschinen": true, "anlage": true, "anlagen": true, "system": true,
	"systeme": true, "technik": true, "technologie": true, "produkt": true, "produkte": true,
	"lösung": true, "lösungen": true, "dienstleistung": true, "dienstleistungen": true,
	"gerät": true, "geräte": true, "teile": true, "firma": true, "unternehmen": true,
	"zusammenarbeit": true, "kooperation": true, "partner": true, "hersteller": true,
	"herstellung": true, "produktion": true, "fertigung": true, "qualität": true,
	// zh
	"设备": true, "机器": true, "系统": true, "技术": true, "产品": true, "方案": true,
	"服务": true, "解决方案": true, "公司": true, "企业": true, "合作": true, "零件": true,
	"加工": true, "生产": true, "制造": true, "销售": true, "质量": true, "品质": true,
	"工厂": true, "厂家": true, "供应": true, "需求": true,
	// en
	"machine": true, "machines": true, "equipment": true, "systems": true,
	"technology": true, "product": true, "products": true, "solution": true, "solutions": true,
	"service": true, "services": true, "parts": true, "company": true, "cooperation": true,
	"device": true, "devices": true, "manufacturer": true, "manufacturing": true,
	"production": true, "quality": true, "factory": true,
}

// everydayWords are words with a specific meaning in the vocabulary that
// listings also use in an everyday sense: German "Palette" (pallet, but
// "eine breite Palette"), "Dach" ("unter einem Dach"), "Druck" (printing
// and pressure), English "spring" (the season), "mine" (the pronoun),
// "supply" (the verb). As single terms they would tag listings that are not
// about the concept; compounds and phrases carry the meaning instead.
var everydayWords = map[string]string{
	"palette": "pallet / product range", "dach": "unter einem Dach", "druck": "printing / pressure",
	"bezug": "in Bezug auf", "norm": "nach Norm", "normen": "nach Normen", "kammer": "chamber",
	"speicher": "data / energy storage", "netzwerk": "network of any kind",
	"spring": "the season", "mine": "the pronoun", "supply": "the verb", "purchase": "the verb",
	"feed": "news feed, feed rate", "workshop": "seminar / production shop",
	"network": "network of any kind", "standards": "quality standards", "recovery": "any recovery",
	"标准": "高标准, 国家标准", "建设": "any construction or development", "工具": "any tool",
	"零部件": "parts of any product", "模型": "3D model, AI model",
	"mangel": "Fachkräftemangel", "lehren": "to teach", "kasse": "Krankenkasse", "meister": "Meisterbetrieb",
	"netze": "Stromnetze, networks", "wachs": "wachsen", "wachse": "wachsen", "weichen": "die Weichen stellen",
	"decken": "den Bedarf decken", "farben": "in vielen Farben", "achse": "CNC axes", "abnahme": "Abnahmemenge",
	"putz": "putzen", "tore": "goals",
	"lift": "the verb", "signs": "signs of, signs a contract", "space": "office space", "utility": "utility model",
	"forming": "forming a partnership", "coding": "programming", "turning": "turning point, in turn",
	"chair": "chair of a university", "suits": "suits your needs", "strings": "no strings attached",
	"jam": "traffic jam", "spirits": "team spirit", "vet": "to vet suppliers", "mapping": "process mapping",
	"van": "names such as van der", "coach": "coaching",
	"定位": "市场定位, positioning", "文化": "企业文化", "厂房": "every company profile states its floor space",
	"模板": "template", "研发": "集研发、生产、销售于一体 in every company profile",
}

// normTerm is the form in which two terms count as the same for the
// duplicate and ambiguity checks. It is deliberately simpler than the
// analyser: it only has to catch the same word written twice.
func normTerm(s string) string {
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "-", " ")
	return strings.Join(strings.Fields(s), " ")
}

type rawConcept struct {
	Concept
	file string
	line int
	// termLines remembers where each term was written, for error messages.
	termLines map[isa.Lang][]int
	ambiguous map[isa.Lang][]bool
	// seen maps each normalised term to its line, for the duplicate check.
	seen      map[isa.Lang]map[string]int
	broaderAt int
}

type loader struct {
	errs     []error
	concepts []*rawConcept
}

func (l *loader) errorf(file string, line int, format string, args ...any) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, &LineError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
}

// Load reads every *.txt file of fsys (in any directory, in lexical order),
// parses the concept blocks and validates the whole: unique ids, known
// broader concepts without cycles, terms in de, zh and en for every concept,
// NACE codes that exist in NACE Rev. 2, no over-general or everyday word as
// a term, and no term shared by two concepts (Chinese terms among Chinese
// terms, Latin-script words across all languages) unless every use is
// marked ambiguous with "~". All problems found are returned together as
// *LineError values joined with errors.Join.
func Load(fsys fs.FS) (*Vocabulary, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && path.Ext(p) == ".txt" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("vocab: list data files: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("vocab: no *.txt data files")
	}
	slices.Sort(files)
	l := &loader{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("vocab: read %s: %w", f, err)
		}
		l.parse(f, b)
	}
	v := l.validate()
	if len(l.errs) > 0 {
		count := fmt.Sprint(len(l.errs))
		if len(l.errs) == maxErrors {
			count = "at least " + count
		}
		return nil, fmt.Errorf("vocab: %s problem(s) in the data files: %w", count, errors.Join(l.errs...))
	}
	return v, nil
}

func (l *loader) parse(file string, data []byte) {
	if !utf8.Valid(data) {
		l.errorf(file, 1, "file is not UTF-8")
		return
	}
	var cur *rawConcept
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				l.errorf(file, n, "concept header %q lacks the closing ]", line)
				cur = nil
				continue
			}
			id := strings.TrimSpace(line[1 : len(line)-1])
			if !idPattern.MatchString(id) {
				l.errorf(file, n, "concept id %q: use lower-case ascii letters, digits and _ only, starting with a letter", id)
			}
			cur = &rawConcept{
				Concept: Concept{
					ID:     id,
					Terms:  map[isa.Lang][]string{},
					Source: fmt.Sprintf("%s:%d", file, n),
				},
				file: file, line: n,
				termLines: map[isa.Lang][]int{},
				ambiguous: map[isa.Lang][]bool{},
				seen:      map[isa.Lang]map[string]int{},
			}
			l.concepts = append(l.concepts, cur)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			l.errorf(file, n, "expected [concept_id], key: value or # comment, got %q", line)
			continue
		}
		if cur == nil {
			l.errorf(file, n, "%q before the first [concept_id] header", strings.TrimSpace(key))
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch key {
		case "de", "zh", "en":
			l.addTerms(cur, isa.Lang(key), value, file, n)
		case "nace":
			for _, c := range splitList(value) {
				if !nacePattern.MatchString(c) {
					l.errorf(file, n, "NACE code %q is not of the form C, C28, C28.2 or C28.25", c)
					continue
				}
				if !validNACE(c) {
					l.errorf(file, n, "NACE code %q does not exist in NACE Rev. 2", c)
					continue
				}
				cur.NACE = append(cur.NACE, c)
			}
		case "broader":
			cur.Broader = append(cur.Broader, splitList(value)...)
			cur.broaderAt = n
		case "coop":
			for _, c := range splitList(value) {
				if !slices.Contains(isa.CooperationTypes, c) {
					l.errorf(file, n, "cooperation type %q is not one of %s", c, strings.Join(isa.CooperationTypes, ", "))
					continue
				}
				cur.Cooperation = append(cur.Cooperation, c)
			}
		default:
			l.errorf(file, n, "unknown key %q (known: de, zh, en, nace, broader, coop)", key)
		}
	}
}

// splitList splits NACE codes, broader ids and cooperation types, which
// authors separate by commas, bars or spaces as they like.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' || r == ' ' || r == '\t' })
}

func (l *loader) addTerms(c *rawConcept, lang isa.Lang, value, file string, n int) {
	if value == "" {
		l.errorf(file, n, "%s: no terms after the colon", lang)
		return
	}
	for _, t := range strings.Split(value, "|") {
		t = strings.TrimSpace(t)
		amb := strings.HasPrefix(t, "~")
		t = strings.TrimSpace(strings.TrimPrefix(t, "~"))
		if t == "" {
			l.errorf(file, n, "%s: empty term (two | in a row or a | at the end?)", lang)
			continue
		}
		nt := normTerm(t)
		if tooGeneral[nt] {
			l.errorf(file, n, "%s: %q is too general to be a term of one concept; use a broader concept instead", lang, t)
			continue
		}
		if k := latinKey(t); k != "" && utf8.RuneCountInString(k) == 1 {
			l.errorf(file, n, "%s: %q is read as the single letter %q, which would match any %q in a text", lang, t, k, k)
			continue
		} else if k != "" && !strings.ContainsFunc(k, unicode.IsLetter) {
			l.errorf(file, n, "%s: %q is read as the number %q, which would match any %q in a text", lang, t, k, k)
			continue
		}
		if sense, ok := everydayWords[nt]; ok {
			l.errorf(file, n, "%s: %q alone is an everyday word in listings (%s); write a compound or phrase", lang, t, sense)
			continue
		}
		if c.seen[lang] == nil {
			c.seen[lang] = map[string]int{}
		}
		if first, dup := c.seen[lang][nt]; dup {
			l.errorf(file, n, "%s: term %q is listed twice in concept %s (first on line %d)", lang, t, c.ID, first)
			continue
		}
		c.seen[lang][nt] = n
		c.Terms[lang] = append(c.Terms[lang], t)
		c.termLines[lang] = append(c.termLines[lang], n)
		c.ambiguous[lang] = append(c.ambiguous[lang], amb)
	}
}

func (l *loader) validate() *Vocabulary {
	byID := map[string]*rawConcept{}
	for _, c := range l.concepts {
		if first, dup := byID[c.ID]; dup {
			l.errorf(c.file, c.line, "concept id %q is already defined at %s", c.ID, first.Source)
			continue
		}
		byID[c.ID] = c
		for _, lang := range isa.Langs {
			if len(c.Terms[lang]) == 0 {
				l.errorf(c.file, c.line, "concept %s has no %s term; every concept needs de, zh and en", c.ID, lang)
			}
		}
		for _, b := range c.Broader {
			if b == c.ID {
				l.errorf(c.file, c.broaderAt, "concept %s names itself as broader", c.ID)
			}
		}
	}
	for _, c := range l.concepts {
		for _, b := range c.Broader {
			if _, ok := byID[b]; !ok {
				l.errorf(c.file, c.broaderAt, "broader concept %q of %s is not defined", b, c.ID)
			}
		}
	}
	l.checkCycles(byID)
	l.checkSharedTerms()
	if len(l.errs) > 0 {
		return nil
	}
	return build(l.concepts)
}

// checkCycles rejects broader chains that lead back to where they started:
// Ancestors and NACE inheritance would not terminate on them.
func (l *loader) checkCycles(byID map[string]*rawConcept) {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var visit func(c *rawConcept, path []string) bool
	visit = func(c *rawConcept, path []string) bool {
		switch state[c.ID] {
		case onPath:
			i := slices.Index(path, c.ID)
			l.errorf(c.file, c.broaderAt, "broader cycle: %s", strings.Join(append(path[i:], c.ID), " -> "))
			return false
		case done:
			return true
		}
		state[c.ID] = onPath
		path = append(path, c.ID)
		for _, b := range c.Broader {
			if bc, ok := byID[b]; ok && bc != c && !visit(bc, path) {
				state[c.ID] = done
				return false
			}
		}
		state[c.ID] = done
		return true
	}
	for _, c := range l.concepts {
		if state[c.ID] == unseen {
			visit(c, nil)
		}
	}
}

// checkSharedTerms enforces that a term names one concept per language,
// unless the authors marked every use of it with "~": a silent clash would
// make the tagger pick one concept at random. Terms in Latin script count
// as one language here, because a tagger cannot tell them apart in a text:
// German listings use English words ("Recruiting"), Chinese ones write
// "CNC" and "PCB", so German "Film" and English "film" clash.
func (l *loader) checkSharedTerms() {
	type use struct {
		c    *rawConcept
		lang isa.Lang
		i    int
		amb  bool
	}
	uses := map[string][]use{}
	for _, c := range l.concepts {
		for _, lang := range isa.Langs {
			for i, t := range c.Terms[lang] {
				for _, k := range termKeys(lang, t) {
					uses[k] = append(uses[k], use{c, lang, i, c.ambiguous[lang][i]})
				}
			}
		}
	}
	for _, us := range uses {
		shared := false
		for _, o := range us[1:] {
			shared = shared || o.c != us[0].c
		}
		if !shared {
			for _, u := range us {
				if u.amb {
					l.errorf(u.c.file, u.c.termLines[u.lang][u.i], "%s: term %q is marked ambiguous (~) but no other concept uses it", u.lang, u.c.Terms[u.lang][u.i])
				}
			}
			continue
		}
		for _, u := range us {
			if u.amb {
				continue
			}
			var others []string
			for _, o := range us {
				if o.c != u.c && !slices.Contains(others, o.c.ID+" ("+o.c.Source+")") {
					others = append(others, o.c.ID+" ("+o.c.Source+")")
				}
			}
			l.errorf(u.c.file, u.c.termLines[u.lang][u.i], "%s: term %q also belongs to %s; keep it in one concept or mark every use with ~", u.lang, u.c.Terms[u.lang][u.i], strings.Join(others, ", "))
		}
	}
	// Map iteration order is random; sort so that the report is stable.
	slices.SortStableFunc(l.errs, func(a, b error) int {
		var la, lb *LineError
		if !errors.As(a, &la) || !errors.As(b, &lb) {
			return 0
		}
		if c := strings.Compare(la.File, lb.File); c != 0 {
			return c
		}
		return la.Line - lb.Line
	})
}

func build(raw []*rawConcept) *Vocabulary {
	v := &Vocabulary{
		byID:     map[string]int{},
		narrower: map[string][]string{},
		terms:    map[isa.Lang][]TermEntry{},
	}
	byID := map[string]*rawConcept{}
	for _, c := range raw {
		byID[c.ID] = c
	}
	// Inherit NACE codes from broader concepts so that every consumer sees
	// the effective codes without walking the hierarchy itself.
	memo := map[string][]string{}
	var effective func(c *rawConcept) []string
	effective = func(c *rawConcept) []string {
		if codes, ok := memo[c.ID]; ok {
			return codes
		}
		codes := slices.Clone(c.NACE)
		if len(codes) == 0 {
			for _, b := range c.Broader {
				for _, code := range effective(byID[b]) {
					if !slices.Contains(codes, code) {
						codes = append(codes, code)
					}
				}
			}
		}
		memo[c.ID] = codes
		return codes
	}
	for _, c := range raw {
		cc := c.Concept
		cc.NACE = effective(c)
		v.concepts = append(v.concepts, cc)
		for _, b := range c.Broader {
			v.narrower[b] = append(v.narrower[b], c.ID)
		}
		for _, lang := range isa.Langs {
			for i, t := range c.Terms[lang] {
				v.terms[lang] = append(v.terms[lang], TermEntry{Term: t, ConceptID: c.ID, Ambiguous: c.ambiguous[lang][i]})
			}
		}
	}
	slices.SortFunc(v.concepts, func(a, b Concept) int { return strings.Compare(a.ID, b.ID) })
	for i, c := range v.concepts {
		v.byID[c.ID] = i
	}
	for _, n := range v.narrower {
		slices.Sort(n)
	}
	for _, lang := range isa.Langs {
		slices.SortFunc(v.terms[lang], func(a, b TermEntry) int {
			if c := strings.Compare(a.Term, b.Term); c != 0 {
				return c
			}
			return strings.Compare(a.ConceptID, b.ConceptID)
		})
	}
	return v
}

// termKeys are the forms under which a term must be unique. A term with
// Chinese characters is compared with the Chinese terms; a term without
// them is compared with all Latin-script terms, whatever language line it
// stands on ("PCR" under zh is read in a text exactly like "PCR" under en).
// The Latin words inside a mixed term are read as words of their own, so
// "化妆品OEM" also claims "OEM" and clashes with the concept oem.
// This mirrors how the tagger in package textanalysis keys terms.
func termKeys(lang isa.Lang, term string) []string {
	isHan := func(r rune) bool { return unicode.Is(unicode.Han, r) }
	if !strings.ContainsFunc(term, isHan) {
		return []string{"latin\x00" + normTerm(term)}
	}
	k := latinKey(term)
	if k == "" {
		return []string{string(lang) + "\x00" + normTerm(term)}
	}
	// A mixed term is read as its Latin words plus, when they are specific
	// enough (three characters or more), its Chinese characters alone:
	// "MC4连接器" also claims "连接器".
	keys := []string{"latin\x00" + k}
	var han []rune
	for _, r := range term {
		if unicode.Is(unicode.Han, r) {
			han = append(han, r)
		}
	}
	if len(han) >= 3 {
		keys = append(keys, string(lang)+"\x00"+string(han))
	}
	return keys
}

// latinKey is the Latin-script part of a term as a tagger reads it: its
// words and numbers, normalised; "" for a purely Chinese term.
func latinKey(term string) string {
	words := strings.FieldsFunc(term, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.Is(unicode.Han, r)
	})
	return normTerm(strings.Join(words, " "))
}
