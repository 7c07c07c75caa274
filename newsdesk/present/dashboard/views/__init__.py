"""One module per dashboard page; each page is ``render(db, filter)``.

Feed text is shown through st.dataframe, st.text or escaped Markdown, never as HTML.
"""
