package io.mpathgw.iscsi.sim;

import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.InquiryData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mpathgw sim}: starts a simulated array from flags (or a config file of {@code key = value} lines with the
 * same names), prints its topology, then reads fault commands ({@link SimCommands}) from standard input until
 * {@code quit} or end of input. With {@code --commands none} it runs until the process is stopped.
 *
 * <p>Exit codes: 0 after {@code quit} or end of input (or {@code --help}), 2 for a bad option (message and usage on stderr), 1 when the
 * array cannot start (e.g. a port in use).
 */
public final class SimCli {

    static final String USAGE = String.join("\n",
            "usage: mpathgw sim [OPTIONS]",
            "  --personality alua|rdac|emc|hp_sw|active-active   (default alua)",
            "  --controllers N            controllers (target port groups), default 2",
            "  --portals N                portals per controller, default 2",
            "  --host ADDR                bind address, default 127.0.0.1",
            "  --port N                   first portal's port, the others following; default: free ports",
            "  --iqn IQN                  the array's target name",
            "  --target-per-controller    one target per controller (IQN.ctrla, IQN.ctrlb…)",
            "  --lun N:SIZE[:OWNER]       a LUN (SIZE like 64M; OWNER controller A, B… or 0, 1…); repeatable",
            "  --seed N                   seed of every random choice, default 1",
            "  --transition-time DUR      ownership change / ALUA transition time, default 200ms",
            "  --tpgs implicit|explicit|both   ALUA modes, default both",
            "  --demoted STATE            ALUA state of a group that loses the LUN, default active/non-optimized",
            "  --rdac-mode rdac|avt|ioship  --max-lun N   --emc-model MODEL",
            "  --config FILE              key = value lines with the option names above (lun repeatable)",
            "  --commands -|none          read fault commands from stdin (default) or none: run until stopped",
            "  -h, --help                 this text",
            "fault commands:",
            SimCommands.HELP);

    private SimCli() {
    }

    public static void main(String[] args) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.exit(run(List.of(args), in, System.out, System.err));
    }

    /** Parses, starts, serves commands; returns the exit code. */
    static int run(List<String> args, BufferedReader in, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        ArraySimulatorBuilder b = ArraySimulator.builder();
        boolean stdin;
        try {
            stdin = configure(b, expandConfig(args));
        } catch (IllegalArgumentException | IOException e) {
            err.println("mpathgw sim: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ArraySimulator sim;
        try {
            sim = b.build().start();
        } catch (RuntimeException | InterruptedException e) {
            err.println("mpathgw sim: cannot start the array: " + e);
            return 1;
        }
        SimCommands commands = new SimCommands(sim);
        try {
            out.println(sim.describe().stripTrailing());
            out.println("ready");
            out.flush();
            if (!stdin) {
                awaitShutdown();
                return 0;
            }
            return serve(commands, in, out, err);
        } finally {
            commands.close();
            sim.close();
        }
    }

    private static int serve(SimCommands commands, BufferedReader in, PrintStream out, PrintStream err) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("quit")) break;
                try {
                    String r = commands.execute(line);
                    if (!r.isEmpty()) out.println(r);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    err.println("error: " + e.getMessage());
                }
                out.flush();
            }
            return 0;
        } catch (IOException e) {
            err.println("mpathgw sim: reading commands: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void awaitShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code --config FILE} becomes the options its lines name, in place. */
    static List<String> expandConfig(List<String> args) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).equals("--config")) {
                out.add(args.get(i));
                continue;
            }
            if (++i >= args.size()) throw new IllegalArgumentException("--config: missing value");
            Path file = Path.of(args.get(i));
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                int eq = t.indexOf('=');
                String key = (eq < 0 ? t : t.substring(0, eq)).strip();
                if (key.isEmpty()) throw new IllegalArgumentException(file + " line " + n + ": no key");
                out.add("--" + key);
                if (eq >= 0) out.add(t.substring(eq + 1).strip());
            }
        }
        return out;
    }

    /** Applies the options to the builder; returns whether commands come from stdin. */
    static boolean configure(ArraySimulatorBuilder b, List<String> args) {
        boolean stdin = true;
        for (int i = 0; i < args.size(); i++) {
            String opt = args.get(i);
            if (opt.equals("--target-per-controller")) {
                b.targetPerController(true);
                continue;
            }
            if (!opt.startsWith("--")) throw new IllegalArgumentException("argument: '" + opt + "' (expected: an option)");
            if (++i >= args.size()) throw new IllegalArgumentException(opt + ": missing value");
            String v = args.get(i);
            switch (opt) {
                case "--personality" -> b.personality(Personality.of(v).orElseThrow(() -> new IllegalArgumentException(
                        "--personality: '" + v + "' (expected: alua, rdac, emc, hp_sw or active-active)")));
                case "--controllers" -> b.controllers(SimCommands.number(v, opt));
                case "--portals" -> b.portalsPerController(SimCommands.number(v, opt));
                case "--host" -> b.host(v);
                case "--port" -> b.firstPort(SimCommands.number(v, opt));
                case "--iqn" -> b.iqn(v);
                case "--lun" -> b.lun(lun(v));
                case "--seed" -> b.seed(SimCommands.number(v, opt));
                case "--transition-time" -> b.transitionTime(SimCommands.duration(v));
                case "--tpgs" -> b.tpgs(switch (v) {
                    case "implicit" -> InquiryData.TPGS_IMPLICIT;
                    case "explicit" -> InquiryData.TPGS_EXPLICIT;
                    case "both" -> InquiryData.TPGS_BOTH;
                    default -> throw new IllegalArgumentException("--tpgs: '" + v + "' (expected: implicit, explicit or both)");
                });
                case "--demoted" -> b.demotedState(AluaState.ofKernelName(v).orElseThrow(() ->
                        new IllegalArgumentException("--demoted: '" + v + "' (expected: an ALUA state name)")));
                case "--rdac-mode" -> b.rdacMode(java.util.Arrays.stream(RdacMode.values())
                        .filter(m -> m.name().equalsIgnoreCase(v)).findFirst().orElseThrow(() ->
                                new IllegalArgumentException("--rdac-mode: '" + v + "' (expected: rdac, avt or ioship)")));
                case "--max-lun" -> b.rdacMaxLunSupported(SimCommands.number(v, opt));
                case "--emc-model" -> b.emcModel(v);
                case "--commands" -> stdin = switch (v) {
                    case "-" -> true;
                    case "none" -> false;
                    default -> throw new IllegalArgumentException("--commands: '" + v + "' (expected: - or none)");
                };
                default -> throw new IllegalArgumentException("option: '" + opt + "' (expected: see usage)");
            }
        }
        return stdin;
    }

    /** {@code N:SIZE[:OWNER]}. */
    static LunSpec lun(String v) {
        String[] p = v.split(":");
        if (p.length < 2 || p.length > 3)
            throw new IllegalArgumentException("--lun: '" + v + "' (expected: N:SIZE[:OWNER], e.g. 0:64M:B)");
        LunSpec s = LunSpec.of(SimCommands.number(p[0], "lun"), SimCommands.bytes(p[1], 512));
        return p.length == 3 ? s.withOwner(SimCommands.controllerIndex(p[2])) : s;
    }
}
