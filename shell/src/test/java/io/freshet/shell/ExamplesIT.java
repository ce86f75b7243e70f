package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.sql.testing.KafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The ported Spark examples, run with {@code bin/run-example} as a user runs them. */
class ExamplesIT {

  /** Runs {@code bin/run-example example args} and reads its standard output until {@code until} holds of it. */
  private static List<String> runUntil(String example, java.util.function.Predicate<List<String>> until,
      String... args) {
    List<String> command = new ArrayList<>(List.of(example));
    command.addAll(List.of(args));
    try (Launcher.Running run = Launcher.Running.start(Launcher.builder("run-example", command, null))) {
      String screen = run.await("the output expected", s -> until.test(s.lines().toList()));
      return screen.lines().toList();
    }
  }

  @Test
  void queueStreamPrintsEachBatchsCountsByLastDigit() throws Exception {
    List<String> out = runUntil("streaming.JavaQueueStream", lines -> lines.contains("(9,100)"));
    assertTrue(out.get(0).equals("-------------------------------------------") && out.get(1).matches("Time: \\d+ ms")
        && out.contains("(0,100)"), out.toString());
  }

  @Test
  void sqlNetworkWordCountRunsSqlOnEachBatch() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      feed(server, "to be or not to be\n");
      List<String> out = runUntil("streaming.JavaSqlNetworkWordCount",
          lines -> lines.contains("|  to|    2|") && lines.get(lines.size() - 1).equals("+----+-----+"), "127.0.0.1",
          Integer.toString(server.getLocalPort()));
      int header = out.lastIndexOf("|word|total|");
      assertTrue(header > 0 && out.get(header - 2).matches("========= \\d+ ms=========")
          && out.contains("|  be|    2|") && out.contains("|  or|    1|"), out.toString());
    }
  }

  /** A server on a free port that sends {@code text} to its first client and holds the connection. */
  private static Thread feed(ServerSocket server, String text) {
    Thread feeder = new Thread(() -> {
      try (Socket peer = server.accept()) {
        OutputStream o = peer.getOutputStream();
        o.write(text.getBytes(StandardCharsets.UTF_8));
        o.flush();
        peer.getInputStream().read(); // hold the connection until the program is killed
      } catch (IOException ignored) {
        // the program was killed
      }
    });
    feeder.setDaemon(true);
    feeder.start();
    return feeder;
  }

  @Test
  void customReceiverStoresTheLinesItReadsAndTheyAreCounted() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      feed(server, "to be or not to be\n");
      List<String> out = runUntil("streaming.JavaCustomReceiver", lines -> lines.contains("(be,2)")
          && lines.contains("(or,1)"), "127.0.0.1", Integer.toString(server.getLocalPort()));
      assertTrue(out.contains("Received data 'to be or not to be'") && out.contains("(to,2)")
          && out.contains("(not,1)"), out.toString());
    }
  }

  @Test
  void directKafkaWordCountCountsTheWordsOfMessagesWrittenAfterItStarts() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopic("example-words", 1);
    List<String> command = List.of("streaming.JavaDirectKafkaWordCount", broker.bootstrapServers(), "example-group",
        "example-words");
    try (Launcher.Running run = Launcher.Running.start(Launcher.builder("run-example", command, null))) {
      // Its first batch has read from the end of the topic, as the consumer's default (latest) says.
      run.await("a first batch", screen -> screen.contains("Time: "));
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
        producer.send(new ProducerRecord<>("example-words", "to be or not to be")).get();
      }
      String screen = run.await("the counts", s -> s.contains("(be,2)") && s.contains("(to,2)"));
      assertTrue(screen.contains("(or,1)") && screen.contains("(not,1)"), screen);
    }
  }
}
