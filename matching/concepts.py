"""A bilingual concept lexicon: Korean and English surface forms that name the same thing.

Built from the controlled vocabularies (app/vocab.py and shared/reference: specialty fields,
AI techniques, processes, KSIC industries), extended with standard synonyms and the usual
shop-floor terms for defects, data and equipment. A need and a profile that name a concept in
either language both carry its id, so a Korean need meets an English-only supplier on the
same ids (`matching.lexical`).

Matching rules: an English form matches whole stemmed words in sequence (`lexical.en_words`);
a Korean form matches as a substring of the text with spaces removed (Korean compounds are
written with and without spaces: 비전검사 / 비전 검사). Keep Korean forms two syllables or
more and specific; a form listed under two concepts counts for both.
"""

from __future__ import annotations

# (concept id, Korean forms, English forms)
CONCEPTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # AI techniques (vocab.AI_TECHNIQUES)
    (
        "vision_inspection",
        ("비전검사", "영상검사", "외관검사", "머신비전", "비전", "카메라검사", "육안검사"),
        (
            "vision inspection",
            "machine vision",
            "visual inspection",
            "computer vision",
            "optical inspection",
            "camera",
            "image inspection",
            "vision system",
            "vision",
        ),
    ),
    (
        "predictive_maintenance",
        ("예지보전", "예측정비", "고장예측", "설비고장", "예방정비", "설비보전"),
        (
            "predictive maintenance",
            "failure prediction",
            "condition monitoring",
            "preventive maintenance",
            "equipment failure",
            "breakdown",
            "downtime",
        ),
    ),
    (
        "process_optimization",
        ("공정최적화", "공정조건", "조건최적화", "파라미터최적화", "수율"),
        (
            "process optimization",
            "process optimisation",
            "process parameter",
            "yield",
            "parameter optimization",
            "setpoint",
        ),
    ),
    (
        "quality_prediction",
        ("품질예측", "불량예측", "품질예측모델", "양불판정", "품질관리"),
        (
            "quality prediction",
            "defect prediction",
            "quality control",
            "quality assurance",
            "predict quality",
            "pass fail",
        ),
    ),
    (
        "demand_forecasting",
        ("수요예측", "판매예측", "주문예측", "출하예측"),
        ("demand forecasting", "demand forecast", "sales forecast", "forecasting"),
    ),
    (
        "supply_chain",
        ("공급망", "구매", "조달", "재고최적화", "재고관리", "재고"),
        ("supply chain", "procurement", "inventory", "purchasing", "supplier"),
    ),
    (
        "scheduling",
        ("스케줄링", "생산계획", "일정계획", "작업지시", "생산일정"),
        ("scheduling", "production planning", "production schedule", "job shop", "aps"),
    ),
    (
        "energy_optimization",
        ("에너지", "전력", "전기요금", "피크전력", "에너지절감", "압축공기", "에너지효율"),
        (
            "energy",
            "power consumption",
            "electricity",
            "peak load",
            "energy saving",
            "compressed air",
            "fems",
        ),
    ),
    (
        "safety_monitoring",
        ("안전", "산업재해", "협착", "끼임", "안전사고", "작업자보호", "위험구역"),
        ("safety", "worker safety", "accident", "hazard", "injury", "ppe", "danger zone"),
    ),
    (
        "genai_document",
        ("생성형", "문서검색", "챗봇", "대규모언어모델", "질의응답", "문서요약", "기술문서"),
        (
            "generative ai",
            "large language model",
            "llm",
            "chatbot",
            "document search",
            "question answering",
            "summarization",
            "summarisation",
            "gpt",
            "rag",
            "retrieval augmented",
        ),
    ),
    (
        "robotics",
        ("로봇", "협동로봇", "피킹", "빈피킹", "로봇팔"),
        (
            "robot",
            "robotic",
            "cobot",
            "collaborative robot",
            "bin picking",
            "pick and place",
            "robot arm",
        ),
    ),
    (
        "digital_twin",
        ("디지털트윈", "시뮬레이션", "가상공장", "cps"),
        ("digital twin", "simulation", "virtual factory", "cyber physical"),
    ),
    (
        "data_platform",
        (
            "데이터수집",
            "데이터플랫폼",
            "센서데이터",
            "iot",
            "엣지",
            "데이터레이크",
            "대시보드",
            "실시간모니터링",
        ),
        (
            "data collection",
            "data platform",
            "sensor data",
            "iot",
            "edge",
            "data lake",
            "dashboard",
            "real time monitoring",
            "data pipeline",
        ),
    ),
    (
        "anomaly_detection",
        ("이상탐지", "이상감지", "이상징후", "이상진단"),
        ("anomaly detection", "anomaly", "outlier", "abnormal", "fault detection"),
    ),
    (
        "ocr_document",
        ("문자인식", "ocr", "서류처리", "문서처리", "판독"),
        (
            "ocr",
            "optical character recognition",
            "document processing",
            "form processing",
            "text extraction",
            "handwriting",
        ),
    ),
    (
        "speech",
        ("음성인식", "음성", "통역", "콜센터"),
        ("speech recognition", "speech", "voice", "transcription", "call center", "ivr"),
    ),
    ("translation", ("번역", "다국어"), ("translation", "translate", "multilingual")),
    (
        "nlp_text",
        ("자연어", "텍스트분석", "텍스트마이닝", "문서분류"),
        (
            "natural language processing",
            "nlp",
            "text analytics",
            "text mining",
            "text classification",
            "document classification",
            "entity extraction",
        ),
    ),
    (
        "fraud_detection",
        ("부정탐지", "사기탐지", "부정행위"),
        ("fraud detection", "fraud", "improper payment"),
    ),
    (
        "image_recognition",
        ("이미지인식", "객체인식", "객체검출", "영상분석", "이미지분류"),
        (
            "image recognition",
            "object detection",
            "image classification",
            "image analysis",
            "video analytics",
            "facial recognition",
            "face recognition",
        ),
    ),
    (
        "deep_learning",
        ("딥러닝", "신경망", "cnn"),
        ("deep learning", "neural network", "cnn", "convolutional"),
    ),
    (
        "machine_learning",
        ("머신러닝", "기계학습", "회귀모델", "분류모델"),
        (
            "machine learning",
            "regression",
            "classification model",
            "random forest",
            "gradient boosting",
            "xgboost",
        ),
    ),
    ("reinforcement_learning", ("강화학습",), ("reinforcement learning",)),
    (
        "geospatial",
        ("위성영상", "항공영상", "gis", "드론"),
        (
            "satellite imagery",
            "aerial imagery",
            "geospatial",
            "gis",
            "drone",
            "remote sensing",
            "lidar",
        ),
    ),
    (
        "cybersecurity",
        ("보안", "사이버보안", "해킹", "침입탐지"),
        (
            "cybersecurity",
            "cyber security",
            "security",
            "intrusion detection",
            "malware",
            "threat detection",
        ),
    ),
    (
        "search_retrieval",
        ("검색", "추천"),
        ("search", "retrieval", "recommendation", "recommender"),
    ),
    # Processes (vocab.PROCESSES)
    (
        "press",
        ("프레스", "판금", "금형", "타발", "스탬핑", "찍힘"),
        ("press", "stamping", "sheet metal", "blanking", "punching"),
    ),
    ("forging", ("단조",), ("forging", "forged")),
    (
        "casting",
        ("주조", "다이캐스팅", "주물", "사형주조", "기공"),
        ("casting", "die casting", "foundry", "porosity", "sand casting"),
    ),
    ("welding", ("용접", "비드", "스패터"), ("welding", "weld", "bead", "spatter")),
    (
        "injection_molding",
        ("사출", "사출성형", "성형기", "금형온도", "미성형"),
        (
            "injection molding",
            "injection moulding",
            "injection",
            "molding",
            "moulding",
            "short shot",
        ),
    ),
    (
        "machining",
        ("절삭", "가공", "cnc", "공구마모", "공구", "선반", "밀링", "머시닝"),
        ("machining", "cnc", "tool wear", "cutting tool", "milling", "turning", "lathe", "spindle"),
    ),
    (
        "painting",
        ("도장", "페인트", "도막", "코팅"),
        ("painting", "paint", "coating", "paint booth", "spray"),
    ),
    (
        "assembly",
        ("조립", "체결", "볼트", "토크"),
        ("assembly", "assembling", "fastening", "screw", "torque"),
    ),
    (
        "heat_treatment",
        ("열처리", "침탄", "담금질", "소둔", "경도", "퀜칭"),
        (
            "heat treatment",
            "carburising",
            "carburizing",
            "quenching",
            "annealing",
            "hardness",
            "furnace",
        ),
    ),
    (
        "surface_treatment",
        ("표면처리", "도금", "아노다이징", "연마"),
        ("surface treatment", "plating", "anodizing", "anodising", "polishing"),
    ),
    (
        "inspection",
        ("검사", "검수", "선별", "측정", "계측", "치수", "3차원측정", "cmm"),
        (
            "inspection",
            "inspect",
            "sorting",
            "measurement",
            "metrology",
            "dimensional",
            "cmm",
            "gauge",
        ),
    ),
    ("packaging", ("포장", "라벨", "충진"), ("packaging", "labeling", "labelling", "filling")),
    (
        "logistics",
        ("물류", "창고", "입출고", "지게차", "운반", "적재"),
        ("logistics", "warehouse", "warehousing", "forklift", "agv", "amr", "shipping"),
    ),
    ("mixing", ("배합", "용해", "혼합", "반죽"), ("mixing", "dissolving", "blending")),
    ("sewing", ("봉제", "재봉"), ("sewing", "garment")),
    (
        "electronics_smt",
        ("smt", "실장", "pcb", "인쇄회로", "솔더", "납땜", "aoi"),
        ("smt", "pcb", "printed circuit", "solder", "soldering", "aoi", "surface mount"),
    ),
    ("extrusion", ("압출",), ("extrusion", "extruder")),
    (
        "fermentation",
        ("발효", "살균", "숙성"),
        ("fermentation", "sterilization", "sterilisation", "pasteurization"),
    ),
    # Defects and inspection methods
    (
        "defect",
        ("불량", "결함", "하자", "흠집", "스크래치", "크랙", "균열", "이물"),
        ("defect", "flaw", "scratch", "crack", "foreign matter", "contamination", "reject"),
    ),
    (
        "xray_ndt",
        ("엑스레이", "x-ray", "비파괴", "초음파검사", "ct"),
        ("x-ray", "xray", "non destructive", "ndt", "ultrasonic", "radiography", "ct scan"),
    ),
    ("vibration", ("진동", "베어링", "소음"), ("vibration", "bearing", "acoustic", "noise")),
    (
        "temperature",
        ("온도", "열화상", "온습도"),
        ("temperature", "thermal", "thermography", "humidity"),
    ),
    ("spc", ("spc", "공정능력", "관리도"), ("spc", "statistical process control", "control chart")),
    ("traceability", ("이력관리", "추적", "로트"), ("traceability", "lot tracking", "genealogy")),
    # Systems (specialty fields)
    ("mes", ("mes", "pop", "생산관리시스템"), ("mes", "manufacturing execution")),
    ("erp", ("erp", "전사적자원관리"), ("erp", "enterprise resource planning")),
    ("plm", ("plm", "pdm", "설계데이터"), ("plm", "pdm", "product lifecycle")),
    ("scm_wms", ("wms", "scm", "창고관리"), ("wms", "scm", "warehouse management")),
    ("qms_cmms", ("qms", "cmms", "설비관리시스템"), ("qms", "cmms", "maintenance management")),
    (
        "plc_control",
        ("plc", "제어기", "컨트롤러", "scada"),
        ("plc", "controller", "scada", "control system"),
    ),
    ("cloud", ("클라우드",), ("cloud", "saas", "aws", "azure")),
    (
        "xr",
        ("증강현실", "가상현실", "ar", "vr"),
        ("augmented reality", "virtual reality", "mixed reality"),
    ),
    # Industries (KSIC divisions)
    (
        "ind_food",
        ("식품", "식료품", "음료", "제과", "고추장", "장류", "김치", "제빵", "육가공"),
        ("food", "beverage", "bakery", "meat processing", "dairy"),
    ),
    ("ind_textile", ("섬유", "의류", "원단", "염색"), ("textile", "apparel", "fabric", "dyeing")),
    (
        "ind_chemical",
        ("화학", "화장품", "도료", "수지"),
        ("chemical", "cosmetic", "resin", "paint manufacturing"),
    ),
    ("ind_pharma", ("의약품", "제약", "바이오"), ("pharmaceutical", "pharma", "drug", "biotech")),
    ("ind_plastic", ("플라스틱", "고무"), ("plastic", "rubber", "polymer")),
    (
        "ind_metal",
        ("철강", "금속", "알루미늄", "제강", "압연"),
        ("steel", "metal", "aluminium", "aluminum", "rolling mill"),
    ),
    (
        "ind_electronics",
        ("전자", "반도체", "디스플레이", "배터리", "이차전지"),
        ("electronics", "semiconductor", "display", "battery", "wafer"),
    ),
    (
        "ind_machinery",
        ("기계", "공작기계", "유압", "펌프", "밸브", "압축기"),
        ("machinery", "machine tool", "hydraulic", "pump", "valve", "compressor"),
    ),
    (
        "ind_automotive",
        ("자동차", "차체", "완성차", "부품사"),
        ("automotive", "vehicle", "car body", "auto parts"),
    ),
    (
        "ind_shipbuilding",
        ("조선", "선박", "해양플랜트"),
        ("shipbuilding", "shipyard", "ship", "vessel", "offshore"),
    ),
    (
        "ind_aerospace",
        ("항공", "우주", "방산"),
        ("aerospace", "aircraft", "aviation", "defense", "defence"),
    ),
    ("ind_rail", ("철도",), ("rail", "railway")),
    ("ind_furniture", ("가구",), ("furniture",)),
    ("ind_paper", ("제지", "종이", "인쇄"), ("paper", "printing", "pulp")),
    (
        "ind_electrical",
        ("전기장비", "변압기", "모터", "전동기", "케이블"),
        ("electrical equipment", "transformer", "motor", "cable"),
    ),
    (
        "ind_medical",
        ("의료기기", "의료", "병원", "환자"),
        ("medical device", "medical", "hospital", "patient", "clinical", "health"),
    ),
)
