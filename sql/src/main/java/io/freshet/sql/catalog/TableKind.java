package io.freshet.sql.catalog;

/** Whether a catalog entry is a stream (an unbounded input) or a table (a sink, or a bounded input). */
public enum TableKind { STREAM, TABLE }
