"""The bench's ceiling: a bare FastAPI + Jinja2 page of 20 table rows, no database, no
middleware (`axmatch bench-pages --throughput` serves it beside the product, in the same run)."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment

PAGE = Environment(autoescape=True).from_string(
    "<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{{ title }}</title>"
    "</head><body><h1>{{ title }}</h1><table><thead><tr><th>과제</th><th>기업</th>"
    "<th>지역</th><th>마감</th></tr></thead><tbody>{% for row in rows %}<tr><td>"
    "<a href='/needs/{{ row.id }}'>{{ row.title }}</a></td><td>{{ row.org }}</td>"
    "<td>{{ row.region }}</td><td>{{ row.deadline }}</td></tr>{% endfor %}</tbody></table>"
    "</body></html>"
)
ROWS = [
    {
        "id": n,
        "title": f"프레스 공정 찍힘 불량 비전 검사 자동화 {n}",
        "org": f"경남정밀 {n}",
        "region": "창원",
        "deadline": "2026-12-31",
    }
    for n in range(1, 21)
]
app = FastAPI()


@app.get("/rows")
def rows() -> HTMLResponse:
    return HTMLResponse(PAGE.render(title="수요 목록", rows=ROWS))
