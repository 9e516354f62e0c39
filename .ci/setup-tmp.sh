#!/usr/bin/env bash
# CI entry point: install what the tests need (idempotently), check the style, then run exactly the README's test
# command. Runs on a fresh clone with CI=true; a service a test needs and cannot find fails the run there.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"

# The build needs a JDK 25 (found under /usr/lib/jvm by .mvn/jdk25.sh, which says what to install if there is
# none) and Maven Central (the wrapper fetches Maven 3.9.16 itself).
. .mvn/jdk25.sh
echo "ci: JAVA_HOME=$JAVA_HOME"

# Debian packages the tests use: systemd's tools (systemd-socket-activate, systemd-analyze; no running systemd is
# needed), setpriv (util-linux) for --user, redis-server (the broker across hosts; the tests start their own
# throwaway servers, so no service is enabled), Node and npm for the non-Java WebSocket client.
need=()
command -v systemd-socket-activate >/dev/null || need+=(systemd)
command -v setpriv >/dev/null || need+=(util-linux)
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || need+=(redis-server)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
# The deployment kit's tests: the shipped Nginx site (TLS with a throwaway certificate) and logrotate file.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
command -v logrotate >/dev/null || [ -x /usr/sbin/logrotate ] || need+=(logrotate)
# The guide's SQLite backup (docs/deployment.md, "Backup and restore"); Debian's Java 17, the `java` an operator's
# PATH has, which corral-migrate must not pick.
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ] || need+=(openjdk-17-jre-headless)
# MariaDB's scripts write temp files as the mysql user; a /tmp that is not world-writable (as on some images)
# makes its install step fail silently.
[ "$(stat -c %a /tmp)" = 1777 ] || chmod 1777 /tmp
if [ "${#need[@]}" -gt 0 ]; then
    echo "ci: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The MariaDB the chat tests run against: system tables, a running server, and a user for corral_test_* databases.
[ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
mariadb -e 'SELECT 1' >/dev/null 2>&1 || service mariadb start >/dev/null
for _ in $(seq 50); do mariadb -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
mariadb -e "CREATE USER IF NOT EXISTS 'corral'@'127.0.0.1' IDENTIFIED BY 'corral';
            CREATE USER IF NOT EXISTS 'corral'@'localhost' IDENTIFIED BY 'corral';
            GRANT ALL PRIVILEGES ON \`corral\\_test\\_%\`.* TO 'corral'@'127.0.0.1';
            GRANT ALL PRIVILEGES ON \`corral\\_test\\_%\`.* TO 'corral'@'localhost';"

