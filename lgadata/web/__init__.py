"""The dashboard's own HTTP surface beside Streamlit's: sign-in, headers and the API.

Starlette only, never Streamlit: serve.py mounts these on the st.App that serves the pages.
"""
