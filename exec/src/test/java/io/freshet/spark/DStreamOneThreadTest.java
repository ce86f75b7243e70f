package io.freshet.spark;

/** Every test of {@link DStreamTest} with the batches' partitions on one thread. */
class DStreamOneThreadTest extends DStreamTest {
  @Override
  String master() {
    return "local[1]";
  }
}
