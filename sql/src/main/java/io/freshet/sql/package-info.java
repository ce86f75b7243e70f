/**
 * The front door: the SQL parser ({@code parser}: Calcite's grammar extended with Freshet's statements), the
 * catalog, {@link io.freshet.sql.FreshetSession}, Datasets and readStream/writeStream. Depends on planner and
 * exec; sources and sinks arrive at run time by ServiceLoader.
 */
package io.freshet.sql;
