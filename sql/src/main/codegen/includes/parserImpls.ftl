<#--
  Freshet's statements, included into Calcite's grammar (config.fmpp lists the methods SqlStmt tries). A
  production builds a node of io.freshet.sql.parser; ParserSupport makes the errors, each with the line and
  column of the script. An action-only last alternative replaces Calcite's list of expected tokens with a
  sentence that says what to write.
-->

boolean IfNotExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

boolean IfExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** A stream or table name: a name, or a schema and a name ({@code nexmark.bid}). */
SqlIdentifier StreamOrTableName() :
{
    final SqlIdentifier id;
}
{
    id = CompoundIdentifier() { return ParserSupport.checkName(id); }
}

TableKind StreamOrTable() :
{
}
{
    <STREAM> { return TableKind.STREAM; }
|
    <TABLE> { return TableKind.TABLE; }
}

/**
 * CREATE [OR REPLACE] [TEMPORARY] STREAM|TABLE [IF NOT EXISTS] name [(column type, ..., WATERMARK FOR column AS
 * expression)] [WITH ('key' = 'value', ...)]; SqlCreate has read CREATE [OR REPLACE].
 */
SqlCreate SqlCreateStreamOrTable(Span s, boolean replace) :
{
    final TableKind kind;
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlNodeList elements = null;
    SqlNodeList optionList = null;
    final SqlCreate view;
}
{
    [ <TEMPORARY> ]
    (
        view = SqlCreateViewRest(s, replace) { return view; }
    |
        view = SqlCreateFunctionRest(s, replace) { return view; }
    |
        kind = StreamOrTable()
        ifNotExists = IfNotExistsOpt()
        name = StreamOrTableName()
        [ elements = TableElementList() ]
        [ <WITH> optionList = OptionList() ]
        {
            return new SqlCreateTable(s.end(this), kind, replace, ifNotExists, name, elements, optionList);
        }
    )
}

/**
 * VIEW [IF NOT EXISTS] name [(column, ...)] AS query; CREATE [OR REPLACE] [TEMPORARY] has been read. The query is
 * kept as written, with where it starts, so that each use parses it afresh with its positions in the script.
 */
SqlCreate SqlCreateViewRest(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlNodeList columns = null;
    final Token first;
    final SqlNode query;
}
{
    <VIEW>
    ifNotExists = IfNotExistsOpt()
    name = StreamOrTableName()
    [ LOOKAHEAD(1) columns = ParenthesizedSimpleIdentifierList() ]
    (
        <AS>
    |
        { throw ParserSupport.error(getToken(1), "expected AS and the view's query, e.g. CREATE VIEW "
            + name + " AS SELECT ..."); }
    )
    { first = getToken(1); }
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) {
        return new SqlCreateView(s.end(this), replace, ifNotExists, name, columns, query,
            ParserSupport.text(getOriginalSql(), first, token), ParserSupport.pos(first));
    }
}

/**
 * FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA] [USING JAR 'path' [, JAR 'path' ...]], as Flink writes
 * it; CREATE [OR REPLACE] [TEMPORARY] has been read.
 */
SqlCreate SqlCreateFunctionRest(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlNode className;
    SqlIdentifier word;
    SqlNode jar;
    final List<SqlNode> jars = new ArrayList<SqlNode>();
}
{
    <FUNCTION>
    ifNotExists = IfNotExistsOpt()
    name = StreamOrTableName()
    (
        <AS> className = StringLiteral()
    |
        { throw ParserSupport.error(getToken(1), "expected AS and the class in quotes, e.g. CREATE FUNCTION "
            + name + " AS 'com.example.MyFunction'"); }
    )
    [
        <LANGUAGE> word = SimpleIdentifier() {
            if (!word.getSimple().equalsIgnoreCase("JAVA")) {
                throw ParserSupport.error(word.getParserPosition(), "functions are written in Java: LANGUAGE JAVA, not "
                    + word.getSimple());
            }
        }
    ]
    [
        <USING> FunctionJar(jars) ( <COMMA> FunctionJar(jars) )*
    ]
    {
        return new SqlCreateFunction(s.end(this), replace, ifNotExists, name, className, jars);
    }
}

/** JAR 'path'; JAR is read as a word, not a keyword. */
void FunctionJar(List<SqlNode> jars) :
{
    final SqlNode path;
}
{
    (
        LOOKAHEAD({ getToken(1).image.equalsIgnoreCase("JAR") && getToken(2).kind == QUOTED_STRING })
        SimpleIdentifier() path = StringLiteral() { jars.add(path); }
    |
        { throw ParserSupport.error(getToken(1), "expected USING JAR '/path/to/functions.jar'"); }
    )
}

/** DROP [TEMPORARY] FUNCTION [IF EXISTS] name; SqlDrop has read DROP. */
SqlDrop SqlDropFunction(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    [ <TEMPORARY> ]
    <FUNCTION>
    ifExists = IfExistsOpt()
    name = StreamOrTableName() {
        return new SqlDropFunction(s.end(this), ifExists, name);
    }
}

SqlNodeList TableElementList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    TableElement(list)
    (
        <COMMA> TableElement(list)
    )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

/**
 * A column (name type [NOT NULL] [PRIMARY KEY [NOT ENFORCED]]), a computed column (name AS expression), the
 * watermark (WATERMARK FOR column AS expression) or the primary key (PRIMARY KEY (column, ...) [NOT ENFORCED]).
 */
void TableElement(List<SqlNode> list) :
{
    SqlIdentifier id;
    SqlDataTypeSpec type;
    boolean nullable = true;
    Span s;
    Token first;
    SqlNode e;
    SqlNodeList columns;
}
{
    LOOKAHEAD(2)
    ComputedColumn(list)
|
    LOOKAHEAD(2)
    <WATERMARK> { s = span(); } <FOR> id = SimpleIdentifier() <AS> { first = getToken(1); }
    e = Expression(ExprContext.ACCEPT_NON_QUERY) {
        list.add(new SqlWatermark(s.end(e), id, e, ParserSupport.text(getOriginalSql(), first, token)));
    }
|
    <PRIMARY> { s = span(); } <KEY> columns = ParenthesizedSimpleIdentifierList() NotEnforcedOpt() {
        list.add(new SqlPrimaryKey(s.end(this), columns));
    }
|
    id = SimpleIdentifier() { s = span(); }
    (
        type = DataType()
    |
        { throw ParserSupport.error(getToken(1), "expected the type of column '" + id.getSimple() + "'"); }
    )
    [
        <NOT> <NULL> { nullable = false; }
    |
        <NULL>
    ]
    {
        list.add(SqlDdlNodes.column(s.end(this), id, type.withNullable(nullable), null,
            nullable ? ColumnStrategy.NULLABLE : ColumnStrategy.NOT_NULLABLE));
    }
    [
        <PRIMARY> <KEY> NotEnforcedOpt() {
            list.add(new SqlPrimaryKey(s.end(this), new SqlNodeList(List.of(id), id.getParserPosition())));
        }
    ]
}

/** A computed column among a stream's columns, as in Flink: name AS expression (for now PROCTIME()). */
void ComputedColumn(List<SqlNode> list) :
{
    final SqlIdentifier id;
    final Span s;
    final Token first;
    final SqlNode e;
}
{
    id = SimpleIdentifier() { s = span(); } <AS> { first = getToken(1); }
    e = Expression(ExprContext.ACCEPT_NON_QUERY) {
        list.add(new SqlComputedColumn(s.end(e), id, e, ParserSupport.text(getOriginalSql(), first, token)));
    }
}

/**
 * NOT ENFORCED after a primary key, as Flink asks for: Freshet does not own the data, so it does not check that keys
 * are unique. ENFORCED is not a keyword; it is read as a word.
 */
void NotEnforcedOpt() :
{
    final SqlIdentifier word;
}
{
    [
        <NOT> word = SimpleIdentifier() {
            if (!word.getSimple().equalsIgnoreCase("ENFORCED")) {
                throw ParserSupport.error(word.getParserPosition(), "expected NOT ENFORCED after the primary key");
            }
        }
    ]
}

/** ('key' = 'value', ...) as a list of keys and values, alternating. */
SqlNodeList OptionList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    Option(list)
    (
        <COMMA> Option(list)
    )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

/** 'key' = 'value'; the key may also be a name, the value a number, TRUE, FALSE or a name. */
void Option(List<SqlNode> list) :
{
    SqlNode key;
    SqlNode value;
}
{
    (
        key = StringLiteral()
    |
        key = SimpleIdentifier()
    |
        { throw ParserSupport.error(getToken(1), "expected an option name in quotes, e.g. 'connector'"); }
    )
    <EQ>
    (
        value = StringLiteral()
    |
        value = NumericLiteral()
    |
        <TRUE> { value = SqlLiteral.createBoolean(true, getPos()); }
    |
        <FALSE> { value = SqlLiteral.createBoolean(false, getPos()); }
    |
        value = SimpleIdentifier()
    |
        {
            throw ParserSupport.error(getToken(1), "expected a value for option " + ParserSupport.optionName(key)
                + ", e.g. " + ParserSupport.optionName(key) + " = 'value'");
        }
    )
    {
        list.add(key);
        list.add(value);
    }
}

/** DROP STREAM|TABLE|VIEW [IF EXISTS] name; SqlDrop has read DROP. */
SqlDrop SqlDropStreamOrTable(Span s, boolean replace) :
{
    final TableKind kind;
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    (
        kind = StreamOrTable()
        ifExists = IfExistsOpt()
        name = StreamOrTableName() {
            return new SqlDropTable(s.end(this), kind, ifExists, name);
        }
    |
        <VIEW>
        ifExists = IfExistsOpt()
        name = StreamOrTableName() {
            return new SqlDropView(s.end(this), ifExists, name);
        }
    )
}

/** SHOW STREAMS | TABLES | VIEWS | QUERIES. */
SqlNode SqlShowObjects() :
{
    final Span s;
    final Token first;
    final String nameOrId;
    final SqlIdentifier word;
}
{
    <SHOW> { s = span(); }
    (
        <STREAMS> { return new SqlShow(s.end(this), SqlShow.What.STREAMS); }
    |
        <TABLES> { return new SqlShow(s.end(this), SqlShow.What.TABLES); }
    |
        <VIEWS> { return new SqlShow(s.end(this), SqlShow.What.VIEWS); }
    |
        <QUERIES> { return new SqlShow(s.end(this), SqlShow.What.QUERIES); }
    |
        <QUERY> { first = getToken(1); }
        nameOrId = RestOfStatement(ParserSupport.SHOW_QUERY) {
            return new SqlShow(s.end(this), SqlShow.What.QUERY, nameOrId, ParserSupport.pos(first));
        }
    |
        // FUNCTIONS and CONNECTORS are read as words, not keywords, so that they still name columns and tables.
        LOOKAHEAD({ getToken(1).image.equalsIgnoreCase("FUNCTIONS") || getToken(1).image.equalsIgnoreCase("CONNECTORS") })
        word = SimpleIdentifier() {
            return new SqlShow(s.end(this), word.getSimple().equalsIgnoreCase("FUNCTIONS") ? SqlShow.What.FUNCTIONS
                : SqlShow.What.CONNECTORS);
        }
    |
        { throw ParserSupport.error(getToken(1), ParserSupport.SHOW); }
    )
}

/** DESCRIBE|DESC [STREAM|TABLE|VIEW] name. */
SqlNode SqlDescribeObject() :
{
    final Span s;
    final SqlIdentifier name;
}
{
    ( <DESCRIBE> | <DESC> ) { s = span(); }
    [ LOOKAHEAD(2) ( <STREAM> | <TABLE> | <VIEW> ) ]
    (
        name = StreamOrTableName() {
            return new SqlDescribeTable(s.end(this), name, null);
        }
    |
        { throw ParserSupport.error(getToken(1), "expected a stream, table or view name, e.g. DESCRIBE bid"); }
    )
}

/**
 * EXPLAIN query-or-insert: the plan, as EXPLAIN PLAN FOR would give it; EXPLAIN UPGRADE insert: what it would do
 * with its checkpoint's state.
 */
SqlNode SqlExplainQuery() :
{
    final Span s;
    final SqlNode query;
}
{
    <EXPLAIN> { s = span(); }
    (
        LOOKAHEAD(1)
        <PLAN> { throw ParserSupport.error(token, "write EXPLAIN followed by the query, e.g. EXPLAIN SELECT ..."); }
    |
        LOOKAHEAD(1)
        <UPGRADE> (
            query = SqlQueryOrDml() { return new SqlExplainUpgrade(s.end(this), query); }
        |
            { throw ParserSupport.error(getToken(1), "write EXPLAIN UPGRADE followed by the INSERT INTO statement "
                + "whose checkpoint to check, e.g. EXPLAIN UPGRADE INSERT INTO counts SELECT ..."); }
        )
    |
        query = SqlQueryOrDml() {
            return new SqlExplain(s.end(this), query,
                SqlExplainLevel.EXPPLAN_ATTRIBUTES.symbol(SqlParserPos.ZERO),
                SqlExplain.Depth.PHYSICAL.symbol(SqlParserPos.ZERO),
                SqlExplainFormat.TEXT.symbol(SqlParserPos.ZERO),
                nDynamicParams);
        }
    |
        { throw ParserSupport.error(getToken(1), "write EXPLAIN followed by the query, e.g. EXPLAIN SELECT ..."); }
    )
}

/** SET 'key' = 'value', or SET alone to list the settings. */
SqlNode SqlSetting() :
{
    final Span s;
    Token first;
    String key;
    String value;
}
{
    <SET> { s = span(); }
    (
        LOOKAHEAD({ getToken(1).kind != EOF })
        { first = getToken(1); }
        key = SettingWord("a setting name, e.g. SET 'checkpoint-location' = '/tmp/checkpoints'")
        <EQ>
        value = SettingWord("a value after '=', e.g. SET '" + key + "' = 'value'") {
            return new SqlSetOption(s.end(this), null, new SqlIdentifier(key, ParserSupport.pos(first)),
                SqlLiteral.createCharString(value, getPos()));
        }
    |
        { return new SqlShow(s.end(this), SqlShow.What.SETTINGS); }
    )
}

/** RESET 'key', or RESET (or RESET ALL) for every setting. */
SqlNode SqlResetting() :
{
    final Span s;
    Token first;
    String key;
}
{
    <RESET> { s = span(); }
    (
        LOOKAHEAD({ getToken(1).kind != EOF })
        { first = getToken(1); }
        key = SettingWord("a setting name, e.g. RESET 'checkpoint-location'") {
            return new SqlSetOption(s.end(this), null, new SqlIdentifier(key, ParserSupport.pos(first)), null);
        }
    |
        { return new SqlSetOption(s.end(this), null, new SqlIdentifier("ALL", s.pos()), null); }
    )
}

/**
 * A setting's name or value: a string in quotes, a back-quoted name, or the run of tokens written without a space
 * between them (dml-sync, false, 10).
 */
JAVACODE String SettingWord(String expected) {
    final Token first = getToken(1);
    if (first.kind == QUOTED_STRING) {
        getNextToken();
        return SqlParserUtil.parseString(first.image);
    }
    if (first.kind == BACK_QUOTED_IDENTIFIER) {
        getNextToken();
        return first.image.substring(1, first.image.length() - 1).replace("``", "`");
    }
    final StringBuilder word = new StringBuilder();
    Token last = null;
    while (getToken(1).kind != EOF && getToken(1).kind != EQ && getToken(1).kind != QUOTED_STRING
        && (last == null || ParserSupport.touches(last, getToken(1)))) {
        last = getNextToken();
        word.append(last.image);
    }
    if (last == null) {
        throw ParserSupport.error(first, "expected " + expected);
    }
    return word.toString();
}

/** STOP QUERY name-or-id. */
SqlNode SqlStopQuery() :
{
    final Span s;
    Token first;
    String nameOrId;
}
{
    <STOP> { s = span(); }
    (
        <QUERY> { first = getToken(1); }
        nameOrId = RestOfStatement(ParserSupport.STOP_QUERY) {
            return new SqlStopQuery(s.end(this), nameOrId, ParserSupport.pos(first));
        }
    |
        { throw ParserSupport.error(getToken(1), ParserSupport.STOP_QUERY); }
    )
}

/**
 * The rest of the statement as written: a query's name, quoted or not, or its id (a UUID, which the lexer cuts at
 * its dashes into numbers and names).
 */
JAVACODE String RestOfStatement(String missing) {
    final Token first = getToken(1);
    if (first.kind == EOF) {
        throw ParserSupport.error(first, missing);
    }
    Token last = first;
    getNextToken();
    while (getToken(1).kind != EOF) {
        last = getNextToken();
    }
    if (first == last && first.kind == QUOTED_STRING) {
        return SqlParserUtil.parseString(first.image);
    }
    if (first == last && first.kind == BACK_QUOTED_IDENTIFIER) {
        return first.image.substring(1, first.image.length() - 1).replace("``", "`");
    }
    return ParserSupport.text(getOriginalSql(), first, last);
}

/** HELP [statement]. */
SqlNode SqlHelpCommand() :
{
    final Span s;
    final String topic;
}
{
    <HELP> { s = span(); } topic = HelpTopic() {
        return new SqlHelp(s.end(this), topic);
    }
}

/** The words after HELP, in capitals and one space apart ("stop  query" is "STOP QUERY"); empty for none. */
JAVACODE String HelpTopic() {
    final StringBuilder topic = new StringBuilder();
    while (getToken(1).kind != EOF) {
        topic.append(topic.length() == 0 ? "" : " ").append(getNextToken().image.toUpperCase(Locale.ROOT));
    }
    return topic.toString();
}

/** A statement that starts with a name rather than a statement's word: refused with the closest word. */
SqlNode SqlUnknownStatement() :
{
}
{
    <IDENTIFIER> { throw ParserSupport.unknownStatement(token); }
}
