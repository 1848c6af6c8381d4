"""What is stored and every write: models, the database, migrations, and the functions that change data."""
