"""Household spreadsheets for the registry's import and export tests, and the upload helpers."""

from __future__ import annotations

import time
from typing import Any

from registry_world import World

HEADER = ",".join(
    [
        "Mã hộ",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Giới tính",
        "Ngày sinh",
        "Số định danh",
        "Số điện thoại",
        "Đồng ý nhận thông báo",
        "Cư trú",
    ]
)
GOOD = [
    "HO-101,NGUYỄN VĂN HÙNG,Chủ hộ,Nam,12/04/1972,048072000101,0905 123 456,Có,Thường trú",
    "HO-101,Trần Thị Mai,Vợ,Nữ,1975,,,,Thường trú",
    "HO-102,Lê Thị Hoa,Chủ hộ,Nữ,03/02/1968,048168000102,,,Thường trú",
]


def upload(world: World, content: bytes, filename: str = "ho-khau.csv", who: str = "leader") -> Any:
    return world.api.post(
        "/api/v1/imports",
        params={"unit_id": str(world.group), "filename": filename},
        content=content,
        headers=world.clients[who] | {"Content-Type": "application/octet-stream"},
    )


def finished(world: World, import_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = world.api.get(f"/api/v1/imports/{import_id}", headers=world.clients["leader"]).json()
        if job["status"] != "running":
            return dict(job)
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig")
