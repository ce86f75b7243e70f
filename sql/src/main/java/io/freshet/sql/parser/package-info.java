/**
 * Freshet's SQL parser ({@link io.freshet.sql.parser.FreshetParser}): Calcite's grammar, generated at build time
 * from calcite-core's Parser.jj and {@code src/main/codegen} into {@code FreshetSqlParserImpl}, with a node per
 * Freshet statement. Uses the catalog's types; knows nothing of the session.
 */
package io.freshet.sql.parser;
