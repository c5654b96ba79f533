"""Streamlit helpers shared by the pages: the engine, cached loaders and page furniture."""
