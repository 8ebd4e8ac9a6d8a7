# Load, processes and VMs over time from the autoscaler benchmark (AutoscalerReactionBenchmark).
# Usage: gnuplot -e "dir='benchmarks/results/<stamp>-<host>'" benchmarks/autoscaler-plot.gp
#   reads  dir/autoscaler-timeline.csv (every 200 ms: level, RUNNING processes, READY VMs)
#          dir/autoscaler-load.csv     (the load generator's record, one line per second)
#   writes dir/autoscaler.png
set datafile separator ","
set terminal pngcairo size 1400,800 font "sans,10"
set output dir."/autoscaler.png"
set multiplot layout 2,1 title "Autoscaler under a load step and a square wave (closed-loop clients, 200 ms per request)"
set key top right
set grid
set xlabel "seconds"
set ylabel "count"
set yrange [0:13]
plot dir."/autoscaler-timeline.csv" every ::1 using 2:4 with steps lw 1 lc rgb "#999999" title "load: clients", \
     "" every ::1 using 2:5 with steps lw 2 lc rgb "#1f77b4" title "RUNNING processes", \
     "" every ::1 using 2:6 with steps lw 2 lc rgb "#d62728" title "READY VMs"
set yrange [0:*]
set ylabel "requests/s"
set y2tics
set y2range [0:*]
set y2label "ms"
plot dir."/autoscaler-load.csv" every ::1 using ($2/1000):6 with lines lw 2 lc rgb "#2ca02c" title "ok", \
     "" every ::1 using ($2/1000):7 with impulses lw 2 lc rgb "#d62728" title "failed", \
     "" every ::1 using ($2/1000):10 axes x1y2 with lines lw 1 lc rgb "#ff7f0e" title "p99 latency ms (right axis)"
unset multiplot
