package io.freshet.jdbc;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.sql.CatalogEntry;
import io.freshet.sql.FreshetSession;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;

/**
 * What {@code DatabaseMetaData} lists, read from the session's catalog: streams, tables and views with their
 * columns, and the schemas ({@code nexmark} holds the built-in streams; the user's own names have none). A stream
 * is listed with table type {@code STREAM}, so that a tool that asks for tables of every type shows it.
 */
final class CatalogMetadata {
  /** The table types, as getTableTypes lists them. */
  static final List<String> TABLE_TYPES = List.of("STREAM", "TABLE", "VIEW");

  private CatalogMetadata() {
  }

  static List<MetaImpl.MetaTable> tables(FreshetSession session, Meta.Pat schema, Meta.Pat table,
      List<String> types) {
    List<MetaImpl.MetaTable> out = new ArrayList<>();
    for (CatalogEntry e : session.catalogEntries()) {
      if (matches(schema, e.schema()) && matches(table, e.name())
          && (types == null || types.stream().anyMatch(t -> t.equalsIgnoreCase(e.kind())))) {
        out.add(new MetaImpl.MetaTable(null, e.schema(), e.name(), e.kind()));
      }
    }
    return out;
  }

  static List<MetaImpl.MetaColumn> columns(FreshetSession session, Meta.Pat schema, Meta.Pat table,
      Meta.Pat column) {
    List<MetaImpl.MetaColumn> out = new ArrayList<>();
    for (CatalogEntry e : session.catalogEntries()) {
      if (!matches(schema, e.schema()) || !matches(table, e.name()) || e.columns() == null) {
        continue;
      }
      RowSchema columns = e.columns();
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.column(i);
        if (!matches(column, c.name())) {
          continue;
        }
        TypeKind t = c.type();
        Integer scale = t == TypeKind.TIMESTAMP ? Integer.valueOf(3) : t.isNumeric() ? Integer.valueOf(0) : null;
        Integer radix = t.isNumeric() ? Integer.valueOf(10) : null;
        Integer octets = t == TypeKind.VARCHAR ? Integer.valueOf(Integer.MAX_VALUE) : null;
        out.add(new MetaImpl.MetaColumn(null, e.schema(), e.name(), c.name(), ColumnTypes.sqlType(t),
            ColumnTypes.typeName(t), ColumnTypes.precision(t), scale, radix,
            c.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls, octets, i + 1,
            c.nullable() ? "YES" : "NO"));
      }
    }
    return out;
  }

  static List<MetaImpl.MetaSchema> schemas(FreshetSession session, Meta.Pat schema) {
    TreeSet<String> names = new TreeSet<>();
    for (CatalogEntry e : session.catalogEntries()) {
      if (e.schema() != null && matches(schema, e.schema())) {
        names.add(e.schema());
      }
    }
    List<MetaImpl.MetaSchema> out = new ArrayList<>();
    names.forEach(n -> out.add(new MetaImpl.MetaSchema(null, n)));
    return out;
  }

  /**
   * Whether {@code name} matches a JDBC pattern ({@code %} any characters, {@code _} one), ignoring case as
   * Freshet's names do; a null pattern matches everything, and a null name only a null, empty or all-matching one.
   */
  static boolean matches(Meta.Pat pattern, String name) {
    String p = pattern == null ? null : pattern.s;
    if (p == null || p.equals("%")) {
      return true;
    }
    if (name == null) {
      return p.isEmpty();
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        regex.append(Pattern.quote(String.valueOf(p.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
        .matcher(name.toLowerCase(Locale.ROOT)).matches();
  }
}
