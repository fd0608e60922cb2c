"""PDF: job-description PDFs with WeasyPrint and the CJK font cut once per build."""
