"""Reading a stored year and turning it into the rows and frames the screens and exports show."""
