"""The annual review report (báo cáo tổng kết năm) of the Department, laid out per Decree 30/2020/NĐ-CP.

- `fields`: which catalogue entries the report groups under which field (plain data).
- `content`: the report as a data model (header, parts, sections with sentences, tables and charts, recipients,
  signer), built from approved values, targets and index results.
- `docx_writer`, `pdf_writer`: the same model rendered as DOCX (python-docx, Times New Roman) and PDF (fpdf2).
- `services`, `tasks`, `views`: the request, the background generation with its progress, the downloads.
"""
