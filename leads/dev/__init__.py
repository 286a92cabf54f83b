"""Development tools: the demo data seeder and the benchmark."""
