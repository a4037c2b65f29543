"""The CBP entry-number check digit (19 CFR 142.3a; CBP CATAIR Appendix E, "Valid Entry Numbers").

An entry number is ``XXX-NNNNNNN-C``: a 3-character entry filer code (letters or digits), a
7-digit number the filer assigns, and a check digit computed from the first 10 characters.

Algorithm (modulus 10, IBM "self-check" / Luhn form, the one CBP's appendix describes):
1. Letters in the filer code become digits by the punched-card table A-I = 1-9, J-R = 1-9,
   S-Z = 2-9 (so A=1, J=1, S=2, Z=9).
2. Counting from the rightmost of the 10 characters, double every other digit starting with the
   rightmost; a doubled value of 10 or more contributes the sum of its two digits.
3. Add everything; the check digit is what brings the sum up to the next multiple of 10.

``ABC-1234567-6`` (the DESIGN example) checks out: 1 2 3 1 2 3 4 5 6 7 -> 34 -> 6.
A wrong check digit is not a reject; another stage turns ``False`` into a warning flag.
"""

from __future__ import annotations

import string

import polars as pl

_LETTER_DIGITS = "12345678912345678923456789"
CHAR_VALUE: dict[str, int] = {
    **{str(d): d for d in range(10)},
    **{c: int(v) for c, v in zip(string.ascii_uppercase, _LETTER_DIGITS, strict=True)},
}
_SHAPE = r"^[A-Z0-9]{3}[0-9]{8}$"


def check_digit(base: str) -> int:
    """Check digit of the first 10 characters of an entry number ("ABC1234567" -> 6)."""
    chars = base.upper().replace("-", "").replace(" ", "")
    if len(chars) != 10 or any(c not in CHAR_VALUE for c in chars):
        raise ValueError(f"entry number base {base!r} is not 3 filer characters + 7 digits")
    total = 0
    for i, c in enumerate(reversed(chars)):
        v = CHAR_VALUE[c] * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return (10 - total % 10) % 10


def _check_series(numbers: pl.Series) -> pl.Series:
    """Entry numbers -> True/False/null, on whole Series (no per-row Python).

    Runs once per batch through ``map_batches`` so each intermediate is computed once; inside a
    plain expression tree polars would re-evaluate the cleaned string once per digit."""
    clean = numbers.str.to_uppercase().str.replace_all(r"[\s\-]", "")
    letters = [c for c in CHAR_VALUE if c.isalpha()]
    filer = clean.str.slice(0, 3).str.replace_many(letters, [str(CHAR_VALUE[c]) for c in letters])
    base = (filer + clean.str.slice(3, 7)).cast(pl.Int64, strict=False)
    total = pl.zeros(len(numbers), dtype=pl.Int64, eager=True)
    for k in range(10):  # k = position from the right; even k -> doubled
        digit = (base // 10**k) % 10
        if k % 2 == 0:
            digit = digit * 2
            digit = digit - (digit > 9).cast(pl.Int64) * 9
        total = total + digit
    given = clean.str.slice(10, 1).cast(pl.Int64, strict=False)
    ok = ((10 - total % 10) % 10) == given
    return pl.select(pl.when(clean.str.contains(_SHAPE)).then(ok)).to_series()


def entry_check_digit_ok(expr: pl.Expr) -> pl.Expr:
    """True/False for a number in ``XXX-NNNNNNN-C`` shape (hyphens, spaces, case ignored); null
    when it is not in a checkable shape (wrong length, letters outside the filer code)."""
    return expr.cast(pl.String).map_batches(
        _check_series, return_dtype=pl.Boolean, is_elementwise=True
    )
