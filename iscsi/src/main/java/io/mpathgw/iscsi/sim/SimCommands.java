package io.mpathgw.iscsi.sim;

import io.mpathgw.iscsi.target.Portal;
import io.mpathgw.scsi.AluaState;
import io.mpathgw.scsi.Sense;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fault commands of {@code mpathgw sim}, one line each, against a running {@link ArraySimulator}: what an
 * operator or a test script types to break and heal the array while it runs. {@link #execute} returns what to print;
 * a bad line throws {@link IllegalArgumentException} whose message names the word and what was expected.
 * Portals are numbered as {@code status} lists them; controllers by letter (A, B…) or index.
 */
public final class SimCommands {

    public static final String HELP = String.join("\n",
            "status                                   topology, states and active faults",
            "kill P | revive P                        portal P: reset and refuse / listen again",
            "blackhole P on|off                       portal P: accept, read and send nothing",
            "refuse-login P on|off                    portal P: logins answered 0x0301",
            "latency P DURATION                       portal P: every PDU processed that much later",
            "flap P MINUP MAXUP MINDOWN MAXDOWN       portal P: down and up at seeded random times",
            "unflap P                                 stop flapping, portal up",
            "controller C kill|revive                 controller C (A, B… or 0, 1…) and its LUN failover",
            "controller C blackhole on|off            every portal of controller C",
            "failover C [LUN]                         move every LUN (or one) to controller C",
            "alua LUN C STATE [DURATION]              ALUA state of controller C's group (active/optimized, standby…)",
            "sense LUN KEY/ASC/ASCQ COUNT [portal P|controller C] [opcode OP] [any]",
            "                                         the next COUNT matching commands end with that sense (hex)",
            "pdl LUN on|off                           LUN not supported on every path (05/25/00)",
            "lun-latency LUN DURATION                 every answer of the LUN that much later",
            "stall LUN on|off                         hold every answer of the LUN",
            "resize LUN SIZE                          new capacity (512-byte blocks, or with K/M/G), UA 2A/09",
            "help | quit");

    private final ArraySimulator sim;
    private final Map<Integer, Flapper> flapping = new HashMap<>();

    public SimCommands(ArraySimulator sim) {
        this.sim = sim;
    }

    /** Runs one command line; returns what to print (possibly empty). Blank lines and {@code #} comments do nothing. */
    public String execute(String line) throws InterruptedException {
        String[] w = line.trim().split("\\s+");
        if (w[0].isEmpty() || w[0].startsWith("#")) return "";
        return switch (w[0]) {
            case "help" -> HELP;
            case "status" -> sim.describe().stripTrailing();
            case "kill" -> portal(w, 2).then(p -> p.kill());
            case "revive" -> {
                portal(w, 2).portal.revive();
                yield "portal " + w[1] + " revived";
            }
            case "blackhole" -> portal(w, 3).then(p -> p.blackhole(onOff(w[2])));
            case "refuse-login" -> portal(w, 3).then(p -> p.refuseLogin(onOff(w[2])));
            case "latency" -> portal(w, 3).then(p -> p.latency(duration(w[2])));
            case "flap" -> flap(w);
            case "unflap" -> {
                Flapper f = flapping.remove(portalIndex(args(w, 2)[1]));
                if (f != null) f.stop();
                yield f == null ? "portal " + w[1] + " was not flapping" : "portal " + w[1] + ": " + f.history();
            }
            case "controller" -> controller(w);
            case "failover" -> failover(w);
            case "alua" -> alua(w);
            case "sense" -> sense(w);
            case "pdl" -> lunDone(w, 3, l -> l.pdl(onOff(w[2])));
            case "lun-latency" -> lunDone(w, 3, l -> l.latency(duration(w[2])));
            case "stall" -> lunDone(w, 3, l -> l.stall(onOff(w[2])));
            case "resize" -> lunDone(w, 3, l -> l.resize(blocks(w[2], l.device().blockSize())));
            default -> throw new IllegalArgumentException("command: '" + w[0] + "' (expected: one of "
                    + "status, kill, revive, blackhole, refuse-login, latency, flap, unflap, controller, failover, "
                    + "alua, sense, pdl, lun-latency, stall, resize, help, quit)");
        };
    }

    /** A portal named by a command, and the words of the command. */
    private record PortalWord(Portal portal, String[] words) {
        String then(java.util.function.Consumer<Portal> action) {
            action.accept(portal);
            return String.join(" ", words) + ": done";
        }
    }

    private PortalWord portal(String[] w, int words) {
        return new PortalWord(sim.portal(portalIndex(args(w, words)[1])), w);
    }

    private String flap(String[] w) {
        args(w, 6);
        int p = portalIndex(w[1]);
        Flapper old = flapping.remove(p);
        if (old != null) old.stop();
        flapping.put(p, sim.flap(p, duration(w[2]), duration(w[3]), duration(w[4]), duration(w[5])));
        return "portal " + p + " flapping";
    }

    private String controller(String[] w) throws InterruptedException {
        args(w, 3);
        Controller c = sim.controller(controllerIndex(w[1]));
        switch (w[2]) {
            case "kill" -> c.kill();
            case "revive" -> c.revive();
            case "blackhole" -> c.blackhole(onOff(args(w, 4)[3]));
            default -> throw new IllegalArgumentException("controller action: '" + w[2]
                    + "' (expected: kill, revive or blackhole)");
        }
        return "controller " + c.name() + ": " + w[2] + (w.length > 3 ? " " + w[3] : "");
    }

    private String failover(String[] w) {
        args(w, 2);
        int c = controllerIndex(w[1]);
        if (w.length > 2) sim.lun(number(w[2], "lun")).failover(c);
        else sim.failover(c);
        return "failover to controller " + sim.controller(c).name();
    }

    private String alua(String[] w) {
        args(w, 4);
        AluaState st = AluaState.ofKernelName(w[3]).orElseThrow(() -> new IllegalArgumentException("state: '" + w[3]
                + "' (expected: active/optimized, active/non-optimized, standby, unavailable, offline or "
                + "transitioning)"));
        sim.lun(number(w[1], "lun")).aluaState(controllerIndex(w[2]), st, w.length > 4 ? duration(w[4]) : Duration.ZERO);
        return "lun " + w[1] + " group of controller " + w[2] + ": " + st;
    }

    private String sense(String[] w) {
        args(w, 4);
        SimLun lun = sim.lun(number(w[1], "lun"));
        String[] kaq = w[2].split("/");
        if (kaq.length != 3) throw new IllegalArgumentException("sense: '" + w[2] + "' (expected: KEY/ASC/ASCQ in hex)");
        Sense s = Sense.of(hex(kaq[0], 0xF), hex(kaq[1], 0xFF), hex(kaq[2], 0xFF));
        SenseInjection inj = SenseInjection.of(s, number(w[3], "count"));
        for (int i = 4; i < w.length; i++) {
            switch (w[i]) {
                case "portal" -> inj = inj.through(sim.portal(portalIndex(next(w, ++i))));
                case "controller" -> inj = inj.through(sim.controller(controllerIndex(next(w, ++i))));
                case "opcode" -> inj = inj.onOpcode(hex(next(w, ++i).replaceFirst("^0x", ""), 0xFF));
                case "any" -> inj = inj.onAnyCommand();
                default -> throw new IllegalArgumentException("sense option: '" + w[i]
                        + "' (expected: portal P, controller C, opcode OP or any)");
            }
        }
        lun.inject(inj);
        return "lun " + w[1] + ": inject " + inj;
    }

    private String lunDone(String[] w, int words, java.util.function.Consumer<SimLun> action) {
        args(w, words);
        SimLun l = sim.lun(number(w[1], "lun"));
        action.accept(l);
        return String.join(" ", w) + ": done";
    }

    private static String[] args(String[] w, int n) {
        if (w.length < n)
            throw new IllegalArgumentException(w[0] + ": " + (w.length - 1) + " arguments (expected: " + (n - 1)
                    + "; see help)");
        return w;
    }

    private static String next(String[] w, int i) {
        if (i >= w.length) throw new IllegalArgumentException(w[i - 1] + ": missing value");
        return w[i];
    }

    private static int portalIndex(String s) {
        return number(s, "portal");
    }

    /** A, B… or 0, 1… */
    static int controllerIndex(String s) {
        if (s.length() == 1 && Character.isLetter(s.charAt(0))) return Character.toUpperCase(s.charAt(0)) - 'A';
        return number(s, "controller");
    }

    static int number(String s, String field) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + s + "' (expected: a number)");
        }
    }

    private static int hex(String s, int max) {
        try {
            int v = Integer.parseInt(s, 16);
            if (v < 0 || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sense field: '" + s + "' (expected: hex 0.." + Integer.toHexString(max) + ")");
        }
    }

    static boolean onOff(String s) {
        return switch (s) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("switch: '" + s + "' (expected: on or off)");
        };
    }

    /** {@code 150ms}, {@code 2s}, {@code 1m}, or a plain number of milliseconds. */
    static Duration duration(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            if (t.endsWith("m")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration: '" + s + "' (expected: e.g. 150ms, 2s, 1m or milliseconds)");
        }
    }

    /** {@code 64M}, {@code 512K}, {@code 1G} (bytes), or a plain number of blocks. */
    static long blocks(String s, int blockSize) {
        return bytes(s, blockSize) / blockSize;
    }

    /** Bytes of {@code 64M}, {@code 512K}, {@code 1G}; a plain number counts {@code unit}-byte blocks. */
    static long bytes(String s, long unit) {
        String t = s.toUpperCase(Locale.ROOT);
        long mult = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 0;
        };
        try {
            if (mult == 0) return Long.parseLong(t) * unit;
            return Long.parseLong(t.substring(0, t.length() - 1)) * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size: '" + s + "' (expected: e.g. 64M, 512K, 1G or a block count)");
        }
    }

    /** Stops every flapper started here. */
    public void close() {
        flapping.values().forEach(Flapper::stop);
        flapping.clear();
    }
}
