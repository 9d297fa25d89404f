"""The warehouse: the data contract, the Parquet writer and read-only snapshots."""
