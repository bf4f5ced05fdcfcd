"""Kakehashi's pure analysis core: survey files in, tidy tables out. Never imports streamlit."""
