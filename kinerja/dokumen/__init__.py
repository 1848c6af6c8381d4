"""Files in and out: the Excel template, CSV and PK imports, the LKjIP and PK documents."""
