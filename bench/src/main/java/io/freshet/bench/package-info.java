/** JMH benchmarks; {@code java -jar bench/target/benchmarks.jar}. */
package io.freshet.bench;
