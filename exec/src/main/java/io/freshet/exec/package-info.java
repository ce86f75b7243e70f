/**
 * The runtime: Arrow batches ({@code batch}), expression kernels ({@code expr}), operators ({@code operator}),
 * the micro-batch engine and checkpoints ({@code engine}), the connector SPI ({@code connector}) and the
 * session-lived memory streams and tables ({@code memory}). It knows nothing of SQL text or Calcite and imports
 * no other Freshet module; the build enforces this, as exec depends only on Arrow, Jackson and SLF4J.
 */
package io.freshet.exec;
