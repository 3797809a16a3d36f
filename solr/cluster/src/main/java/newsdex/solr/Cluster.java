package newsdex.solr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real SolrCloud of Solr nodes and an embedded ZooKeeper, for newsdex's tests and for trying
 * its Solr commands out. It prints one machine-readable line, then serves until standard input
 * closes (or says {@code quit}) or the process gets SIGTERM, and removes its data folder on the
 * way out. {@code stop-node N} on standard input stops node N (from 0), so that tests can take a
 * server away in the middle of a series of queries.
 *
 * <p>Output on stdout, one line each:
 *
 * <pre>
 * NEWSDEX_SOLR_NODES http://127.0.0.1:PORT/solr,http://127.0.0.1:PORT/solr
 * NEWSDEX_SOLR_ZK 127.0.0.1:PORT/solr
 * NEWSDEX_SOLR_READY
 * NEWSDEX_SOLR_STOPPED N      (after a stop-node)
 * </pre>
 */
public final class Cluster {
  /** Two nodes: the fewest that replication and fail-over can be shown on. */
  private static final int DEFAULT_NODES = 2;

  private static final AtomicBoolean DOWN = new AtomicBoolean(false);

  private Cluster() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_NODES;
    long started = System.nanoTime();
    Path base = Files.createTempDirectory("newsdex-solr-");
    MiniSolrCloudCluster cluster;
    try {
      cluster = new MiniSolrCloudCluster.Builder(nodes, base).build();
    } catch (Exception e) {
      deleteTree(base);
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(cluster, base)));
    StringJoiner urls = new StringJoiner(",");
    for (JettySolrRunner j : cluster.getJettySolrRunners()) {
      urls.add(j.getBaseUrl().toString());
    }
    System.out.println("NEWSDEX_SOLR_NODES " + urls);
    System.out.println("NEWSDEX_SOLR_ZK " + cluster.getZkServer().getZkAddress());
    double seconds = (System.nanoTime() - started) / 1e9;
    System.err.printf("newsdex-solr: %d nodes up in %.1f s, data in %s%n", nodes, seconds, base);
    System.out.println("NEWSDEX_SOLR_READY");
    System.out.flush();
    serve(cluster);
    shutdown(cluster, base);
    System.exit(0);
  }

  /** Reads commands until standard input closes. */
  private static void serve(MiniSolrCloudCluster cluster) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      if (words[0].equals("quit")) {
        return;
      }
      if (words[0].equals("stop-node") && words.length == 2) {
        stopNode(cluster, words[1]);
      } else if (!words[0].isEmpty()) {
        System.err.println("newsdex-solr: unknown command (stop-node N, quit): " + line);
      }
    }
  }

  private static void stopNode(MiniSolrCloudCluster cluster, String which) {
    try {
      int n = Integer.parseInt(which);
      List<JettySolrRunner> nodes = cluster.getJettySolrRunners();
      if (n < 0 || n >= nodes.size()) {
        System.err.println("newsdex-solr: no node " + n);
        return;
      }
      // Synchronous: the node's Jetty is stopped when it returns. (waitForJettyToStop is
      // not used: it times out waiting for the live-node count it expects.)
      cluster.stopJettySolrRunner(nodes.get(n));
      System.out.println("NEWSDEX_SOLR_STOPPED " + n);
      System.out.flush();
    } catch (Exception e) {
      System.err.println("newsdex-solr: stopping node " + which + " failed: " + e);
    }
  }

  private static void shutdown(MiniSolrCloudCluster cluster, Path base) {
    if (!DOWN.compareAndSet(false, true)) {
      return;
    }
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("newsdex-solr: shutdown: " + e);
    }
    deleteTree(base);
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.deleteIfExists(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("newsdex-solr: could not remove " + root + ": " + e);
    }
  }
}
