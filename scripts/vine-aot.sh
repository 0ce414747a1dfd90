# Sourced by vine's scripts: the JDK's AOT cache (JEP 483, 514, 515) for the cli jar, so that a fresh
# `vine` process starts with vine's classes already loaded and linked and with method profiles from a
# training run, instead of warming up from nothing.
#
#   vine_aot_train JAVA ROOT [SECONDS]   builds ROOT/cli/target/vine.aot (about 20 s); 0 when it did
#   vine_aot_usable JAVA ROOT            0 when the cache exists and belongs to this jar and this JDK
#   vine_aot_commands JAVA ROOT          sets the arrays vine_aot_cmd (with the cache, when usable) and
#                                        vine_plain_cmd (without), as vine_aot_command does, to compare
#   vine_aot_command JAVA ROOT           sets the array vine_cmd: JAVA and the arguments that run the
#                                        cli (with the cache when usable), the vine arguments go after
#
# The training run (scripts/AotTraining.java, compiled into cli/target/vine-aot-training.jar) runs a
# perf server and clients over noise and tls, and dials with a ping, on loopback in one JVM. The cache
# records the class path, so a run that uses it puts that small jar after vine.jar and names the main
# class. The JVM checks the cache itself when it starts (AOTMode=auto: a cache it refuses is ignored,
# silently here); the stamp file adds the JDK it was made with, and the jar's time decides staleness.

vine_aot_main=io.vine.cli.Main

vine_aot_paths() { # <root>
    vine_aot_jar="$1/cli/target/vine.jar"
    vine_aot_cache="$1/cli/target/vine.aot"
    vine_aot_trainer="$1/cli/target/vine-aot-training.jar"
    vine_aot_stamp="$1/cli/target/vine.aot.stamp"
    vine_aot_log="$1/cli/target/vine.aot.log"
}

# What the cache is bound to besides the jar: the JDK's path and its modification time.
vine_aot_jdk_stamp() { # <java>
    local real
    real="$(readlink -f "$1")"
    echo "$real $(stat -c %Y "$real" 2>/dev/null)"
}

vine_aot_usable() { # <java> <root>
    vine_aot_paths "$2"
    [ -f "$vine_aot_cache" ] && [ -f "$vine_aot_trainer" ] && [ -f "$vine_aot_stamp" ] || return 1
    [ "$vine_aot_cache" -nt "$vine_aot_jar" ] && [ "$vine_aot_trainer" -nt "$vine_aot_jar" ] || return 1
    [ "$(cat "$vine_aot_stamp")" = "$(vine_aot_jdk_stamp "$1")" ]
}

vine_aot_command() { # <java> <root>
    if [ "${VINE_AOT:-on}" != off ] && vine_aot_usable "$1" "$2"; then
        vine_cmd=("$1" --enable-native-access=ALL-UNNAMED "-XX:AOTCache=$vine_aot_cache" -Xlog:aot=off -Xlog:cds=off
            -cp "$vine_aot_jar:$vine_aot_trainer" "$vine_aot_main")
    else
        vine_cmd=("$1" --enable-native-access=ALL-UNNAMED -jar "$2/cli/target/vine.jar")
    fi
}

vine_aot_commands() { # <java> <root>
    VINE_AOT=on vine_aot_command "$1" "$2"
    vine_aot_cmd=("${vine_cmd[@]}")
    VINE_AOT=off vine_aot_command "$1" "$2"
    vine_plain_cmd=("${vine_cmd[@]}")
}

# Builds the cache under a lock (a second trainer at the same time gives up at once). Everything the
# JVM prints goes to cli/target/vine.aot.log; on failure the old cache, if any, is removed.
vine_aot_train() { # <java> <root> [seconds]
    local java="$1" bin seconds="${3:-4}" work status=0
    vine_aot_paths "$2"
    bin="$(dirname "$(readlink -f "$java")")"
    [ -x "$bin/javac" ] && [ -x "$bin/jar" ] || { echo "no javac and jar next to $java (a JDK is needed)" > "$vine_aot_log"; return 1; }
    command -v flock >/dev/null || { echo "flock is missing" > "$vine_aot_log"; return 1; }
    (
        flock -n 9 || { echo "another training run holds the lock" > "$vine_aot_log.busy"; exit 1; }
        work="$(mktemp -d "$2/cli/target/aot-training.XXXXXX")"
        trap 'rm -rf "$work"' EXIT
        rm -f "$vine_aot_cache" "$vine_aot_stamp"
        {
            "$bin/javac" -d "$work/classes" -cp "$vine_aot_jar" "$2/scripts/AotTraining.java" &&
            "$bin/jar" cf "$vine_aot_trainer" -C "$work/classes" . &&
            timeout -k 5 180 "$java" --enable-native-access=ALL-UNNAMED -Xlog:aot=error -Xlog:cds=error \
                "-XX:AOTCacheOutput=$work/vine.aot" -cp "$vine_aot_jar:$vine_aot_trainer" AotTraining "$seconds" &&
            [ -s "$work/vine.aot" ]
        } > "$vine_aot_log" 2>&1 || exit 1
        vine_aot_jdk_stamp "$java" > "$vine_aot_stamp"
        mv "$work/vine.aot" "$vine_aot_cache"
    ) 9> "$vine_aot_cache.lock" || status=$?
    return "$status"
}
