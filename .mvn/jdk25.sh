# Sourced by mvnw and the scripts: exports JAVA_HOME pointing at a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, else the newest 25+ JDK under /usr/lib/jvm (or $CORRAL_JVM_DIR).
# Reads each JDK's `release` file instead of starting a JVM, so it costs nothing.

corral_jdk_feature() { # prints the feature version of the JDK at $1, or nothing
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -r "$1/release" ] || return 0
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}

corral_find_jdk() {
    local want=25 best="" best_v=0 d v
    if [ -n "${JAVA_HOME-}" ]; then
        v=$(corral_jdk_feature "$JAVA_HOME")
        if [ -n "$v" ] && [ "$v" -ge "$want" ]; then return 0; fi
    fi
    local noglob=""
    case $- in *f*) noglob=1; set +f ;; esac  # mvnw runs under `set -f`
    for d in "${CORRAL_JVM_DIR:-/usr/lib/jvm}"/*; do
        [ -L "$d" ] && continue
        v=$(corral_jdk_feature "$d")
        if [ -n "$v" ] && [ "$v" -ge "$want" ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
    done
    if [ -n "$noglob" ]; then set -f; fi
    if [ -z "$best" ]; then
        echo "corral: no JDK $want or newer found (JAVA_HOME=${JAVA_HOME:-unset}; none under ${CORRAL_JVM_DIR:-/usr/lib/jvm}). Install one (Debian: apt-get install temurin-25-jdk from Adoptium's repository) or point JAVA_HOME at it." >&2
        return 1
    fi
    export JAVA_HOME="$best"
}

corral_find_jdk || exit 1
