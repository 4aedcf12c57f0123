"""Placeholder until this page lands."""
import streamlit as st

st.title("sources")
st.info("This page is being built.")
