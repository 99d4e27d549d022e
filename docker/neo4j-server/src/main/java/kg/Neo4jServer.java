package kg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j 5.26 Community DBMS with Bolt on 127.0.0.1 only and authentication off, for kg's
 * development and tests. Prints one line, {@code bolt://127.0.0.1:PORT}, once the default
 * database is available, then runs until SIGINT/SIGTERM, which shut it down cleanly.
 *
 * <pre>
 * java -cp 'kg-neo4j-server.jar:lib/*' kg.Neo4jServer [--port 7687] [--data DIR] [--import-dir DIR] [--stop-on-stdin-eof] [--auth]
 * </pre>
 *
 * --port 0 picks a free port (the printed URI names it). --data is the DBMS home (databases,
 * transaction logs, debug.log); without it a temporary folder is used and deleted at exit.
 * --import-dir is server.directories.import, the only folder LOAD CSV may read (default
 * DATA/import). --stop-on-stdin-eof shuts the server down when standard input closes: kg's
 * Python launcher holds that pipe open, so a server never outlives the process that started it,
 * even one killed with SIGKILL. --auth turns authentication on (user neo4j, password neo4j,
 * which must be changed before any query): a server that refuses credentials, as a deployed one
 * does, for the tests of what kg says then.
 */
public final class Neo4jServer {
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private Neo4jServer() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kg.Neo4jServer: " + e.getMessage());
            System.err.println("usage: kg.Neo4jServer [--port N] [--data DIR] [--import-dir DIR] [--stop-on-stdin-eof] [--auth]");
            System.exit(2);
            return;
        }

        boolean temporary = options.data == null;
        Path home = temporary ? Files.createTempDirectory("kg-neo4j-") : options.data.toAbsolutePath();
        Path importDir = options.importDir != null ? options.importDir.toAbsolutePath() : home.resolve("import");
        for (Path dir : new Path[] {home, importDir}) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                System.err.println("kg.Neo4jServer: cannot use " + dir + " as a folder: " + e);
                System.exit(1);
            }
        }

        DatabaseManagementService dbms;
        try {
            dbms = start(home, importDir, options.port, options.auth);
        } catch (RuntimeException e) {
            // e.g. the port is taken; Neo4j's own threads must not keep the JVM alive.
            System.err.println("kg.Neo4jServer: cannot start Neo4j: " + e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                System.err.println("  caused by: " + c);
            }
            if (temporary) {
                deleteTree(home);
            }
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                if (temporary) {
                    deleteTree(home);
                }
                stopped.countDown();
            }
        }, "kg-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(READY_TIMEOUT.toMillis())) {
            System.err.println("kg.Neo4jServer: the default database did not become available within "
                    + READY_TIMEOUT.toSeconds() + " s; see " + home.resolve("logs/debug.log"));
            System.exit(1);
        }
        int port = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();
        if (options.stopOnStdinEof) {
            Thread watcher = new Thread(Neo4jServer::exitOnStdinEof, "kg-neo4j-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        System.out.println("bolt://" + LOOPBACK + ":" + port);
        System.out.flush();

        stopped.await();
    }

    private static DatabaseManagementService start(Path home, Path importDir, int port, boolean auth) {
        return new DatabaseManagementServiceBuilder(home)
                // Every connector defaults to loopback, not only Bolt.
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(LOOPBACK))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(LOOPBACK))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Off is safe only because Bolt listens on loopback: anyone on this machine has full access.
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
                // A development server: no 256 MiB pre-allocated log files, no usage reports sent.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Netty otherwise waits a 5 s quiet period per Bolt connector at shutdown, after the
                // databases are already checkpointed and closed: 10 s of nothing on every stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
    }

    private static void exitOnStdinEof() {
        try {
            while (System.in.read() != -1) {
                // Whatever the parent writes is ignored: only the end of the stream matters.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, the same as EOF.
        }
        System.exit(0);
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("kg.Neo4jServer: could not delete " + root + ": " + e.getMessage());
        }
    }

    private record Options(int port, Path data, Path importDir, boolean stopOnStdinEof, boolean auth) {
        static Options parse(String[] args) {
            int port = BoltConnector.DEFAULT_PORT;
            Path data = null;
            Path importDir = null;
            boolean stopOnStdinEof = false;
            boolean auth = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--stop-on-stdin-eof")) {
                    stopOnStdinEof = true;
                    continue;
                }
                if (arg.equals("--auth")) {
                    auth = true;
                    continue;
                }
                String value;
                String name;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else {
                    name = arg;
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "--port" -> {
                        try {
                            port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--port " + value + ": not a number");
                        }
                        if (port < 0 || port > 65535) {
                            throw new IllegalArgumentException("--port " + value + ": not a TCP port");
                        }
                    }
                    case "--data" -> data = Path.of(value);
                    case "--import-dir" -> importDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(port, data, importDir, stopOnStdinEof, auth);
        }
    }
}
