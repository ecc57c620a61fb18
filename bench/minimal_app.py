"""The framework's floor: a Streamlit page with one plotly chart and nothing else."""
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=list(range(2000, 2025)), y=[i * i for i in range(25)])))
