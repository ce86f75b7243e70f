package io.freshet.sql.parser;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import io.freshet.sql.catalog.ComputedColumn;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.catalog.Watermark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlUserDefinedTypeNameSpec;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.ddl.SqlColumnDeclaration;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [(column type [NOT NULL], ..., column AS PROCTIME(),
 * WATERMARK FOR column AS expression, PRIMARY KEY (column, ...) NOT ENFORCED)] [WITH ('key' = 'value', ...)]}. The
 * parser checks the columns, their types, the computed columns, the watermark and the options as it builds the node,
 * so that each error points at its place in the script.
 */
public final class SqlCreateTable extends SqlCreate {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("CREATE STREAM OR TABLE", SqlKind.CREATE_TABLE);

  private final TableKind kind;
  private final SqlIdentifier name;
  /** The declared columns and the watermark, or null when the statement has no column list. */
  private final SqlNodeList elements;
  /** The options' keys and values, alternating, or null when there is no WITH. */
  private final SqlNodeList optionList;

  private final List<Column> columns;
  private final List<ComputedColumn> computedColumns;
  private final Watermark watermark;
  private final List<String> primaryKey;
  private final Map<String, String> options;

  SqlCreateTable(SqlParserPos pos, TableKind kind, boolean replace, boolean ifNotExists, SqlIdentifier name,
      SqlNodeList elements, SqlNodeList optionList) {
    super(OPERATOR, pos, replace, ifNotExists);
    this.kind = kind;
    this.name = name;
    this.elements = elements;
    this.optionList = optionList;
    this.columns = elements == null ? null : columns(elements, name);
    this.computedColumns = elements == null ? List.of() : computedColumns(elements, columns);
    this.watermark = elements == null ? null : watermark(elements, columns, computedColumns);
    this.primaryKey = elements == null ? List.of() : primaryKey(elements, columns);
    this.options = options(optionList);
  }

  public TableKind kind() {
    return kind;
  }

  /** The name as written, a schema and a name joined by a dot. */
  public String name() {
    return String.join(".", name.names);
  }

  public boolean orReplace() {
    return getReplace();
  }

  /** The declared columns, or null when the statement declares none. */
  public List<Column> columns() {
    return columns;
  }

  /** The computed columns ({@code p_time AS PROCTIME()}), in their order (empty when there are none). */
  public List<ComputedColumn> computedColumns() {
    return computedColumns;
  }

  /** The watermark, or null. */
  public Watermark watermark() {
    return watermark;
  }

  /** The columns of the primary key, as declared (empty when there is none). */
  public List<String> primaryKey() {
    return primaryKey;
  }

  /** The WITH options in their order (empty without WITH). */
  public Map<String, String> options() {
    return options;
  }

  /** Where the statement starts, {@code line L, column C}. */
  public String position() {
    return FreshetParser.where(getParserPosition());
  }

  private static List<Column> columns(SqlNodeList elements, SqlIdentifier table) {
    List<Column> columns = new ArrayList<>();
    for (SqlNode element : elements) {
      if (element instanceof SqlColumnDeclaration declared) {
        String columnName = declared.name.getSimple();
        if (columns.stream().anyMatch(c -> c.name().equalsIgnoreCase(columnName))) {
          throw ParserSupport.error(declared.name.getParserPosition(), "column '" + columnName
              + "' is declared twice");
        }
        columns.add(new Column(columnName, type(declared.dataType, columnName),
            !Boolean.FALSE.equals(declared.dataType.getNullable())));
      }
    }
    if (columns.isEmpty()) {
      throw ParserSupport.error(table.getParserPosition(), "declare at least one column");
    }
    return Collections.unmodifiableList(columns);
  }

  /** The column type a declared SQL type stands for. */
  private static TypeKind type(SqlDataTypeSpec spec, String column) {
    SqlParserPos at = spec.getParserPosition();
    String typeName = spec.getTypeNameSpec().getTypeName().getSimple();
    if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
      String upper = typeName.toUpperCase(Locale.ROOT);
      if (upper.startsWith("TIMESTAMP_")) {
        throw ParserSupport.error(at, "TIMESTAMP WITH TIME ZONE is not supported; use TIMESTAMP(3), read as UTC");
      }
      if (upper.equals("TIMESTAMP") && basic.getPrecision() > 3) {
        throw ParserSupport.error(at, "TIMESTAMP precision is at most 3 (milliseconds)");
      }
    }
    boolean named = spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec
        || spec.getTypeNameSpec() instanceof SqlUserDefinedTypeNameSpec;
    TypeKind type = named ? TypeKind.fromSqlName(typeName) : null;
    if (type == null) {
      throw ParserSupport.error(at, "unknown type '" + typeName + "' for column '" + column
          + "'; use BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL, VARCHAR, STRING or TIMESTAMP(3)");
    }
    return type;
  }

  /**
   * The computed columns, each at its place among all the columns; for now each must be {@code PROCTIME()}, a
   * processing-time attribute.
   */
  private static List<ComputedColumn> computedColumns(SqlNodeList elements, List<Column> columns) {
    List<ComputedColumn> computed = new ArrayList<>();
    int position = 0;
    for (SqlNode element : elements) {
      if (element instanceof SqlColumnDeclaration) {
        position++;
      } else if (element instanceof SqlComputedColumn c) {
        String columnName = c.column().getSimple();
        if (columns.stream().anyMatch(d -> d.name().equalsIgnoreCase(columnName))
            || computed.stream().anyMatch(d -> d.name().equalsIgnoreCase(columnName))) {
          throw ParserSupport.error(c.column().getParserPosition(), "column '" + columnName + "' is declared twice");
        }
        if (!isProcessingTime(c.expression())) {
          throw ParserSupport.error(c.expression().getParserPosition(), "computed column '" + columnName + "' AS "
              + c.text() + ": a computed column is PROCTIME() for now (a processing-time attribute, as in Flink); "
              + "compute other columns in a view or a query");
        }
        computed.add(new ComputedColumn(columnName, position++, c.text()));
      }
    }
    return Collections.unmodifiableList(computed);
  }

  /** Whether {@code node} is {@code PROCTIME()}. */
  private static boolean isProcessingTime(SqlNode node) {
    return node instanceof org.apache.calcite.sql.SqlCall call && call.getOperandList().isEmpty()
        && call.getOperator().getName().equalsIgnoreCase("PROCTIME");
  }

  private static Watermark watermark(SqlNodeList elements, List<Column> columns, List<ComputedColumn> computed) {
    SqlWatermark found = null;
    for (SqlNode element : elements) {
      if (element instanceof SqlWatermark w) {
        if (found != null) {
          throw ParserSupport.error(w.getParserPosition(), "a stream has one WATERMARK");
        }
        found = w;
      }
    }
    if (found == null) {
      return null;
    }
    String eventTime = found.column().getSimple();
    if (computed.stream().anyMatch(c -> c.name().equalsIgnoreCase(eventTime))) {
      throw ParserSupport.error(found.column().getParserPosition(), "the watermark names column '" + eventTime
          + "', which is PROCTIME(), a processing time: processing time needs no watermark; declare the WATERMARK on "
          + "an event-time column the stream holds, e.g. WATERMARK FOR ts AS ts - INTERVAL '5' SECOND");
    }
    if (mentionsProcessingTime(found.expression())) {
      throw ParserSupport.error(found.expression().getParserPosition(), "a watermark cannot read PROCTIME(): it is "
          + "computed from the event-time column, e.g. WATERMARK FOR " + eventTime + " AS " + eventTime
          + " - INTERVAL '5' SECOND");
    }
    Column column = columns.stream().filter(c -> c.name().equalsIgnoreCase(eventTime)).findFirst().orElse(null);
    if (column == null) {
      throw ParserSupport.error(found.column().getParserPosition(), "the watermark names column '" + eventTime
          + "', which is not declared; declared columns are " + columns.stream().map(Column::name).toList());
    }
    if (column.type() != TypeKind.TIMESTAMP) {
      throw ParserSupport.error(found.column().getParserPosition(), "the watermark column '" + column.name()
          + "' is " + column.type().sqlName() + "; it must be TIMESTAMP(3)");
    }
    return new Watermark(column.name(), found.text());
  }

  /** Whether {@code node} calls PROCTIME() anywhere. */
  private static boolean mentionsProcessingTime(SqlNode node) {
    if (isProcessingTime(node)) {
      return true;
    }
    return node instanceof org.apache.calcite.sql.SqlCall call && call.getOperandList().stream()
        .anyMatch(operand -> operand != null && mentionsProcessingTime(operand));
  }

  private static List<String> primaryKey(SqlNodeList elements, List<Column> columns) {
    SqlPrimaryKey found = null;
    for (SqlNode element : elements) {
      if (element instanceof SqlPrimaryKey key) {
        if (found != null) {
          throw ParserSupport.error(key.getParserPosition(), "a stream has one PRIMARY KEY; for a key of several "
              + "columns list them all: PRIMARY KEY (a, b) NOT ENFORCED");
        }
        found = key;
      }
    }
    if (found == null) {
      return List.of();
    }
    List<String> key = new ArrayList<>();
    for (SqlNode node : found.columns()) {
      SqlIdentifier id = (SqlIdentifier) node;
      Column column = columns.stream().filter(c -> c.name().equalsIgnoreCase(id.getSimple())).findFirst()
          .orElse(null);
      if (column == null) {
        throw ParserSupport.error(id.getParserPosition(), "the primary key names column '" + id.getSimple()
            + "', which is not declared; declared columns are " + columns.stream().map(Column::name).toList());
      }
      if (key.contains(column.name())) {
        throw ParserSupport.error(id.getParserPosition(), "the primary key names column '" + column.name()
            + "' twice");
      }
      key.add(column.name());
    }
    return Collections.unmodifiableList(key);
  }

  private static Map<String, String> options(SqlNodeList optionList) {
    Map<String, String> options = new LinkedHashMap<>();
    if (optionList == null) {
      return options;
    }
    for (int i = 0; i + 1 < optionList.size(); i += 2) {
      SqlNode key = optionList.get(i);
      if (options.put(ParserSupport.optionText(key), ParserSupport.optionText(optionList.get(i + 1))) != null) {
        throw ParserSupport.error(key.getParserPosition(), "option " + ParserSupport.optionName(key)
            + " is given twice");
      }
    }
    return Collections.unmodifiableMap(options);
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(name, elements, optionList);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword(kind.name());
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, leftPrec, rightPrec);
    if (elements != null) {
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (SqlNode element : elements) {
        writer.sep(",");
        element.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    if (optionList != null) {
      writer.keyword("WITH");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (int i = 0; i + 1 < optionList.size(); i += 2) {
        writer.sep(",");
        optionList.get(i).unparse(writer, 0, 0);
        writer.keyword("=");
        optionList.get(i + 1).unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
  }
}
