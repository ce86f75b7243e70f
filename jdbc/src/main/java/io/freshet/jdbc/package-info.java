/**
 * The {@code jdbc:freshet:} driver, built on Apache Calcite Avatica: in process ({@link io.freshet.jdbc.FreshetDriver}
 * over {@link io.freshet.jdbc.FreshetMeta}), or against {@code bin/freshet server} over Avatica's JSON protocol
 * ({@code jdbc:freshet:remote:url=http://host:port}). A SELECT's result set reads its rows while the query runs.
 */
package io.freshet.jdbc;
