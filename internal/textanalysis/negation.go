package textanalysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Negation: listings often say what they do not offer or seek ("Rail
// transport we do not offer", "Reine Brauchwasser-Wärmepumpen sind nicht
// gesucht", "设备暂不需要更新"). The words and concepts of such a clause are
// not evidence of what the listing is about, so the analyser leaves them
// out of a listing's terms (NegatedWeight). Typed queries are taken as
// typed: a few words in a search box are what the user looks for.
//
// The rules are general linguistics of the three languages, not a list of
// phrases:
//
//   - A cue is a negation word: en not, n't, cannot, no, neither, nor; de
//     nicht, kein-, weder; zh 不 before a verb of
//     offering, needing or doing, and the negating words the segmenter
//     yields whole (暂不, 并不, 不再, 不予, 不是, 并非, 不在, 无需, 无意, 谢绝 …).
//     Chinese words that merely contain a negation character (不锈钢, 不干胶,
//     无铅, 无缝钢管, 非标, 不同, 不断) are single words of the segmentation
//     and never cues; a single 不 counts only before a verb of offering,
//     needing or doing (不提供, 不需要), not before an adjective (不透明).
//   - The scope is the cue's clause on both sides, since objects are
//     fronted in English ("Rail transport we do not offer"), German puts
//     the verb last ("… sind nicht gesucht") and Chinese puts the topic
//     first ("设备暂不需要更新"); a correction ("nicht in China gefertigt,
//     sondern in Deutschland", "not X but Y", 不是…而是) negates only what
//     follows the cue. What stands before the cue is negated only as the
//     subject of a copula or passive, or as an object fronted before a
//     verb that has none after it; "Our sensors do not require
//     calibration" leaves the sensors alone. Clauses end at punctuation (not at the
//     Chinese enumeration comma 、 or a hyphen inside a word), at
//     contrastive conjunctions (but, sondern, aber, jedoch, 但, 而是 …) and
//     at a coordinator that starts a new predicate ("and do not offer",
//     "und verkaufen keine …", "并"); a coordinator inside a list of nouns
//     ("Rollstühle oder Rollatoren sind nicht gefragt", 铁路和公路) does not
//     end it. "neither", "nor", "weder" and 无需/不必 ("no need for") look
//     forward only: 热泵无需外部电源 says nothing against the heat pump.
//   - "no" and "kein" negate the noun phrase they determine, up to a
//     preposition ("no minimum for standard parts", "keine Beschichtung im
//     Haus"), not the subject ("Unsere Trockner benötigen keine
//     Druckluft"); after a copula the subject too ("Kunststoffgehäuse sind
//     für uns kein Thema").
//   - Not negations of the subject: "not only … but also", "nicht nur …
//     sondern auch", 不仅/不但; comparisons ("not more than", "nicht
//     weniger als", 不低于, 不超过); idioms ("keine Frage", "no doubt", "no
//     matter"); prefixes joined by a hyphen ("non-woven", "Nicht-Eisen");
//     German attributive adjectives and participles ("nicht rostender
//     Stahl", "nicht leitend"); privative
//     words (ohne, without, 无, 非, -frei, -los), which name a property
//     ("Verpackung ohne Kunststoff", 无塑包装) or a lack; conditions ("If
//     you cannot find a distributor", "Wenn Sie keinen …", 如果…不需要,
//     不管); the negation of an obligation ("need not be new", "müssen
//     nicht neu sein"); idioms of politeness ("Don't hesitate to contact
//     us about heat pumps", "do not need to worry about customs", "Zögern
//     Sie nicht"). "never" and "nie" praise ("we never compromise on
//     quality") far more often than they exclude, and are no cues.
//   - Lacks and states not yet reached are no exclusions: "we have no",
//     "es gibt keine", "noch nicht", "not yet", 没有, 尚无, 尚未, 未. In a
//     request the lack is often the very reason to seek a partner ("Als
//     Mittelständler ohne eigene Niederlassung in China suchen wir …",
//     "我司在德国尚无自有服务团队").

// NegatedWeight multiplies the weight of tokens and concepts inside a
// negated clause; zero leaves them out. Measured on the development set
// (docs/search.md, "Negation").
const NegatedWeight float32 = 0

// maxScope bounds a scope on each side of its cue, in words, so that a
// long run-on sentence without punctuation loses little.
const maxScope = 12

// unit is a word of a text as the negation scan sees it: every Latin word,
// function words included (they carry the cues), and every Chinese word
// of the segmentation.
type unit struct {
	start, end int
	word       string // folded Latin word, or the Chinese word as written
	han        bool
	upper      bool // Latin word with a capital first letter (German nouns)
}

// cue kinds.
const (
	noCue = iota
	clauseCue
	forwardCue
	// phraseCue negates the noun phrase it determines (kein, no): forward
	// to a preposition, and back over a copula ("X is no option").
	phraseCue
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	// Latin cue words (folded); n't is recognised from its apostrophe.
	// "never", "nie" are left out: in listings they praise ("we never
	// compromise on quality") far more often than they exclude.
	latinClauseCues = set("not", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wont",
		"nicht", "keineswegs", "keinesfalls")
	latinForwardCues = set("neither", "nor", "weder")
	latinPhraseCues  = set("no", "kein", "keine", "keinen", "keinem", "keiner", "keines", "keinerlei")
	// Prepositions end the noun phrase of "no"/"kein": "no minimum for
	// standard parts", "keine Beschichtung im Haus".
	prepositions = set("for", "in", "at", "on", "from", "to", "with", "by", "about", "within", "without",
		"into", "per", "via", "fur", "im", "an", "am", "auf", "aus", "bei", "mit", "nach", "von",
		"vom", "zu", "zum", "zur", "uber", "unter", "ab", "bis", "durch", "gegen", "ohne", "pro")
	copulas = set("is", "are", "was", "were", "be", "been", "being", "ist", "sind", "war", "waren", "sein",
		"bleibt", "bleiben", "wird", "werden", "wurde", "wurden")
	// Negations that are copulas themselves: "isn't", 不是, 不在 (is not in).
	latinCopulaCues = set("isnt", "arent")
	hanCopulaCues   = set("不是", "并非", "不在", "不予", "不予考虑", "不属于")
	hanCopulas      = set("是", "为", "被")
	// A negation inside a condition or a question of choice states no
	// exclusion: "If you cannot find a distributor", "Wenn Sie keine …".
	conditionals = set("if", "unless", "whether", "wenn", "falls", "sofern", "ob",
		"如果", "如", "若", "假如", "要是", "如有", "一旦", "无论", "不论", "不管")
	// Idioms of politeness and reassurance: "Don't hesitate to contact us
	// for heat pumps", "Sie müssen sich um den Zoll nicht kümmern".
	idiomVerbs = set("hesitate", "worry", "zogern", "kummern", "sorgen", "犹豫", "担心", "顾虑")
	// "need not", "muss nicht": the negation of an obligation, not of the
	// thing: "Die Anlagen müssen nicht neu sein".
	modalsOfNeed = set("muss", "mussen", "musst", "must")
	// Words after a cue that make it no negation of the clause: "not only",
	// "not least", "nicht nur", comparisons and "not yet".
	notFollowers = set("only", "just", "merely", "solely", "least", "limited", "restricted", "far", "weit",
		"necessarily", "yet", "less", "more", "later", "earlier", "exceeding", "to",
		"nur", "zuletzt", "unbedingt", "selten", "umsonst", "weniger", "minder", "ohne",
		"unter", "uber", "mindestens", "hoher", "grosser", "kleiner", "langer", "als")
	noFollowers = set("matter", "doubt", "problem", "less", "more", "later", "sooner", "wonder",
		"frage", "zweifel", "wunder", "ende")
	// Words before a cue that make it a state not yet reached or an
	// alternative: "noch nicht", "whether or not", "if not".
	cuePrecedents = set("noch", "or", "if", "ob")
	// Possession: "we have no", "es gibt keine" name a lack.
	possession = set("have", "has", "had", "having", "haven", "hasn", "hadn", "there",
		"haben", "habe", "hat", "hatte", "hatten", "gibt", "gab", "besitzen", "besitzt", "verfugen", "verfugt")
	// Conjunctions that start a new clause: what follows is not negated.
	latinBreaks = set("but", "however", "instead", "whereas", "although", "though", "except", "rather",
		"aber", "sondern", "jedoch", "dagegen", "stattdessen", "allerdings", "ausser", "wahrend", "sonst")
	// Conjunctions that correct a negation: only the cue's focus is negated.
	correctives       = set("sondern", "而是")
	latinCoordinators = set("and", "or", "und", "oder", "sowie")
	// Subject pronouns mark a clause of its own before a coordinator.
	subjectPronouns = set("we", "i", "they", "wir", "ich", "我们", "我司", "本公司", "我公司", "我方", "本厂")
	// Words after a coordinator that continue a predicate rather than a
	// list of nouns.
	auxiliaries = set("do", "does", "did", "is", "are", "was", "were", "will", "can", "could", "would",
		"should", "may", "must", "have", "has", "also", "we", "i", "they", "wir", "ich")
	determiners = set("a", "an", "the", "any", "other", "our", "their", "its",
		"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
		"andere", "anderen", "anderer", "unsere", "unser", "unseren", "ihre", "ihren")

	// Chinese cue words as the segmenter yields them.
	hanClauseCues = set("暂不", "并不", "从不", "绝不", "决不", "概不", "恕不", "不再", "不予", "不予考虑",
		"不是", "并非", "不在", "不能", "无法", "不可", "不得", "不会", "不需", "不需要",
		"无意", "谢绝", "拒绝", "请勿", "勿", "不做", "不接受", "不提供", "不考虑", "不包括", "不负责", "不感兴趣")
	// "no need for": what follows is not needed; the topic before is often
	// the product that needs it not (产品无需维护, 热泵无需外部电源).
	hanForwardCues = set("无需", "无须", "不必", "不用")
	// Verbs after a single 不 that make it a negation of the clause: to
	// offer, need, want, do, make, sell, accept, include, consider. Before
	// other words (不透明, 不导电材料) 不 forms an adjective.
	hanNegatedVerbs = set("提供", "需要", "要", "需", "做", "生产", "制造", "销售", "出售", "卖", "接受",
		"考虑", "包括", "包含", "含", "承接", "经营", "从事", "负责", "涉及", "支持", "开展", "代理",
		"寻求", "寻找", "找", "收购", "投资", "属于", "希望", "打算", "计划", "使用", "采用", "购买",
		"采购", "进口", "出口", "加工", "设计", "安装", "维修", "适用", "适合", "感兴趣", "接", "办理",
		"参与", "合作", "供应", "供货", "发货", "运输", "承担", "在", "是")
	// Adverbs before a single 不 that mark a predicate (暂时不, 也不, 目前不).
	hanPredicateAdverbs = set("也", "都", "均", "暂时", "目前", "现在", "一律", "一概", "绝对", "从来",
		"还", "就", "则", "已", "已经", "今后")
	// Chinese words that end a clause (contrast, a new predicate).
	hanBreaks = set("但", "但是", "而是", "而", "却", "不过", "然而", "只", "只是", "仅", "仅仅", "主要",
		"并", "并且", "而且", "同时", "此外", "另外", "除了", "只有", "只做", "只提供")
	hanCoordinators = set("和", "及", "与", "以及", "或", "或者", "跟")
)

// cueAt returns the kind of negation cue at unit k, none when the clause
// around it is a condition or an idiom.
func cueAt(text string, us []unit, k int, brk []bool) int {
	kind := cueKind(text, us, k, brk)
	if kind == noCue {
		return noCue
	}
	for j := k - 1; j >= 0 && !brk[j+1]; j-- {
		if conditionals[us[j].word] {
			return noCue
		}
	}
	for d := -3; d <= 3; d++ {
		j := k + d
		if d == 0 || !sameClause(brk, min(j, k), max(j, k)) {
			continue
		}
		w := us[j].word
		if idiomVerbs[w] {
			return noCue
		}
		// "need not", "müssen nicht": an obligation is negated.
		if kind == clauseCue && !us[k].han && (d == -1 || d == -2) && (modalsOfNeed[w] || (d == -1 && w == "need")) {
			return noCue
		}
	}
	return kind
}

// sameClause reports whether units a..b (a <= b, in range) lie in one
// clause.
func sameClause(brk []bool, a, b int) bool {
	if a < 0 || b >= len(brk)-1 {
		return false
	}
	for j := a + 1; j <= b; j++ {
		if brk[j] {
			return false
		}
	}
	return true
}

// cueKind returns the kind of the negation word at unit k.
func cueKind(text string, us []unit, k int, brk []bool) int {
	u := us[k]
	next := func(n int) (unit, bool) {
		if k+n >= len(us) || !sameClause(brk, k, k+n) {
			return unit{}, false
		}
		return us[k+n], true
	}
	prev := func(n int) (unit, bool) {
		if k-n < 0 || !sameClause(brk, k-n, k) {
			return unit{}, false
		}
		return us[k-n], true
	}
	if u.han {
		if hanClauseCues[u.word] {
			return clauseCue
		}
		if hanForwardCues[u.word] {
			return forwardCue
		}
		if u.word != "不" {
			return noCue
		}
		n, ok := next(1)
		if !ok || !n.han {
			return noCue
		}
		if possession[n.word] || n.word == "有" || n.word == "具备" || n.word == "具有" || n.word == "拥有" {
			return noCue
		}
		if hanNegatedVerbs[n.word] {
			return clauseCue
		}
		if p, ok := prev(1); ok && hanPredicateAdverbs[p.word] {
			return clauseCue
		}
		return noCue
	}
	kind := noCue
	w := u.word
	switch {
	case latinClauseCues[w]:
		kind = clauseCue
	case latinForwardCues[w]:
		kind = forwardCue
	case latinPhraseCues[w]:
		kind = phraseCue
	case w == "t" && k > 0 && !brk[k] && isApostrophe(text[us[k-1].end:u.start]) && endsWithN(us[k-1].word):
		kind = clauseCue // don't, isn't, can't
	default:
		return noCue
	}
	// A cue joined to the next word by a hyphen is a prefix: no-load,
	// Nicht-Eisen-Metalle.
	if k+1 < len(us) && text[u.end:us[k+1].start] == "-" {
		return noCue
	}
	// "No. 5", "the No 1 supplier" are numbers.
	if w == "no" && k+1 < len(us) && hasDigit(us[k+1].word) && strings.TrimSpace(strings.Trim(text[u.end:us[k+1].start], ".")) == "" {
		return noCue
	}
	n, hasNext := next(1)
	if hasNext {
		if w == "no" || w == "weder" || w == "neither" || w == "nor" || isKein(w) {
			if noFollowers[n.word] {
				return noCue
			}
		} else if notFollowers[n.word] {
			return noCue
		}
		// "nicht mehr als" compares; "nicht mehr" alone is "no longer".
		if n.word == "mehr" {
			if n2, ok := next(2); ok && n2.word == "als" {
				return noCue
			}
		}
		if w == "nicht" && !n.upper && !stopwords[n.word] {
			// A present participle names a property: "nicht rostend",
			// "nicht leitende Beschichtung".
			if presentParticiple(n.word) {
				return noCue
			}
			// German attributive adjective: "nicht rostender Stahl".
			if adjectiveEnding(n.word) {
				if n2, ok := next(2); ok && n2.upper {
					return noCue
				}
			}
		}
	}
	if p, ok := prev(1); ok && cuePrecedents[p.word] {
		return noCue
	}
	// A lack: a verb of possession near the cue.
	for d := -3; d <= 3; d++ {
		var x unit
		var ok bool
		if d < 0 {
			x, ok = prev(-d)
		} else if d > 0 {
			x, ok = next(d)
		}
		if ok && possession[x.word] {
			return noCue
		}
	}
	return kind
}

func isKein(w string) bool { return len(w) >= 4 && w[:4] == "kein" }

func endsWithN(w string) bool { return len(w) > 1 && w[len(w)-1] == 'n' }

func isApostrophe(gap string) bool { return gap == "'" || gap == "’" || gap == "ʼ" }

func presentParticiple(w string) bool {
	for _, e := range []string{"end", "ende", "ender", "enden", "endem", "endes"} {
		if len(w) > len(e)+2 && w[len(w)-len(e):] == e {
			return true
		}
	}
	return false
}

func adjectiveEnding(w string) bool {
	for _, e := range []string{"e", "er", "en", "es", "em"} {
		if len(w) > len(e)+2 && w[len(w)-len(e):] == e {
			return true
		}
	}
	return false
}

// gapBreaks reports whether the text between two words ends a clause:
// sentence and clause punctuation, brackets, a dash, a line break (quotes
// only mark a term). A full stop,
// comma or colon between two Latin words without a space (1.5, 1,5) is
// part of a number; the Chinese enumeration comma 、 and a hyphen inside a
// word join.
func gapBreaks(gap string, latinBoth bool) bool {
	if gap == "" {
		return false
	}
	for i, r := range gap {
		switch r {
		case '.', ',', ':':
			if latinBoth && len(gap) == 1 {
				return false
			}
			return true
		case ';', '!', '?', '(', ')', '[', ']', '–', '—', '•', '·', '\n', '\r',
			'。', '，', '；', '：', '！', '？', '（', '）', '【', '】', '…':
			return true
		case '-':
			// A dash between spaces, not a hyphen.
			if i > 0 && i+1 < len(gap) && gap[i-1] == ' ' && gap[i+1] == ' ' {
				return true
			}
		}
	}
	return false
}

// negatedSpans returns the byte spans of text that lie in the scope of a
// negation, from the words of the text in order.
func negatedSpans(text string, us []unit) []Span {
	if len(us) == 0 {
		return nil
	}
	// brk[k]: a clause boundary lies between word k-1 and word k.
	brk := make([]bool, len(us)+1)
	brk[0], brk[len(us)] = true, true
	// comma[k]: the boundary before word k is a bare comma, which may
	// separate the nouns of an enumeration rather than two clauses.
	comma := make([]bool, len(us)+1)
	for k := 1; k < len(us); k++ {
		gap := text[us[k-1].end:us[k].start]
		brk[k] = gapBreaks(gap, !us[k-1].han && !us[k].han)
		comma[k] = brk[k] && isComma(gap)
	}
	// A conjunction that starts a new clause is a boundary on both sides.
	isBreakWord := func(u unit) bool {
		if u.han {
			return hanBreaks[u.word]
		}
		return latinBreaks[u.word]
	}
	var spans []Span
	for k := range us {
		if isBreakWord(us[k]) {
			continue
		}
		kind := cueAt(text, us, k, brk)
		if kind == noCue {
			continue
		}
		first, last := k, k
		// Forward to the end of the clause (of the noun phrase). A comma
		// goes on to the next item of an enumeration of nouns that ends
		// in a coordinator ("no castings, forgings or turned parts",
		// "keine Ersatzteile, Software oder Schulungen"), up to and
		// including that coordinator.
		listEnd := -1
		for j := k + 1; j < len(us) && j-k <= maxScope; j++ {
			if brk[j] {
				c, ok := listAhead(us, j, brk, comma)
				if !ok {
					break
				}
				listEnd = c
			}
			u := us[j]
			if isBreakWord(u) {
				break
			}
			if isCoordinator(u) && j != listEnd && !continuesForward(us, j, brk) {
				break
			}
			if kind == phraseCue && prepositions[u.word] {
				break
			}
			// A negated relative clause modifies the noun after 的: in
			// 不需要认证的产品 the products are not negated.
			if u.han && u.word == "的" {
				break
			}
			last = j
		}
		if kind == phraseCue {
			// "X is no option", "X sind derzeit kein Thema": the subject
			// of a copula is what is negated.
			kind = forwardCue
			for d := 1; d <= 3; d++ {
				if sameClause(brk, k-d, k) && copulas[us[k-d].word] {
					kind = clauseCue
				}
			}
		}
		// A correction ("nicht X, sondern Y", "not X but Y", 不是X，而是Y)
		// negates only what follows the cue, not the subject before it.
		if e := last + 1; e < len(us) && (correctives[us[e].word] || (us[e].word == "but" && !brk[e])) {
			kind = forwardCue
		}
		if kind == clauseCue && !negatesSubject(us, k, last, brk) {
			kind = forwardCue
		}
		if kind == clauseCue {
			// list: a coordinator of nouns lies between the scan and the
			// cue, so a comma before it may separate earlier items of the
			// same enumeration ("Wheelchairs, walkers and beds are not
			// needed"); a comma with no coordinator after it ends a
			// clause ("We offer pumps, valves and fittings, not
			// compressors").
			list := false
			for j := k - 1; j >= 0 && k-j <= maxScope; j-- {
				if brk[j+1] && !(list && comma[j+1] && listItem(us, j, brk)) {
					break
				}
				u := us[j]
				if isBreakWord(u) {
					break
				}
				if isCoordinator(u) {
					if !continuesBackward(us, j, brk) {
						break
					}
					list = true
				}
				first = j
			}
		}
		spans = append(spans, Span{Start: us[first].start, End: us[last].end})
	}
	return spans
}

// negatesSubject reports whether the negation at k, whose forward scope
// ends at last, reaches back over what comes before it: the subject of a
// copula or passive ("Plastic printing is not needed", "… sind nicht
// gesucht", 轮椅不在…范围内), or an object fronted before a verb that has
// none after it ("Rail transport we do not offer", "Gebrauchte Maschinen
// bieten wir nicht an", 二手设备不需要). A verb with its object after the
// cue leaves its subject alone: "Our sensors do not require calibration".
func negatesSubject(us []unit, k, last int, brk []bool) bool {
	if hanCopulaCues[us[k].word] || latinCopulaCues[us[k].word] {
		return true
	}
	for d := 1; d <= 3; d++ {
		if sameClause(brk, k-d, k) && (copulas[us[k-d].word] || hanCopulas[us[k-d].word]) {
			return true
		}
	}
	content := 0
	for j := k + 1; j <= last; j++ {
		w := us[j].word
		// An adverbial of time is no object: "Rail transport we do not
		// offer at the moment", "二手设备目前不需要".
		if temporalWords[w] {
			continue
		}
		if us[j].han {
			// A verb of need before another verb is a modal: 暂不 需要 更新
			// is 不需要 更新, which the segmenter yields as 不需要 | 更新.
			if hanModalsOfNeed[w] && j < last {
				continue
			}
			if !hanStop[w] {
				content++
			}
		} else if !stopwords[w] && !copulas[w] && !auxiliaries[w] && len(w) > 1 {
			content++
		}
	}
	return content <= 1
}

// temporalWords make adverbials of time ("at the moment", "for the time
// being", "currently", "zurzeit", 目前, 暂时); they are not the object of a
// negated verb.
var temporalWords = set("currently", "presently", "temporarily", "momentarily", "anymore", "moment",
	"present", "now", "time", "zurzeit", "derzeit", "momentan", "aktuell", "vorerst", "vorlaufig",
	"gegenwartig", "augenblick", "zeit", "暂时", "目前", "现在", "暂", "眼下", "当前", "近期", "暂且")

// hanModalsOfNeed are Chinese verbs of need that take a verb after them.
var hanModalsOfNeed = set("需要", "需", "要", "用")

// isComma reports whether a gap between two words is a comma alone (with
// spaces): the one punctuation mark that also separates items of a list.
func isComma(gap string) bool {
	g := strings.TrimSpace(gap)
	return g == "," || g == "，"
}

// maxListItem bounds an item of an enumeration, in words: "turned parts",
// "Teile aus Edelstahl".
const maxListItem = 4

// listItem reports whether the words from the last boundary before j up
// to j can be one item of an enumeration of nouns: a few words without a
// subject pronoun, an auxiliary, a copula, a verb of offering (Chinese),
// a negation, a conjunction or a condition, so that "We supply gearboxes,
// motors and pumps are not …" keeps the gearboxes of its own clause.
func listItem(us []unit, j int, brk []bool) bool {
	n := 0
	for i := j; i >= 0; i-- {
		n++
		if n > maxListItem || !nounListWord(us[i]) || isCoordinator(us[i]) {
			return false
		}
		if brk[i] {
			return true
		}
	}
	return true
}

// nounListWord reports whether u can stand inside an item of an
// enumeration of nouns: it is no subject pronoun, auxiliary, copula,
// negation, contrastive conjunction, condition, verb of possession or
// (Chinese) verb of offering.
func nounListWord(u unit) bool {
	w := u.word
	if u.han {
		return !(hanNegatedVerbs[w] || hanClauseCues[w] || hanForwardCues[w] || hanBreaks[w] ||
			hanCopulas[w] || subjectPronouns[w] || conditionals[w] || w == "不" || w == "有")
	}
	return !(subjectPronouns[w] || auxiliaries[w] || copulas[w] || isNegationWord(w) || latinPhraseCues[w] ||
		latinBreaks[w] || conditionals[w] || possession[w])
}

// listAhead reports whether the comma before word j separates items of an
// enumeration of nouns that goes on to a coordinator and a last item
// ending its clause: "castings, forgings or turned parts". It returns the
// coordinator's index. "We do not sell pumps, valves and fittings are our
// focus" is no such list: its last item has a copula.
func listAhead(us []unit, j int, brk, comma []bool) (int, bool) {
	n := 0
	for i := j; i < len(us); i++ {
		if brk[i] && i != j {
			if !comma[i] {
				return 0, false
			}
			n = 0
		}
		u := us[i]
		if isCoordinator(u) {
			if n == 0 {
				return 0, false
			}
			// The last item: a few words up to the end of the clause.
			m := 0
			for e := i + 1; e < len(us); e++ {
				if brk[e] {
					break
				}
				m++
				if m > maxListItem+2 || !nounListWord(us[e]) || isCoordinator(us[e]) {
					return 0, false
				}
			}
			return i, m > 0
		}
		n++
		if n > maxListItem || !nounListWord(u) {
			return 0, false
		}
	}
	return 0, false
}

func isCoordinator(u unit) bool {
	if u.han {
		return hanCoordinators[u.word]
	}
	return latinCoordinators[u.word]
}

// continuesForward reports whether the coordinator at j joins nouns in the
// scope of a negation ("no rail or road freight", "keine Anlagen und keine
// Technik", 铁路和公路) rather than a new predicate ("… and offer training",
// "… und verkaufen …").
func continuesForward(us []unit, j int, brk []bool) bool {
	if us[j].han {
		return true
	}
	if j+1 >= len(us) || brk[j+1] {
		return false
	}
	n := us[j+1]
	if auxiliaries[n.word] || subjectPronouns[n.word] {
		return false
	}
	if determiners[n.word] || isKein(n.word) || n.word == "no" {
		return true
	}
	// German nouns are capitalised; an English "or" joins alternatives.
	return n.upper || us[j].word == "or" || us[j].word == "nor" || us[j].word == "oder"
}

// continuesBackward reports whether the negated clause reaches back over
// the coordinator at j: it does across a list of nouns ("Rollstühle oder
// Rollatoren sind nicht gefragt"), not into a clause of its own ("We offer
// sea freight and …", "… und verkaufen keine Technik").
func continuesBackward(us []unit, j int, brk []bool) bool {
	if us[j].han {
		return true
	}
	if j+1 < len(us) && !brk[j+1] {
		n := us[j+1]
		if auxiliaries[n.word] || isNegationWord(n.word) {
			return false
		}
		// A lowercase word after a German coordinator is a verb or an
		// adjective starting a predicate; after an English one it is as
		// likely a noun.
		if !n.upper && !determiners[n.word] && (us[j].word == "und" || us[j].word == "oder" || us[j].word == "sowie") {
			return false
		}
	}
	for i := j - 1; i >= 0 && !brk[i+1]; i-- {
		if subjectPronouns[us[i].word] {
			return false
		}
	}
	return true
}

func isNegationWord(w string) bool {
	return latinClauseCues[w] || latinForwardCues[w]
}

// dropNegated removes (or weakens, by NegatedWeight) the tokens and
// concepts of an analysis that overlap a negated span.
func dropNegated(an *Analysis, spans []Span) {
	if len(spans) == 0 {
		return
	}
	in := func(start, end int) bool {
		for _, s := range spans {
			if start < s.End && end > s.Start {
				return true
			}
		}
		return false
	}
	toks := an.Tokens[:0]
	for _, t := range an.Tokens {
		if in(t.Start, t.End) {
			if NegatedWeight == 0 {
				continue
			}
			t.Weight *= NegatedWeight
		}
		toks = append(toks, t)
	}
	an.Tokens = toks
	cs := an.Concepts[:0]
	for _, c := range an.Concepts {
		if c.Start >= 0 && in(c.Start, c.End) {
			if NegatedWeight == 0 {
				continue
			}
			c.Weight *= NegatedWeight
		}
		cs = append(cs, c)
	}
	an.Concepts = cs
}

// latinUnit makes the unit of the Latin word text[i:j], folded as f.
func latinUnit(text string, i, j int, f string) unit {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unit{start: i, end: j, word: f, upper: unicode.IsUpper(r)}
}
