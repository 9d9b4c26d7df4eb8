package interchange

import (
	"fmt"
	"strings"

	"github.com/isa-alliance/isa"
)

// messages holds every text the import shows to users, in the three
// languages of the alliance. City offices read these messages to repair
// their files, so each names the fix, not only the fault. The arguments of
// a key come in the same order in every language (a test checks the verbs).
var messages = map[string][3]string{ // de, zh, en
	"pos.line": {"Zeile %d", "第 %d 行", "line %d"},
	"pos.row":  {"Zeile %d", "第 %d 行", "row %d"},
	"sep":      {": ", "：", ": "},
	"warning":  {"Warnung", "警告", "warning"},
	"field":    {"Feld %q", "字段 %q", "field %q"},

	// Files that cannot be read at all.
	"file.utf16": {
		"die Datei ist als UTF-16 gespeichert; speichern Sie die Datei als UTF-8 (in Excel: „CSV UTF-8 (durch Trennzeichen getrennt)“)",
		"文件编码为 UTF-16；请将文件另存为 UTF-8（Excel 中选择“CSV UTF-8（逗号分隔）”）",
		"the file is encoded as UTF-16; save the file as UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\")"},
	"file.read": {
		"die Datei konnte nicht gelesen werden: %s",
		"无法读取文件：%s",
		"the file could not be read: %s"},
	"file.format": {
		"unbekanntes Dateiformat %q: erwartet wird .jsonl (JSON Lines) oder .csv",
		"未知的文件格式 %q：应为 .jsonl（JSON Lines）或 .csv",
		"unknown file format %q: expected .jsonl (JSON Lines) or .csv"},
	"file.empty": {
		"die Datei enthält keine Datensätze",
		"文件中没有记录",
		"the file holds no records"},
	"file.truncated": {
		"die Datei endet mitten in diesem Datensatz; sie scheint abgeschnitten zu sein – prüfen Sie, ob sie vollständig kopiert oder gespeichert wurde",
		"文件在此记录中间结束，似乎被截断了；请检查文件是否完整复制或保存",
		"the file ends in the middle of this record; it seems to be cut off (truncated): check that it was copied or saved completely"},
	"interrupted": {
		"Import unterbrochen; die bis dahin gemeldeten Datensätze sind gespeichert (außer mit --atomic)",
		"导入已中断；此前统计的记录已保存（--atomic 模式除外）",
		"import interrupted; the records counted so far are saved (except with --atomic)"},
	"file.aborted": {
		"Import abgebrochen: %s",
		"导入中止：%s",
		"import stopped: %s"},

	// Encoding and syntax of a single record.
	"enc.utf8": {
		"der Text ist kein gültiges UTF-8 (die Datei ist wohl in einer anderen Kodierung wie Windows-1252 oder GBK gespeichert); speichern Sie die Datei als UTF-8 (in Excel: „CSV UTF-8“)",
		"文本不是有效的 UTF-8（文件可能以 GBK 或 Windows-1252 等其他编码保存）；请将文件另存为 UTF-8（Excel 中选择“CSV UTF-8”）",
		"the text is not valid UTF-8 (the file seems to be saved in another encoding such as Windows-1252 or GBK); save the file as UTF-8 (in Excel: \"CSV UTF-8\")"},
	"line.long": {
		"die Zeile ist länger als %d Bytes und wird übersprungen",
		"该行超过 %d 字节，已跳过",
		"the line is longer than %d bytes and is skipped"},
	"json.syntax": {
		"kein gültiges JSON (Fehler bei Zeichen %d): jede Zeile muss ein vollständiges Objekt {\"type\": ...} sein",
		"不是有效的 JSON（第 %d 个字符处出错）：每行必须是一个完整的对象 {\"type\": ...}",
		"not valid JSON (error at character %d): each line must be one complete object {\"type\": ...}"},
	"json.object": {
		"ein Datensatz muss ein JSON-Objekt {\"type\": ...} sein",
		"每条记录必须是一个 JSON 对象 {\"type\": ...}",
		"a record must be a JSON object {\"type\": ...}"},
	"csv.quote": {
		"ein Anführungszeichen (\") öffnet eine Zelle, die nie geschlossen wird: die Datei ist abgeschnitten oder ein \" fehlt",
		"引号（\"）开始的单元格始终没有结束：文件被截断或缺少一个 \"",
		"a quote (\") opens a cell that is never closed: the file is cut off or a \" is missing"},
	"csv.bare": {
		"ein Anführungszeichen (\") steht mitten in einer Zelle; setzen Sie die ganze Zelle in \"…\" und verdoppeln Sie das innere \" (\"\")",
		"引号（\"）出现在单元格中间；请将整个单元格放在 \"…\" 中，并将内部的 \" 写成 \"\"",
		"a quote (\") stands inside a cell; enclose the whole cell in \"...\" and double the inner quote (\"\")"},
	"csv.syntax": {
		"die Zeile ist kein gültiges CSV: %s",
		"该行不是有效的 CSV：%s",
		"the row is not valid CSV: %s"},
	"csv.type": {
		"es ist nicht erkennbar, welche Datensätze die Datei enthält: die Kopfzeile braucht eine Spalte \"type\", eine Spalte \"org\" (Angebote und Gesuche) oder eine Spalte \"name\" (Organisationen)",
		"无法判断文件包含哪类记录：表头需要 \"type\" 列、\"org\" 列（供需信息）或 \"name\" 列（机构）",
		"cannot tell which records the file holds: the header needs a \"type\" column, an \"org\" column (listings) or a \"name\" column (organisations)"},
	"csv.dupcol": {
		"die Spalte %q steht zweimal in der Kopfzeile",
		"表头中 %q 列出现了两次",
		"column %q appears twice in the header"},
	"csv.noname": {
		"die Zelle in Spalte %d wird ignoriert: die Spalte hat in der Kopfzeile keinen Namen",
		"第 %d 列的单元格已被忽略：该列在表头中没有名称",
		"the cell in column %d is ignored: the column has no name in the header"},
	"csv.extra": {
		"die Zeile hat %d Zellen, die Kopfzeile nur %d; die überzähligen Zellen werden ignoriert",
		"该行有 %d 个单元格，而表头只有 %d 个；多余的单元格被忽略",
		"the row has %d cells but the header only %d; the extra cells are ignored"},

	// Record type and fields.
	"type.missing": {
		"der Datensatz hat keinen \"type\": verwenden Sie \"organisation\" oder \"listing\"",
		"记录缺少 \"type\"：请使用 \"organisation\" 或 \"listing\"",
		"the record has no \"type\": use \"organisation\" or \"listing\""},
	"type.unknown": {
		"unbekannter Datensatztyp %q: verwenden Sie \"organisation\" oder \"listing\"",
		"未知的记录类型 %q：请使用 \"organisation\" 或 \"listing\"",
		"unknown record type %q: use \"organisation\" or \"listing\""},
	"field.required": {
		"fehlt, ist aber Pflicht",
		"缺失，但为必填项",
		"missing, but required"},
	"field.unknown": {
		"unbekannte Felder werden ignoriert: %s",
		"未知字段已被忽略：%s",
		"unknown fields are ignored: %s"},
	"field.needlang": {
		"unbekanntes Feld %q wird ignoriert: in CSV braucht es eine Sprache, z. B. %s",
		"未知字段 %q 已被忽略：在 CSV 中需要加语言后缀，例如 %s",
		"unknown field %q is ignored: in CSV it needs a language, e.g. %s"},
	"want.text": {
		"erwartet wird ein Text, z. B. \"…\"",
		"应为文本，例如 \"…\"",
		"expected a text such as \"...\""},
	"want.list": {
		"erwartet wird eine Liste von Texten, z. B. [\"a\", \"b\"]",
		"应为文本列表，例如 [\"a\", \"b\"]",
		"expected a list of texts such as [\"a\", \"b\"]"},
	"want.langtext": {
		"erwartet wird ein Objekt mit Texten je Sprache, z. B. {\"de\": \"…\", \"en\": \"…\"}",
		"应为按语言区分的文本对象，例如 {\"de\": \"…\", \"zh\": \"…\"}",
		"expected an object of texts by language such as {\"de\": \"...\", \"en\": \"...\"}"},
	"want.translations": {
		"erwartet wird ein Objekt je Sprache, z. B. {\"en\": {\"title\": \"…\", \"description\": \"…\"}}",
		"应为按语言区分的对象，例如 {\"en\": {\"title\": \"…\", \"description\": \"…\"}}",
		"expected an object by language such as {\"en\": {\"title\": \"...\", \"description\": \"...\"}}"},
	"want.year": {
		"erwartet wird eine Jahreszahl, z. B. 1998",
		"应为年份，例如 1998",
		"expected a year such as 1998"},
	"enum": {
		"unbekannter Wert %q: erlaubt sind %s",
		"未知的值 %q：允许的值为 %s",
		"unknown value %q: use one of %s"},
	"lang": {
		"unbekannte Sprache %q: verwenden Sie \"de\", \"zh\" oder \"en\"",
		"未知的语言 %q：请使用 \"de\"、\"zh\" 或 \"en\"",
		"unknown language %q: use \"de\", \"zh\" or \"en\""},
	"city.unknown": {
		"unbekannte Mitgliedsstadt %q (verwenden Sie einen Kurznamen wie \"bad-homburg\" oder einen Stadtnamen auf Deutsch, Englisch oder Chinesisch)",
		"未知的成员城市 %q（请使用 \"bad-homburg\" 这样的简称，或城市的德文、英文或中文名称）",
		"unknown member city %q (use a slug such as \"bad-homburg\" or a city name in German, English or Chinese)"},
	"city.member": {
		"%q ist am %s kein Mitglied der Allianz",
		"%q 在 %s 不是联盟成员",
		"%q is not a member of the alliance on %s"},
	"org.unknown": {
		"unbekannte Organisation %q: sie muss weiter oben in der Datei (oder in einer früheren Datei) stehen oder schon in der Datenbank sein",
		"未知的机构 %q：该机构必须出现在文件中（或之前的文件中）较前的位置，或已存在于数据库中",
		"unknown organisation %q: it must appear earlier in the file (or an earlier file) or already be in the database"},
	"org.rejected": {
		"die Organisation %q wurde abgewiesen (%s); korrigieren Sie zuerst sie",
		"机构 %q 已被拒绝（%s）；请先修正该机构",
		"the organisation %q was rejected (%s); fix it first"},
	"nace": {
		"%q ist kein gültiger NACE-Rev.-2-Code: %s (verwenden Sie Abschnitt, Abteilung, Gruppe oder Klasse wie \"C\", \"C22\", \"C22.2\" oder \"C22.29\")",
		"%q 不是有效的 NACE Rev. 2 代码：%s（请使用门类、大类、中类或小类，例如 \"C\"、\"C22\"、\"C22.2\" 或 \"C22.29\"）",
		"%q is not a valid NACE Rev. 2 code: %s (use a section, division, group or class such as \"C\", \"C22\", \"C22.2\" or \"C22.29\")"},
	"date": {
		"%q ist kein Datum; schreiben Sie JJJJ-MM-TT, z. B. 2026-11-21",
		"%q 不是日期；请写成 YYYY-MM-DD，例如 2026-11-21",
		"%q is not a date; write it as YYYY-MM-DD, e.g. 2026-11-21"},
	"date.order": {
		"das Ablaufdatum %s liegt vor dem Veröffentlichungsdatum %s",
		"到期日 %s 早于发布日 %s",
		"the expiry day %s lies before the publication day %s"},
	"control": {
		"enthält unsichtbare Steuerzeichen (z. B. NUL) oder ungültige Zeichen; entfernen Sie sie",
		"包含不可见的控制字符（如 NUL）或无效字符；请删除",
		"contains invisible control characters (such as NUL) or invalid characters; remove them"},
	"toolong": {
		"zu lang: %d Zeichen, höchstens %d erlaubt",
		"过长：%d 个字符，最多允许 %d 个",
		"too long: %d characters, at most %d allowed"},
	"toomany": {
		"zu viele Einträge: %d, höchstens %d erlaubt",
		"条目过多：%d 个，最多允许 %d 个",
		"too many entries: %d, at most %d allowed"},
	"semicolon": {
		"%q enthält ein Semikolon, das Listentrennzeichen von CSV; teilen Sie den Eintrag auf",
		"%q 包含分号（CSV 的列表分隔符）；请拆分该条目",
		"%q contains a semicolon, the list separator of CSV; split the entry"},
	"founded": {
		"%d ist kein plausibles Gründungsjahr (zwischen %d und %d)",
		"%d 不是合理的成立年份（应在 %d 与 %d 之间）",
		"%d is not a plausible founding year (between %d and %d)"},
	"ref": {
		"%q ist keine gültige Kennung: 1 bis %d Zeichen, ohne Leer- und Steuerzeichen",
		"%q 不是有效的标识：1 至 %d 个字符，不含空格和控制字符",
		"%q is not a valid reference: 1 to %d characters, without spaces or control characters"},
	"email": {
		"keine gültige E-Mail-Adresse (erwartet: name@beispiel.de)",
		"不是有效的电子邮件地址（应为 name@example.cn）",
		"not a valid e-mail address (expected: name@example.com)"},
	"phone": {
		"keine gültige Telefonnummer (erwartet: Ziffern mit +, Leerzeichen, -, /, (), z. B. +49 6172 1234)",
		"不是有效的电话号码（应为数字，可含 +、空格、-、/、()，例如 +86 757 1234 5678）",
		"not a valid phone number (expected digits with +, spaces, -, /, (), e.g. +49 6172 1234)"},
	"website": {
		"%q ist keine gültige Webadresse (erwartet: https://www.beispiel.de)",
		"%q 不是有效的网址（应为 https://www.example.cn）",
		"%q is not a valid web address (expected: https://www.example.com)"},
	"tr.ownlang": {
		"Übersetzung in %q, die Sprache des Eintrags selbst: der Originaltext gehört in title und description",
		"翻译语言 %q 与该条信息本身的语言相同：原文应放在 title 和 description 中",
		"a translation into %q, the listing's own language: the original text belongs in title and description"},
	"tr.title": {
		"die Übersetzung in %q hat keinen Titel",
		"%q 译文缺少标题",
		"the translation into %q has no title"},
	// A listing whose stored state an import leaves alone (the format has
	// no state): a warning, the content is saved.
	"listing.kept.withdrawn": {
		"der Eintrag %q wurde von seinem Unternehmen zurückgezogen und bleibt zurückgezogen: der Inhalt aus der Datei ist gespeichert, aber ein Import veröffentlicht ihn nicht wieder (die Datei hat keinen Status, und das Zurückziehen ist die Entscheidung des Unternehmens)",
		"信息 %q 已被其企业撤回，将保持撤回状态：文件中的内容已保存，但导入不会重新发布该信息（文件中没有状态字段，撤回是企业自己的决定）",
		"listing %q was withdrawn by its company and stays withdrawn: the content from the file is saved, but an import does not publish it again (the file has no state, and the withdrawal is the company's decision)"},
	"listing.kept.draft": {
		"der Eintrag %q ist ein Entwurf seines Unternehmens und bleibt ein Entwurf: der Inhalt aus der Datei ist gespeichert, aber ein Import veröffentlicht ihn nicht (die Datei hat keinen Status; veröffentlichen kann ihn nur das Unternehmen)",
		"信息 %q 是其企业的草稿，将保持草稿状态：文件中的内容已保存，但导入不会发布该信息（文件中没有状态字段；只有企业本身可以发布）",
		"listing %q is a draft of its company and stays a draft: the content from the file is saved, but an import does not publish it (the file has no state; only the company can publish it)"},
	"listing.kept.in_review": {
		"der Eintrag %q wartet auf die Prüfung durch das Stadtbüro und bleibt in der Prüfung: der Inhalt aus der Datei ist gespeichert, aber ein Import veröffentlicht ihn nicht an der Prüfung vorbei (die Datei hat keinen Status)",
		"信息 %q 正在等待所在城市办公室审核，将保持待审核状态：文件中的内容已保存，但导入不会绕过审核发布该信息（文件中没有状态字段）",
		"listing %q waits for review by its city office and stays in review: the content from the file is saved, but an import does not publish it past the review (the file has no state)"},
	"store": {
		"die Datenbank hat den Datensatz abgewiesen: %s",
		"数据库拒绝了该记录：%s",
		"the database refused the record: %s"},

	// The summary line.
	"summary": {
		"%d neu importiert, %d aktualisiert, %d unverändert, %d abgewiesen, %d Warnungen (%d Datensätze in %s, %.0f Datensätze/s)",
		"新导入 %d 条，更新 %d 条，未变 %d 条，拒绝 %d 条，警告 %d 条（%d 条记录，用时 %s，%.0f 条/秒）",
		"imported %d, updated %d, unchanged %d, rejected %d, warnings %d (%d records in %s, %.0f records/s)"},
	"summary.unreadable": {
		"; %d Datei(en) nicht lesbar",
		"；%d 个文件无法读取",
		"; %d file(s) could not be read"},
	"summary.atomic": {
		"; nichts geschrieben (--atomic)",
		"；未写入任何数据（--atomic）",
		"; nothing written (--atomic)"},
	"progress": {
		"%d Datensätze, %.0f/s",
		"%d 条记录，%.0f 条/秒",
		"%d records, %.0f/s"},
}

// msg renders the message key in language l; an unknown language falls back
// to English, an unknown key shows itself so that a slip is visible.
func msg(l isa.Lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key + fmt.Sprint(args...)
	}
	i := 2
	switch l {
	case isa.DE:
		i = 0
	case isa.ZH:
		i = 1
	}
	if len(args) == 0 {
		return m[i]
	}
	// Arguments that are texts in several languages (reasons from other
	// packages) are rendered in the message's language.
	args = append([]any(nil), args...)
	for j, a := range args {
		if t, ok := a.(isa.Text); ok {
			if args[j] = strings.TrimRight(t.In(l), "。."); args[j] == "" {
				args[j] = "-"
			}
		}
	}
	return fmt.Sprintf(m[i], args...)
}
