# Sourced by vine's scripts: vine_find_java prints the path of a java 25 or newer, or fails.
# It looks at $VINE_JAVA_HOME, $JAVA_HOME, the usual JDK folders, then PATH.

vine_java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

vine_find_java() {
    local candidates=() d c v
    [ -n "${VINE_JAVA_HOME:-}" ] && candidates+=("$VINE_JAVA_HOME/bin/java")
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
    for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/*; do
        [ -x "$d/bin/java" ] && candidates+=("$d/bin/java")
    done
    command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
    for c in "${candidates[@]}"; do
        v="$(vine_java_major "$c" || true)"
        if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
            echo "$c"
            return 0
        fi
    done
    return 1
}
