#!/usr/bin/env bash
# Builds Corral and serves Corral Chat on http://127.0.0.1:8097 until Ctrl+C.
# Extra arguments go to corral before the app class, e.g. ./run.sh --log-level debug
set -euo pipefail
cd "$(dirname "$0")"
. .mvn/jdk25.sh

./mvnw -q -B -DskipTests package
jar=$(ls chat/target/corral-chat-*.jar | grep -v -- '-tests.jar' | head -n 1)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
    -cp "$jar:$(cat chat/target/classpath.txt)" io.corral.cli.Main \
    -b 127.0.0.1:8097 "$@" io.corral.chat.ChatApp
