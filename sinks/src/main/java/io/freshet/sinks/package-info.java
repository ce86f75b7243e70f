/**
 * Sink connectors (console, memory), found by ServiceLoader through
 * {@link io.freshet.exec.connector.SinkProvider}. They depend on exec only, never on the planner or sql.
 */
package io.freshet.sinks;
