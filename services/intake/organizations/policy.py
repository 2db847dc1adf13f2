"""统一社会信用代码 (unified social credit code) checks per GB 32100-2015.

Pure functions so the check digit can be tested against real-shaped codes without a database.
"""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(body: str) -> str | None:
    """The 18th character for the first 17, or None when a character is outside the charset."""
    if len(body) != LENGTH - 1 or any(c not in CHARSET for c in body):
        return None
    total = sum(CHARSET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True when the code has 18 characters of the charset and a correct check character."""
    if len(code) != LENGTH:
        return False
    expected = check_character(code[:-1])
    return expected is not None and code[-1] == expected
