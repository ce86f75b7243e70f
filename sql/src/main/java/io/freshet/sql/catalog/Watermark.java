package io.freshet.sql.catalog;

/**
 * A stream's {@code WATERMARK FOR column AS expression}: the event-time column and the expression as the DDL wrote
 * it (shown by DESCRIBE and EXPLAIN, and parsed again when a query plans).
 */
public record Watermark(String column, String expression) { }
