"""Import batches, data versions (the manifest of committed Parquet files) and import history."""
