package io.freshet.examples.streaming;

import io.freshet.spark.SparkConf;
import io.freshet.spark.storage.StorageLevel;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.api.java.JavaDStream;
import io.freshet.spark.streaming.api.java.JavaPairDStream;
import io.freshet.spark.streaming.api.java.JavaReceiverInputDStream;
import io.freshet.spark.streaming.api.java.JavaStreamingContext;
import io.freshet.spark.streaming.receiver.Receiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import scala.Tuple2;

/**
 * Counts words in text received from a TCP server every second, through a receiver of its own: Spark's custom
 * receiver example, ported by changing its imports.
 *
 * <p>Usage: JavaCustomReceiver &lt;hostname&gt; &lt;port&gt;. Run {@code nc -lk 9999} in one terminal and
 * {@code bin/run-example streaming.JavaCustomReceiver localhost 9999} in another, then type words into the first.
 */
public class JavaCustomReceiver extends Receiver<String> {
  private static final Pattern SPACE = Pattern.compile(" ");

  private final String host;
  private final int port;

  public JavaCustomReceiver(String host, int port) {
    super(StorageLevel.MEMORY_AND_DISK_2());
    this.host = host;
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: JavaCustomReceiver <hostname> <port>");
      System.exit(1);
    }
    SparkConf sparkConf = new SparkConf().setAppName("JavaCustomReceiver");
    JavaStreamingContext ssc = new JavaStreamingContext(sparkConf, new Duration(1000));
    // The receiver's lines, split into words and counted in each batch.
    JavaReceiverInputDStream<String> lines = ssc.receiverStream(
        new JavaCustomReceiver(args[0], Integer.parseInt(args[1])));
    JavaDStream<String> words = lines.flatMap(x -> Arrays.asList(SPACE.split(x)).iterator());
    JavaPairDStream<String, Integer> wordCounts = words.mapToPair(s -> new Tuple2<>(s, 1))
        .reduceByKey((i1, i2) -> i1 + i2);
    wordCounts.print();
    ssc.start();
    ssc.awaitTermination();
  }

  @Override
  public void onStart() {
    // A thread of its own reads the connection.
    new Thread(this::receive).start();
  }

  @Override
  public void onStop() {
    // The reading thread stops by itself once isStopped() is true.
  }

  /** Connects, stores each line until the receiver stops or the connection breaks, then asks for a restart. */
  private void receive() {
    try (Socket socket = new Socket(host, port);
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String userInput;
      while (!isStopped() && (userInput = reader.readLine()) != null) {
        System.out.println("Received data '" + userInput + "'");
        store(userInput);
      }
      restart("Trying to connect again");
    } catch (ConnectException ce) {
      restart("Could not connect", ce);
    } catch (Throwable t) {
      restart("Error receiving data", t);
    }
  }
}
