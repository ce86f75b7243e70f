package io.freshet.jdbc;

/** What went wrong when a remote connection could not be opened, said as a user can act on it. */
final class RemoteErrors {
  private RemoteErrors() {
  }

  /** {@code url} with the value of any password in it hidden, for messages and logs. */
  static String withoutPassword(String url) {
    return url.replaceAll("(?i)((?:avatica_)?password)=[^;]*", "$1=***");
  }

  static String describe(String url, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
        return "Cannot connect to " + url + ": no Freshet server answers there (" + t.getMessage() + "); start one "
            + "with bin/freshet server, or check the host and port";
      }
    }
    if (message.contains("HTTP/401")) {
      return "Cannot connect to " + url + ": the server refused the user name or password (HTTP 401); give the "
          + "user and password of its users file (properties user and password)";
    }
    if (message.contains("HTTP/403")) {
      return "Cannot connect to " + url + ": the server does not let this user in (HTTP 403)";
    }
    return "Cannot connect to " + url + ": " + message;
  }
}
