"""Building blocks for the generated manufacturer profiles (fictional names, real sectors)."""

# ruff: noqa: E501

# (korean, romanised) first parts of fictional company names.
NAME_HEADS = [
    ("대성", "daesung"),
    ("한울", "hanul"),
    ("동진", "dongjin"),
    ("세광", "segwang"),
    ("태원", "taewon"),
    ("영진", "youngjin"),
    ("삼우", "samwoo"),
    ("경일", "gyeongil"),
    ("부광", "bugwang"),
    ("신영", "sinyoung"),
    ("우성", "woosung"),
    ("화신", "hwasin"),
    ("명진", "myungjin"),
    ("보성", "bosung"),
    ("한빛", "hanbit"),
    ("청우", "cheongwoo"),
    ("대원", "daewon"),
    ("성진", "sungjin"),
    ("진영", "jinyoung"),
    ("금성", "geumsung"),
    ("일신", "ilsin"),
    ("정원", "jungwon"),
    ("태흥", "taeheung"),
    ("유진", "yujin"),
    ("상신", "sangsin"),
    ("덕산", "deoksan"),
    ("남일", "namil"),
    ("동광", "donggwang"),
    ("서원", "seowon"),
    ("해성", "haesung"),
    ("가온", "gaon"),
    ("미래", "mirae"),
    ("장원", "jangwon"),
    ("용성", "yongsung"),
    ("백산", "baeksan"),
    ("창신", "changsin"),
    ("흥진", "heungjin"),
    ("오성", "osung"),
    ("다온", "daon"),
    ("새별", "saebyeol"),
    ("인화", "inhwa"),
    ("광명", "gwangmyung"),
    ("동일", "dongil"),
    ("태양", "taeyang"),
    ("수산", "susan"),
    ("고려", "goryeo"),
    ("천일", "cheonil"),
    ("보국", "boguk"),
    ("한결", "hangyeol"),
    ("무학", "muhak"),
    ("봉림", "bongnim"),
    ("웅남", "ungnam"),
    ("진해", "jinhae"),
    ("마산", "masan"),
    ("칠원", "chirwon"),
    ("내서", "naeseo"),
    ("주촌", "juchon"),
    ("안골", "angol"),
    ("문산", "munsan"),
    ("상평", "sangpyeong"),
]

# KSIC division -> (korean suffix, english suffix) options for company names.
NAME_TAILS = {
    "10": [("식품", "Foods"), ("푸드", "Food"), ("농산", "Agro"), ("에프앤비", "F&B")],
    "11": [("음료", "Beverage"), ("양조", "Brewery")],
    "13": [("섬유", "Textile"), ("텍스", "Tex")],
    "20": [("화학", "Chemical"), ("케미칼", "Chemical")],
    "22": [
        ("플라스틱", "Plastics"),
        ("화성", "Polymer"),
        ("고무", "Rubber"),
        ("폴리텍", "Polytech"),
    ],
    "23": [("세라믹", "Ceramics"), ("콘크리트", "Concrete")],
    "24": [
        ("주철", "Cast Iron"),
        ("금속", "Metal"),
        ("주강", "Steel Casting"),
        ("특수강", "Special Steel"),
    ],
    "25": [
        ("정밀", "Precision"),
        ("금속", "Metal"),
        ("산업", "Industrial"),
        ("기공", "Engineering"),
        ("도금", "Plating"),
    ],
    "26": [("전자", "Electronics"), ("일렉트론", "Electron")],
    "27": [("계측", "Instruments"), ("옵틱스", "Optics")],
    "28": [("전기", "Electric"), ("전기산업", "Electric Industries"), ("파워텍", "Powertech")],
    "29": [
        ("기계", "Machinery"),
        ("정밀", "Precision"),
        ("유압", "Hydraulics"),
        ("엔지니어링", "Engineering"),
    ],
    "30": [
        ("오토텍", "Autotech"),
        ("산업", "Industrial"),
        ("정공", "Precision"),
        ("모터스", "Motors"),
    ],
    "31": [("중공업", "Heavy Industries"), ("조선", "Shipbuilding"), ("마린", "Marine")],
    "31a": [("에어로", "Aero"), ("에어로텍", "Aerotech"), ("항공", "Aviation")],
    "32": [("가구", "Furniture")],
    "33": [("산업", "Industrial")],
}

# KSIC division -> weight among generated manufacturers.
INDUSTRY_WEIGHTS = {
    "29": 18,
    "30": 18,
    "25": 14,
    "31": 10,
    "10": 8,
    "24": 7,
    "22": 7,
    "28": 6,
    "26": 3,
    "20": 2,
    "27": 1.5,
    "23": 1.5,
    "11": 1,
    "13": 1,
    "32": 1,
    "33": 1,
}

REGION_WEIGHTS = {
    "gn-changwon": 22,
    "gn-gimhae": 16,
    "gn-yangsan": 12,
    "gn-jinju": 7,
    "gn-geoje": 5,
    "gn-sacheon": 5,
    "gn-haman": 6,
    "gn-miryang": 4,
    "gn-tongyeong": 3,
    "gn-changnyeong": 3,
    "gn-goseong": 2,
    "gn-geochang": 2,
    "gn-hapcheon": 1,
    "gn-uiryeong": 1.5,
    "gn-namhae": 1,
    "gn-hadong": 1,
    "gn-sancheong": 1,
    "gn-hamyang": 1.5,
    "busan": 2,
    "ulsan": 1.5,
    "daegu": 1,
}

# Regions where an industry-31 firm is aerospace ("31a") rather than shipbuilding.
AERO_REGIONS = {"gn-sacheon", "gn-jinju"}

# Sectors that cluster in particular places override the default region weights.
REGION_WEIGHTS_BY_INDUSTRY = {
    "31": {
        "gn-geoje": 30,
        "gn-sacheon": 24,
        "gn-tongyeong": 12,
        "gn-goseong": 12,
        "gn-changwon": 10,
        "gn-jinju": 6,
        "busan": 5,
    },
    "10": {
        "gn-gimhae": 12,
        "gn-jinju": 7,
        "gn-miryang": 6,
        "gn-tongyeong": 8,
        "gn-namhae": 6,
        "gn-hadong": 6,
        "gn-sancheong": 5,
        "gn-hamyang": 5,
        "gn-geochang": 6,
        "gn-hapcheon": 4,
        "gn-changnyeong": 5,
        "gn-yangsan": 6,
    },
    "11": {"gn-sancheong": 5, "gn-hamyang": 5, "gn-geochang": 4, "gn-gimhae": 4},
}

# KSIC division -> (process code, korean product phrases, english product phrases).
PRODUCTS = {
    "10": [
        (
            "mixing",
            ["김치와 절임류", "장류와 소스", "떡과 한과", "건조 나물"],
            ["kimchi and pickles", "sauces and pastes", "rice cakes"],
        ),
        (
            "packaging",
            ["냉동 만두와 간편식", "수산 가공품", "과자와 스낵"],
            ["frozen dumplings", "processed seafood", "snacks"],
        ),
    ],
    "11": [("mixing", ["과채 음료", "전통주"], ["fruit drinks", "traditional liquor"])],
    "13": [("sewing", ["산업용 원단", "작업복"], ["technical fabrics", "workwear"])],
    "20": [
        (
            "mixing",
            ["도료와 접착제", "합성수지 컴파운드"],
            ["paints and adhesives", "resin compounds"],
        )
    ],
    "22": [
        (
            "injection_molding",
            ["가전 사출 부품", "자동차 내장 부품", "화장품 용기"],
            ["appliance mouldings", "car interior parts", "cosmetic containers"],
        ),
        ("mixing", ["방진고무와 오일씰", "고무 호스"], ["anti-vibration rubber", "rubber hoses"]),
    ],
    "23": [
        ("mixing", ["프리캐스트 콘크리트 부재", "내화물"], ["precast concrete", "refractories"])
    ],
    "24": [
        (
            "casting",
            ["회주철·구상흑연주철 주물", "주강품", "알루미늄 주물"],
            ["iron castings", "steel castings", "aluminium castings"],
        ),
        ("forging", ["링 압연품", "자유단조 플랜지"], ["rolled rings", "open-die forged flanges"]),
    ],
    "25": [
        (
            "press",
            ["판금·프레스 부품", "브래킷과 클램프"],
            ["sheet-metal parts", "brackets and clamps"],
        ),
        (
            "machining",
            ["정밀가공 부품", "유압 피팅"],
            ["precision machined parts", "hydraulic fittings"],
        ),
        ("welding", ["철골 구조물", "압력용기"], ["steel structures", "pressure vessels"]),
        (
            "surface_treatment",
            ["도금과 아노다이징", "금속 표면처리"],
            ["plating and anodising", "metal finishing"],
        ),
        (
            "heat_treatment",
            ["위탁 열처리", "고주파 열처리"],
            ["contract heat treatment", "induction hardening"],
        ),
        (
            "forging",
            ["볼트와 체결 부품", "냉간 단조품"],
            ["bolts and fasteners", "cold-forged parts"],
        ),
    ],
    "26": [
        (
            "electronics_smt",
            ["제어 기판", "LED 모듈", "센서 모듈"],
            ["control boards", "LED modules", "sensor modules"],
        )
    ],
    "27": [
        (
            "assembly",
            ["계측기와 측정 장비", "광학 부품"],
            ["measuring instruments", "optical parts"],
        )
    ],
    "28": [
        (
            "assembly",
            ["배전반과 제어반", "변압기 부품", "전동기"],
            ["switchgear and control panels", "transformer parts", "electric motors"],
        ),
        ("press", ["모터 코어", "전기 단자"], ["motor cores", "electrical terminals"]),
    ],
    "29": [
        (
            "machining",
            ["감속기 부품", "유압 실린더", "공작기계 부품", "펌프 부품"],
            ["gear reducer parts", "hydraulic cylinders", "machine-tool parts", "pump parts"],
        ),
        (
            "assembly",
            ["산업용 펌프", "농기계 부품", "건설기계 어태치먼트", "공조 장비"],
            ["industrial pumps", "farm machinery parts", "excavator attachments", "HVAC units"],
        ),
        (
            "welding",
            ["건설기계 프레임", "컨베이어 구조물"],
            ["construction-machinery frames", "conveyor structures"],
        ),
    ],
    "30": [
        ("press", ["차체 프레스 부품", "시트 프레임 부품"], ["body stampings", "seat-frame parts"]),
        ("welding", ["샤시 부품", "배기 부품"], ["chassis parts", "exhaust parts"]),
        (
            "injection_molding",
            ["내외장 플라스틱 부품", "커넥터"],
            ["interior and exterior trim", "connectors"],
        ),
        (
            "casting",
            ["알루미늄 다이캐스팅 부품", "브레이크 주물"],
            ["aluminium die castings", "brake castings"],
        ),
        ("machining", ["변속기 부품", "브레이크 부품"], ["transmission parts", "brake parts"]),
        ("forging", ["단조 허브와 샤프트"], ["forged hubs and shafts"]),
        (
            "assembly",
            ["시트와 모듈 조립품", "전장 하네스"],
            ["seat and module assemblies", "wiring harnesses"],
        ),
    ],
    "31": [
        ("welding", ["선박 블록", "해양 구조물"], ["ship blocks", "offshore structures"]),
        ("painting", ["선박 블록 도장"], ["hull block painting"]),
        ("assembly", ["선박 의장품"], ["ship outfitting"]),
    ],
    "31a": [
        ("assembly", ["항공기 구조물 조립"], ["aircraft structure assemblies"]),
        (
            "machining",
            ["항공기 기체 부품", "헬기 구성품"],
            ["aircraft parts", "helicopter components"],
        ),
        ("painting", ["항공 부품 도장"], ["aircraft part painting"]),
    ],
    "32": [("painting", ["사무용 철제 가구"], ["steel office furniture"])],
    "33": [("assembly", ["스포츠 용품", "완구"], ["sporting goods", "toys"])],
}

# process -> (korean concerns, english concerns) a plant might mention.
CONCERNS = {
    "press": (
        [
            "프레스품 외관 불량 선별에 인력이 많이 듭니다",
            "금형 파손과 프레스 정지가 잦습니다",
            "프레스 작업 안전이 늘 걱정입니다",
        ],
        [
            "sorting stamped parts by eye takes many people",
            "die breakages stop the presses too often",
        ],
    ),
    "machining": (
        [
            "공구 교체 시점을 경험으로 정합니다",
            "다품종 주문 일정 관리가 어렵습니다",
            "야간 가동 인력을 구하기 어렵습니다",
        ],
        ["tool changes are decided by experience", "scheduling many small orders is hard"],
    ),
    "welding": (
        [
            "용접사 고령화와 인력 부족이 심각합니다",
            "용접 품질 기록이 남지 않습니다",
            "용접 불량 보수 비용이 큽니다",
        ],
        ["welders are ageing and hard to replace", "weld repair costs are high"],
    ),
    "casting": (
        [
            "기공 불량이 가공 후에야 발견됩니다",
            "용해 전력비 부담이 큽니다",
            "사상 작업자를 구하기 어렵습니다",
        ],
        ["porosity shows up only after machining", "melting energy costs keep rising"],
    ),
    "forging": (
        ["가열로 가스비가 원가의 큰 부분입니다", "단조품 치수 불량을 늦게 발견합니다"],
        ["furnace gas is a large share of cost", "dimensional defects are found too late"],
    ),
    "injection_molding": (
        [
            "외관 불량 선별을 사람이 합니다",
            "사출기 돌발 정지가 잦습니다",
            "신규 금형 조건 잡기에 시간이 걸립니다",
        ],
        ["cosmetic defects are sorted by hand", "machines stop unexpectedly"],
    ),
    "painting": (
        ["도장 불량 재작업이 많습니다", "도료 사용량이 계획보다 많습니다"],
        ["paint rework is frequent", "paint consumption exceeds plan"],
    ),
    "assembly": (
        ["조립 누락 클레임이 종종 발생합니다", "출하 검사가 숙련자에게 의존합니다"],
        ["missing-part claims still happen", "final testing depends on a few experts"],
    ),
    "heat_treatment": (
        ["열처리 품질 편차로 재처리가 발생합니다", "전기요금 부담이 큽니다"],
        ["rework due to hardness variation", "electricity bills are heavy"],
    ),
    "surface_treatment": (
        ["도금 두께 편차와 약품비가 부담입니다"],
        ["plating thickness varies and chemicals are costly"],
    ),
    "mixing": (
        [
            "배치마다 품질이 조금씩 다릅니다",
            "원료 배합을 숙련자 경험에 의존합니다",
            "스팀과 전기 비용이 계속 오릅니다",
        ],
        ["batch quality varies", "recipes depend on a few experienced staff"],
    ),
    "food": (
        [
            "배치마다 맛과 품질이 조금씩 다릅니다",
            "수요 변동에 따른 폐기와 결품이 고민입니다",
            "위생 기록 관리에 손이 많이 갑니다",
        ],
        ["demand swings cause waste and shortages", "hygiene records take too much manual work"],
    ),
    "packaging": (
        ["포장 이물 검사 오판정이 많습니다", "포장·적재 인력이 부족합니다"],
        ["foreign-body checks give many false rejects", "packing staff are hard to find"],
    ),
    "electronics_smt": (
        ["검사 장비 알람 확인에 인력이 묶여 있습니다"],
        ["operators spend the shift confirming inspection alarms"],
    ),
    "sewing": (["라인별 작업 편차가 큽니다"], ["output varies widely between lines"]),
}

# KSIC division -> (korean, english) typical customers.
CUSTOMERS = {
    "10": [
        ("대형마트와 급식업체", "retail chains and caterers"),
        ("온라인몰과 프랜차이즈", "online shops and franchises"),
        ("해외 바이어", "export buyers"),
    ],
    "11": [
        ("대형마트와 편의점", "supermarkets and convenience stores"),
        ("해외 바이어", "export buyers"),
    ],
    "13": [("의류 브랜드", "apparel brands"), ("자동차 시트 업체", "car-seat makers")],
    "20": [("가전 제조사", "appliance makers"), ("도장 업체", "coating shops")],
    "22": [
        ("가전 제조사", "appliance makers"),
        ("완성차 1차 협력사", "tier-1 auto suppliers"),
        ("화장품 브랜드", "cosmetics brands"),
    ],
    "23": [("건설사", "construction companies")],
    "24": [
        ("조선소", "shipyards"),
        ("펌프·밸브 제조사", "pump and valve makers"),
        ("발전 설비 제조사", "power-equipment makers"),
    ],
    "25": [
        ("완성차 1차 협력사", "tier-1 auto suppliers"),
        ("조선소", "shipyards"),
        ("건설기계 제조사", "construction-machinery makers"),
        ("국내 중견 기계 업체", "machinery companies"),
    ],
    "26": [
        ("가전 제조사", "appliance makers"),
        ("전장 부품 업체", "automotive electronics suppliers"),
    ],
    "27": [("의료기기 업체", "medical-device makers"), ("연구소와 대학", "research labs")],
    "28": [
        ("발전 설비 제조사", "power-equipment makers"),
        ("공장 자동화 업체", "factory-automation integrators"),
        ("가전 제조사", "appliance makers"),
    ],
    "29": [
        ("건설기계 제조사", "construction-machinery makers"),
        ("국내 중견 기계 업체", "machinery companies"),
        ("농기계 제조사", "farm-machinery makers"),
        ("해외 바이어", "export customers"),
    ],
    "30": [
        ("완성차 1차 협력사", "tier-1 auto suppliers"),
        ("완성차 공장", "car makers"),
        ("애프터마켓 유통사", "aftermarket distributors"),
    ],
    "31": [("조선소", "shipyards"), ("해양플랜트 업체", "offshore contractors")],
    "31a": [
        ("항공기 제작사", "aircraft manufacturers"),
        ("방산 체계 기업", "defence prime contractors"),
    ],
    "32": [("사무용 가구 유통사", "office-furniture distributors")],
    "33": [("국내 유통사", "domestic distributors"), ("해외 바이어", "export buyers")],
}

SURNAMES = [
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
    "황",
    "안",
    "송",
    "류",
    "전",
]
GIVEN = [
    "민수",
    "지훈",
    "현우",
    "서연",
    "지은",
    "동현",
    "성민",
    "영호",
    "정희",
    "수진",
    "태호",
    "은정",
    "재원",
    "미경",
    "상훈",
    "혜진",
    "준호",
    "경수",
    "하나",
    "승우",
    "유나",
    "도윤",
    "은비",
    "창호",
    "명숙",
    "기현",
    "소영",
    "병철",
]
MAIL_LOCALS = ["ceo", "contact", "info", "sales", "biz", "ax", "plant", "office"]


# smart-factory level -> sentences describing the plant's systems.
STATE_KO = {
    "none": [
        "아직 스마트공장 시스템은 없고 생산 실적은 수기 일지로 관리합니다.",
        "전산은 회계 프로그램 정도이며 설비 데이터는 모으지 않고 있습니다.",
    ],
    "basic": [
        "스마트공장 기초 단계로 ERP와 생산 실적 입력을 하고 있지만 데이터 분석은 아직입니다.",
        "POP 단말로 생산 실적을 모으기 시작했고, 다음 단계로 설비 데이터 수집을 검토하고 있습니다.",
    ],
    "intermediate1": [
        "MES와 설비 PLC를 연동해 가동 현황을 실시간으로 보고 있습니다(스마트공장 중간1 수준).",
        "설비 가동과 품질 검사 데이터를 MES로 수집하고 있어 AI 과제를 시작할 기반은 갖췄습니다.",
    ],
    "intermediate2": [
        "MES·QMS와 센서 데이터를 연계해 제품별 품질 이력을 추적하며, 데이터 담당 인력이 있습니다."
    ],
    "advanced": [
        "설비·품질·에너지 데이터를 통합 플랫폼에 모아 자체 분석 모델을 운영하고 있습니다."
    ],
}
STATE_EN = {
    "none": ["There is no smart-factory system yet; output is recorded on paper."],
    "basic": [
        "A basic smart-factory system records orders and output, but the data is not analysed yet."
    ],
    "intermediate1": [
        "MES is linked to the machines' PLCs, so the plant can see equipment status in real time."
    ],
    "intermediate2": [
        "MES, QMS and sensor data are linked for product-level quality traceability, with a dedicated data engineer."
    ],
    "advanced": [
        "Equipment, quality and energy data flow into one platform where in-house models run."
    ],
}

# process -> equipment phrase; description templates.
EQUIPMENT_KO = {
    "press": "프레스 {n}대",
    "machining": "CNC 공작기계 {n}대",
    "welding": "용접기 {n}대",
    "casting": "용해로 {k}기",
    "forging": "단조 프레스 {k}대",
    "assembly": "조립 라인 {k}개",
    "injection_molding": "사출기 {n}대",
    "painting": "도장 부스 {k}개",
    "heat_treatment": "열처리로 {k}기",
    "surface_treatment": "도금 라인 {k}개",
    "mixing": "배합 설비 {k}기",
    "packaging": "포장 라인 {k}개",
    "electronics_smt": "SMT 라인 {k}개",
    "sewing": "재봉기 {n}대",
}
TEMPLATES_KO = [
    "{since}년 {city}에서 문을 연 {product} 제조 업체입니다. {equipment}를 갖추고 주로 {customer}에 납품합니다. {state} {concern}.",
    "{customer}에 {product} 제품을 공급하는 직원 {emp}명 규모의 공장입니다. {state} 현장의 가장 큰 고민으로는 '{concern}'를 꼽습니다.",
    "주력 품목은 {product}입니다. {equipment}로 생산하며 매출의 절반 이상이 {customer} 물량입니다. {concern}. {state}",
    "{city} 소재, {since}년 설립. {product} 생산. {equipment} 보유. {state} 현장에서는 '{concern}'는 이야기가 자주 나옵니다.",
    "{product} 분야에서 {years}년 동안 한 우물을 파 온 회사입니다. {equipment}를 운영하며 {customer}와 거래합니다. {concern}. 데이터를 활용한 개선에 관심이 많습니다.",
]
TEMPLATES_EN = [
    "Founded in {since} in {city}, we make {product} for {customer} with {emp} employees. {state} Our main worry: {concern}.",
    "A {city} plant producing {product}, mostly for {customer}. {state} We would like to use data because {concern}.",
]
