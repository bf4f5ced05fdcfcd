"""Streamlit glue shared by the pages: state keys, cached wrappers, widgets."""
