package io.freshet.spark;

/** Every test of {@link DStreamTest} with the batches' partitions on four threads. */
class DStreamFourThreadsTest extends DStreamTest {
  @Override
  String master() {
    return "local[4]";
  }
}
