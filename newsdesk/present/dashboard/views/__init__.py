"""One module per dashboard page; each page is ``render(db, filter)``.

Feed text is shown through tables.table (st.dataframe with formula cells made inert), st.text or
escaped Markdown, never as HTML.
"""
