"""What a generated code looks like (claiming and redeeming them: tests/test_codes.py)."""

from __future__ import annotations

from app.codes import pool as code_pool


async def test_generated_codes_are_unguessable_and_easy_to_read() -> None:
    import math

    codes = {code_pool.new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == 14 and not set(code) & set("0O1I") for code in codes)
    assert code_pool.LENGTH * math.log2(len(code_pool.ALPHABET)) >= 60
