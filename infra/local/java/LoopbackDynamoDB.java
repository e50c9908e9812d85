// Starts Amazon's DynamoDB Local bound to 127.0.0.1 only.
// DynamoDB Local has no host option and listens on every interface; this launcher builds the
// server from the usual command-line arguments, sets the Jetty connector's host, then starts it.
// Run in Java's single-file source mode: java -cp <DynamoDBLocal.jar:lib/*> LoopbackDynamoDB.java <args>
// With -Dpioneer.exitOnStdinEof=true it exits when its stdin closes, i.e. when the Node process
// that started it (and holds the other end of the pipe) dies, however it dies.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDB {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("pioneer.host", "127.0.0.1");
    if (Boolean.getBoolean("pioneer.exitOnStdinEof")) {
      Thread watchdog = new Thread(() -> {
        try {
          while (System.in.read() != -1) { /* parent still alive */ }
        } catch (java.io.IOException ignored) {
          // the pipe broke: the parent is gone
        }
        Runtime.getRuntime().halt(0);
      }, "pioneer-parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field f = DynamoDBProxyServer.class.getDeclaredField("server");
    f.setAccessible(true);
    Server server = (Server) f.get(proxy);
    int bound = 0;
    for (Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector sc) { sc.setHost(host); bound++; }
    }
    if (bound == 0) throw new IllegalStateException("no Jetty ServerConnector to bind");
    proxy.start();
    System.out.println("PIONEER_DYNAMODB_READY " + host);
    System.out.flush();
    proxy.join();
  }
}
