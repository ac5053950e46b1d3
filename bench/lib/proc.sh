# Sourced by bench/run.sh and bench/lib/servers.sh: a process's CPU time from /proc, in clock ticks.

# utime + stime of every thread of the process (fields 14 and 15 of /proc/PID/stat, counted after
# the command name, which may hold spaces).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# The same, for the JVM's JIT compiler threads only (0 for a process that has none, such as OPA):
# a Java server still compiling during a measured run was not warm yet.
jit_ticks() {
  local task total=0
  for task in /proc/"$1"/task/*; do
    case $(cat "$task/comm" 2>/dev/null) in
      C1\ CompilerThre*|C2\ CompilerThre*)
        total=$((total + $(sed 's/^.*) //' "$task/stat" | awk '{ print $12 + $13 }'))) ;;
    esac
  done
  echo "$total"
}
