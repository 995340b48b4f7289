"""An amount of đồng in Vietnamese words, as receipts write it ("Bốn mươi lăm nghìn đồng"), by
the rules of reading numbers: "mốt" for a final one after "mươi", "lăm" for a final five after a
tens digit, "linh" for a zero tens digit inside a group, "không trăm" for an empty hundreds place
after a higher group."""

from __future__ import annotations

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three(n: int, inner: bool) -> list[str]:
    """The words of 0-999; ``inner``: a group after a higher one (its hundreds are said)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or inner:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_in_words(n: int) -> str:
    """A whole number from 0 in words (billions repeat "tỷ": 10^12 is "một nghìn tỷ")."""
    if n < 0:
        raise ValueError("a count of đồng is never negative")
    if n == 0:
        return "không"
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        group = groups[index]
        if group == 0:
            if index % 3 == 0 and index and words and words[-1] != "tỷ":
                words.append("tỷ")  # a billions boundary is said even over empty groups
            continue
        words += _three(group, inner=index != top)
        name = _GROUPS[index % 3] if index % 3 else ("tỷ" * (index // 3 > 0) if index else "")
        if name:
            words.append(name)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """ "Bốn mươi lăm nghìn đồng"."""
    text = number_in_words(amount) + " đồng"
    return text[0].upper() + text[1:]
