-- Room on every page for each row's next version.
--
-- Enrollments created together come due together and are advanced in the same batches, so
-- every row of a page is rewritten at once; with 15 % free only a quarter of the advances were
-- HOT (5 333 of 20 000 in `bench e2e`), the rest wrote a new entry into each of the table's
-- four indexes. With half the page free all of them were HOT.
--
-- Executions are rewritten once when the provider answers (`sending` → `sent`, with the
-- provider's id) and again by delivery webhooks. At 75 % 38 % of those updates were HOT; at
-- 50 % 83 %. The cost is disk: both tables take up to twice the pages, which the indexes
-- they no longer grow on every update pay back.
--
-- Pages written from now on keep the room; older ones get it when the table is rewritten.
ALTER TABLE outreach_enrollments SET (fillfactor = 50);
ALTER TABLE outreach_executions SET (fillfactor = 50);
