"""VietQR payloads: the CRC of a published example, a payload decoded back to what was encoded
(for any account, amount and note), and a damaged or foreign payload refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.errors import QrError
from tothon_funds.domain.vietqr import Transfer, crc16, decode, encode, objects

# A reusable VietQR to a Vietcombank account as published with a VietQR parser
# (github.com/thanhtinhpas1/vietqr-parser), its CRC computed by that implementation.
PUBLISHED = "00020001021238570010A00000072701270006970436011308810004580860208QRIBFTTA53037045802VN6304CD60"


def test_the_crc_of_a_published_example() -> None:
    assert crc16(PUBLISHED[:-4]) == PUBLISHED[-4:]
    napas = objects(objects(PUBLISHED[:-8])["38"])
    assert objects(napas["01"]) == {"00": "970436", "01": "0881000458086"}
    assert napas["02"] == "QRIBFTTA"


def test_a_household_s_payment_qr_reads_as_a_banking_app_reads_it() -> None:
    payload = encode(Transfer("970436", "0881000458086", 150_000, "HO017001 PCTT 2026"))
    assert payload.startswith("000201010212")  # version 01, dynamic: it carries its amount
    root = objects(payload[:-8])
    assert (root["53"], root["54"], root["58"]) == ("704", "150000", "VN")
    assert objects(root["62"]) == {"08": "HO017001 PCTT 2026"}
    assert payload[-8:-4] == "6304"
    assert crc16(payload[:-4]) == payload[-4:]
    assert decode(payload) == Transfer("970436", "0881000458086", 150_000, "HO017001 PCTT 2026")


def test_a_qr_without_an_amount_is_reusable() -> None:
    payload = encode(Transfer("970415", "113366668888"))
    assert objects(payload[:-8])["01"] == "11"
    assert "54" not in objects(payload[:-8])
    assert decode(payload).amount is None


@given(
    bank=st.from_regex(r"\A\d{6}\Z"),
    account=st.from_regex(r"\A[0-9A-Za-z]{1,19}\Z"),
    amount=st.none() | st.integers(min_value=1, max_value=10**12),
    note=st.from_regex(r"\A[A-Za-z0-9 ]{0,25}\Z"),
)
def test_any_transfer_decodes_to_what_was_encoded(
    bank: str, account: str, amount: int | None, note: str
) -> None:
    transfer = Transfer(bank, account, amount, note)
    assert decode(encode(transfer)) == transfer


def test_a_damaged_payload_is_refused() -> None:
    payload = encode(Transfer("970436", "0881000458086", 150_000, "HO017001"))
    with pytest.raises(QrError) as damaged:
        decode(payload.replace("150000", "950000"))
    assert damaged.value.code == "crc"
    foreign = "000201010211" + "5303704" + "5802VN" + "6304"
    with pytest.raises(QrError) as not_vietqr:
        decode(foreign + crc16(foreign))
    assert not_vietqr.value.code == "not_vietqr"


@pytest.mark.parametrize(
    ("transfer", "code"),
    [
        (("97043", "0881000458086", 1, ""), "bank_bin"),
        (("970436", "", 1, ""), "account"),
        (("970436", "0881000458086", 0, ""), "amount"),
        (("970436", "0881000458086", -5, ""), "amount"),
        (("970436", "0881000458086", 1, "Quỹ phòng chống thiên tai"), "note"),  # marks: banks drop them
        (("970436", "0881000458086", 1, "X" * 26), "note"),
    ],
)
def test_what_a_bank_would_refuse_is_refused_when_made(
    transfer: tuple[str, str, int, str], code: str
) -> None:
    with pytest.raises(QrError) as refused:
        Transfer(*transfer)
    assert refused.value.code == code
