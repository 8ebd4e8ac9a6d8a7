package io.stratos.lxc.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code java -jar stratos-loadgen.jar --url http://127.0.0.1:8280/web/ --mode closed --schedule 10s:1,30s:8,10s:1
 * [--host web.stratos.local] [--method GET|POST] [--interval 1s] [--timeout 10s] [--max-requests N] [--csv FILE] [--json FILE]}.
 * Prints one line per interval and a summary; exit 2 on a bad argument (one line, no stack trace).
 */
public final class Main {

    static final String USAGE = "usage: java -jar stratos-loadgen.jar --url http://127.0.0.1:PORT/PATH --mode open|closed "
            + "--schedule 10s:1,30s:8 (or square:HIGH:LOW:HALF:CYCLES) [--host NAME] [--method GET|POST] [--interval 1s] [--timeout 10s] "
            + "[--max-requests N] [--max-outstanding N] [--csv FILE] [--json FILE] [--quiet]";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args) throws Exception {
        LoadPlan plan;
        Path csv = null;
        Path json = null;
        boolean quiet = false;
        try {
            String url = null;
            String host = null;
            String mode = null;
            String schedule = null;
            Duration interval = Duration.ofSeconds(1);
            Duration timeout = Duration.ofSeconds(10);
            long maxRequests = 10_000_000L;
            int maxOutstanding = 2000;
            String method = "GET";
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--quiet")) {
                    quiet = true;
                    continue;
                }
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--url" -> url = value;
                    case "--host" -> host = value;
                    case "--method" -> method = value.toUpperCase(Locale.ROOT);
                    case "--mode" -> mode = value;
                    case "--schedule" -> schedule = value;
                    case "--interval" -> interval = Schedule.duration(value);
                    case "--timeout" -> timeout = Schedule.duration(value);
                    case "--max-requests" -> maxRequests = Long.parseLong(value);
                    case "--max-outstanding" -> maxOutstanding = Integer.parseInt(value);
                    case "--csv" -> csv = Path.of(value);
                    case "--json" -> json = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (url == null || mode == null || schedule == null) {
                throw new IllegalArgumentException("--url, --mode and --schedule are needed");
            }
            LoadPlan.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
                case "open" -> LoadPlan.Mode.OPEN;
                case "closed" -> LoadPlan.Mode.CLOSED;
                default -> throw new IllegalArgumentException("--mode is open (a request rate) or closed (concurrent clients), not " + mode);
            };
            URI target;
            try {
                target = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + url + "' is not a URL");
            }
            plan = new LoadPlan(target, host, m, Schedule.parse(schedule), interval, timeout, maxRequests, maxOutstanding, method);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        LoadRun run;
        try {
            run = LoadGenerator.start(plan);
        } catch (IllegalStateException e) {
            System.err.println("loadgen: " + e.getMessage());
            return 2;
        }
        int printed = 0;
        if (!quiet) {
            System.out.println("index,start_ms,level,sent,ok,failed,p50_ms,p99_ms,failures");
        }
        while (run.running()) {
            Thread.sleep(Math.min(200, plan.interval().toMillis()));
            printed = print(run.result(), printed, quiet);
        }
        LoadResult result = run.await();
        print(result, printed, quiet);
        if (csv != null) {
            result.writeCsv(csv);
        }
        if (json != null) {
            result.writeJson(json);
        }
        System.out.println(result.summary());
        return 0;
    }

    private static int print(LoadResult result, int from, boolean quiet) {
        if (!quiet) {
            for (Interval i : result.intervals().subList(Math.min(from, result.intervals().size()), result.intervals().size())) {
                System.out.printf(Locale.ROOT, "%d,%d,%.1f,%d,%d,%d,%.2f,%.2f,%s%n", i.index(), i.startMillis(), i.level(), i.sent(),
                        i.ok(), i.failed(), i.p50Millis(), i.p99Millis(), i.failures());
            }
        }
        return result.intervals().size();
    }
}
