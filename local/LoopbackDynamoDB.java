/*
 * Starts DynamoDB Local listening on 127.0.0.1 only. The jar has no listen-address
 * option (its Jetty server binds every interface), and anyone who can reach the port
 * can read and rewrite the club's data with any credentials. So: build the server
 * from the usual command-line arguments, point its connectors at loopback, then start.
 *
 * Run in Java's single-file source mode by local/dynamodb-local.ts:
 *   java -cp DynamoDBLocal.jar local/LoopbackDynamoDB.java -port 8000 ...
 * Reflection only, so compiling this file needs nothing but the JDK's own classes.
 */
import java.lang.reflect.Field;
import java.lang.reflect.Method;

public class LoopbackDynamoDB {
    public static void main(String[] args) throws Exception {
        Class<?> runner = Class.forName("com.amazonaws.services.dynamodbv2.local.main.ServerRunner");
        Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
        Field serverField = proxy.getClass().getDeclaredField("server");
        serverField.setAccessible(true);
        Object jetty = serverField.get(proxy);
        Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
        if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
        for (Object connector : connectors) {
            // Jetty's NetworkConnector.setHost; a connector without one can't be bound safely.
            Method setHost = connector.getClass().getMethod("setHost", String.class);
            setHost.invoke(connector, "127.0.0.1");
        }
        proxy.getClass().getMethod("start").invoke(proxy);
    }
}
