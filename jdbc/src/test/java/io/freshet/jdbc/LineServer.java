package io.freshet.jdbc;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A one-client TCP server on 127.0.0.1 that a socket stream reads lines from, written when a test says. */
final class LineServer implements AutoCloseable {
  private final ServerSocket server;
  private Socket client;

  LineServer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  int port() {
    return server.getLocalPort();
  }

  /** Waits until the stream connects. */
  void awaitClient(long timeout, TimeUnit unit) throws IOException {
    server.setSoTimeout((int) unit.toMillis(timeout));
    client = server.accept();
  }

  void send(String line) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
    server.close();
  }
}
