package io.corral.master;

/** How the logs say a child process ended. */
final class ExitStatus {
    private ExitStatus() {
    }

    /** "exited with code 3", "was killed by SIGKILL": Java reports death by signal N as 128 + N. */
    static String describe(int status) {
        if (status > 128 && status < 128 + 32) {
            int signal = status - 128;
            String name = switch (signal) {
                case 9 -> "SIGKILL";
                case 15 -> "SIGTERM";
                case 3 -> "SIGQUIT";
                case 6 -> "SIGABRT";
                case 11 -> "SIGSEGV";
                case 2 -> "SIGINT";
                default -> "signal " + signal;
            };
            return "was killed by " + name;
        }
        return "exited with code " + status;
    }
}
