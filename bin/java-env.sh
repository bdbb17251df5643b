# Sourced by the bin/ scripts: finds a JDK 25 (Temurin on this machine kind) without relying on the caller's
# JAVA_HOME, and exports JAVA_HOME/JAVA for Maven and the launcher.
find_jdk25() {
  local candidates=("${SGLANG4J_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*)
  local c v
  for c in "${candidates[@]}"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
JAVA_HOME=$(find_jdk25) || { echo "sglang4j needs JDK 25 (looked in /usr/lib/jvm; set SGLANG4J_JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xss4m"
