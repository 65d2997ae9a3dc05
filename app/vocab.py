"""Controlled vocabularies shared by profiles, needs, filters, seed data and matching.

Codes are stable identifiers stored in the database; labels are (Korean, English).
Specialty fields and KSIC divisions follow the public lists in shared/reference.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    ko: str
    en: str
    group: str = ""

    def label(self, locale: str) -> str:
        return self.en if locale == "en" else self.ko


def _terms(rows: list[tuple[str, ...]]) -> dict[str, Term]:
    return {row[0]: Term(*row) for row in rows}


SPECIALTIES = _terms(
    [
        ("robot", "산업용로봇", "Industrial robots", "automation"),
        ("smart_equipment", "스마트장비", "Smart equipment", "automation"),
        ("machine_vision", "식별시스템/머신비전", "Identification / machine vision", "automation"),
        ("controller", "제어시스템/컨트롤러", "Control systems / controllers", "connectivity"),
        ("sensor", "센서/액추에이터", "Sensors / actuators", "connectivity"),
        ("network", "통신네트워크장비", "Network equipment", "connectivity"),
        ("erp", "ERP", "ERP", "information"),
        ("plm", "PLM/PDM", "PLM/PDM", "information"),
        ("scm_wms", "SCM/WMS", "SCM/WMS", "information"),
        ("mes", "MES/POP/APS", "MES/POP/APS", "information"),
        ("fems", "FEMS", "FEMS", "information"),
        ("qms_cmms", "QMS/CMMS", "QMS/CMMS", "information"),
        ("cloud", "클라우드컴퓨팅", "Cloud computing", "intelligent"),
        ("cps_twin", "CPS/디지털트윈", "CPS / digital twin", "intelligent"),
        ("mfg_ai", "제조빅데이터/제조AI", "Manufacturing big data / AI", "intelligent"),
        ("xr", "AR/VR/MR", "AR/VR/MR", "intelligent"),
        ("consulting_security", "컨설팅/사이버보안", "Consulting / cybersecurity", "intelligent"),
    ]
)

SPECIALTY_GROUPS = _terms(
    [
        ("automation", "자동화기기", "Automation equipment"),
        ("connectivity", "연결화기기", "Connectivity equipment"),
        ("information", "정보화솔루션", "Information solutions"),
        ("intelligent", "지능형서비스", "Intelligent services"),
    ]
)

AI_TECHNIQUES = _terms(
    [
        ("vision_inspection", "비전 검사", "Vision inspection"),
        ("predictive_maintenance", "예지보전", "Predictive maintenance"),
        ("process_optimization", "공정 최적화", "Process optimisation"),
        ("quality_prediction", "품질 예측", "Quality prediction"),
        ("demand_forecasting", "수요 예측", "Demand forecasting"),
        ("supply_chain", "공급망 최적화", "Supply-chain optimisation"),
        ("scheduling", "생산 스케줄링", "Production scheduling"),
        ("energy_optimization", "에너지 최적화", "Energy optimisation"),
        ("safety_monitoring", "안전 모니터링", "Safety monitoring"),
        ("genai_document", "생성형 AI / 문서 검색", "Generative AI / document search"),
        ("robotics", "로봇 지능화", "Robotics"),
        ("digital_twin", "디지털 트윈", "Digital twin"),
        ("data_platform", "데이터 수집·플랫폼", "Data collection / platform"),
    ]
)

PROCESSES = _terms(
    [
        ("press", "프레스", "Press"),
        ("forging", "단조", "Forging"),
        ("casting", "주조", "Casting"),
        ("welding", "용접", "Welding"),
        ("injection_molding", "사출성형", "Injection moulding"),
        ("machining", "절삭가공(CNC)", "Machining (CNC)"),
        ("painting", "도장", "Painting"),
        ("assembly", "조립", "Assembly"),
        ("heat_treatment", "열처리", "Heat treatment"),
        ("surface_treatment", "표면처리", "Surface treatment"),
        ("inspection", "검사", "Inspection"),
        ("packaging", "포장", "Packaging"),
        ("logistics", "물류·창고", "Logistics / warehousing"),
        ("mixing", "배합·용해", "Mixing / dissolving"),
        ("sewing", "봉제", "Sewing"),
        ("electronics_smt", "전자부품 실장(SMT)", "Electronics assembly (SMT)"),
    ]
)

INDUSTRIES = _terms(
    [
        ("10", "식료품 제조업", "Food products"),
        ("11", "음료 제조업", "Beverages"),
        ("12", "담배 제조업", "Tobacco products"),
        ("13", "섬유제품 제조업; 의복 제외", "Textiles, except apparel"),
        ("14", "의복, 의복 액세서리 및 모피제품 제조업", "Wearing apparel, accessories and fur"),
        ("15", "가죽, 가방 및 신발 제조업", "Leather, bags and footwear"),
        ("16", "목재 및 나무제품 제조업; 가구 제외", "Wood products, except furniture"),
        ("17", "펄프, 종이 및 종이제품 제조업", "Pulp, paper and paper products"),
        ("18", "인쇄 및 기록매체 복제업", "Printing and reproduction of recorded media"),
        ("19", "코크스, 연탄 및 석유정제품 제조업", "Coke and refined petroleum products"),
        ("20", "화학 물질 및 화학제품 제조업; 의약품 제외", "Chemicals, except pharmaceuticals"),
        ("21", "의료용 물질 및 의약품 제조업", "Pharmaceuticals and medicinal chemicals"),
        ("22", "고무 및 플라스틱제품 제조업", "Rubber and plastic products"),
        ("23", "비금속 광물제품 제조업", "Other non-metallic mineral products"),
        ("24", "1차 금속 제조업", "Basic metals"),
        ("25", "금속 가공제품 제조업; 기계 및 가구 제외", "Fabricated metal products"),
        (
            "26",
            "전자 부품, 컴퓨터, 영상, 음향 및 통신장비 제조업",
            "Electronic components, computers and communication equipment",
        ),
        (
            "27",
            "의료, 정밀, 광학 기기 및 시계 제조업",
            "Medical, precision and optical instruments",
        ),
        ("28", "전기장비 제조업", "Electrical equipment"),
        ("29", "기타 기계 및 장비 제조업", "Other machinery and equipment"),
        ("30", "자동차 및 트레일러 제조업", "Motor vehicles and trailers (auto parts)"),
        ("31", "기타 운송장비 제조업", "Other transport equipment (ships, aerospace, rail)"),
        ("32", "가구 제조업", "Furniture"),
        ("33", "기타 제품 제조업", "Other manufacturing"),
    ]
)

REGIONS = _terms(
    [
        ("gn-changwon", "경남 창원시", "Changwon, Gyeongnam", "gyeongnam"),
        ("gn-jinju", "경남 진주시", "Jinju, Gyeongnam", "gyeongnam"),
        ("gn-tongyeong", "경남 통영시", "Tongyeong, Gyeongnam", "gyeongnam"),
        ("gn-sacheon", "경남 사천시", "Sacheon, Gyeongnam", "gyeongnam"),
        ("gn-gimhae", "경남 김해시", "Gimhae, Gyeongnam", "gyeongnam"),
        ("gn-miryang", "경남 밀양시", "Miryang, Gyeongnam", "gyeongnam"),
        ("gn-geoje", "경남 거제시", "Geoje, Gyeongnam", "gyeongnam"),
        ("gn-yangsan", "경남 양산시", "Yangsan, Gyeongnam", "gyeongnam"),
        ("gn-uiryeong", "경남 의령군", "Uiryeong, Gyeongnam", "gyeongnam"),
        ("gn-haman", "경남 함안군", "Haman, Gyeongnam", "gyeongnam"),
        ("gn-changnyeong", "경남 창녕군", "Changnyeong, Gyeongnam", "gyeongnam"),
        ("gn-goseong", "경남 고성군", "Goseong, Gyeongnam", "gyeongnam"),
        ("gn-namhae", "경남 남해군", "Namhae, Gyeongnam", "gyeongnam"),
        ("gn-hadong", "경남 하동군", "Hadong, Gyeongnam", "gyeongnam"),
        ("gn-sancheong", "경남 산청군", "Sancheong, Gyeongnam", "gyeongnam"),
        ("gn-hamyang", "경남 함양군", "Hamyang, Gyeongnam", "gyeongnam"),
        ("gn-geochang", "경남 거창군", "Geochang, Gyeongnam", "gyeongnam"),
        ("gn-hapcheon", "경남 합천군", "Hapcheon, Gyeongnam", "gyeongnam"),
        ("seoul", "서울특별시", "Seoul", "other"),
        ("busan", "부산광역시", "Busan", "other"),
        ("daegu", "대구광역시", "Daegu", "other"),
        ("incheon", "인천광역시", "Incheon", "other"),
        ("gwangju", "광주광역시", "Gwangju", "other"),
        ("daejeon", "대전광역시", "Daejeon", "other"),
        ("ulsan", "울산광역시", "Ulsan", "other"),
        ("sejong", "세종특별자치시", "Sejong", "other"),
        ("gyeonggi", "경기도", "Gyeonggi", "other"),
        ("gangwon", "강원특별자치도", "Gangwon", "other"),
        ("chungbuk", "충청북도", "North Chungcheong", "other"),
        ("chungnam", "충청남도", "South Chungcheong", "other"),
        ("jeonbuk", "전북특별자치도", "North Jeolla", "other"),
        ("jeonnam", "전라남도", "South Jeolla", "other"),
        ("gyeongbuk", "경상북도", "North Gyeongsang", "other"),
        ("jeju", "제주특별자치도", "Jeju", "other"),
    ]
)

SF_LEVELS = _terms(
    [
        ("none", "미구축", "None"),
        ("basic", "기초", "Basic"),
        ("intermediate1", "중간1", "Intermediate 1"),
        ("intermediate2", "중간2", "Intermediate 2"),
        ("advanced", "고도화", "Advanced"),
    ]
)
SF_LEVEL_ORDER = {code: rank for rank, code in enumerate(SF_LEVELS)}

SYSTEMS = _terms(
    [
        ("mes", "MES", "MES"),
        ("erp", "ERP", "ERP"),
        ("plc", "PLC", "PLC"),
        ("sensors", "센서", "Sensors"),
        ("scada", "SCADA", "SCADA"),
        ("qms", "QMS", "QMS"),
    ]
)

KPI_METRICS = _terms(
    [
        ("defect_rate", "불량률", "Defect rate"),
        ("inspection_accuracy", "검사 정확도", "Inspection accuracy"),
        ("throughput", "생산량(처리량)", "Throughput"),
        ("productivity", "생산성", "Productivity"),
        ("cost", "비용", "Cost"),
        ("lead_time", "납기 리드타임", "Delivery lead time"),
        ("energy", "에너지 사용량", "Energy use"),
        ("accidents", "산업재해", "Industrial accidents"),
    ]
)

REVENUE_BANDS = _terms(
    [
        ("lt10", "10억 원 미만", "Under KRW 1 bn"),
        ("10-50", "10억~50억 원", "KRW 1-5 bn"),
        ("50-100", "50억~100억 원", "KRW 5-10 bn"),
        ("100-500", "100억~500억 원", "KRW 10-50 bn"),
        ("500-1000", "500억~1,000억 원", "KRW 50-100 bn"),
        ("gte1000", "1,000억 원 이상", "KRW 100 bn or more"),
    ]
)


def is_in_province(region: str | None) -> bool:
    return bool(region) and REGIONS[region].group == "gyeongnam" if region in REGIONS else False


# Without a target that says which way is better, these metrics improve by going down.
LOWER_IS_BETTER = frozenset({"defect_rate", "cost", "lead_time", "energy", "accidents"})


def lower_is_better(metric: str, baseline: float | None, target: float | None) -> bool:
    """A target below the baseline says lower is better; otherwise the metric's nature does."""
    if target is not None and baseline is not None and target != baseline:
        return target < baseline
    return metric in LOWER_IS_BETTER


def meets_target(metric: str, baseline: float | None, target: float, value: float) -> bool:
    """The measured value reached the target, in the direction that is better."""
    return value <= target if lower_is_better(metric, baseline, target) else value >= target


# KPI units: one code per way of measuring, so the dashboard compares like with like. The
# unit column keeps a code; a spelling nobody mapped yet stays as typed (and shows as typed).
KPI_UNITS = _terms(
    [
        ("percent", "%", "%"),
        ("ppm", "ppm", "ppm"),
        ("count", "건", "cases"),
        ("count_per_month", "건/월", "cases/month"),
        ("count_per_year", "건/년", "cases/year"),
        ("people", "명", "people"),
        ("minutes_per_item", "분/건", "min/item"),
        ("hours", "시간", "hours"),
        ("hours_per_day", "시간/일", "hours/day"),
        ("hours_per_year", "시간/년", "hours/year"),
        ("days", "일", "days"),
        ("days_per_item", "일/건", "days/item"),
        ("weeks", "주", "weeks"),
        ("manwon_per_year", "만원/년", "KRW 10k/year"),
        ("kwh_per_month", "kWh/월", "kWh/month"),
        ("kw", "kW", "kW"),
    ]
)

# Spellings found in needs and engagements, and the code each means (migration 2026_12_06).
UNIT_SPELLINGS = {
    "%": "percent",
    "ppm": "ppm",
    "건": "count",
    "회": "count",
    "개": "count",
    "건/월": "count_per_month",
    "회/월": "count_per_month",
    "개/월": "count_per_month",
    "near misses/month": "count_per_month",
    "건/년": "count_per_year",
    "로트/년": "count_per_year",
    "incidents/year": "count_per_year",
    "returns/year": "count_per_year",
    "명": "people",
    "분/건": "minutes_per_item",
    "분/매": "minutes_per_item",
    "분/패널": "minutes_per_item",
    "min/batch": "minutes_per_item",
    "시간": "hours",
    "h": "hours",
    "시간/일": "hours_per_day",
    "h/day": "hours_per_day",
    "시간/년": "hours_per_year",
    "h/year": "hours_per_year",
    "일": "days",
    "days": "days",
    "일/건": "days_per_item",
    "days/report": "days_per_item",
    "주": "weeks",
    "weeks": "weeks",
    "만원/년": "manwon_per_year",
    "만원/year": "manwon_per_year",
    "kwh/month": "kwh_per_month",
    "kwh/월": "kwh_per_month",
    "kw": "kw",
}


def unit_code(text: str) -> str:
    """The code a typed unit means; an unknown spelling is kept as typed."""
    cleaned = text.strip()
    if cleaned in KPI_UNITS:
        return cleaned
    return UNIT_SPELLINGS.get(" ".join(cleaned.lower().split()), cleaned)
