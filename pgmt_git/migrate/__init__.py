"""The pure parts of the migration lifecycle: tracking records, what is applied or pending,
retry delays, catalog hashes and the text of generated migrations. No I/O here."""
