"""A household upload that would exhaust the server is refused with a problem, fast: an XLSX file
of a few kilobytes that declares a million rows of 16,384 columns and merges them used to keep an
import's thread busy for hours (the shared reader now stops it at its cell limit)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from registry_world import World
from sheets import upload

from tothon_registry.imports.columns import COLUMNS
from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def commune(runtime: ServiceRuntime) -> Iterator[World]:
    with TestClient(create_service_api(runtime), raise_server_exceptions=False) as api:
        world = World(runtime, api)
        world.sign_in_as("leader")
        yield world


def _huge_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([c.header for c in COLUMNS])
    sheet.append(["HO-1", "Nguyễn Văn Hùng", "Chủ hộ"])
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>HO-2</t></is></c></row>'
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', data.decode())
                merge = '<mergeCells><mergeCell ref="P1:XFD1048576"/></mergeCells>'
                data = xml.replace("</sheetData>", far + "</sheetData>" + merge).encode()
            target.writestr(part.filename, data)
    return out.getvalue()


@pytest.mark.timeout(120)
def test_a_tiny_xlsx_declaring_a_huge_sheet_is_refused_with_a_problem_not_a_hung_import(
    commune: World,
) -> None:
    content = _huge_workbook()
    assert len(content) < 20_000
    began = time.perf_counter()
    refused = upload(commune, content, "so-ho.xlsx")
    assert time.perf_counter() - began < 30
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "sheet.too_large"
    assert "quá lớn" in body["title"] + body.get("detail", "")
