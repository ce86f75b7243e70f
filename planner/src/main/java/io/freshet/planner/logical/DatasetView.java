package io.freshet.planner.logical;

import io.freshet.exec.types.RowSchema;

/**
 * A temporary view of a Dataset built with the Java API ({@code createOrReplaceTempView}): SQL reads it as a table
 * whose plan is the Dataset's, built in the reading query's cluster.
 *
 * @param schema the Dataset's columns, as its plan gives them
 */
public record DatasetView(String name, Frame frame, RowSchema schema) {
}
