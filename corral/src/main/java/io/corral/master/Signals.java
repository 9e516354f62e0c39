package io.corral.master;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns the signals Gunicorn's master answers into events, and does nothing else. QUIT is left to the JVM (a thread
 * dump); CHLD never reaches a JVM handler, so worker exits come from {@code Process.onExit()} instead.
 */
final class Signals {
    static final List<String> HANDLED = List.of("HUP", "INT", "TERM", "USR1", "USR2", "TTIN", "TTOU", "WINCH");

    private Signals() {
    }

    /**
     * Installs a handler per signal; returns the names of those that were ignored when the JVM started (under
     * {@code nohup}, say), whose handlers the JVM will never run.
     */
    static List<String> install(MasterEvents events) {
        var ignored = new ArrayList<String>();
        for (String name : HANDLED) {
            SignalHandler previous = Signal.handle(new Signal(name),
                    signal -> events.add(new MasterEvent.SignalReceived(signal.getName())));
            if (previous == SignalHandler.SIG_IGN) {
                ignored.add(name);
            }
        }
        return ignored;
    }
}
