/**
 * Source connectors (nexmark, rate, memory), found by ServiceLoader through
 * {@link io.freshet.exec.connector.SourceProvider}. They depend on exec only, never on the planner or sql.
 */
package io.freshet.sources;
