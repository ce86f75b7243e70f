package io.freshet.sql.catalog;

/**
 * A stream's {@code name AS expression}: a column computed for each row rather than read, at {@code position} among
 * all the declared columns; the expression as the DDL wrote it. For now the expression is {@code PROCTIME()}, which
 * makes the column a processing-time attribute.
 */
public record ComputedColumn(String name, int position, String expression) { }
