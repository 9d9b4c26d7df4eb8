package gen

// Sentence templates per language (de, zh, en) and listing kind (offer,
// request). They imitate how the two sides write: German Mittelstand prose,
// Chinese B2B-platform phrasing, and the plain business English both use
// to reach the other side. Placeholders are explained at text.render.

var titles = [3][2][]string{
	{ // de
		{
			"{P} in Serienqualität – Fertigung nach Zeichnung",
			"Wir bieten {P} für den Markt in {X}",
			"{P}: Entwicklung und Fertigung aus {C}",
			"Mittelständischer Hersteller bietet {P}",
			"Freie Kapazitäten: {P}",
			"{P} – Lieferung, Montage und Service",
		},
		{
			"Suchen Lieferanten für {P}",
			"Vertriebspartner in {X} für {P} gesucht",
			"Gesucht: Hersteller für {P}",
			"Kooperationspartner für {P} gesucht",
			"Einkauf {P} – langfristige Zusammenarbeit",
			"Fertigungspartner in {X} für {P} gesucht",
		},
	},
	{ // zh
		{
			"我司专业生产{P}，诚寻{X}合作伙伴",
			"供应{P}，支持OEM/ODM定制",
			"{C}厂家直供{P}",
			"优质{P}，寻求海外经销商",
			"{P}生产线产能富余，承接外协订单",
		},
		{
			"求购{P}，寻找{X}供应商",
			"诚寻{P}技术合作伙伴",
			"寻求{X}{P}技术引进与合作",
			"需求：{P}，长期采购",
			"寻找{P}领域的合资合作方",
		},
	},
	{ // en
		{
			"Supply of {P} – OEM welcome",
			"We offer {P} from {C}",
			"Manufacturer of {P} seeking partners in {X}",
			"{P} with good quality and competitive price",
		},
		{
			"Looking for supplier of {P}",
			"Seeking partner in {X} for {P}",
			"Request: {P}, long term cooperation",
			"Need technology partner for {P}",
		},
	},
}

var opening = [3][2][]string{
	{
		{
			"Unser Unternehmen aus {C} entwickelt und fertigt seit {Y} {P}.",
			"Wir sind ein inhabergeführter Betrieb aus {C} mit Schwerpunkt {S} und liefern {P} an Kunden in ganz Europa.",
			"Als Spezialist für {P} bieten wir Entwicklung, Musterbau und Serienfertigung aus einer Hand.",
		},
		{
			"Für unsere Fertigung in {C} suchen wir zuverlässige Lieferanten für {P}.",
			"Wir sind ein mittelständisches Unternehmen aus {C} und suchen Partner in {X} für {P}.",
			"Zur Erweiterung unseres Lieferantennetzes suchen wir Hersteller für {P}.",
		},
	},
	{
		{
			"我司位于{C}，成立于{Y}年，专业从事{P}的研发、生产和销售。",
			"本公司是{C}的{S}企业，主营{P}，产品远销欧美及东南亚。",
			"我们是一家专注于{P}的生产型企业，拥有多条自动化生产线。",
		},
		{
			"我司位于{C}，因业务发展需要，现寻求{P}方面的{X}合作伙伴。",
			"本公司计划扩大{S}业务，诚寻{X}{P}供应商或技术合作方。",
			"我们是{C}的一家{S}企业，现需采购{P}。",
		},
	},
	{
		{
			"Our company is located in {C} and produce {P} since {Y}.",
			"We are professional manufacturer of {P} with own R&D team.",
			"{C} based company, main products are {P} and related {S}.",
		},
		{
			"We are company from {C} and looking for reliable partner for {P}.",
			"Our company need {P} for our production and search long-term supplier.",
			"We are looking partner from {X} for {P}.",
		},
	},
}

var middle = [3][2][]string{
	{
		{
			"Wir liefern in kleinen und mittleren Losgrößen, zertifiziert nach ISO 9001.",
			"Auch {Q} fertigen wir nach Kundenzeichnung, vom Prototyp bis zur Serie.",
			"Unser Maschinenpark umfasst moderne CNC-Bearbeitungszentren und eine eigene Qualitätssicherung.",
			"Die Produkte erfüllen die einschlägigen EU-Normen; Dokumentation liegt auf Deutsch und Englisch vor.",
		},
		{
			"Gefragt sind mittlere Jahresmengen, Erstmuster innerhalb von acht Wochen.",
			"Wichtig sind uns gleichbleibende Qualität, Dokumentation nach EU-Normen und Kommunikation auf Englisch.",
			"Auch Angebote für {Q} sind willkommen.",
			"Eine Zertifizierung nach ISO 9001 ist Voraussetzung, Erfahrung mit europäischen Kunden von Vorteil.",
		},
	},
	{
		{
			"公司拥有完善的质量管理体系，产品通过ISO 9001认证。",
			"可根据客户图纸或样品定制{Q}，支持小批量试产。",
			"产品符合欧盟CE标准，可提供检测报告。",
			"工厂交通便利，交货期短，价格有竞争力。",
		},
		{
			"要求产品质量稳定，能提供完整技术文件。",
			"希望引进德国先进技术，提升{Q}的生产水平。",
			"年采购量较大，欢迎有出口经验的企业联系。",
			"供应商需通过ISO 9001认证，能提供英文资料。",
		},
	},
	{
		{
			"We can do customized production according to drawing or sample.",
			"Quality is controlled by ISO 9001 system, test report is available.",
			"Also {Q} can be supplied in small quantity for trial order.",
		},
		{
			"Please send us your catalogue and price for small and middle quantity.",
			"Supplier should have ISO 9001 and export experience to Europe.",
			"We are also interested in {Q}.",
		},
	},
}

var coopText = [3][2][]string{
	{
		{
			"Wir suchen Partner in {X} für Vertrieb, Montage oder ein Joint Venture.",
			"Denkbar sind Lizenzfertigung, Vertriebskooperation oder Lohnfertigung für Partner in {X}.",
			"Für den Markteintritt in {X} suchen wir Handelsvertreter und Systempartner.",
		},
		{
			"Denkbar sind Liefervertrag, Lizenznahme oder gemeinsame Entwicklung.",
			"Wir bieten langfristige Abnahmeverträge und Unterstützung bei der Qualifizierung.",
			"Auch eine Beteiligung oder ein Joint Venture ist für uns vorstellbar.",
		},
	},
	{
		{
			"现诚寻{X}及欧洲经销商、代理商或技术合作伙伴。",
			"欢迎洽谈OEM代工、合资建厂或技术合作。",
			"可为海外客户提供贴牌生产和售后服务。",
		},
		{
			"合作方式可为技术许可、合资或联合研发。",
			"诚邀{X}企业来{C}投资建厂，可协助办理相关手续。",
			"希望建立长期稳定的供货关系。",
		},
	},
	{
		{
			"We are looking for distributor and agent in {X} and Europe.",
			"OEM and joint venture are welcome.",
		},
		{
			"Cooperation can be supply, licensing or joint venture.",
			"We also welcome investment in our factory in {C}.",
		},
	},
}

var closing = [3][]string{
	{
		"Technische Unterlagen und Referenzen senden wir gern auf Anfrage.",
		"Wir freuen uns auf Ihre Kontaktaufnahme über die ISA-Datenbank.",
		"Ein Besuch in unserem Werk in {C} ist jederzeit möglich.",
	},
	{
		"有意者请通过平台联系我们。",
		"欢迎来{C}实地考察。",
		"期待与您合作，共创双赢。",
	},
	{
		"Welcome to contact us for more details.",
		"Looking forward to your reply.",
		"Visit to our factory in {C} is welcome.",
	},
}

var aboutCompany = [3][]string{
	{
		"Mittelständisches Unternehmen aus {C}, gegründet {Y}, mit Schwerpunkt {P}. Wir entwickeln und fertigen für Kunden in Europa und Asien.",
		"Inhabergeführter Betrieb für {S} in {C}. Kernkompetenz: {P}.",
	},
	{
		"公司位于{C}，成立于{Y}年，主要从事{P}的研发与生产。",
		"{C}{S}企业，主营{P}，拥有完善的质量管理体系。",
	},
	{
		"Company located in {C}, founded {Y}, main business is {P}.",
		"Manufacturer of {P} in {C}, focus on {S}.",
	},
}

var aboutResearch = [3][]string{
	{
		"Forschungseinrichtung in {C} mit Schwerpunkt {P}; Auftragsforschung und Technologietransfer für KMU.",
	},
	{
		"{C}的科研机构，专注于{P}领域的应用研究与技术转移。",
	},
	{
		"Research institute in {C} focusing on {P}, contract research and technology transfer.",
	},
}

var aboutNetwork = [3][]string{
	{
		"Anlaufstelle in {C} für Unternehmen aus dem Bereich {S}: Netzwerk, Markteintritt und Kontakte nach {X}.",
	},
	{
		"服务{C}{S}企业的平台，提供对接、市场准入和{X}联络服务。",
	},
	{
		"Network for {S} companies in {C}: matchmaking, market entry and contacts to {X}.",
	},
}

// The service sectors (logistics, software, consulting) write differently:
// no machine park, samples or factory visits.

var servTitles = [3][2][]string{
	{
		{
			"{P} für Kunden aus {X}",
			"Wir bieten {P} – Partner in {X} gesucht",
			"{P} aus {C}: zuverlässig und mehrsprachig",
		},
		{
			"Partner für {P} in {X} gesucht",
			"Suchen Dienstleister für {P}",
			"Kooperation im Bereich {P} gesucht",
		},
	},
	{
		{
			"提供{P}服务，诚寻{X}合作伙伴",
			"{C}{P}服务商，寻求长期合作",
		},
		{
			"寻找{X}{P}服务合作伙伴",
			"诚寻{P}领域合作伙伴",
		},
	},
	{
		{
			"{P} service from {C}",
			"We offer {P} for customers in {X}",
		},
		{
			"Looking for {P} partner in {X}",
			"Need partner for {P}",
		},
	},
}

var servOpening = [3][2][]string{
	{
		{
			"Unser Unternehmen aus {C} bietet seit {Y} {P} für mittelständische Kunden an.",
			"Wir sind ein Dienstleister aus {C} mit Schwerpunkt {S}.",
		},
		{
			"Für unsere Kunden in {C} suchen wir einen Partner für {P} in {X}.",
			"Wir sind ein Dienstleister aus {C} und suchen Unterstützung im Bereich {P}.",
		},
	},
	{
		{
			"我司位于{C}，成立于{Y}年，专业提供{P}服务。",
			"本公司是{C}的{S}服务商，主营{P}。",
		},
		{
			"我司位于{C}，现寻求{X}的{P}合作伙伴。",
			"因业务拓展需要，本公司诚寻{P}方面的{X}合作方。",
		},
	},
	{
		{
			"Our company in {C} is providing {P} since {Y}.",
			"We are service provider from {C}, our main business is {P}.",
		},
		{
			"We are looking for reliable partner for {P} in {X}.",
			"Our company from {C} need support for {P}.",
		},
	},
}

var servMiddle = [3][2][]string{
	{
		{
			"Unser Team arbeitet auf Deutsch und Englisch, auf Wunsch mit chinesischsprachigen Ansprechpartnern.",
			"Wir arbeiten mit klar vereinbarten Servicezeiten und berichten transparent.",
			"Auch {Q} gehört zu unserem Leistungsumfang.",
		},
		{
			"Wichtig sind Erfahrung mit europäischen Kunden und Kommunikation auf Englisch.",
			"Auch Angebote für {Q} sind willkommen.",
		},
	},
	{
		{
			"团队经验丰富，可提供中英文服务。",
			"服务响应及时，价格透明。",
		},
		{
			"要求具备国际项目经验，响应及时。",
			"也欢迎提供{Q}服务的企业联系。",
		},
	},
	{
		{
			"Our team can communicate in English and Chinese.",
			"Also {Q} is part of our service.",
		},
		{
			"Partner should have experience with international customers.",
			"We are also interested in {Q}.",
		},
	},
}

var servCoop = [3][2][]string{
	{
		{"Wir suchen Partner in {X} für eine langfristige Zusammenarbeit oder ein Joint Venture."},
		{"Denkbar sind Rahmenvertrag, Kooperation oder Beteiligung."},
	},
	{
		{"诚寻{X}合作伙伴，建立长期合作关系。"},
		{"合作方式可为服务外包、战略合作或合资。"},
	},
	{
		{"We look for long-term partner in {X}."},
		{"Cooperation can be service contract or joint venture."},
	},
}

var servClosing = [3][]string{
	{"Wir freuen uns auf Ihre Kontaktaufnahme über die ISA-Datenbank.", "Gern stellen wir uns in einem ersten Gespräch vor."},
	{"有意者请通过平台联系我们。", "期待与您合作，共创双赢。"},
	{"Welcome to contact us for more details.", "Looking forward to your reply."},
}
