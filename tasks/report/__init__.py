"""What leads see: static HTML reports, Prefect artifacts and GX Data Docs of each run."""
