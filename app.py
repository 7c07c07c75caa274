"""The newsdesk dashboard (Streamlit): ``newsdesk dashboard``, or ``streamlit run app.py`` here.

The app itself lives in newsdesk/present/dashboard/app.py, so an installed newsdesk has it too.
"""

from newsdesk.present.dashboard.app import main

main()
