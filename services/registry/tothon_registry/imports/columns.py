"""The household spreadsheet's columns and words, defined once: the import reads them, the template
and the import screen's help explain them, and the export writes them (so an exported file reads
back). The words are the sheet's names for the domain's values (``Relationship``, ``Sex``,
``ResidenceStatus``): the export writes a value's first word, the import reads any of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tothon_registry.domain.household import Relationship
from tothon_registry.domain.person_details import ResidenceStatus, Sex
from tothon_shared.kernel.text import fold
from tothon_shared.sheet_values import header_names


@dataclass(frozen=True)
class Column:
    """A column: its header as communes write it, other headers read as the same column, whether
    a row needs it, what it holds (Vietnamese and English) and an example value."""

    field: str
    header: str
    english: str
    required: bool
    note_vi: str
    note_en: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã hộ",
        "household code",
        True,
        "Mã của hộ trong tổ/thôn; mọi thành viên của một hộ ghi cùng một mã.",
        "The household's code in the group or village; every member of a household has the same code.",
        "HO-001",
        ("mã số hộ", "số hộ"),
    ),
    Column(
        "full_name",
        "Họ và tên",
        "full name",
        True,
        "Họ, tên đệm và tên; viết hoa toàn bộ cũng được (sẽ viết lại cho đúng).",
        "Family, middle and given names; all capitals are fine (they are rewritten).",
        "Nguyễn Văn Hùng",
        ("họ tên",),
    ),
    Column(
        "relationship",
        "Quan hệ với chủ hộ",
        "relationship to the head",
        True,
        "Chủ hộ, Vợ, Chồng, Con, Cha, Mẹ, Ông, Bà, Cháu, Anh, Chị, Em hoặc Khác; mỗi hộ đúng một Chủ hộ.",
        "Chủ hộ (head), Vợ/Chồng (spouse), Con (child), Cha/Mẹ (parent), Ông/Bà (grandparent), "
        "Cháu (grandchild), Anh/Chị/Em (sibling) or Khác (other); exactly one head per household.",
        "Chủ hộ",
        ("quan hệ",),
    ),
    Column(
        "sex",
        "Giới tính",
        "sex",
        False,
        "Nam hoặc Nữ.",
        "Nam (male) or Nữ (female).",
        "Nam",
    ),
    Column(
        "birth",
        "Ngày sinh",
        "date of birth",
        False,
        "Ngày/tháng/năm (vd. 05/03/1985), hoặc chỉ năm sinh nếu không rõ ngày.",
        "Day/month/year (e.g. 05/03/1985), or the year alone when the day is not known.",
        "12/04/1972",
        ("ngày tháng năm sinh", "năm sinh"),
    ),
    Column(
        "citizen_id",
        "Số định danh",
        "citizen ID",
        False,
        "Số định danh cá nhân (CCCD) 12 chữ số; định dạng cột là Văn bản để Excel giữ số 0 ở đầu.",
        "The 12-digit citizen ID (CCCD); format the column as Text so that Excel keeps the leading 0.",
        "048072000101",
        ("số cccd", "cccd", "số căn cước", "số căn cước công dân", "số định danh cá nhân"),
    ),
    Column(
        "phone",
        "Số điện thoại",
        "phone",
        False,
        "Số di động hoặc cố định Việt Nam (0905…, 84905…, +84905…); chỉ được lưu khi người dân đồng ý "
        "nhận thông báo.",
        "A Vietnamese mobile or fixed-line number (0905…, 84905…, +84905…); kept only with the "
        "person's consent to be contacted.",
        "0905 123 456",
        ("điện thoại", "sđt", "số đt"),
    ),
    Column(
        "consent",
        "Đồng ý nhận thông báo",
        "consents to notifications",
        False,
        "Có nếu người dân đồng ý nhận thông báo qua số điện thoại; để trống, hoặc không có cột này, là "
        "không đồng ý.",
        "Có (yes) if the person agrees to be notified on their phone; blank, or no such column, is no.",
        "Có",
    ),
    Column(
        "ethnicity",
        "Dân tộc",
        "ethnicity",
        False,
        "Tên dân tộc (tối đa 60 ký tự).",
        "The ethnic group (at most 60 characters).",
        "Kinh",
    ),
    Column(
        "religion",
        "Tôn giáo",
        "religion",
        False,
        "Tôn giáo, nếu có (tối đa 60 ký tự).",
        "The religion, if any (at most 60 characters).",
        "Không",
    ),
    Column(
        "occupation",
        "Nghề nghiệp",
        "occupation",
        False,
        "Nghề nghiệp (tối đa 100 ký tự).",
        "The occupation (at most 100 characters).",
        "Buôn bán",
    ),
    Column(
        "residence_status",
        "Cư trú",
        "residence",
        False,
        "Thường trú, Tạm trú hoặc Tạm vắng.",
        "Thường trú (permanent), Tạm trú (temporary) or Tạm vắng (declared absence).",
        "Thường trú",
        ("tình trạng cư trú",),
    ),
    Column(
        "residence_valid_until",
        "Tạm trú đến",
        "temporary residence until",
        False,
        "Ngày hết hạn tạm trú (ngày/tháng/năm); chỉ ghi khi Cư trú là Tạm trú, và khi đó bắt buộc.",
        "When the temporary residence ends (day/month/year); only, and always, with Tạm trú.",
        "",
    ),
)
BY_FIELD = {c.field: c for c in COLUMNS}
# Folded header (case, tones and spacing do not matter) → field.
HEADERS = {fold(name): c.field for c in COLUMNS for name in (c.header, *c.aliases)}
REQUIRED = tuple(c.field for c in COLUMNS if c.required)


_DECORATION = re.compile(r"\(.*\)|[*:/]")  # "/" between words: "Ngày/tháng/năm sinh"


def field_of(header: str) -> str | None:
    """The field a header names, or None for a column the import does not read; a note in
    brackets or a star marking a required column (``Ngày sinh (dd/mm/yyyy)``, ``Mã hộ *``) is
    part of the header as clerks write it, not of its name."""
    for name in header_names(header):  # "Họ và tên / Full name" is known by its Vietnamese
        found = HEADERS.get(fold(_DECORATION.sub(" ", name)))
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Words:
    """A value's words in the sheet: what the export writes for a man (or a person of unknown
    sex) and for a woman, and what else the import reads as the same value."""

    male: str
    female: str
    also: tuple[str, ...] = ()

    def written(self, sex: str | None) -> str:
        return self.female if sex == Sex.FEMALE else self.male

    def read(self) -> tuple[str, ...]:
        return (self.male, self.female, *self.also)


RELATIONSHIP_WORDS: dict[Relationship, Words] = {
    Relationship.HEAD: Words("Chủ hộ", "Chủ hộ"),
    Relationship.SPOUSE: Words("Chồng", "Vợ"),
    Relationship.CHILD: Words("Con", "Con", ("Con trai", "Con gái")),
    Relationship.PARENT: Words("Cha", "Mẹ", ("Bố",)),
    Relationship.GRANDPARENT: Words("Ông", "Bà", ("Ông nội", "Ông ngoại", "Bà nội", "Bà ngoại")),
    Relationship.GRANDCHILD: Words("Cháu", "Cháu", ("Cháu nội", "Cháu ngoại")),
    Relationship.SIBLING: Words("Anh", "Chị", ("Em", "Anh trai", "Chị gái", "Em trai", "Em gái")),
    Relationship.OTHER: Words("Khác", "Khác"),
}
SEX_WORDS: dict[Sex, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
RESIDENCE_WORDS: dict[ResidenceStatus, str] = {
    ResidenceStatus.PERMANENT: "Thường trú",
    ResidenceStatus.TEMPORARY: "Tạm trú",
    ResidenceStatus.DECLARED_ABSENCE: "Tạm vắng",
}
# Consent to notifications: the export writes the first word, the import reads any as yes.
YES_WORDS = ("Có", "x", "yes", "đồng ý", "1")

# Folded word (case and tones do not matter) → value, as the import reads them.
RELATIONSHIPS: dict[str, Relationship] = {
    fold(word): value for value, words in RELATIONSHIP_WORDS.items() for word in words.read()
}
SEXES: dict[str, Sex] = {fold(word): value for value, word in SEX_WORDS.items()}
RESIDENCES: dict[str, ResidenceStatus] = {fold(word): value for value, word in RESIDENCE_WORDS.items()}
YES = frozenset(map(fold, YES_WORDS))
