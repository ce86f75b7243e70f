package io.freshet.sql.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker for tests, started with {@code bin/kafka-local} (the script a user runs to try Kafka): KRaft
 * mode, broker and controller in one process, listening on 127.0.0.1 on free ports, its data and log under a
 * temporary directory, its jars those on the test class path. One broker serves all tests of a test JVM
 * ({@link #shared()}); it is stopped when the JVM exits.
 */
public final class KafkaBroker implements AutoCloseable {
  private static KafkaBroker shared;

  private final String bootstrap;
  private final Path dir;

  private KafkaBroker(String bootstrap, Path dir) {
    this.bootstrap = bootstrap;
    this.dir = dir;
  }

  /** The broker of this test JVM, started on first use. */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      try {
        shared = start(Files.createTempDirectory("freshet-kafka-"));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot start the Kafka broker for tests", e);
      }
      KafkaBroker b = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close));
    }
    return shared;
  }

  /** The checkout's root: the parent of the module whose tests run. */
  public static Path repository() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bin/kafka-local"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("No bin/kafka-local above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  public static KafkaBroker start(Path dir) throws IOException {
    int[] ports = freePorts(2);
    int port = ports[0];
    int controller = ports[1];
    script(dir, "start", "--port", Integer.toString(port), "--controller-port", Integer.toString(controller));
    return new KafkaBroker("127.0.0.1:" + port, dir);
  }

  private static void script(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(repository().resolve("bin/kafka-local").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--dir", dir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KAFKA_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("KAFKA_HEAP", "768m");
    builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(150, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("bin/kafka-local " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
  }

  /** Creates a topic with {@code partitions} partitions and waits until it exists. */
  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topic " + topic, e);
    }
  }

  /** Deletes a topic and waits until the broker no longer lists it. */
  public void deleteTopic(String topic) {
    try (Admin admin = admin()) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        Thread.sleep(50);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot delete topic " + topic, e);
    }
  }

  /** Every committed record of partition 0 of a topic, as its key and value, read with read_committed. */
  public List<Map.Entry<String, String>> readAll(String topic) {
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
            "bootstrap.servers", bootstrap, "isolation.level", "read_committed",
            "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
            "value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName()))) {
      org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      List<Map.Entry<String, String>> out = new ArrayList<>();
      while (c.position(tp) < end) {
        for (var r : c.poll(java.time.Duration.ofMillis(500))) {
          out.add(new java.util.AbstractMap.SimpleEntry<>(r.key(), r.value()));
        }
      }
      return out;
    }
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    try {
      script(dir, "stop");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot stop the Kafka broker in " + dir, e);
    }
  }

  /** {@code n} distinct free ports: each socket stays open until all are picked, so none is handed out twice. */
  private static int[] freePorts(int n) throws IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }
}
