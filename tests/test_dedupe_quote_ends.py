"""dedupe: quote ends in a join's key are found by looking only for the marks
a folded key can hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stages import dedupe


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="春秋。？?！!）)；;”』…ＡA a", max_size=60))
def test_quote_ends_of_a_folded_key_are_all_found(text: str) -> None:
    key = dedupe._fold_width(text)
    plain = [index + 1 for index, char in enumerate(key) if char in dedupe._QUOTE_ENDS]
    assert sorted(dedupe._quote_end_positions(key)) == plain
