"""Tables of feed text on the dashboard: every cell inert, including in the table's CSV download.

Streamlit's dataframes offer "Download as CSV"; a cell that starts with ``= + - @``, a tab or a
carriage return is a formula to a spreadsheet (``=HYPERLINK(...)``), so such cells are shown, and
downloaded, with a leading apostrophe, as OWASP recommends.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd
import streamlit as st

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:  # noqa: ANN401 (any cell)
    """The value, with an apostrophe before text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV for a spreadsheet, every text cell made inert."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows({key: inert_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def table(data: list[dict[str, Any]] | pd.DataFrame, **options: Any) -> None:  # noqa: ANN401
    """``st.dataframe`` of ``data`` with every text cell made inert."""
    if isinstance(data, pd.DataFrame):
        frame = data.copy()
        for column in frame.columns[frame.dtypes == object]:
            frame[column] = frame[column].map(inert_cell)
        st.dataframe(frame, **options)
    else:
        st.dataframe([{key: inert_cell(value) for key, value in row.items()} for row in data], **options)
