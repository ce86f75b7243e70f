/**
 * The front door: the DDL parser ({@code ddl}), the catalog, {@link io.freshet.sql.FreshetSession}, Datasets and
 * readStream/writeStream. Depends on planner and exec; sources and sinks arrive at run time by ServiceLoader.
 */
package io.freshet.sql;
