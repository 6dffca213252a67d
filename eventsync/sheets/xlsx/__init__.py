"""The xlsx file format, as small parts: the zip package, part names and relationships,
styles and date systems, cell references, the byte scanner and the row splicer that
patch a few cells of a worksheet without re-saving the workbook.

Empty on purpose: importing `parts` (for the reader) must not load the splicer."""
