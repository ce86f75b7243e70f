package io.freshet.sql.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker for tests: KRaft mode (broker and controller in one process), from the Maven Central jars on
 * the test classpath, in a child JVM listening on 127.0.0.1 on free ports, its logs under a temporary directory.
 * One broker serves all tests of a test JVM ({@link #shared()}); it is killed when the JVM exits.
 */
public final class KafkaBroker implements AutoCloseable {
  private static KafkaBroker shared;

  private final Process process;
  private final String bootstrap;
  private final Path dir;

  private KafkaBroker(Process process, String bootstrap, Path dir) {
    this.process = process;
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

  public static KafkaBroker start(Path dir) throws IOException {
    int port = freePort();
    int controller = freePort();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    Path config = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(config)) {
      p.store(out, "Freshet test broker");
    }
    Path log = dir.resolve("broker.log");
    run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
        log, true);
    Process broker = run(List.of("kafka.Kafka", config.toString()), log, false);
    KafkaBroker b = new KafkaBroker(broker, "127.0.0.1:" + port, dir);
    b.awaitReady(log);
    return b;
  }

  private static Process run(List<String> mainAndArgs, Path log, boolean wait) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx768m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    command.addAll(mainAndArgs);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (wait) {
      try {
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
          process.destroyForcibly();
          throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + log + ":\n" + Files.readString(log));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return process;
  }

  private void awaitReady(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The Kafka broker exited; see " + log + ":\n" + Files.readString(log));
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("The Kafka broker did not start in 120 s; see " + log, e);
        }
      }
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
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
