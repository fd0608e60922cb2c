"""Excel and Word: the handbook as a workbook and as .docx job descriptions, and back."""
