package io.freshet.sql;

import io.freshet.exec.types.RowSchema;

/**
 * A stream, table or view as a tool that browses the catalog sees it (JDBC's {@code DatabaseMetaData}): its schema
 * ({@code nexmark} for {@code nexmark.bid}; null for the user's own names), its name within the schema, its kind
 * ({@code STREAM}, {@code TABLE} or {@code VIEW}) and its columns, null for a sink table that has none until its
 * first INSERT or a view that no longer plans.
 */
public record CatalogEntry(String schema, String name, String kind, RowSchema columns) {

  /** The name a query uses: {@code schema.name}, or the name alone. */
  public String qualifiedName() {
    return schema == null ? name : schema + "." + name;
  }
}
