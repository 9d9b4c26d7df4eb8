package gen

// builtinConcepts is gen's own small industrial vocabulary. It keeps
// generated data varied while internal/vocab is still small; concepts that
// the vocabulary already has (same id) are not added twice.
func builtinConcepts() []concept {
	type c = concept
	t := func(de, zh, en []string) [3][]string { return [3][]string{de, zh, en} }
	s := func(v ...string) []string { return v }
	return []c{
		{id: "gen_cnc_machining", nace: s("C25.62"), terms: t(s("CNC-Drehteile", "Zerspanung", "CNC-Frästeile"), s("数控加工", "CNC精密加工", "车削件"), s("CNC machining", "turned parts", "milled parts"))},
		{id: "gen_sheet_metal", nace: s("C25.50"), terms: t(s("Blechbearbeitung", "Laserschneiden", "Stanzteile"), s("钣金加工", "激光切割", "冲压件"), s("sheet metal fabrication", "laser cutting", "stamped parts"))},
		{id: "gen_castings", nace: s("C24.51"), terms: t(s("Gussteile", "Aluminiumdruckguss", "Feinguss"), s("铸件", "铝合金压铸", "精密铸造"), s("castings", "aluminium die casting", "investment casting"))},
		{id: "gen_gears", nace: s("C28.15"), terms: t(s("Getriebe", "Zahnräder", "Antriebstechnik"), s("减速机", "齿轮", "传动系统"), s("gearboxes", "gears", "drive technology"))},
		{id: "gen_pumps", nace: s("C28.13"), terms: t(s("Kreiselpumpen", "Industriepumpen", "Pumpen"), s("离心泵", "工业泵", "水泵"), s("centrifugal pumps", "industrial pumps", "pumps"))},
		{id: "gen_packaging_machines", nace: s("C28.29"), terms: t(s("Verpackungsmaschinen", "Abfüllanlagen"), s("包装机械", "灌装设备"), s("packaging machines", "filling lines"))},
		{id: "gen_machine_tools", nace: s("C28.41"), terms: t(s("Werkzeugmaschinen", "Bearbeitungszentren", "Drehmaschinen"), s("机床", "加工中心", "数控车床"), s("machine tools", "machining centres", "CNC lathes"))},
		{id: "gen_industrial_robots", nace: s("C28.99"), terms: t(s("Industrieroboter", "Automatisierungstechnik", "Robotik"), s("工业机器人", "自动化设备", "机器人集成"), s("industrial robots", "automation equipment", "robotics"))},
		{id: "gen_injection_moulding", nace: s("C22.29"), terms: t(s("Kunststoffspritzguss", "Spritzgussteile", "Kunststoffteile"), s("注塑件", "塑料注塑", "塑胶制品"), s("plastic injection moulding", "injection moulded parts", "plastic parts"))},
		{id: "gen_moulds", nace: s("C25.73"), terms: t(s("Spritzgusswerkzeuge", "Formenbau", "Werkzeugbau"), s("注塑模具", "模具制造", "模具"), s("injection moulds", "mould making", "tooling"))},
		{id: "gen_plastic_film", nace: s("C22.21"), terms: t(s("Kunststofffolien", "Verpackungsfolien"), s("塑料薄膜", "包装膜"), s("plastic film", "packaging film"))},
		{id: "gen_auto_parts", nace: s("C29.32"), terms: t(s("Kfz-Zulieferteile", "Fahrzeugkomponenten", "Automobilteile"), s("汽车零部件", "汽配", "汽车配件"), s("automotive parts", "vehicle components", "auto parts"))},
		{id: "gen_ev_battery", nace: s("C27.20"), terms: t(s("Batteriesysteme", "Lithium-Ionen-Akkus", "Batteriemodule"), s("动力电池", "锂电池", "电池模组"), s("battery systems", "lithium-ion batteries", "battery modules"))},
		{id: "gen_charging", nace: s("C27.90"), terms: t(s("Ladesäulen", "Ladeinfrastruktur", "Wallboxen"), s("充电桩", "充电设施", "交流充电桩"), s("charging stations", "charging infrastructure", "wallboxes"))},
		{id: "gen_ev_motor", nace: s("C27.11"), terms: t(s("Elektromotoren", "E-Antriebe", "Fahrmotoren"), s("电机", "驱动电机", "电动机"), s("electric motors", "e-drives", "traction motors"))},
		{id: "gen_led", nace: s("C27.40"), terms: t(s("LED-Leuchten", "LED-Beleuchtung", "Industrieleuchten"), s("LED灯具", "LED照明", "工业照明"), s("LED luminaires", "LED lighting", "industrial lighting"))},
		{id: "gen_pcb", nace: s("C26.12"), terms: t(s("Leiterplatten", "Leiterplattenbestückung", "Elektronikfertigung"), s("印刷电路板", "PCB贴片", "电子制造"), s("printed circuit boards", "PCB assembly", "electronics manufacturing"))},
		{id: "gen_sensors", nace: s("C26.51"), terms: t(s("Sensoren", "Messtechnik", "Drucksensoren"), s("传感器", "测量仪器", "压力传感器"), s("sensors", "measuring instruments", "pressure sensors"))},
		{id: "gen_plc", nace: s("C27.12"), terms: t(s("Schaltschränke", "Steuerungstechnik", "Schaltanlagen"), s("控制柜", "电气控制", "开关柜"), s("control cabinets", "control systems", "switchgear"))},
		{id: "gen_coatings", nace: s("C20.30"), terms: t(s("Industrielacke", "Beschichtungen", "Pulverlacke"), s("工业涂料", "涂层", "粉末涂料"), s("industrial coatings", "coatings", "powder coatings"))},
		{id: "gen_adhesives", nace: s("C20.52"), terms: t(s("Klebstoffe", "Industriekleber", "Dichtstoffe"), s("胶粘剂", "工业胶水", "密封胶"), s("adhesives", "industrial glue", "sealants"))},
		{id: "gen_api", nace: s("C21.10"), terms: t(s("pharmazeutische Wirkstoffe", "Wirkstoffe", "Feinchemikalien"), s("原料药", "医药中间体", "精细化工"), s("active pharmaceutical ingredients", "APIs", "fine chemicals"))},
		{id: "gen_solar", nace: s("D35.11"), terms: t(s("Photovoltaikanlagen", "Solarmodule", "PV-Anlagen"), s("光伏组件", "太阳能电站", "光伏发电"), s("photovoltaic systems", "solar modules", "PV plants"))},
		{id: "gen_hydrogen", nace: s("C28.29", "D35.21"), terms: t(s("Wasserstofftechnik", "Elektrolyseure", "Brennstoffzellen"), s("氢能", "电解槽", "燃料电池"), s("hydrogen technology", "electrolysers", "fuel cells"))},
		{id: "gen_heat_pump", nace: s("C28.25"), terms: t(s("Wärmepumpen", "Luft-Wasser-Wärmepumpen"), s("热泵", "空气源热泵"), s("heat pumps", "air-to-water heat pumps"))},
		{id: "gen_wastewater", nace: s("E37.00"), terms: t(s("Abwasserbehandlung", "Kläranlagen", "Wasseraufbereitung"), s("污水处理", "水处理设备", "污水处理厂"), s("wastewater treatment", "water treatment plants", "sewage treatment"))},
		{id: "gen_recycling", nace: s("E38.32"), terms: t(s("Recyclinganlagen", "Kunststoffrecycling", "Wertstoffrückgewinnung"), s("回收设备", "塑料回收", "资源再生"), s("recycling plants", "plastic recycling", "material recovery"))},
		{id: "gen_medical_devices", nace: s("C32.50"), terms: t(s("Medizinprodukte", "chirurgische Instrumente", "Medizintechnik"), s("医疗器械", "手术器械", "医疗设备"), s("medical devices", "surgical instruments", "medical equipment"))},
		{id: "gen_rehab", nace: s("C32.50"), terms: t(s("Rehatechnik", "Pflegebetten", "Hilfsmittel"), s("康复器械", "护理床", "康复辅具"), s("rehabilitation equipment", "care beds", "mobility aids"))},
		{id: "gen_rail_freight", nace: s("H49.20"), terms: t(s("Schienengüterverkehr", "Bahnfracht", "Containerzug"), s("中欧班列", "铁路货运", "集装箱班列"), s("rail freight", "China-Europe rail", "container trains"))},
		{id: "gen_sea_freight", nace: s("H50.20"), terms: t(s("Seefracht", "Containerverschiffung"), s("海运", "集装箱海运"), s("sea freight", "container shipping"))},
		{id: "gen_warehousing", nace: s("H52.10"), terms: t(s("Lagerlogistik", "Kontraktlogistik", "Lagerhaltung"), s("仓储物流", "仓储服务", "海外仓"), s("warehousing", "contract logistics", "overseas warehouse"))},
		{id: "gen_food_processing", nace: s("C10.89"), terms: t(s("Lebensmittelzutaten", "Lebensmittelverarbeitung"), s("食品配料", "食品加工"), s("food ingredients", "food processing"))},
		{id: "gen_tea", nace: s("C10.83"), terms: t(s("Tee", "Grüntee"), s("茶叶", "绿茶"), s("tea", "green tea"))},
		{id: "gen_beer", nace: s("C11.05"), terms: t(s("Bier", "Brauereitechnik"), s("啤酒", "啤酒酿造设备"), s("beer", "brewing equipment"))},
		{id: "gen_furniture", nace: s("C31.01"), terms: t(s("Büromöbel", "Objektmöbel", "Möbel"), s("办公家具", "工程家具", "家具"), s("office furniture", "contract furniture", "furniture"))},
		{id: "gen_ceramic_tiles", nace: s("C23.31"), terms: t(s("Keramikfliesen", "Feinsteinzeug", "Fliesen"), s("陶瓷砖", "瓷砖", "仿古砖"), s("ceramic tiles", "porcelain tiles", "tiles"))},
		{id: "gen_sanitary", nace: s("C23.42"), terms: t(s("Sanitärkeramik", "Badkeramik"), s("卫生陶瓷", "卫浴洁具"), s("sanitary ceramics", "bathroom ceramics"))},
		{id: "gen_technical_textiles", nace: s("C13.96"), terms: t(s("technische Textilien", "Vliesstoffe", "Filtergewebe"), s("产业用纺织品", "无纺布", "过滤布"), s("technical textiles", "nonwovens", "filter fabrics"))},
		{id: "gen_garments", nace: s("C14.13"), terms: t(s("Bekleidung", "Arbeitskleidung"), s("服装", "工作服"), s("garments", "workwear"))},
		{id: "gen_toys", nace: s("C32.40"), terms: t(s("Spielwaren", "Holzspielzeug", "Lernspielzeug"), s("玩具", "木制玩具", "益智玩具"), s("toys", "wooden toys", "educational toys"))},
		{id: "gen_erp", nace: s("J62.01"), terms: t(s("Industriesoftware", "MES-Software", "ERP-System"), s("工业软件", "MES系统", "ERP系统"), s("industrial software", "MES software", "ERP system"))},
		{id: "gen_iot", nace: s("J62.01"), terms: t(s("Industrie 4.0", "IoT-Plattform", "Predictive Maintenance"), s("工业4.0", "物联网平台", "预测性维护"), s("Industry 4.0", "IoT platform", "predictive maintenance"))},
		{id: "gen_materials_research", nace: s("M72.19"), terms: t(s("Werkstoffforschung", "Leichtbau", "Materialprüfung"), s("材料研究", "轻量化", "材料检测"), s("materials research", "lightweight construction", "material testing"))},
		{id: "gen_market_entry", nace: s("M70.22"), terms: t(s("Markteintrittsberatung", "Standortberatung", "Ansiedlung"), s("市场准入咨询", "投资咨询", "落地服务"), s("market entry consulting", "site selection", "investment advisory"))},
		{id: "gen_certification", nace: s("M71.20"), terms: t(s("Zertifizierung", "CE-Kennzeichnung", "Prüfdienstleistungen"), s("认证服务", "CE认证", "检测服务"), s("certification", "CE marking", "testing services"))},
		{id: "gen_cutlery", nace: s("C25.71"), terms: t(s("Schneidwaren", "Messer", "Besteck"), s("刀具", "刀剪", "餐具"), s("cutlery", "knives", "flatware"))},
		{id: "gen_steel_structures", nace: s("C25.11"), terms: t(s("Stahlbau", "Stahlkonstruktionen"), s("钢结构", "钢结构工程"), s("steel structures", "structural steel"))},
	}
}
