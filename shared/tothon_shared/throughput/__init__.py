"""Throughput machinery, fenced here so it can be removed or replaced in one place; each module
exists because a benchmark showed it pays (docs/benchmarks.md):

- group_commit: concurrent saves share one transaction (one save per transaction capped a
  service near a few hundred commands a second);
- pg_recorder: a save's events go to PostgreSQL in binary (text escaping was a tenth of an
  import's CPU), every wait bounded;
- loop_query: a per-request query from the event loop instead of a worker thread (a quarter
  less CPU for a small request);
- pg_pool: pools that keep their connections and ping only idle ones (a backend start per
  burst before);
- sql_arrays: a batch of rows as arrays bound in binary, one statement whatever its size."""
