"""Pure rules: no database, no files. Numbers, capaian, IKM, AKIP, limits, formats, the PK files' checks."""
