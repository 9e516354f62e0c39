package io.corral.broker;

import io.corral.app.Broker;
import io.corral.config.BrokerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/** A worker's broker, as {@code --broker} chose it: through the master, or on Redis. */
public sealed interface WorkerBroker extends Broker, AutoCloseable permits LocalBroker, RedisBroker {

    /** Opens the broker {@code address} names for this process; a local one serves this process alone until
     * {@link #attachToMaster attached} to its master. */
    static WorkerBroker open(BrokerAddress address) {
        String instance = instanceOf(ProcessHandle.current().pid());
        return switch (address) {
            case BrokerAddress.Local local -> new LocalBroker(instance);
            case BrokerAddress.Redis redis -> new RedisBroker(redis, instance);
        };
    }

    /**
     * The worker process {@code pid} of this host, as presence and session ids name it across the service. The host
     * name is looked up once per process: the master calls this on its event loop for every connecting worker.
     */
    static String instanceOf(long pid) {
        return Host.NAME + "/" + pid;
    }

    /** This host's name, resolved on first use. */
    final class Host {
        static final String NAME = lookUp();

        private Host() {
        }

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }

    /**
     * Under a master: speak through {@code control}, the worker's control channel (its framing installed). The
     * Redis broker needs no master and ignores it.
     */
    void attachToMaster(io.netty.channel.Channel control);

    /** This worker's instance id: unique across the hosts of the service. */
    String instance();

    /** Calls {@code listener} with the instance id of a worker that has died (local broker: the master says). */
    void onInstanceGone(Consumer<String> listener);

    @Override
    void close();
}
