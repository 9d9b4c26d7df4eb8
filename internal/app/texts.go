package app

import (
	"fmt"
	"strings"

	"github.com/isa-alliance/isa"
)

// The command line speaks the language of its user: city officers import
// their companies' data from a terminal set up in German or Chinese as
// often as in English. ISA_LANG chooses it; otherwise the locale variables
// of the shell (LC_ALL, LC_MESSAGES, LANG) do, as for any other program;
// English is the fallback.

// cliLang is the language of the command line's texts.
func cliLang(getenv func(string) string) isa.Lang {
	if l := isa.Lang(strings.ToLower(strings.TrimSpace(getenv("ISA_LANG")))); l.Valid() {
		return l
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := getenv(v)
		if val == "" {
			continue
		}
		// The first variable that is set decides, as in POSIX; "C" and
		// "POSIX" mean no preference.
		switch lang, _, _ := strings.Cut(strings.ToLower(val), "_"); {
		case strings.HasPrefix(lang, "de"):
			return isa.DE
		case strings.HasPrefix(lang, "zh"):
			return isa.ZH
		}
		return isa.EN
	}
	return isa.EN
}

// text is one message of the command line in the three languages. Its
// texts are fmt formats with the same verbs in the same order.
type text struct{ en, de, zh string }

func (t text) in(l isa.Lang) string {
	switch l {
	case isa.DE:
		return t.de
	case isa.ZH:
		return t.zh
	}
	return t.en
}

// lang is the language of the command line, English when Env was built
// without one.
func (e *Env) lang() isa.Lang {
	if e.Lang.Valid() {
		return e.Lang
	}
	return isa.EN
}

// T is the message key in the language of the command line, formatted
// with args. An unknown key is a programming error that the catalogue test
// catches; at run time it shows the key rather than nothing.
func (e *Env) T(key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return t.in(e.lang())
	}
	return fmt.Sprintf(t.in(e.lang()), args...)
}

// texts is the catalogue of the command line. Keys: cmd.NAME is a
// command's one-line summary, NAME.about its help text, NAME.flag.FLAG a
// flag's description, setting.FLAG a configuration setting's.
var texts = map[string]text{
	// The frame: usage, errors, exit.
	"usage.title": {
		"isa: the ISA Partner Database (Chinese-German Industrial Cities Alliance)",
		"isa: die ISA-Partnerdatenbank (Deutsch-Chinesische Allianz der Industriestädte)",
		"isa：ISA 合作伙伴数据库（中德工业城市联盟）"},
	"usage.line": {
		"Usage: isa COMMAND [flags] [arguments]",
		"Aufruf: isa BEFEHL [Optionen] [Argumente]",
		"用法：isa 命令 [选项] [参数]"},
	"usage.commands": {"Commands:", "Befehle:", "命令："},
	"usage.more": {
		"Run 'isa COMMAND --help' for the flags of a command. Language of these texts: ISA_LANG=de|zh|en.",
		"'isa BEFEHL --help' zeigt die Optionen eines Befehls. Sprache dieser Texte: ISA_LANG=de|zh|en.",
		"运行 'isa 命令 --help' 查看命令的选项。本说明的语言：ISA_LANG=de|zh|en。"},
	"usage.cmd": {
		"Usage: %s [flags] %s",
		"Aufruf: %s [Optionen] %s",
		"用法：%s [选项] %s"},
	"usage.flags": {"Flags:", "Optionen:", "选项："},
	"usage.env":   {"(env %s)", "(Umgebungsvariable %s)", "（环境变量 %s）"},
	"err.unknown_command": {
		"isa: unknown command %q",
		"isa: unbekannter Befehl %q",
		"isa：未知命令 %q"},
	"err.prefix": {"isa %s: %v", "isa %s: %v", "isa %s：%v"},
	"err.usage_hint": {
		"Run 'isa %s --help' for usage.",
		"'isa %s --help' zeigt, wie der Befehl aufgerufen wird.",
		"运行 'isa %s --help' 查看用法。"},
	"err.interrupted": {"isa %s: interrupted", "isa %s: abgebrochen", "isa %s：已中断"},
	"err.lang": {
		"--lang must be de, zh or en, not %q",
		"--lang muss de, zh oder en sein, nicht %q",
		"--lang 必须是 de、zh 或 en，而不是 %q"},
	"err.memory_limit": {
		"memory limit %q is not a size such as 1800MiB or 4GiB, or off",
		"Speichergrenze %q ist keine Größe wie 1800MiB oder 4GiB und nicht off",
		"内存上限 %q 不是 1800MiB、4GiB 这样的大小，也不是 off"},
	"err.data_empty": {
		"the data folder (--data or ISA_DATA) must not be empty",
		"der Datenordner (--data oder ISA_DATA) darf nicht leer sein",
		"数据文件夹（--data 或 ISA_DATA）不能为空"},
	"err.database_url": {
		"ISA_DATABASE_URL must start with postgres:// or postgresql://",
		"ISA_DATABASE_URL muss mit postgres:// oder postgresql:// beginnen",
		"ISA_DATABASE_URL 必须以 postgres:// 或 postgresql:// 开头"},

	// Command summaries.
	"cmd.serve":   {"run the web server and the JSON API", "Webserver und JSON-API starten", "运行网站服务器和 JSON API"},
	"cmd.import":  {"import organisations and listings (interchange format: JSONL or CSV)", "Organisationen und Inserate importieren (Austauschformat: JSONL oder CSV)", "导入机构和供需信息（交换格式：JSONL 或 CSV）"},
	"cmd.export":  {"export organisations and listings (interchange format)", "Organisationen und Inserate exportieren (Austauschformat)", "导出机构和供需信息（交换格式）"},
	"cmd.cities":  {"list the member cities", "die Mitgliedsstädte auflisten", "列出成员城市"},
	"cmd.migrate": {"apply database migrations and show the schema version", "Datenbankmigrationen ausführen und die Schemaversion zeigen", "执行数据库迁移并显示结构版本"},
	"cmd.search":  {"search listings in any language", "Inserate in jeder Sprache suchen", "以任意语言搜索供需信息"},
	"cmd.match":   {"list the best partner listings for listings", "die passendsten Partnerinserate zu Inseraten auflisten", "列出与供需信息最匹配的合作信息"},
	"cmd.reindex": {"rebuild the search index from the database", "den Suchindex aus der Datenbank neu aufbauen", "根据数据库重建搜索索引"},
	"cmd.gen":     {"write a synthetic data set for benchmarks", "einen synthetischen Datensatz für Messungen schreiben", "生成用于性能测试的合成数据集"},
	"cmd.bench":   {"measure import, search and match speed on SQLite and PostgreSQL against plain PostgreSQL full-text search", "Import-, Such- und Abgleichgeschwindigkeit auf SQLite und PostgreSQL messen, im Vergleich mit der einfachen PostgreSQL-Volltextsuche", "在 SQLite 和 PostgreSQL 上测量导入、搜索和匹配速度，并与 PostgreSQL 普通全文搜索比较"},
	"cmd.user":    {"manage accounts: add (the first admin is made here), disable", "Konten verwalten: anlegen (das erste Admin-Konto entsteht hier), sperren", "管理账户：添加（第一个管理员账户在此创建）、停用"},
	"cmd.version": {"print the version", "die Version ausgeben", "显示版本"},

	// Configuration settings.
	"setting.data":            {"data folder; the SQLite database lives here", "Datenordner; hier liegt die SQLite-Datenbank", "数据文件夹；SQLite 数据库存放于此"},
	"setting.database-url":    {"postgres://… to use PostgreSQL instead of SQLite", "postgres://…, um PostgreSQL statt SQLite zu verwenden", "postgres://…：使用 PostgreSQL 代替 SQLite"},
	"setting.addr":            {"HTTP listen address HOST:PORT", "HTTP-Adresse, an der der Server lauscht: HOST:PORT", "HTTP 监听地址 HOST:PORT"},
	"setting.base-url":        {"public URL of the site, used in e-mails (default http://ADDR)", "öffentliche Adresse der Website, für Links in E-Mails (Standard http://ADDR)", "网站的公开地址，用于邮件中的链接（默认 http://ADDR）"},
	"setting.smtp-url":        {"smtp://user:pass@host:port for outgoing mail; empty writes mails to DATA/mail", "smtp://user:pass@host:port für ausgehende E-Mails; leer: E-Mails werden nach DATA/mail geschrieben", "外发邮件的 smtp://user:pass@host:port；为空时邮件写入 DATA/mail"},
	"setting.mail-from":       {"sender address of outgoing mail", "Absenderadresse ausgehender E-Mails", "外发邮件的发件人地址"},
	"setting.https":           {"the site is served over HTTPS (by a proxy in front): secure cookies", "die Website wird über HTTPS ausgeliefert (durch einen vorgeschalteten Proxy): sichere Cookies", "网站通过 HTTPS 提供（由前置代理）：使用安全 Cookie"},
	"setting.trusted-proxies": {"comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For names the client for the sign-in limits; empty trusts none", "kommagetrennte IPs/CIDRs der Reverse-Proxys, deren X-Forwarded-For den Client für die Anmeldegrenzen nennt; leer: keinem vertrauen", "以逗号分隔的反向代理 IP/CIDR，其 X-Forwarded-For 用于登录限制识别客户端；为空则不信任任何代理"},
	"setting.memory-limit":    {"soft limit of the Go heap (e.g. 1800MiB, 4GiB; off for none); GOMEMLIMIT, when set, wins", "weiche Grenze des Go-Heaps (z. B. 1800MiB, 4GiB; off für keine); GOMEMLIMIT hat Vorrang, wenn gesetzt", "Go 堆内存的软上限（例如 1800MiB、4GiB；off 表示不限）；若设置了 GOMEMLIMIT，则以其为准"},
	"setting.log-level":       {"debug, info, warn or error", "debug, info, warn oder error", "debug、info、warn 或 error"},
	"setting.log-format":      {"text or json", "text oder json", "text 或 json"},

	// version, cities, migrate.
	"version.about":    {"Prints the version of isa.", "Gibt die Version von isa aus.", "显示 isa 的版本。"},
	"cities.about":     {"Lists the member cities of the alliance with their names in German, English and Chinese.", "Listet die Mitgliedsstädte der Allianz mit ihren Namen auf Deutsch, Englisch und Chinesisch.", "列出联盟的成员城市及其德文、英文和中文名称。"},
	"cities.flag.json": {"print JSON (one array) instead of a table", "JSON (ein Array) statt einer Tabelle ausgeben", "输出 JSON（一个数组）而不是表格"},
	"cities.flag.lang": {"language of the names in the table: de, zh or en (default: the language of the command line)", "Sprache der Namen in der Tabelle: de, zh oder en (Standard: die Sprache der Kommandozeile)", "表格中名称的语言：de、zh 或 en（默认：命令行的语言）"},
	"cities.header":    {"SLUG\tCOUNTRY\tNAME\tDE\tZH\tREGION", "KÜRZEL\tLAND\tNAME\tDE\tZH\tREGION", "代码\t国家\t名称\tDE\tZH\t地区"},
	"migrate.about":    {"Applies pending database migrations (also done by serve) and prints the schema version.", "Führt ausstehende Datenbankmigrationen aus (das tut auch serve) und gibt die Schemaversion aus.", "执行待处理的数据库迁移（serve 也会执行）并显示结构版本。"},
	"migrate.done":     {"schema version %d (%s)", "Schemaversion %d (%s)", "数据库结构版本 %d（%s）"},

	// import, export, gen.
	"import.about": {
		"Imports organisations and listings in the ISA interchange format (JSON Lines .jsonl or CSV .csv, see docs/interchange.md).\nRecords are upserted by ref. Exit status: 0 nothing rejected, 1 some records rejected, 2 a file could not be read.",
		"Importiert Organisationen und Inserate im ISA-Austauschformat (JSON Lines .jsonl oder CSV .csv, siehe docs/interchange.md).\nDatensätze werden über ref angelegt oder aktualisiert. Rückgabewert: 0 nichts abgewiesen, 1 einige Datensätze abgewiesen, 2 eine Datei war nicht lesbar.",
		"以 ISA 交换格式（JSON Lines .jsonl 或 CSV .csv，见 docs/interchange.md）导入机构和供需信息。\n按 ref 新增或更新记录。退出状态：0 无记录被拒绝，1 部分记录被拒绝，2 有文件无法读取。"},
	"import.flag.atomic": {"all or nothing: write nothing when any record is rejected", "alles oder nichts: nichts schreiben, wenn ein Datensatz abgewiesen wird", "全部或不导入：任一记录被拒绝时不写入任何数据"},
	"import.flag.lang":   {"language of messages and the summary: de, zh or en (default: the language of the command line)", "Sprache der Meldungen und der Zusammenfassung: de, zh oder en (Standard: die Sprache der Kommandozeile)", "提示和汇总的语言：de、zh 或 en（默认：命令行的语言）"},
	"import.flag.quiet":  {"no progress display", "keine Fortschrittsanzeige", "不显示进度"},
	"import.no_files":    {"name at least one file to import", "mindestens eine Datei zum Importieren angeben", "请至少指定一个要导入的文件"},
	"export.about": {
		"Exports all organisations and listings in the ISA interchange format. Exports contain personal data (contact e-mail and phone): keep them safe.",
		"Exportiert alle Organisationen und Inserate im ISA-Austauschformat. Exporte enthalten personenbezogene Daten (Kontakt-E-Mail und Telefon): sicher aufbewahren.",
		"以 ISA 交换格式导出所有机构和供需信息。导出文件含有个人数据（联系邮箱和电话），请妥善保管。"},
	"export.flag.out":    {"file to write (default: standard output, JSON Lines only); for CSV a base name (x.csv → x-organisations.csv, x-listings.csv) or a directory ending in /", "Zieldatei (Standard: Standardausgabe, nur JSON Lines); für CSV ein Basisname (x.csv → x-organisations.csv, x-listings.csv) oder ein Ordner mit / am Ende", "输出文件（默认：标准输出，仅限 JSON Lines）；CSV 需给出基本文件名（x.csv → x-organisations.csv、x-listings.csv）或以 / 结尾的文件夹"},
	"export.flag.format": {"jsonl or csv (default: from --out, else jsonl)", "jsonl oder csv (Standard: nach --out, sonst jsonl)", "jsonl 或 csv（默认：根据 --out，否则为 jsonl）"},
	"export.bad_format":  {"--format must be jsonl or csv, not %q", "--format muss jsonl oder csv sein, nicht %q", "--format 必须是 jsonl 或 csv，而不是 %q"},
	"export.csv_needs_out": {
		"a CSV export writes two files: name them with --out",
		"ein CSV-Export schreibt zwei Dateien: mit --out benennen",
		"CSV 导出会写入两个文件：请用 --out 指定名称"},
	"export.done": {
		"exported %d organisations, %d listings (%d drafts or withdrawn listings left out)",
		"%d Organisationen und %d Inserate exportiert (%d Entwürfe oder zurückgezogene Inserate ausgelassen)",
		"已导出 %d 个机构、%d 条信息（未包括 %d 条草稿或已撤回的信息）"},
	"gen.about": {
		"Writes a synthetic data set in the interchange format (JSON Lines) for benchmarks and load tests:\norganisations across the member cities and listings in German, Chinese and English built from the vocabulary.",
		"Schreibt einen synthetischen Datensatz im Austauschformat (JSON Lines) für Messungen und Lasttests:\nOrganisationen in allen Mitgliedsstädten und Inserate auf Deutsch, Chinesisch und Englisch aus dem Fachwortschatz.",
		"以交换格式（JSON Lines）生成用于性能和负载测试的合成数据集：\n分布于各成员城市的机构，以及由行业词库生成的德文、中文和英文供需信息。"},
	"gen.flag.listings": {"number of listings to write", "Anzahl der Inserate", "供需信息的数量"},
	"gen.flag.orgs":     {"number of organisations (default listings/5)", "Anzahl der Organisationen (Standard: Inserate/5)", "机构数量（默认：信息数/5）"},
	"gen.flag.seed":     {"seed: equal seeds give identical files", "Startwert: gleiche Startwerte ergeben gleiche Dateien", "随机种子：相同种子生成相同文件"},
	"gen.flag.today":    {"reference day YYYY-MM-DD for publication and expiry dates (default today)", "Bezugstag JJJJ-MM-TT für Veröffentlichungs- und Ablaufdaten (Standard: heute)", "发布和到期日期的参考日 YYYY-MM-DD（默认：今天）"},
	"gen.flag.out":      {"file to write (default standard output)", "Zieldatei (Standard: Standardausgabe)", "输出文件（默认：标准输出）"},
	"gen.min_listings":  {"--listings must be at least 1", "--listings muss mindestens 1 sein", "--listings 至少为 1"},
	"gen.bad_today":     {"--today: %v", "--today: %v", "--today：%v"},
	"gen.done": {
		"gen: %d organisations, %d listings (de %d, zh %d, en %d; %d expired), %d bytes",
		"gen: %d Organisationen, %d Inserate (de %d, zh %d, en %d; %d abgelaufen), %d Bytes",
		"gen：%d 个机构，%d 条信息（de %d，zh %d，en %d；%d 条已过期），%d 字节"},

	// bench (its report stays in English: a measurement for developers,
	// compared across runs and pasted into docs/benchmarks.md).
	"bench.about": {
		"Generates N listings, imports them into fresh databases (SQLite in a temporary folder; PostgreSQL in a scratch database\ncreated from ISA_BENCH_POSTGRES_URL or %s and dropped afterwards), builds the search index\nand reports import throughput, index build time, search and match latency and peak memory, beside plain PostgreSQL full-text search.\nThe report is in English.",
		"Erzeugt N Inserate, importiert sie in frische Datenbanken (SQLite in einem temporären Ordner; PostgreSQL in einer Wegwerf-Datenbank,\nangelegt über ISA_BENCH_POSTGRES_URL oder %s und danach gelöscht), baut den Suchindex\nund meldet Importdurchsatz, Indexaufbauzeit, Such- und Abgleichlatenz und Spitzenspeicher, neben der einfachen PostgreSQL-Volltextsuche.\nDer Bericht ist auf Englisch.",
		"生成 N 条信息，导入全新的数据库（SQLite 位于临时文件夹；PostgreSQL 为临时数据库，\n通过 ISA_BENCH_POSTGRES_URL 或 %s 创建，结束后删除），构建搜索索引，\n并报告导入吞吐量、索引构建时间、搜索和匹配延迟及内存峰值，同时与 PostgreSQL 普通全文搜索对比。\n报告为英文。"},
	"bench.flag.listings":     {"number of listings to generate and import", "Anzahl der zu erzeugenden und zu importierenden Inserate", "要生成并导入的信息数量"},
	"bench.flag.engines":      {"storage engines to measure, comma-separated: sqlite, postgres", "zu messende Speicher-Engines, durch Komma getrennt: sqlite, postgres", "要测量的存储引擎，逗号分隔：sqlite、postgres"},
	"bench.flag.queries":      {"query set in JSON Lines (default: the fixed set built in)", "Anfragen als JSON Lines (Standard: die eingebaute feste Menge)", "JSON Lines 格式的查询集（默认：内置的固定查询集）"},
	"bench.flag.seed":         {"seed of the generated data", "Startwert der erzeugten Daten", "生成数据的随机种子"},
	"bench.flag.out":          {"also write the report as JSON to this file", "den Bericht zusätzlich als JSON in diese Datei schreiben", "同时将报告以 JSON 写入此文件"},
	"bench.flag.rounds":       {"timed rounds over the query set, after one warm-up round", "gemessene Durchläufe über die Anfragen, nach einem Aufwärmdurchlauf", "预热一轮后，对查询集计时的轮数"},
	"bench.flag.match-sample": {"listings whose matches are timed", "Inserate, deren Abgleich gemessen wird", "计时匹配的信息数量"},
	"bench.flag.no-baseline":  {"skip plain PostgreSQL full-text search", "die einfache PostgreSQL-Volltextsuche auslassen", "跳过 PostgreSQL 普通全文搜索"},
	"bench.flag.tmp":          {"folder for the data file and the SQLite database (default: system temporary folder)", "Ordner für die Datendatei und die SQLite-Datenbank (Standard: temporärer Ordner des Systems)", "数据文件和 SQLite 数据库所在文件夹（默认：系统临时文件夹）"},
	"bench.flag.cpuprofile":   {"write a CPU profile of the whole run to this file", "ein CPU-Profil des ganzen Laufs in diese Datei schreiben", "将整个运行的 CPU 性能分析写入此文件"},
	"bench.flag.memprofile":   {"write a heap profile, taken when the first search index is built, to this file", "ein Heap-Profil, aufgenommen nach dem Aufbau des ersten Suchindex, in diese Datei schreiben", "在首个搜索索引构建完成时采集堆内存分析并写入此文件"},

	// serve.
	"serve.about": {
		"Runs the web server (pages in German, Chinese and English) and the JSON API under /api/v1.\nConfiguration comes from flags or the environment variables named below.",
		"Startet den Webserver (Seiten auf Deutsch, Chinesisch und Englisch) und die JSON-API unter /api/v1.\nDie Einstellungen kommen aus Optionen oder den unten genannten Umgebungsvariablen.",
		"运行网站服务器（德文、中文和英文页面）以及 /api/v1 下的 JSON API。\n配置来自选项或下列环境变量。"},
	"serve.flag.demo": {"load the demo data into an empty database", "die Demodaten in eine leere Datenbank laden", "将演示数据载入空数据库"},

	// search, match, reindex.
	"search.about":            {"Search published listings in German, Chinese or English; filters narrow the hits.", "Sucht veröffentlichte Inserate auf Deutsch, Chinesisch oder Englisch; Filter grenzen die Treffer ein.", "以德文、中文或英文搜索已发布的供需信息；可用筛选条件缩小结果范围。"},
	"search.flag.json":        {"print one JSON object", "ein JSON-Objekt ausgeben", "输出一个 JSON 对象"},
	"search.flag.limit":       {"hits per page", "Treffer pro Seite", "每页结果数"},
	"search.flag.page":        {"page number, from 1", "Seitennummer, ab 1", "页码，从 1 开始"},
	"search.flag.kind":        {"offer or request", "offer (Angebot) oder request (Gesuch)", "offer（供应）或 request（需求）"},
	"search.flag.country":     {"DE or CN", "DE oder CN", "DE 或 CN"},
	"search.flag.city":        {"member city slug", "Kürzel der Mitgliedsstadt", "成员城市代码"},
	"search.flag.industry":    {"NACE code at any level (C, C28, C28.1, C28.15)", "NACE-Code auf jeder Ebene (C, C28, C28.1, C28.15)", "任意层级的 NACE 代码（C、C28、C28.1、C28.15）"},
	"search.flag.cooperation": {"cooperation type: %s", "Art der Zusammenarbeit: %s", "合作类型：%s"},
	"search.flag.lang":        {"language the listing is written in: de, zh or en", "Sprache, in der das Inserat geschrieben ist: de, zh oder en", "信息的撰写语言：de、zh 或 en"},
	"search.flag.org-kind":    {"company, research, agency or association", "company (Unternehmen), research (Forschung), agency (Wirtschaftsförderung) oder association (Verband)", "company（企业）、research（科研机构）、agency（经济促进机构）或 association（协会）"},
	"search.flag.sort":        {"relevance or newest", "relevance (Relevanz) oder newest (neueste)", "relevance（相关度）或 newest（最新）"},
	"search.flag.viewer":      {"reader's language for snippets: de, zh or en (default: the language of the command line)", "Sprache des Lesers für Textausschnitte: de, zh oder en (Standard: die Sprache der Kommandozeile)", "摘要的读者语言：de、zh 或 en（默认：命令行的语言）"},
	"search.page":             {"--page starts at 1", "--page beginnt bei 1", "--page 从 1 开始"},
	"search.total":            {"%d listings", "%d Inserate", "%d 条信息"},
	"search.header":           {"#\tSCORE\tREF\tKIND\tLANG\tCITY\tTITLE", "#\tWERT\tREF\tART\tSPRACHE\tSTADT\tTITEL", "#\t得分\tREF\t类型\t语言\t城市\t标题"},
	"facet.kind":              {"kind", "Art", "类型"},
	"facet.country":           {"country", "Land", "国家"},
	"facet.lang":              {"language", "Sprache", "语言"},
	"facet.cooperation":       {"cooperation", "Zusammenarbeit", "合作类型"},
	"facet.section":           {"industry", "Branche", "行业"},
	"facet.org_kind":          {"organisation", "Organisation", "机构类型"},
	"facet.city":              {"city", "Stadt", "城市"},
	"match.about":             {"List the best partner listings (offers for a request, requests for an offer) with the reasons.", "Listet die passendsten Partnerinserate (Angebote zu einem Gesuch, Gesuche zu einem Angebot) mit den Gründen.", "列出最匹配的合作信息（需求对应的供应、供应对应的需求）及匹配理由。"},
	"match.flag.json":         {"print one JSON object per listing and line", "ein JSON-Objekt pro Inserat und Zeile ausgeben", "每条信息输出一行 JSON 对象"},
	"match.flag.limit":        {"matches per listing", "Treffer pro Inserat", "每条信息的匹配数"},
	"match.flag.lang":         {"language of the reasons: de, zh or en (default: the language of the command line)", "Sprache der Gründe: de, zh oder en (Standard: die Sprache der Kommandozeile)", "匹配理由的语言：de、zh 或 en（默认：命令行的语言）"},
	"match.no_refs":           {"name at least one listing ref", "mindestens eine Inserats-ref angeben", "请至少指定一个信息的 ref"},
	"match.not_found":         {"isa match: no published listing %q", "isa match: kein veröffentlichtes Inserat %q", "isa match：没有已发布的信息 %q"},
	"match.count":             {"%s: %d matches", "%s: %d Treffer", "%s：%d 条匹配"},
	"reindex.about":           {"Rebuild the search index from the database and report its size.", "Baut den Suchindex aus der Datenbank neu auf und meldet seine Größe.", "根据数据库重建搜索索引并报告其规模。"},
	"reindex.done": {
		"indexed %d listings in %s; analyses: %d reused, %d computed, %d stored",
		"%d Inserate in %s indexiert; Analysen: %d wiederverwendet, %d berechnet, %d gespeichert",
		"已索引 %d 条信息，用时 %s；分析结果：%d 条复用，%d 条新计算，%d 条已保存"},
	"reindex.write_failed": {
		"storing analyses failed (see the log): the next start analyses those listings again",
		"Speichern der Analysen fehlgeschlagen (siehe Protokoll): der nächste Start analysiert diese Inserate erneut",
		"保存分析结果失败（见日志）：下次启动时将重新分析这些信息"},

	// user.
	"user.usage": {
		"Usage: isa user add|disable [flags]\n\n  add      create an active account (password from standard input or a prompt)\n  disable  disable an account and end its sessions",
		"Aufruf: isa user add|disable [Optionen]\n\n  add      ein aktives Konto anlegen (Passwort von der Standardeingabe oder per Abfrage)\n  disable  ein Konto sperren und seine Sitzungen beenden",
		"用法：isa user add|disable [选项]\n\n  add      创建一个已启用的账户（密码来自标准输入或提示输入）\n  disable  停用账户并结束其所有会话"},
	"user.unknown": {"unknown user command %q: add or disable", "unbekannter user-Befehl %q: add oder disable", "未知的 user 命令 %q：应为 add 或 disable"},
	"user.add.about": {
		"Creates an active account. The password is read from standard input (first line)\nor, on a terminal, asked for twice without echo; it is never taken from a flag,\nwhich would leave it in the shell history and the process list.",
		"Legt ein aktives Konto an. Das Passwort wird von der Standardeingabe gelesen (erste Zeile)\noder im Terminal zweimal verdeckt abgefragt; nie aus einer Option, denn dort\nstünde es in der Shell-Historie und in der Prozessliste.",
		"创建一个已启用的账户。密码从标准输入（第一行）读取，\n或在终端中不回显地输入两次；绝不从选项读取，\n否则密码会留在命令历史和进程列表中。"},
	"user.flag.role":     {"admin (alliance secretariat), officer (city office) or member (company)", "admin (Sekretariat der Allianz), officer (Wirtschaftsförderung einer Stadt) oder member (Unternehmen)", "admin（联盟秘书处）、officer（城市经济促进部门）或 member（企业）"},
	"user.flag.email":    {"e-mail address; the sign-in name", "E-Mail-Adresse; der Anmeldename", "电子邮箱；即登录名"},
	"user.flag.city":     {"officers: the slug of their city (see isa cities)", "officer: das Kürzel ihrer Stadt (siehe isa cities)", "officer：所属城市的代码（见 isa cities）"},
	"user.flag.org":      {"members: the ref of their organisation", "member: die ref ihrer Organisation", "member：所属机构的 ref"},
	"user.flag.name":     {"display name", "angezeigter Name", "显示名称"},
	"user.flag.lang":     {"preferred language: de, zh or en (default: the language of the command line)", "bevorzugte Sprache: de, zh oder en (Standard: die Sprache der Kommandozeile)", "首选语言：de、zh 或 en（默认：命令行的语言）"},
	"user.add.required":  {"--role and --email are required", "--role und --email sind erforderlich", "--role 和 --email 为必填项"},
	"user.add.failed":    {"add user", "Konto anlegen", "添加账户"},
	"user.added":         {"user %d added: %s, %s", "Konto %d angelegt: %s, %s", "已添加账户 %d：%s，%s"},
	"user.disable.about": {"Disables an account and ends all its sessions; its API tokens stop working.", "Sperrt ein Konto und beendet alle seine Sitzungen; seine API-Tokens verlieren ihre Gültigkeit.", "停用账户并结束其所有会话；其 API 令牌随即失效。"},
	"user.disable.email": {"e-mail address of the account", "E-Mail-Adresse des Kontos", "账户的电子邮箱"},
	"user.disable.required": {
		"--email is required", "--email ist erforderlich", "--email 为必填项"},
	"user.disable.failed": {"disable user", "Konto sperren", "停用账户"},
	"user.disabled":       {"user disabled", "Konto gesperrt", "账户已停用"},
	"user.password":       {"Password: ", "Passwort: ", "密码："},
	"user.password.again": {"Repeat: ", "Wiederholen: ", "再次输入："},
	"user.password.differ": {
		"the passwords differ", "die Passwörter sind verschieden", "两次输入的密码不一致"},
	"user.password.none": {
		"no password on standard input", "kein Passwort auf der Standardeingabe", "标准输入中没有密码"},
}
