package io.freshet.hadoop.fs;

/** Hadoop's {@code Path}, as a {@code fileStream} filter sees a file: its URI and its name. */
public class Path implements Comparable<Path>, java.io.Serializable {
  private final String uri;

  public Path(String pathString) {
    this.uri = pathString;
  }

  /** The last part of the path. */
  public String getName() {
    int slash = uri.lastIndexOf('/');
    return slash < 0 ? uri : uri.substring(slash + 1);
  }

  public java.net.URI toUri() {
    return java.net.URI.create(uri);
  }

  @Override
  public int compareTo(Path o) {
    return uri.compareTo(o.uri);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Path p && p.uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }

  @Override
  public String toString() {
    return uri;
  }
}
