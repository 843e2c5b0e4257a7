"""Renderers of the document model: HTML, PDF (WeasyPrint), DOCX and the map.

Kept import-free on purpose: importing this package must not load WeasyPrint.
"""
