package io.corral.master;

import io.corral.control.ControlMessage;
import io.netty.channel.Channel;

/** What wakes the master's loop. Produced by signal handlers, control-channel readers and exit watchers. */
sealed interface MasterEvent {

    record SignalReceived(String name) implements MasterEvent {
    }

    /** A worker connected its control channel and was sent the sockets. */
    record WorkerConnected(int id, Channel channel) implements MasterEvent {
    }

    record WorkerSaid(int id, ControlMessage message) implements MasterEvent {
    }

    /** A worker process ended; {@code status} is its exit code, or 128 + the signal that killed it. */
    record WorkerExited(int id, long pid, int status) implements MasterEvent {
    }

    /** The new master of a USR2 connected to our control socket (as id 0) and was sent the sockets. */
    record NewMasterConnected(Channel channel) implements MasterEvent {
    }

    record NewMasterSaid(ControlMessage message) implements MasterEvent {
    }

    record NewMasterExited(long pid, int status) implements MasterEvent {
    }
}
