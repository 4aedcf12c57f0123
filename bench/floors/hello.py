"""Floor: the smallest Streamlit page. Every dashboard page is timed against this, in the same run.

The sidebar search box is the floor of a filter change: one round trip that rewrites one line of text."""

import streamlit as st

st.title("Hello, world")
st.metric("Floor", "1")
search = st.sidebar.text_input("Search")
st.write(f"Searched for: {search}")
