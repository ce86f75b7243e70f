/**
 * Deduplication over streams: one row per key, the first (emitted once the watermark passes its time, insert-only)
 * or the last (kept up to date as a changelog), as planned from {@code ROW_NUMBER() OVER (PARTITION BY ... ORDER BY
 * ts) = 1}.
 */
package io.freshet.exec.dedup;
