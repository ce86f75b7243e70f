package io.freshet.shell;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A JDBC client that goes away in the middle of a result: it reads a few rows of an endless SELECT from the server
 * at {@code args[0]}, says so, and halts without closing anything, as a killed client would.
 */
public final class VanishingClient {
  private VanishingClient() {
  }

  public static void main(String[] args) throws Exception {
    Connection connection = DriverManager.getConnection(args[0]);
    Statement statement = connection.createStatement();
    ResultSet rs = statement.executeQuery("SELECT auction, price FROM nexmark.bid");
    for (int i = 0; i < 3; i++) {
      if (!rs.next()) {
        throw new AssertionError("the endless query ended");
      }
    }
    System.out.println("READ 3 ROWS");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
