package io.corral.config;

import java.util.List;

/** The master's process: its config file, pidfile, identity, working directory and the workers' environment. */
public final class ProcessSettings {
    private ProcessSettings() {
    }

    public static final Setting<String> CONFIG = Setting.of("config", Section.PROCESS, "FILE",
            Parsers.text(false), null,
            "Config file: one 'name = value' per line, names as the long options (repeat a name to repeat it).", "-c");

    public static final Setting<String> PID = Setting.of("pid", Section.PROCESS, "FILE",
            Parsers.text(false), null,
            "Write the master's pid to this file (atomically); removed on exit.", "-p");

    public static final Setting<String> USER = Setting.of("user", Section.PROCESS, "USER",
            Parsers.text(false), null,
            "Run workers as this user (name or uid); the master needs to be root for it.", "-u");

    public static final Setting<String> GROUP = Setting.of("group", Section.PROCESS, "GROUP",
            Parsers.text(false), null,
            "Run workers as this group (name or gid).", "-g");

    public static final Setting<Integer> UMASK = Setting.of("umask", Section.PROCESS, "INT",
            Parsers.umask(), null,
            "File-mode mask for the files and Unix sockets Corral creates, e.g. 027. Default: inherited.", "-m");

    public static final Setting<String> NAME = Setting.of("name", Section.PROCESS, "STRING",
            Parsers.text(false), null,
            "Name shown by ps for the master and workers ('corral: master [NAME]'); default: the app class.", "-n");

    public static final Setting<String> CHDIR = Setting.of("chdir", Section.PROCESS, "DIR",
            Parsers.text(false), null,
            "Directory workers run in and relative paths are resolved against. Default: the current one.");

    public static final Setting<String> ENV = Setting.repeatable("env", Section.PROCESS, "KEY=VALUE",
            Parsers.keyValue(), null,
            "Set an environment variable for the workers. Repeat for several.", "-e");

    static final List<Setting<?>> ALL = List.of(CONFIG, PID, USER, GROUP, UMASK, NAME, CHDIR, ENV);
}
