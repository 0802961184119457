-- Queued jobs carried two indexes by run time: the claim's (workspace_id, run_at, id) and a
-- global (run_at, id) that only the metrics scrape's oldest-due age read. That one now walks the
-- claim index workspace by workspace, and every job enqueued writes one index entry fewer.
DROP INDEX outreach_jobs_due;
