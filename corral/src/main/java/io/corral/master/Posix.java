package io.corral.master;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The two libc calls the JDK has no API for, through FFM: {@code kill} with any signal (ProcessHandle sends only TERM
 * and KILL; the master needs QUIT for a worker's thread dump) and {@code umask}.
 */
final class Posix {
    static final int SIGKILL = 9;
    static final int SIGQUIT = 3;
    static final int SIGTERM = 15;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle KILL = LINKER.downcallHandle(LIBC.find("kill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle UMASK = LINKER.downcallHandle(LIBC.find("umask").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Posix() {
    }

    /** Sends {@code signal} to {@code pid}; false if it failed (the process is gone, say). */
    static boolean kill(long pid, int signal) {
        try {
            return (int) KILL.invokeExact((int) pid, signal) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("kill(" + pid + ", " + signal + ") failed", e);
        }
    }

    /** Sets the process's file-mode creation mask; children (workers) inherit it. Returns the previous one. */
    static int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable e) {
            throw new IllegalStateException("umask failed", e);
        }
    }
}
